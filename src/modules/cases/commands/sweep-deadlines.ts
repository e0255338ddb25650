import { systemContext } from '../../../platform/auth/actor.ts';
import type { Transactor } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import type { CaseDeps } from './deps.ts';
import { acceptCase } from './accept-case.ts';
import { todayText } from './transition.ts';

export interface SweepResult {
  deemedAccepted: number;
  changed: number;
  yellow: number;
  red: number;
}

/**
 * The supervision sweep (DOMAIN.md §5): (1) applications whose 5-WD correction-notice clock ran
 * out are accepted as of receipt (Art. 32(4)), one audited transition each; (2) yellow / red for
 * every open case set-based over the stored due dates (page ranges swept at the same time) — no per-case loop.
 */
export async function sweepDeadlines(deps: CaseDeps, transactor: Transactor, depsFor: (c: CaseRecord) => Promise<CaseDeps>): Promise<SweepResult> {
  const ctx = systemContext('cases.sweep');
  const day = todayText(deps);
  let deemedAccepted = 0;
  for (;;) {
    const due = await deps.cases.overdueForNotice(day, 100);
    if (due.length === 0) break;
    let progressed = 0;
    for (const c of due) {
      const d = await depsFor(c);
      const r = await transactor.run(ctx, (uow) => acceptCase(d, uow, { caseId: c.id, version: c.version, deemed: true }));
      if (r.ok) {
        deemedAccepted += 1;
        progressed += 1;
      }
    }
    if (progressed === 0) break;
  }
  // The colours in page ranges at the same time (each its own transaction), then one audit entry.
  const signals = await deps.cases.sweepSignals(day);
  if (signals.changed > 0) await transactor.run(ctx, (uow) => uow.audit({ action: 'case.sweep', objectType: 'case', detail: { ...signals, day } }));
  return { deemedAccepted, ...signals };
}
