import { formatCivilDate, civilDayAt } from '../../platform/calendar/index.ts';
import { formatDateTime } from '../../platform/views/forms.ts';
import type { CaseEventRow, CaseRecord, ProgressRecord } from './case.repository.ts';
import { APPLICANT_STATUS_LABEL, applicantResult, applicantStatus } from './domain/applicant-status.ts';
import { nodeAt } from './domain/nodes.ts';
import { EVENT_LABEL, RESULT_LABEL, type CaseEvent } from './domain/state-machine.ts';
import type { AnnouncementRow, ProgressView } from './views/citizen-pages.ts';

const day = (d: Date | null) => (d ? formatCivilDate(civilDayAt(d)) : null);

/** What the API shows of a case to staff and to its applicant (masked personal data only). */
export function presentCase(c: CaseRecord) {
  return {
    id: c.id,
    caseNo: c.case_no,
    itemId: c.item_id,
    itemVersion: c.item_version,
    itemName: c.item_name,
    organisationId: c.organisation_id,
    organisationName: c.organisation_name,
    jurisdictionCode: c.jurisdiction_code,
    applicantName: c.applicant_name_masked,
    state: c.state,
    applicantStatus: applicantStatus(c.state, c.result_code),
    resultCode: c.result_code,
    receivedAt: c.received_at?.toISOString() ?? null,
    acceptedAt: c.accepted_at?.toISOString() ?? null,
    acceptanceNo: c.acceptance_no,
    node: c.step_name ?? nodeAt(c.node_index)?.name ?? null,
    dueOn: c.due_on,
    decisionDueOn: c.decision_due_on,
    paused: c.clock_paused_since !== null,
    signal: c.signal,
    correctionList: c.correction_list,
    decision: c.decision,
    decisionReasons: c.decision_reasons,
    certificateNo: c.certificate_no,
    courierNo: c.courier_no,
    closedAt: c.closed_at?.toISOString() ?? null,
    formValues: c.form_values,
    version: c.version,
  };
}

export const caseJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    caseNo: { type: ['string', 'null'] },
    itemId: { type: 'string' },
    itemVersion: { type: 'integer' },
    itemName: { type: 'string' },
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    jurisdictionCode: { type: 'string' },
    applicantName: { type: 'string' },
    state: { type: 'string' },
    applicantStatus: { type: 'string' },
    resultCode: { type: ['integer', 'null'] },
    receivedAt: { type: ['string', 'null'] },
    acceptedAt: { type: ['string', 'null'] },
    acceptanceNo: { type: ['string', 'null'] },
    node: { type: ['string', 'null'] },
    dueOn: { type: ['string', 'null'] },
    decisionDueOn: { type: ['string', 'null'] },
    paused: { type: 'boolean' },
    signal: { type: 'string' },
    correctionList: { type: ['array', 'null'], items: { type: 'object', additionalProperties: true } },
    decision: { type: ['string', 'null'] },
    decisionReasons: { type: ['string', 'null'] },
    certificateNo: { type: ['string', 'null'] },
    courierNo: { type: ['string', 'null'] },
    closedAt: { type: ['string', 'null'] },
    formValues: { type: 'object', additionalProperties: true },
    version: { type: 'integer' },
  },
} as const;

/** The anonymous progress answer (DOMAIN.md §3.8): status, dates, node, notices, result — no officer names. */
export function presentProgress(c: ProgressRecord, events: Pick<CaseEventRow, 'at' | 'event'>[]): ProgressView {
  const status = APPLICANT_STATUS_LABEL[applicantStatus(c.state, c.result_code)].zh;
  const result = c.state === 'CLOSED' ? applicantResult(c.result_code) : c.decision === 'approve' ? '准予许可' : c.decision === 'refuse' ? '不予许可' : null;
  return {
    caseNo: c.case_no ?? '',
    itemName: c.item_name,
    organisationName: c.organisation_name,
    status,
    acceptedOn: day(c.accepted_at),
    dueOn: c.decided_at ? null : (c.decision_due_on ?? null),
    paused: c.clock_paused_since !== null,
    node: c.state === 'IN_PROCESS' ? (c.step_name ?? nodeAt(c.node_index)?.name ?? null) : null,
    corrections: c.state === 'NEEDS_CORRECTION' ? c.correction_list : null,
    result,
    courierNo: c.courier_no,
    steps: events.map((e) => ({ at: formatDateTime(e.at), label: EVENT_LABEL[e.event as CaseEvent] ?? e.event })),
  };
}

export const progressJson = {
  type: 'object',
  properties: {
    caseNo: { type: 'string' },
    itemName: { type: 'string' },
    organisationName: { type: 'string' },
    status: { type: 'string' },
    acceptedOn: { type: ['string', 'null'] },
    dueOn: { type: ['string', 'null'] },
    paused: { type: 'boolean' },
    node: { type: ['string', 'null'] },
    corrections: { type: ['array', 'null'], items: { type: 'object', additionalProperties: true } },
    result: { type: ['string', 'null'] },
    courierNo: { type: ['string', 'null'] },
    steps: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, label: { type: 'string' } } } },
  },
} as const;

export function presentAnnouncement(c: CaseRecord): AnnouncementRow {
  return {
    caseNo: c.case_no ?? '',
    itemName: c.item_name,
    applicant: c.applicant_name_masked,
    organisationName: c.organisation_name,
    result: c.result_code === null ? '' : RESULT_LABEL[c.result_code],
    closedAt: c.closed_at ? formatDateTime(c.closed_at) : '',
  };
}
