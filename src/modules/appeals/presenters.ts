import { maskMobile, maskName } from '../../platform/codes/validators.ts';
import { deadlineColour, type DeadlineColour } from './deadlines.ts';
import { CITIZEN_WINDOW_STATES } from './reminders.ts';
import type { TicketEventRow, TicketRow } from './ticket.repository.ts';
import { APPEAL_TYPE_LABEL, publicStatus, STATE_LABEL } from './ticket-machine.ts';

export const ANONYMOUS_LABEL = '匿名举报人（身份保密）';

/**
 * What staff see of the reporter. An anonymous report's identity (name, phone, caller number,
 * account) never leaves the database for handlers, dispatchers or supervisors; otherwise the phone
 * is masked unless `reveal` (an audited view).
 */
export function reporterForStaff(t: TicketRow, reveal = false): { name: string; phone: string; callerNumber: string | null } {
  if (t.anonymous) return { name: ANONYMOUS_LABEL, phone: '—', callerNumber: null };
  return {
    name: reveal ? t.contactName : maskName(t.contactName),
    phone: t.contactPhone ? (reveal ? t.contactPhone : maskMobile(t.contactPhone)) : '—',
    callerNumber: t.callerNumber ? (reveal ? t.callerNumber : maskMobile(t.callerNumber)) : null,
  };
}

/** The staff JSON of a ticket (no reporter account id; masked or hidden contact). */
export function presentTicketForStaff(t: TicketRow, now = new Date()) {
  const who = reporterForStaff(t);
  return {
    id: t.id,
    number: t.number,
    track: t.track,
    type: t.type,
    typeLabel: APPEAL_TYPE_LABEL[t.type],
    channel: t.channel,
    title: t.title,
    description: t.description,
    categoryCode: t.categoryCode,
    divisionCode: t.divisionCode,
    address: t.address,
    lon: t.lon,
    lat: t.lat,
    urgency: t.urgency,
    anonymous: t.anonymous,
    contactName: who.name,
    contactPhone: who.phone,
    callerNumber: who.callerNumber,
    flaggedWords: t.flaggedWords,
    state: t.state,
    stateLabel: STATE_LABEL[t.state],
    status: publicStatus(t.state),
    leadOrgId: t.leadOrgId,
    leadOrgName: t.leadOrgName,
    coOrgNames: t.coOrgNames,
    dueAt: t.dueAt?.toISOString() ?? null,
    colour: colourOf(t, now),
    supervised: t.supervised,
    extensionPending: t.extensionPending,
    extensionUsed: t.extensionUsed,
    satisfaction: t.satisfaction,
    finalReply: t.finalReply,
    attachmentIds: t.attachmentIds,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    version: t.version,
  };
}

export function colourOf(t: TicketRow, now = new Date()): DeadlineColour {
  // The petitioner's own review window is shown but never coloured: it is not staff's deadline.
  if (CITIZEN_WINDOW_STATES.includes(t.state)) return 'none';
  return deadlineColour(now, t.stageStartedAt, t.dueAt);
}

/** What the reporter sees with number + query code (their own contact is not repeated). */
export function presentTicketForReporter(t: TicketRow, events: TicketEventRow[]) {
  return {
    number: t.number,
    title: t.title,
    type: t.type,
    state: t.state,
    stateLabel: STATE_LABEL[t.state],
    status: publicStatus(t.state),
    leadOrgName: t.leadOrgName,
    finalReply: t.finalReply,
    satisfaction: t.satisfaction,
    createdAt: t.createdAt.toISOString(),
    history: events.map((e) => ({ event: e.event, toState: e.toState, organisationName: e.organisationName, note: e.note, at: e.at.toISOString() })),
  };
}

/** The public mailbox: consent given, never anonymous; no contact at all, the place only as a division. */
export function presentTicketForPublic(t: TicketRow) {
  return {
    id: t.id,
    number: t.number,
    type: t.type,
    typeLabel: APPEAL_TYPE_LABEL[t.type],
    title: t.title,
    description: t.description,
    divisionCode: t.divisionCode,
    status: publicStatus(t.state),
    leadOrgName: t.leadOrgName,
    reply: t.finalReply,
    createdAt: t.createdAt.toISOString(),
    closedAt: t.closedAt?.toISOString() ?? null,
  };
}
