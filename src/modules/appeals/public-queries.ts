import { sql } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AppealType, TicketState } from './ticket-machine.ts';

/**
 * Read-only SQL over the appeals schema for the public side (module appeals-public): the public
 * mailbox, Open311 GeoReport v2 and the per-department figures. Nothing here changes a row.
 * Identity columns (contact, caller number, reporter account) are never selected.
 */

/** A ticket as outside readers may see it: no contact, no account, no caller number. */
export interface PublicTicketRow {
  id: string;
  number: string;
  type: AppealType;
  title: string;
  description: string;
  categoryCode: string | null;
  categoryName: string | null;
  divisionCode: string;
  address: string;
  lon: number | null;
  lat: number | null;
  state: TicketState;
  leadOrgId: string | null;
  leadOrgName: string | null;
  finalReply: string | null;
  consentPublish: boolean;
  anonymous: boolean;
  dueAt: Date | null;
  handleDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  repliedAt: Date | null;
}

interface RawTicket {
  id: string;
  number: string;
  type: AppealType;
  title: string;
  description: string;
  category_code: string | null;
  category_name: string | null;
  division_code: string;
  address: string;
  lon: number | null;
  lat: number | null;
  state: TicketState;
  lead_org_id: string | null;
  lead_org_name: string | null;
  final_reply: string | null;
  consent_publish: boolean;
  anonymous: boolean;
  due_at: Date | string | null;
  handle_due_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  closed_at: Date | string | null;
  replied_at: Date | string | null;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

function toPublic(r: RawTicket): PublicTicketRow {
  return {
    id: r.id,
    number: r.number,
    type: r.type,
    title: r.title,
    description: r.description,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    divisionCode: r.division_code,
    address: r.address,
    lon: r.lon === null ? null : Number(r.lon),
    lat: r.lat === null ? null : Number(r.lat),
    state: r.state,
    leadOrgId: r.lead_org_id,
    leadOrgName: r.lead_org_name,
    finalReply: r.final_reply,
    consentPublish: r.consent_publish,
    anonymous: r.anonymous,
    dueAt: date(r.due_at),
    handleDueAt: date(r.handle_due_at),
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
    closedAt: date(r.closed_at),
    repliedAt: date(r.replied_at),
  };
}

const COLUMNS = sql`t.id, t.number, t.type, t.title, t.description, t.category_code, c.name AS category_name, t.division_code, t.address, t.lon, t.lat,
  t.state, t.lead_org_id, t.lead_org_name, t.final_reply, t.consent_publish, t.anonymous, t.due_at, t.handle_due_at, t.created_at, t.updated_at, t.closed_at, t.replied_at`;

/** Published in the mailbox: the citizen consented, not anonymous, a hotline ticket closed with a reply, not merged away. */
const PUBLISHED = sql`t.consent_publish AND NOT t.anonymous AND t.track = 'hotline' AND t.state = 'CLOSED' AND t.final_reply IS NOT NULL AND t.merged_into IS NULL`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

export interface MailboxFilters {
  q?: string | undefined;
  type?: AppealType | undefined;
  orgId?: string | undefined;
  /** Created on or after. */
  from?: Date | undefined;
  /** Created before. */
  to?: Date | undefined;
  limit: number;
  offset: number;
}

/** The public mailbox list (领导信箱/网上信访 public side), newest closed first. */
export async function searchMailbox(db: Db, f: MailboxFilters): Promise<{ rows: PublicTicketRow[]; total: number }> {
  const conds = [PUBLISHED];
  if (f.q) {
    const like = `%${likeEscape(f.q)}%`;
    conds.push(sql`(t.title ILIKE ${like} OR t.description ILIKE ${like} OR t.final_reply ILIKE ${like} OR t.number = ${f.q})`);
  }
  if (f.type) conds.push(sql`t.type = ${f.type}`);
  if (f.orgId) conds.push(sql`t.lead_org_id = ${f.orgId}`);
  if (f.from) conds.push(sql`t.created_at >= ${f.from}`);
  if (f.to) conds.push(sql`t.created_at < ${f.to}`);
  const where = sql.join(conds, sql` AND `);
  const rows = await sql<RawTicket>`SELECT ${COLUMNS} FROM appeals.ticket t LEFT JOIN appeals.category c ON c.code = t.category_code
    WHERE ${where} ORDER BY t.closed_at DESC, t.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  const count = await sql<{ n: string | number }>`SELECT count(*) AS n FROM appeals.ticket t WHERE ${where}`.execute(db);
  return { rows: rows.rows.map(toPublic), total: Number(count.rows[0]?.n ?? 0) };
}

/** One published mailbox ticket by id, or null (unpublished looks like not found). */
export async function mailboxTicket(db: Db, id: string): Promise<PublicTicketRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await sql<RawTicket>`SELECT ${COLUMNS} FROM appeals.ticket t LEFT JOIN appeals.category c ON c.code = t.category_code WHERE t.id = ${id} AND ${PUBLISHED}`.execute(db);
  return r.rows[0] ? toPublic(r.rows[0]) : null;
}

export interface PublicReply {
  event: string;
  organisationName: string | null;
  note: string;
  at: Date;
}

/** The replies shown to the public (interim and final replies, knowledge-base answers). */
export async function publicReplies(db: Db, ticketId: string): Promise<PublicReply[]> {
  const r = await sql<{ event: string; organisation_name: string | null; note: string; at: Date | string }>`SELECT event, organisation_name, note, at FROM appeals.ticket_event
    WHERE ticket_id = ${ticketId} AND public AND note IS NOT NULL AND event IN ('interim_reply', 'reply', 'answer_kb') ORDER BY id`.execute(db);
  return r.rows.map((e) => ({ event: e.event, organisationName: e.organisation_name, note: e.note, at: date(e.at)! }));
}

/** Units that handled at least one ticket (lead unit), for filters and figures. */
export async function leadUnits(db: Db, opts: { publishedOnly?: boolean } = {}): Promise<{ id: string; name: string }[]> {
  const r = opts.publishedOnly
    ? await sql<{ id: string; name: string }>`SELECT t.lead_org_id AS id, max(t.lead_org_name) AS name FROM appeals.ticket t WHERE ${PUBLISHED} AND t.lead_org_id IS NOT NULL GROUP BY t.lead_org_id ORDER BY 2`.execute(db)
    : await sql<{ id: string; name: string }>`SELECT t.lead_org_id AS id, max(t.lead_org_name) AS name FROM appeals.ticket t WHERE t.lead_org_id IS NOT NULL GROUP BY t.lead_org_id ORDER BY 2`.execute(db);
  return r.rows;
}

// ---- Open311 ----

export interface ServiceCategory {
  code: string;
  name: string;
  groupName: string | null;
}

/** Active leaf categories of the dispatch catalogue (Open311 services), in catalogue order. */
export async function serviceCategories(db: Db): Promise<ServiceCategory[]> {
  const r = await sql<{ code: string; name: string; group_name: string | null }>`SELECT c.code, c.name, p.name AS group_name FROM appeals.category c
    LEFT JOIN appeals.category p ON p.code = c.parent_code
    WHERE c.active AND NOT EXISTS (SELECT 1 FROM appeals.category k WHERE k.parent_code = c.code) ORDER BY c.sort_order, c.code`.execute(db);
  return r.rows.map((c) => ({ code: c.code, name: c.name, groupName: c.group_name }));
}

export interface RequestFilters {
  numbers?: string[] | undefined;
  serviceCode?: string[] | undefined;
  status?: 'open' | 'closed' | undefined;
  start?: Date | undefined;
  end?: Date | undefined;
  limit: number;
  /** Rows to skip (Open311 `page` extension). */
  offset?: number | undefined;
}

const TERMINAL = ['CLOSED', 'MERGED', 'TRANSFERRED', 'FINAL', 'REDIRECTED'];

/** Hotline-track tickets (petitions are never public) for Open311 GET requests, newest first. */
export async function open311Requests(db: Db, f: RequestFilters): Promise<PublicTicketRow[]> {
  const conds = [sql`t.track = 'hotline'`];
  if (f.numbers && f.numbers.length > 0) conds.push(sql`t.number IN (${sql.join(f.numbers)})`);
  if (f.serviceCode && f.serviceCode.length > 0) conds.push(sql`t.category_code IN (${sql.join(f.serviceCode)})`);
  if (f.status === 'closed') conds.push(sql`t.state IN (${sql.join(TERMINAL)})`);
  if (f.status === 'open') conds.push(sql`t.state NOT IN (${sql.join(TERMINAL)})`);
  if (f.start) conds.push(sql`t.created_at >= ${f.start}`);
  if (f.end) conds.push(sql`t.created_at <= ${f.end}`);
  const r = await sql<RawTicket>`SELECT ${COLUMNS} FROM appeals.ticket t LEFT JOIN appeals.category c ON c.code = t.category_code
    WHERE ${sql.join(conds, sql` AND `)} ORDER BY t.created_at DESC, t.id LIMIT ${f.limit} OFFSET ${f.offset ?? 0}`.execute(db);
  return r.rows.map(toPublic);
}

// ---- Figures per department and month ----

export interface DepartmentMonth {
  orgId: string;
  orgName: string;
  /** YYYY-MM, Asia/Shanghai. */
  month: string;
  received: number;
  closed: number;
  closedOnTime: number;
  rated: number;
  satisfied: number;
  complaints: number;
  repeatComplaints: number;
}

/** Days back a complaint counts as a repeat of an earlier ticket by the same person about the same matter. */
export const REPEAT_WINDOW_DAYS = 90;

/**
 * Per lead unit and month of registration (Asia/Shanghai): received (dispatched to the unit),
 * closed, closed on time (reply or close not after the handling deadline), rated and satisfied
 * (满意 + 基本满意), complaints and repeat complaints (the same phone or account filed a ticket of
 * the same category and division in the previous 90 days). Hotline track only.
 */
export async function departmentFigures(db: Db, f: { from: Date; to: Date; scope?: Scope | undefined; orgId?: string | undefined }): Promise<DepartmentMonth[]> {
  const conds = [sql`t.lead_org_id IS NOT NULL`, sql`t.track = 'hotline'`, sql`t.state <> 'MERGED'`, sql`t.created_at >= ${f.from}`, sql`t.created_at < ${f.to}`];
  if (f.orgId) conds.push(sql`t.lead_org_id = ${f.orgId}`);
  const scope = f.scope;
  if (scope) {
    if (scope.kind === 'none') return [];
    if (scope.kind === 'organisation') conds.push(sql`t.lead_org_id = ${scope.organisationId}`);
    if (scope.kind === 'jurisdiction') conds.push(sql`t.division_code LIKE ${`${scope.prefix}%`}`);
  }
  const r = await sql<{
    org_id: string;
    org_name: string;
    month: string;
    received: string | number;
    closed: string | number;
    on_time: string | number;
    rated: string | number;
    satisfied: string | number;
    complaints: string | number;
    repeats: string | number;
  }>`WITH x AS (
  SELECT t.lead_org_id, t.lead_org_name, t.state, t.type, t.satisfaction, t.handle_due_at, t.replied_at, t.closed_at,
    to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
    EXISTS (SELECT 1 FROM appeals.ticket p WHERE p.id <> t.id AND p.created_at < t.created_at
      AND p.created_at >= t.created_at - make_interval(days => ${REPEAT_WINDOW_DAYS})
      AND p.category_code = t.category_code AND p.division_code = t.division_code
      AND ((t.contact_phone <> '' AND p.contact_phone = t.contact_phone) OR (t.reporter_account_id IS NOT NULL AND p.reporter_account_id = t.reporter_account_id))) AS repeat
  FROM appeals.ticket t WHERE ${sql.join(conds, sql` AND `)}
)
SELECT lead_org_id AS org_id, max(lead_org_name) AS org_name, month,
  count(*) AS received,
  count(*) FILTER (WHERE state = 'CLOSED') AS closed,
  count(*) FILTER (WHERE state = 'CLOSED' AND (handle_due_at IS NULL OR coalesce(replied_at, closed_at) <= handle_due_at)) AS on_time,
  count(*) FILTER (WHERE satisfaction IS NOT NULL) AS rated,
  count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically')) AS satisfied,
  count(*) FILTER (WHERE type = 'complaint') AS complaints,
  count(*) FILTER (WHERE type = 'complaint' AND repeat) AS repeats
FROM x GROUP BY lead_org_id, month ORDER BY month, org_name`.execute(db);
  return r.rows.map((row) => ({
    orgId: row.org_id,
    orgName: row.org_name,
    month: row.month,
    received: Number(row.received),
    closed: Number(row.closed),
    closedOnTime: Number(row.on_time),
    rated: Number(row.rated),
    satisfied: Number(row.satisfied),
    complaints: Number(row.complaints),
    repeatComplaints: Number(row.repeats),
  }));
}
