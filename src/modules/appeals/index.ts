/**
 * Public surface of the appeals module (诉求与信访, DOMAIN.md §6). Open311, the public mailbox
 * statistics and surveys build on `AppealsService`: `submit(ctx, input, channel)` (create a ticket),
 * `getTicket(actor, id)`, `track(number, code)`, `listPublic(…)`, `publicStatus(state)` (open/closed).
 */
export { createAppealsModule, type AppealsModuleDeps } from './manifest.ts';
export type { AppealsService } from './service.ts';
export type { AppealInput } from './commands/validate-appeal.ts';
export type { TicketRow, Channel } from './ticket.repository.ts';
export { publicStatus, APPEAL_TYPES, APPEAL_TYPE_LABEL, STATE_LABEL, type AppealType, type TicketState } from './ticket-machine.ts';
export { presentTicketForPublic } from './presenters.ts';
export * as appealPublicQueries from './public-queries.ts';
/** The dispatch advisor and its generated labelled set (bench/appeals.bench.ts measures them). */
export { DispatchAdvisor, type RuleEntry, type DispatchSuggestion } from './classifier/dispatch-advisor.ts';
export { generateLabelledSet, titleOf } from './classifier/labelled-set.ts';
export { LEAVES as CATALOGUE_LEAVES } from './catalogue.ts';
