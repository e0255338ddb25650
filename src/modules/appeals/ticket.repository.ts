import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import { PREPARED, type Db, type Tx } from '../../platform/db/database.ts';
import { jsonRowsInsert, returningColumns } from '../../platform/db/json-rows.ts';
import type { Urgency } from './deadlines.ts';
import type { AppealType, PetitionOutcome, Satisfaction, TicketState, Track } from './ticket-machine.ts';

export type Channel = 'web' | 'hotline' | 'api';

interface TicketTable {
  id: Generated<string>;
  number: string;
  query_code: string;
  track: Track;
  type: AppealType;
  channel: Channel;
  title: string;
  description: string;
  category_code: string | null;
  division_code: string;
  address: string;
  lon: number | null;
  lat: number | null;
  urgency: Urgency;
  contact_name: string;
  contact_phone: string;
  caller_number: string | null;
  consent_publish: boolean;
  anonymous: boolean;
  reporter_account_id: string | null;
  attachment_ids: string[];
  flagged_words: string[];
  state: TicketState;
  lead_org_id: string | null;
  lead_org_name: string | null;
  co_org_ids: string[];
  co_org_names: string[];
  stage_started_at: Date | null;
  due_at: Date | null;
  handle_due_at: Date | null;
  extension_used: boolean;
  extension_pending: number | null;
  supervised: boolean;
  satisfaction: Satisfaction | null;
  outcome: PetitionOutcome | null;
  final_reply: string | null;
  replied_at: Date | null;
  merged_into: string | null;
  emergency_line: string | null;
  kb_entry_id: string | null;
  suggested_org_id: string | null;
  suggested_category: string | null;
  idempotency_key: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  closed_at: Date | null;
  version: Generated<number>;
}

interface EventTable {
  id: Generated<string>;
  ticket_id: string;
  event: string;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  actor_name: string;
  organisation_name: string | null;
  note: string | null;
  public: boolean;
  data: unknown;
  at: Generated<Date>;
}

interface CategoryTable {
  code: string;
  name: string;
  parent_code: string | null;
  sort_order: number;
  active: boolean;
}

interface RuleTable {
  category_code: string;
  division_code: string;
  organisation_id: string;
  organisation_name: string;
  co_org_ids: Generated<string[]>;
  co_org_names: Generated<string[]>;
}

interface CentreTable {
  organisation_id: string;
  kind: 'hotline' | 'petition';
  division_code: string;
  organisation_name: string;
}

interface FeedbackTable {
  id: Generated<string>;
  ticket_id: string;
  suggested_category: string | null;
  chosen_category: string | null;
  suggested_org_id: string | null;
  chosen_org_id: string;
  accepted: boolean;
  at: Generated<Date>;
}

interface TemplateTable {
  id: Generated<number>;
  name: string;
  body: string;
}

interface Tables {
  'appeals.ticket': TicketTable;
  'appeals.ticket_event': EventTable;
  'appeals.category': CategoryTable;
  'appeals.dispatch_rule': RuleTable;
  'appeals.centre': CentreTable;
  'appeals.dispatch_feedback': FeedbackTable;
  'appeals.reply_template': TemplateTable;
}

export interface TicketRow {
  id: string;
  number: string;
  queryCode: string;
  track: Track;
  type: AppealType;
  channel: Channel;
  title: string;
  description: string;
  categoryCode: string | null;
  divisionCode: string;
  address: string;
  lon: number | null;
  lat: number | null;
  urgency: Urgency;
  contactName: string;
  contactPhone: string;
  callerNumber: string | null;
  consentPublish: boolean;
  anonymous: boolean;
  reporterAccountId: string | null;
  attachmentIds: string[];
  flaggedWords: string[];
  state: TicketState;
  leadOrgId: string | null;
  leadOrgName: string | null;
  coOrgIds: string[];
  coOrgNames: string[];
  stageStartedAt: Date | null;
  dueAt: Date | null;
  handleDueAt: Date | null;
  extensionUsed: boolean;
  extensionPending: number | null;
  supervised: boolean;
  satisfaction: Satisfaction | null;
  outcome: PetitionOutcome | null;
  finalReply: string | null;
  repliedAt: Date | null;
  mergedInto: string | null;
  emergencyLine: string | null;
  kbEntryId: string | null;
  suggestedOrgId: string | null;
  suggestedCategory: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  version: number;
}

export interface TicketEventRow {
  id: string;
  event: string;
  fromState: string | null;
  toState: string;
  actorId: string | null;
  actorName: string;
  organisationName: string | null;
  note: string | null;
  public: boolean;
  data: Record<string, unknown>;
  at: Date;
}

export interface CategoryRow {
  code: string;
  name: string;
  parentCode: string | null;
}

export interface DispatchRule {
  categoryCode: string;
  divisionCode: string;
  organisationId: string;
  organisationName: string;
  /** Co-handling units (协办) the rule names beside the lead unit. */
  coOrgIds?: string[];
  coOrgNames?: string[];
}

export interface Centre {
  organisationId: string;
  kind: 'hotline' | 'petition';
  divisionCode: string;
  organisationName: string;
}

function toRow(r: Selectable<TicketTable>): TicketRow {
  return {
    id: r.id,
    number: r.number,
    queryCode: r.query_code,
    track: r.track,
    type: r.type,
    channel: r.channel,
    title: r.title,
    description: r.description,
    categoryCode: r.category_code,
    divisionCode: r.division_code,
    address: r.address,
    lon: r.lon,
    lat: r.lat,
    urgency: r.urgency,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    callerNumber: r.caller_number,
    consentPublish: r.consent_publish,
    anonymous: r.anonymous,
    reporterAccountId: r.reporter_account_id,
    attachmentIds: r.attachment_ids,
    flaggedWords: r.flagged_words,
    state: r.state,
    leadOrgId: r.lead_org_id,
    leadOrgName: r.lead_org_name,
    coOrgIds: r.co_org_ids,
    coOrgNames: r.co_org_names,
    stageStartedAt: r.stage_started_at,
    dueAt: r.due_at,
    handleDueAt: r.handle_due_at,
    extensionUsed: r.extension_used,
    extensionPending: r.extension_pending,
    supervised: r.supervised,
    satisfaction: r.satisfaction,
    outcome: r.outcome,
    finalReply: r.final_reply,
    repliedAt: r.replied_at,
    mergedInto: r.merged_into,
    emergencyLine: r.emergency_line,
    kbEntryId: r.kb_entry_id,
    suggestedOrgId: r.suggested_org_id,
    suggestedCategory: r.suggested_category,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
    version: r.version,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A new ticket: the row's own fields as the intake sets them (the rest are filled in as it is handled). */
export type NewTicket = Pick<
  TicketRow,
  | 'number' | 'queryCode' | 'track' | 'type' | 'channel' | 'title' | 'description' | 'categoryCode'
  | 'divisionCode' | 'address' | 'lon' | 'lat' | 'urgency' | 'contactName' | 'contactPhone'
  | 'callerNumber' | 'consentPublish' | 'anonymous' | 'reporterAccountId' | 'attachmentIds'
  | 'flaggedWords' | 'state' | 'dueAt' | 'suggestedOrgId' | 'suggestedCategory'
> & { stageStartedAt: Date; idempotencyKey: string | null; createdBy: string | null };

/** What an update may change (each field as in TicketRow). */
export type TicketPatch = Partial<
  Pick<
    TicketRow,
    | 'state' | 'categoryCode' | 'leadOrgId' | 'leadOrgName' | 'coOrgIds' | 'coOrgNames'
    | 'stageStartedAt' | 'dueAt' | 'handleDueAt' | 'extensionUsed' | 'extensionPending' | 'supervised'
    | 'satisfaction' | 'outcome' | 'finalReply' | 'repliedAt' | 'mergedInto' | 'emergencyLine'
    | 'kbEntryId' | 'closedAt'
  >
>;

const COLUMN: Record<keyof TicketPatch, keyof TicketTable> = {
  state: 'state',
  categoryCode: 'category_code',
  leadOrgId: 'lead_org_id',
  leadOrgName: 'lead_org_name',
  coOrgIds: 'co_org_ids',
  coOrgNames: 'co_org_names',
  stageStartedAt: 'stage_started_at',
  dueAt: 'due_at',
  handleDueAt: 'handle_due_at',
  extensionUsed: 'extension_used',
  extensionPending: 'extension_pending',
  supervised: 'supervised',
  satisfaction: 'satisfaction',
  outcome: 'outcome',
  finalReply: 'final_reply',
  repliedAt: 'replied_at',
  mergedInto: 'merged_into',
  emergencyLine: 'emergency_line',
  kbEntryId: 'kb_entry_id',
  closedAt: 'closed_at',
};

/** Which tickets a staff list shows: the SQL form of the appeals scope (policies.ts). */
export type TicketScope =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'division'; prefix: string }
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'centre'; prefix: string; organisationId: string };

export interface TicketListFilters {
  state?: TicketState | undefined;
  colour?: 'red' | 'yellow' | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
  now: Date;
}

export class TicketRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Db | Tx): Kysely<Tables> {
    return (tx ?? this.db) as Kysely<Tables>;
  }

  async getById(id: string, tx?: Db | Tx, forUpdate = false): Promise<TicketRow | null> {
    if (!UUID.test(id)) return null;
    let query = this.q(tx).selectFrom('appeals.ticket').selectAll().where('id', '=', id);
    if (forUpdate) query = query.forUpdate();
    const r = await query.executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async getByNumber(number: string, tx?: Db | Tx): Promise<TicketRow | null> {
    const r = await this.q(tx).selectFrom('appeals.ticket').selectAll().where('number', '=', number).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async getByIdempotencyKey(key: string, tx?: Db | Tx): Promise<TicketRow | null> {
    const r = await this.q(tx).selectFrom('appeals.ticket').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async insert(tx: Tx, v: NewTicket): Promise<TicketRow> {
    const [row] = await this.insertMany(tx, [v]);
    return row!;
  }

  /**
   * Several new tickets in one statement, answered in the given order (a batch of intakes). Its
   * text does not depend on the number of tickets (jsonRowsInsert): prepared once per connection.
   * The columns a new ticket leaves empty take their defaults.
   */
  async insertMany(tx: Tx, list: NewTicket[]): Promise<TicketRow[]> {
    if (list.length === 0) return [];
    const rows = await sql<Selectable<TicketTable>>`${sql.raw(PREPARED)}${jsonRowsInsert('appeals.ticket', list.map(newTicketJson))} ${await returningColumns(tx, 'appeals.ticket')}`.execute(tx);
    const byNumber = new Map(rows.rows.map((r) => [r.number, toRow(r)]));
    return list.map((v) => byNumber.get(v.number)!);
  }

  /** Tickets by idempotency key, one query for several keys. */
  async getByIdempotencyKeys(keys: string[], tx?: Db | Tx): Promise<Map<string, TicketRow>> {
    if (keys.length === 0) return new Map();
    const rows = await this.q(tx).selectFrom('appeals.ticket').selectAll().where('idempotency_key', 'in', keys).execute();
    return new Map(rows.map((r) => [r.idempotency_key ?? '', toRow(r)]));
  }

  /** Optimistic update: null when the version no longer matches. */
  async update(tx: Tx, id: string, version: number, patch: TicketPatch): Promise<TicketRow | null> {
    const set: Record<string, unknown> = { updated_at: new Date(), version: version + 1 };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) set[COLUMN[k as keyof TicketPatch]] = v;
    const r = await this.q(tx)
      .updateTable('appeals.ticket')
      .set(set as never)
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async addEvent(
    tx: Tx,
    e: { ticketId: string; event: string; fromState: string | null; toState: string; actorId: string | null; actorName: string; organisationName: string | null; note: string | null; public: boolean; data?: Record<string, unknown> },
  ): Promise<void> {
    await this.addEvents(tx, [e]);
  }

  /** Several events in one statement, in the given order. */
  async addEvents(tx: Tx, list: Parameters<TicketRepository['addEvent']>[1][]): Promise<void> {
    if (list.length === 0) return;
    // One statement text for any number of events (prepared once per connection).
    const rows = list.map((e) => ({
      ticket_id: e.ticketId,
      event: e.event,
      from_state: e.fromState,
      to_state: e.toState,
      actor_id: e.actorId,
      actor_name: e.actorName,
      organisation_name: e.organisationName,
      note: e.note,
      public: e.public,
      data: e.data ?? {},
    }));
    await sql`${sql.raw(PREPARED)}${jsonRowsInsert('appeals.ticket_event', rows)}`.execute(tx);
  }

  async events(ticketId: string, opts: { publicOnly?: boolean } = {}): Promise<TicketEventRow[]> {
    let q = this.q().selectFrom('appeals.ticket_event').selectAll().where('ticket_id', '=', ticketId);
    if (opts.publicOnly) q = q.where('public', '=', true);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({
      id: String(r.id),
      event: r.event,
      fromState: r.from_state,
      toState: r.to_state,
      actorId: r.actor_id,
      actorName: r.actor_name,
      organisationName: r.organisation_name,
      note: r.note,
      public: r.public,
      data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
      at: r.at,
    }));
  }

  /** Staff inbox: the scope is a WHERE clause, never a post-filter. */
  async listInScope(scope: TicketScope, f: TicketListFilters): Promise<{ rows: TicketRow[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q().selectFrom('appeals.ticket');
    if (scope.kind === 'division') q = q.where('division_code', 'like', `${scope.prefix}%`);
    if (scope.kind === 'organisation') {
      const org = scope.organisationId;
      q = q.where((eb) => eb.or([eb('lead_org_id', '=', org), sql<boolean>`${org} = ANY(co_org_ids)`]));
    }
    if (scope.kind === 'centre') {
      const org = scope.organisationId;
      q = q.where((eb) => eb.or([eb('division_code', 'like', `${scope.prefix}%`), eb('lead_org_id', '=', org)]));
    }
    if (f.state) q = q.where('state', '=', f.state);
    // ANSWERED / REVIEWED carry the petitioner's review window: never a staff colour.
    if (f.colour === 'red') q = q.where('due_at', '<=', f.now).where('state', 'not in', ['CLOSED', 'MERGED', 'TRANSFERRED', 'FINAL', 'REDIRECTED', 'ANSWERED', 'REVIEWED']);
    if (f.colour === 'yellow') {
      q = q
        .where('due_at', '>', f.now)
        .where('state', 'not in', ['CLOSED', 'MERGED', 'TRANSFERRED', 'FINAL', 'REDIRECTED', 'ANSWERED', 'REVIEWED'])
        .where(sql<boolean>`(due_at - ${f.now}::timestamptz) < (due_at - coalesce(stage_started_at, created_at)) * 0.25`);
    }
    if (f.q) {
      const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('title', 'ilike', pattern), eb('number', '=', f.q ?? '')]));
    }
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy(sql`due_at ASC NULLS LAST`).orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }

  /** A petitioner's final petitions (信访 FINAL), for the re-petition lock. */
  async finalPetitionsOf(accountId: string, tx?: Db | Tx): Promise<{ id: string; number: string; title: string; description: string }[]> {
    return this.q(tx)
      .selectFrom('appeals.ticket')
      .select(['id', 'number', 'title', 'description'])
      .where('reporter_account_id', '=', accountId)
      .where('track', '=', 'petition')
      .where('state', '=', 'FINAL')
      .limit(200)
      .execute();
  }

  /** A citizen's own tickets. */
  async listByReporter(accountId: string, opts: { limit: number; offset: number }): Promise<{ rows: TicketRow[]; total: number }> {
    const q = this.q().selectFrom('appeals.ticket').where('reporter_account_id', '=', accountId);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }

  /** Published tickets: consent given, not anonymous, closed with a reply (the public mailbox). */
  async listPublic(opts: { prefix?: string | undefined; limit: number; offset: number }): Promise<{ rows: TicketRow[]; total: number }> {
    let q = this.q()
      .selectFrom('appeals.ticket')
      .where('consent_publish', '=', true)
      .where('anonymous', '=', false)
      .where('state', 'in', ['CLOSED', 'FINAL'])
      .where('final_reply', 'is not', null)
      .where('track', '=', 'hotline');
    if (opts.prefix) q = q.where('division_code', 'like', `${opts.prefix}%`);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('closed_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }

  /** Recent tickets for the similarity index (id, division, text, created). */
  async recentTexts(since: Date, limit: number): Promise<{ id: string; number: string; divisionCode: string; title: string; description: string; categoryCode: string | null; createdAt: Date; state: TicketState }[]> {
    const rows = await this.q()
      .selectFrom('appeals.ticket')
      .select(['id', 'number', 'division_code', 'title', 'description', 'category_code', 'created_at', 'state'])
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, number: r.number, divisionCode: r.division_code, title: r.title, description: r.description, categoryCode: r.category_code, createdAt: r.created_at, state: r.state }));
  }

  /** Training data: tickets with a final category (dispatcher's choice). */
  async labelled(limit: number): Promise<{ text: string; categoryCode: string }[]> {
    const rows = await this.q()
      .selectFrom('appeals.ticket')
      .select(['title', 'description', 'category_code'])
      .where('category_code', 'is not', null)
      .where('lead_org_id', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ text: `${r.title} ${r.description}`, categoryCode: r.category_code ?? '' }));
  }

  // ---- catalogue ----
  async categories(tx?: Db | Tx): Promise<CategoryRow[]> {
    const rows = await this.q(tx).selectFrom('appeals.category').selectAll().where('active', '=', true).orderBy('sort_order').orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code }));
  }

  async upsertCategory(tx: Db | Tx, c: CategoryRow & { sortOrder: number }): Promise<void> {
    await this.q(tx)
      .insertInto('appeals.category')
      .values({ code: c.code, name: c.name, parent_code: c.parentCode, sort_order: c.sortOrder, active: true })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: c.name, parent_code: c.parentCode, sort_order: c.sortOrder }))
      .execute();
  }

  async upsertRule(tx: Db | Tx, r: DispatchRule): Promise<void> {
    await this.q(tx)
      .insertInto('appeals.dispatch_rule')
      .values({ category_code: r.categoryCode, division_code: r.divisionCode, organisation_id: r.organisationId, organisation_name: r.organisationName })
      .onConflict((oc) => oc.columns(['category_code', 'division_code']).doUpdateSet({ organisation_id: r.organisationId, organisation_name: r.organisationName }))
      .execute();
  }

  /** Rules of active categories only: a disabled category is no longer suggested. */
  async rules(tx?: Db | Tx): Promise<DispatchRule[]> {
    const rows = await this.q(tx)
      .selectFrom('appeals.dispatch_rule')
      .selectAll()
      .where('category_code', 'in', (eb) => eb.selectFrom('appeals.category').select('code').where('active', '=', true))
      .execute();
    return rows.map((r) => ({ categoryCode: r.category_code, divisionCode: r.division_code, organisationId: r.organisation_id, organisationName: r.organisation_name, coOrgIds: r.co_org_ids, coOrgNames: r.co_org_names }));
  }

  async upsertCentre(tx: Db | Tx, c: Centre): Promise<void> {
    await this.q(tx)
      .insertInto('appeals.centre')
      .values({ organisation_id: c.organisationId, kind: c.kind, division_code: c.divisionCode, organisation_name: c.organisationName })
      .onConflict((oc) => oc.columns(['organisation_id', 'kind']).doUpdateSet({ division_code: c.divisionCode, organisation_name: c.organisationName }))
      .execute();
  }

  async centres(tx?: Db | Tx): Promise<Centre[]> {
    const rows = await this.q(tx).selectFrom('appeals.centre').selectAll().execute();
    return rows.map((r) => ({ organisationId: r.organisation_id, kind: r.kind, divisionCode: r.division_code, organisationName: r.organisation_name }));
  }

  async addFeedback(tx: Tx, f: { ticketId: string; suggestedCategory: string | null; chosenCategory: string | null; suggestedOrgId: string | null; chosenOrgId: string }): Promise<void> {
    await this.q(tx)
      .insertInto('appeals.dispatch_feedback')
      .values({
        ticket_id: f.ticketId,
        suggested_category: f.suggestedCategory,
        chosen_category: f.chosenCategory,
        suggested_org_id: f.suggestedOrgId,
        chosen_org_id: f.chosenOrgId,
        accepted: f.suggestedOrgId === f.chosenOrgId && f.suggestedCategory === f.chosenCategory,
      })
      .execute();
  }

  async templates(): Promise<{ id: number; name: string; body: string }[]> {
    return this.q().selectFrom('appeals.reply_template').selectAll().orderBy('id').execute();
  }

  async ensureTemplate(tx: Db | Tx, name: string, body: string): Promise<void> {
    const found = await this.q(tx).selectFrom('appeals.reply_template').select('id').where('name', '=', name).executeTakeFirst();
    if (!found) await this.q(tx).insertInto('appeals.reply_template').values({ name, body }).execute();
  }
}

/** A new ticket as insertMany's JSON row (column names; times as ISO text). */
function newTicketJson(v: NewTicket) {
  return {
    number: v.number,
    query_code: v.queryCode,
    track: v.track,
    type: v.type,
    channel: v.channel,
    title: v.title,
    description: v.description,
    category_code: v.categoryCode,
    division_code: v.divisionCode,
    address: v.address,
    lon: v.lon,
    lat: v.lat,
    urgency: v.urgency,
    contact_name: v.contactName,
    contact_phone: v.contactPhone,
    caller_number: v.callerNumber,
    consent_publish: v.consentPublish,
    anonymous: v.anonymous,
    reporter_account_id: v.reporterAccountId,
    attachment_ids: v.attachmentIds,
    flagged_words: v.flaggedWords,
    state: v.state,
    stage_started_at: v.stageStartedAt.toISOString(),
    due_at: v.dueAt?.toISOString() ?? null,
    suggested_org_id: v.suggestedOrgId,
    suggested_category: v.suggestedCategory,
    idempotency_key: v.idempotencyKey,
    created_by: v.createdBy,
  };
}
