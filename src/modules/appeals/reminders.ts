/**
 * Supervision reminders (DOMAIN.md §6.1: "reminder before due; supervision when overdue"): a sweep
 * over the stored due dates of open tickets. When the current stage's deadline turns yellow, the
 * responsible party gets a 临期提醒; when it turns red, the responsible party AND the centre get a
 * 超期通知. Each at most once per ticket × deadline (stage + due date) × colour: the unique key of
 * `appeals.reminder` decides, so repeated sweeps and concurrent runs never send twice. A new deadline
 * (re-dispatch, extension, re-handling) is a new deadline and is reminded again.
 *
 * Messages: in-app to the staff of the organisations; SMS / email to the duty contacts — the centre's
 * (`appeals.centre`) when the centre is a recipient, and on red notices also each unit's own
 * (`appeals.unit_duty_contact`, kept by the unit's head or the centre head).
 */
import { sql } from 'kysely';
import { systemContext } from '../../platform/auth/actor.ts';
import { subtreePrefix } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { notify } from '../../platform/notify/notify.ts';
import type { Transactor } from '../../platform/unit-of-work.ts';
import { formatDeadline } from '../../platform/views/forms.ts';
import { DutyContactRepository } from './duty/duty-contact.repository.ts';
import type { Centre } from './ticket.repository.ts';
import { STATE_LABEL, type TicketState, type Track } from './ticket-machine.ts';

/** Sweep queue: on demand through the job queue, and every 10 minutes while the server runs. */
export const REMIND_QUEUE = 'appeals.remind';

export type ReminderStage = 'dispatch' | 'sign_for' | 'handle' | 'return_review' | 'callback' | 'transfer' | 'acceptance' | 'review';
export const STAGE_LABEL: Record<ReminderStage, string> = {
  dispatch: '派单',
  sign_for: '签收',
  handle: '办理答复',
  return_review: '退单审核',
  callback: '回访',
  transfer: '转送交办',
  acceptance: '受理告知',
  review: '复查复核意见',
};

/**
 * Which deadline a state's `due_at` is, and who answers for it. States whose due date is the
 * citizen's own window (ANSWERED, REVIEWED: the petitioner may ask for a review) are not reminded.
 * `yellowRoles`: who of the responsible organisation gets the yellow reminder (default clerks and
 * heads); the red notice always reaches clerks and heads.
 */
export const STAGE_OF: Partial<Record<TicketState, { stage: ReminderStage; party: 'centre' | 'lead'; yellowRoles?: readonly StaffRole[] }>> = {
  NEW: { stage: 'dispatch', party: 'centre' },
  DISPATCHED: { stage: 'sign_for', party: 'lead' },
  SIGNED: { stage: 'handle', party: 'lead' },
  IN_PROGRESS: { stage: 'handle', party: 'lead' },
  RETURN_PENDING: { stage: 'return_review', party: 'centre' },
  // 回访 (§6.1 "return visit next day"): the centre's agents at yellow, the centre's head too at red.
  REPLIED: { stage: 'callback', party: 'centre', yellowRoles: ['clerk'] },
  RECEIVED: { stage: 'transfer', party: 'centre' },
  ASSIGNED: { stage: 'acceptance', party: 'lead' },
  IN_REVIEW: { stage: 'review', party: 'centre' },
  IN_RECHECK: { stage: 'review', party: 'centre' },
};

type StaffRole = 'clerk' | 'org_head';
const ALL_ROLES: readonly StaffRole[] = ['clerk', 'org_head'];

/** The label of the deadline a ticket in this state carries (the ticket page): a staff stage, or the petitioner's window. */
export function deadlineLabel(state: TicketState): string {
  const s = STAGE_OF[state];
  if (s) return `${STAGE_LABEL[s.stage]}期限`;
  if (state === 'ANSWERED') return '诉求人申请复查期限';
  if (state === 'REVIEWED') return '诉求人申请复核期限';
  return '办理时限';
}

/** Deadlines that are the petitioner's own (review / re-review request windows): shown, never coloured or reminded. */
export const CITIZEN_WINDOW_STATES: readonly TicketState[] = ['ANSWERED', 'REVIEWED'];

export const REMINDER_EVENT_LABEL: Record<string, string> = { deadline_reminder: '临期提醒', overdue_notice: '超期通知' };

export interface ReminderDeps {
  db: Db;
  transactor: Transactor;
  centres: () => Promise<Centre[]>;
  yellowShare: number;
}

export interface SweepResult {
  yellow: number;
  red: number;
}

interface Candidate {
  id: string;
  number: string;
  title: string;
  track: Track;
  state: TicketState;
  division_code: string;
  lead_org_id: string | null;
  lead_org_name: string | null;
  due_at: Date;
  /** due_at exactly as stored (microseconds): a JS Date keeps milliseconds only, and the reminder's key compares it. */
  due_at_exact: string;
  stage: ReminderStage;
  colour: 'yellow' | 'red';
}

/** The centre whose division subtree holds the ticket (the most specific one). */
export function centreFor(centres: readonly Centre[], track: Track, divisionCode: string): Centre | null {
  let best: Centre | null = null;
  for (const c of centres) {
    if (c.kind !== track) continue;
    const prefix = subtreePrefix(c.divisionCode);
    if (divisionCode.startsWith(prefix) && (!best || prefix.length > subtreePrefix(best.divisionCode).length)) best = c;
  }
  return best;
}

const STATES = Object.keys(STAGE_OF) as TicketState[];
const stageCase = sql.raw(`CASE t.state ${STATES.map((s) => `WHEN '${s}' THEN '${STAGE_OF[s]!.stage}'`).join(' ')} END`);

/** Open tickets whose current deadline is yellow or red at `now` and not yet reminded for that colour. */
async function candidates(db: Db, now: Date, share: number, limit: number): Promise<Candidate[]> {
  const colour = sql`CASE WHEN t.due_at <= ${now}::timestamptz THEN 'red' ELSE 'yellow' END`;
  const r = await sql<Candidate>`
SELECT t.id, t.number, t.title, t.track, t.state, t.division_code, t.lead_org_id, t.lead_org_name, t.due_at, t.due_at::text AS due_at_exact, ${stageCase} AS stage, ${colour} AS colour
FROM appeals.ticket t
WHERE t.due_at IS NOT NULL AND t.closed_at IS NULL AND t.state IN (${sql.join(STATES)})
  AND (t.due_at <= ${now}::timestamptz OR (t.due_at - ${now}::timestamptz) < (t.due_at - coalesce(t.stage_started_at, t.created_at)) * ${share}::float8)
  AND NOT EXISTS (SELECT 1 FROM appeals.reminder r WHERE r.ticket_id = t.id AND r.stage = ${stageCase} AND r.due_at = t.due_at AND r.colour = ${colour})
ORDER BY t.due_at, t.id
LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => ({ ...x, due_at: new Date(x.due_at) }));
}

async function staffOf(tx: Tx, organisationIds: string[], roles: readonly StaffRole[] = ALL_ROLES): Promise<string[]> {
  if (organisationIds.length === 0) return [];
  const r = await sql<{ account_id: string }>`
SELECT DISTINCT p.account_id::text AS account_id FROM identity.position p JOIN identity.account a ON a.id = p.account_id
WHERE p.organisation_id IN (${sql.join(organisationIds)}) AND p.roles && ${`{${roles.join(',')}}`}::text[] AND a.status = 'active'
ORDER BY 1`.execute(tx);
  return r.rows.map((x) => x.account_id);
}

async function dutyContacts(tx: Tx, centre: Centre): Promise<{ mobile: string; email: string }> {
  const r = await sql<{ duty_mobile: string; duty_email: string }>`SELECT duty_mobile, duty_email FROM appeals.centre WHERE organisation_id = ${centre.organisationId} AND kind = ${centre.kind}`.execute(tx);
  return { mobile: r.rows[0]?.duty_mobile ?? '', email: r.rows[0]?.duty_email ?? '' };
}

/** One reminder in its own transaction; false when another run sent it or the ticket moved on. */
async function sendOne(d: ReminderDeps, c: Candidate, centres: readonly Centre[]): Promise<boolean> {
  const centre = centreFor(centres, c.track, c.division_code);
  const party = STAGE_OF[c.state]!.party;
  const responsible = party === 'lead' && c.lead_org_id ? { id: c.lead_org_id, name: c.lead_org_name ?? '' } : centre ? { id: centre.organisationId, name: centre.organisationName } : null;
  const targets = new Map<string, string>();
  if (responsible) targets.set(responsible.id, responsible.name);
  if (c.colour === 'red' && centre) targets.set(centre.organisationId, centre.organisationName);
  const orgIds = [...targets.keys()];
  return d.transactor.run(systemContext(REMIND_QUEUE), async (uow) => {
    // The ticket must still be in the same stage with the same due date; the unique key admits one sender.
    const ins = await sql<{ id: string }>`
INSERT INTO appeals.reminder (ticket_id, stage, due_at, colour, organisation_ids)
SELECT ${c.id}::uuid, ${c.stage}, ${c.due_at_exact}::timestamptz, ${c.colour}, ${`{${orgIds.map((o) => `"${o}"`).join(',')}}`}::text[]
WHERE EXISTS (SELECT 1 FROM appeals.ticket WHERE id = ${c.id}::uuid AND state = ${c.state} AND due_at = ${c.due_at_exact}::timestamptz AND closed_at IS NULL)
ON CONFLICT ON CONSTRAINT reminder_once DO NOTHING
RETURNING id::text AS id`.execute(uow.tx);
    const reminderId = ins.rows[0]?.id;
    if (!reminderId) return false;
    const stageLabel = STAGE_LABEL[c.stage];
    const due = formatDeadline(c.due_at);
    const red = c.colour === 'red';
    const subject = red ? `【12345 超期通知】工单 ${c.number} ${stageLabel}已超期` : `【12345 临期提醒】工单 ${c.number} ${stageLabel}即将到期`;
    const body = red
      ? `工单“${c.title}”（${STATE_LABEL[c.state]}）的${stageLabel}期限 ${due} 已过，请立即处理并说明原因。本通知同时抄送${centre?.organisationName ?? '热线中心'}。`
      : `工单“${c.title}”（${STATE_LABEL[c.state]}）的${stageLabel}期限为 ${due}，请在期限内办理。`;
    let recipients = 0;
    const yellowRoles = STAGE_OF[c.state]!.yellowRoles;
    const accounts = red || !yellowRoles ? await staffOf(uow.tx, orgIds) : await staffOf(uow.tx, orgIds, yellowRoles);
    for (const accountId of accounts) {
      await notify(uow, { recipientAccountId: accountId, channel: 'inbox', subject, body, dedupeKey: `appeal:${c.id}:${c.stage}:${c.due_at.getTime()}:${c.colour}:${accountId}` });
      recipients += 1;
    }
    // SMS / email: the centre's duty contacts when the centre is a recipient; on red, each unit's own
    // duty contacts too (appeals.unit_duty_contact — organisations carry no contact data of their own).
    const unitDuty = red ? await new DutyContactRepository(d.db).forOrganisations(orgIds, uow.tx) : new Map<string, { dutyMobile: string; dutyEmail: string }>();
    const duty: { orgId: string; mobile: string; email: string }[] = [];
    for (const orgId of orgIds) {
      const own = unitDuty.get(orgId);
      if (own) duty.push({ orgId, mobile: own.dutyMobile, email: own.dutyEmail });
      else if (centre && orgId === centre.organisationId) duty.push({ orgId, ...(await dutyContacts(uow.tx, centre)) });
    }
    const sentTo = new Set<string>();
    for (const x of duty) {
      const key = `appeal:${c.id}:${c.stage}:${c.due_at.getTime()}:${c.colour}:duty:${x.orgId}`;
      if (x.mobile && !sentTo.has(x.mobile)) {
        sentTo.add(x.mobile);
        await notify(uow, { recipientAccountId: null, channel: 'sms', to: x.mobile, subject, body: `【12345】${subject.replace(/^【[^】]+】/, '')}，期限 ${due}。`, dedupeKey: key });
        recipients += 1;
      }
      if (x.email && !sentTo.has(x.email)) {
        sentTo.add(x.email);
        await notify(uow, { recipientAccountId: null, channel: 'email', to: x.email, subject, body, dedupeKey: key });
        recipients += 1;
      }
    }
    await sql`UPDATE appeals.reminder SET recipients = ${recipients} WHERE id = ${reminderId}::bigint`.execute(uow.tx);
    const note = `${red ? '超期通知' : '临期提醒'}：${stageLabel}期限 ${due}，已通知${[...targets.values()].join('、') || '（无责任单位）'}`;
    await sql`
INSERT INTO appeals.ticket_event (ticket_id, event, from_state, to_state, actor_id, actor_name, organisation_name, note, public, data)
VALUES (${c.id}::uuid, ${red ? 'overdue_notice' : 'deadline_reminder'}, ${c.state}, ${c.state}, NULL, '系统督办提醒', NULL, ${note}, false,
  ${JSON.stringify({ stage: c.stage, colour: c.colour, dueAt: c.due_at.toISOString(), organisationIds: orgIds, recipients })}::jsonb)`.execute(uow.tx);
    await uow.audit({ action: red ? 'appeal.overdue_notice' : 'appeal.deadline_reminder', objectType: 'appeal', objectId: c.id, detail: { number: c.number, stage: c.stage, colour: c.colour, dueAt: c.due_at.toISOString(), organisationIds: orgIds, recipients } });
    return true;
  });
}

/** The sweep: every yellow or red deadline of an open ticket not yet reminded for that colour, at `now`. */
export async function sendReminders(d: ReminderDeps, now: Date, batch = 200): Promise<SweepResult> {
  const out: SweepResult = { yellow: 0, red: 0 };
  const centres = await d.centres();
  for (let round = 0; round < 1000; round++) {
    const list = await candidates(d.db, now, d.yellowShare, batch);
    let sent = 0;
    for (const c of list) {
      if (await sendOne(d, c, centres)) {
        sent += 1;
        out[c.colour] += 1;
      }
    }
    if (list.length < batch || sent === 0) break;
  }
  return out;
}
