/** Public surface of the e-supervision module (电子监察). */
export { createSupervisionModule, RAISE_QUEUE, type SupervisionModule, type SupervisionModuleDeps } from './manifest.ts';
export type { AlertRow, RuleRow } from './alert.repository.ts';
export { DEFAULT_RULES, type AlertLevel, type AlertState } from './rules.ts';
export { supervisionClock } from './service.ts';
