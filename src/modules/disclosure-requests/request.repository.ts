import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Narrative, AnnualTables } from './domain/annual-report.ts';
import type { Channel, ClosedReason, Delivery, PreferredForm, ProcessData, ReplyType, RequestFacts, RequestState } from './domain/request-machine.ts';

interface RequestTable {
  id: Generated<string>;
  request_no: string;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  requester_kind: 'natural' | 'legal';
  legal_category: string | null;
  requester_account_id: string | null;
  requester_name: string;
  requester_id_number: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  contact_address: string | null;
  description: string;
  document_number: string | null;
  purpose: string | null;
  preferred_form: PreferredForm;
  delivery: Delivery;
  channel: Channel;
  submitted_at: Generated<Date>;
  received_on: string;
  receipt_confirmed_on: string | null;
  clock_started_on: string | null;
  state: RequestState;
  process: ProcessData;
  reply_due_on: string | null;
  reply_type: ReplyType | null;
  reply_reason: string | null;
  reply_text: string | null;
  reply_no: string | null;
  replied_on: string | null;
  delivered_on: string | null;
  closed_reason: ClosedReason | null;
  closed_on: string | null;
  idempotency_key: string | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface EventTable {
  id: Generated<string>;
  request_id: string;
  at: Generated<Date>;
  kind: string;
  text: string;
  actor_name: string;
  public: boolean;
}

interface CounterTable {
  jurisdiction_code: string;
  year: number;
  last: number;
}

interface ReportTable {
  id: Generated<string>;
  scope_kind: 'organisation' | 'government';
  scope_id: string;
  scope_name: string;
  organisation_id: string;
  jurisdiction_code: string;
  year: number;
  status: Generated<'draft' | 'published'>;
  narrative: Narrative;
  tables: AnnualTables | null;
  published_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface Tables {
  'disclosure_requests.request': RequestTable;
  'disclosure_requests.event': EventTable;
  'disclosure_requests.counter': CounterTable;
  'disclosure_requests.annual_report': ReportTable;
}

export interface RequestRow extends RequestFacts {
  id: string;
  requestNo: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  requesterKind: 'natural' | 'legal';
  legalCategory: string | null;
  requesterAccountId: string | null;
  requesterName: string;
  requesterIdNumber: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  contactAddress: string | null;
  description: string;
  documentNumber: string | null;
  purpose: string | null;
  preferredForm: PreferredForm;
  delivery: Delivery;
  submittedAt: Date;
  replyDueOn: string | null;
  replyNo: string | null;
  createdBy: string;
  updatedAt: Date;
  version: number;
}

export interface RequestEvent {
  id: string;
  at: Date;
  kind: string;
  text: string;
  actorName: string;
  public: boolean;
}

export interface AnnualReportRow {
  id: string;
  scopeKind: 'organisation' | 'government';
  scopeId: string;
  scopeName: string;
  organisationId: string;
  jurisdictionCode: string;
  year: number;
  status: 'draft' | 'published';
  narrative: Narrative;
  tables: AnnualTables | null;
  publishedAt: Date | null;
  updatedAt: Date;
  version: number;
}

function toRow(r: Selectable<RequestTable>): RequestRow {
  return {
    id: r.id,
    requestNo: r.request_no,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    jurisdictionCode: r.jurisdiction_code,
    requesterKind: r.requester_kind,
    legalCategory: r.legal_category,
    requesterAccountId: r.requester_account_id,
    requesterName: r.requester_name,
    requesterIdNumber: r.requester_id_number,
    contactPhone: r.contact_phone,
    contactEmail: r.contact_email,
    contactAddress: r.contact_address,
    description: r.description,
    documentNumber: r.document_number,
    purpose: r.purpose,
    preferredForm: r.preferred_form,
    delivery: r.delivery,
    channel: r.channel,
    submittedAt: r.submitted_at,
    receivedOn: r.received_on,
    receiptConfirmedOn: r.receipt_confirmed_on,
    clockStartedOn: r.clock_started_on,
    state: r.state,
    process: r.process ?? {},
    replyDueOn: r.reply_due_on,
    replyType: r.reply_type,
    replyReason: r.reply_reason,
    replyText: r.reply_text,
    replyNo: r.reply_no,
    repliedOn: r.replied_on,
    deliveredOn: r.delivered_on,
    closedReason: r.closed_reason,
    closedOn: r.closed_on,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

function toReport(r: Selectable<ReportTable>): AnnualReportRow {
  return {
    id: r.id,
    scopeKind: r.scope_kind,
    scopeId: r.scope_id,
    scopeName: r.scope_name,
    organisationId: r.organisation_id,
    jurisdictionCode: r.jurisdiction_code,
    year: r.year,
    status: r.status,
    narrative: r.narrative ?? {},
    tables: r.tables,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RequestInsert = Omit<RequestRow, 'id' | 'submittedAt' | 'updatedAt' | 'version' | 'replyNo'> & { idempotencyKey: string | null };

/** What a state change writes back (the machine's facts plus the derived due date). */
export type FactsPatch = RequestFacts & { replyDueOn: string | null; replyNo?: string | null; description?: string; documentNumber?: string | null };

export class RequestRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx | Db): Kysely<Tables> {
    return (tx ?? this.db) as Kysely<Tables>;
  }

  async getById(id: string, tx?: Tx): Promise<RequestRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('disclosure_requests.request').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async getByIdempotencyKey(createdBy: string, key: string, tx?: Tx): Promise<RequestRow | null> {
    const r = await this.q(tx).selectFrom('disclosure_requests.request').selectAll().where('created_by', '=', createdBy).where('idempotency_key', '=', key).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  /** Gap-free per jurisdiction and year: the counter row is locked until the transaction ends. */
  async nextSequence(tx: Tx, jurisdictionCode: string, year: number): Promise<number> {
    const r = await this.q(tx)
      .insertInto('disclosure_requests.counter')
      .values({ jurisdiction_code: jurisdictionCode, year, last: 1 })
      .onConflict((oc) => oc.columns(['jurisdiction_code', 'year']).doUpdateSet({ last: sql<number>`disclosure_requests.counter.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return r.last;
  }

  /** Inserts unless the creator's idempotency key is taken (then null: the caller reads the existing request). */
  async insert(tx: Tx, v: RequestInsert): Promise<RequestRow | null> {
    const r = await this.q(tx)
      .insertInto('disclosure_requests.request')
      .values({
        request_no: v.requestNo,
        organisation_id: v.organisationId,
        organisation_name: v.organisationName,
        jurisdiction_code: v.jurisdictionCode,
        requester_kind: v.requesterKind,
        legal_category: v.legalCategory,
        requester_account_id: v.requesterAccountId,
        requester_name: v.requesterName,
        requester_id_number: v.requesterIdNumber,
        contact_phone: v.contactPhone,
        contact_email: v.contactEmail,
        contact_address: v.contactAddress,
        description: v.description,
        document_number: v.documentNumber,
        purpose: v.purpose,
        preferred_form: v.preferredForm,
        delivery: v.delivery,
        channel: v.channel,
        received_on: v.receivedOn,
        receipt_confirmed_on: v.receiptConfirmedOn,
        clock_started_on: v.clockStartedOn,
        state: v.state,
        process: JSON.stringify(v.process) as unknown as ProcessData,
        reply_due_on: v.replyDueOn,
        reply_type: null,
        reply_reason: null,
        reply_text: null,
        reply_no: null,
        replied_on: null,
        delivered_on: null,
        closed_reason: null,
        closed_on: null,
        idempotency_key: v.idempotencyKey,
        created_by: v.createdBy,
      })
      .onConflict((oc) => oc.columns(['created_by', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing())
      .returningAll()
      .executeTakeFirst();
    return r ? toRow(r) : null;
  }

  /** Optimistic update: null when the version no longer matches. */
  async updateFacts(tx: Tx, id: string, version: number, f: FactsPatch): Promise<RequestRow | null> {
    const r = await this.q(tx)
      .updateTable('disclosure_requests.request')
      .set({
        state: f.state,
        receipt_confirmed_on: f.receiptConfirmedOn,
        clock_started_on: f.clockStartedOn,
        process: JSON.stringify(f.process) as unknown as ProcessData,
        reply_due_on: f.replyDueOn,
        reply_type: f.replyType,
        reply_reason: f.replyReason,
        reply_text: f.replyText,
        replied_on: f.repliedOn,
        delivered_on: f.deliveredOn,
        closed_reason: f.closedReason,
        closed_on: f.closedOn,
        ...(f.replyNo !== undefined ? { reply_no: f.replyNo } : {}),
        ...(f.description !== undefined ? { description: f.description } : {}),
        ...(f.documentNumber !== undefined ? { document_number: f.documentNumber } : {}),
        updated_at: new Date(),
        version: version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async addEvent(tx: Tx, requestId: string, e: { kind: string; text: string; actorName: string; public: boolean }): Promise<void> {
    await this.q(tx).insertInto('disclosure_requests.event').values({ request_id: requestId, kind: e.kind, text: e.text, actor_name: e.actorName, public: e.public }).execute();
  }

  async events(requestId: string, opts: { publicOnly: boolean }): Promise<RequestEvent[]> {
    let q = this.q().selectFrom('disclosure_requests.event').selectAll().where('request_id', '=', requestId);
    if (opts.publicOnly) q = q.where('public', '=', true);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({ id: String(r.id), at: r.at, kind: r.kind, text: r.text, actorName: r.actor_name, public: r.public }));
  }

  /** Staff list in the actor's scope (SQL), soonest reply due first, then newest. */
  async listInScope(scope: Scope, opts: { state?: RequestState; limit: number; offset: number }): Promise<{ rows: RequestRow[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.#inScope(scope);
    if (opts.state) q = q.where('state', '=', opts.state);
    const [rows, count] = await Promise.all([
      q
        .selectAll()
        .orderBy(sql`reply_due_on IS NULL`)
        .orderBy('reply_due_on')
        .orderBy('submitted_at', 'desc')
        .orderBy('id')
        .limit(opts.limit)
        .offset(opts.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }

  /** Requests not yet replied to or closed in the actor's scope, up to `limit` (the workbench home's figure). */
  async openInScope(scope: Scope, limit: number): Promise<RequestRow[]> {
    if (scope.kind === 'none') return [];
    const rows = await this.#inScope(scope).selectAll().where('state', 'not in', ['REPLIED', 'CLOSED']).orderBy('id').limit(limit).execute();
    return rows.map(toRow);
  }

  /** The requests of a scope other than 'none' (SQL). */
  #inScope(scope: Exclude<Scope, { kind: 'none' }>) {
    const q = this.q().selectFrom('disclosure_requests.request');
    if (scope.kind === 'organisation') return q.where('organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') return q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    return q;
  }

  /** Requests with a period that may lapse on its own (consultation, correction supply, fee payment). */
  async withOpenPeriods(): Promise<RequestRow[]> {
    const rows = await this.q().selectFrom('disclosure_requests.request').selectAll().where('state', 'in', ['CONSULTING', 'CORRECTION_REQUESTED', 'FEE_PENDING']).orderBy('updated_at').limit(1000).execute();
    return rows.map(toRow);
  }

  async listForRequester(accountId: string, opts: { limit: number; offset: number }): Promise<{ rows: RequestRow[]; total: number }> {
    const q = this.q().selectFrom('disclosure_requests.request').where('requester_account_id', '=', accountId);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('submitted_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }

  /** Requests relevant to a report year: received by its end and not finished before its start, or with remedies. */
  async forReport(scope: { organisationId: string } | { prefix: string }, year: number, tx?: Tx): Promise<RequestRow[]> {
    const start = `${year}-01-01`;
    const end = `${year}-12-31`;
    let q = this.q(tx).selectFrom('disclosure_requests.request').selectAll();
    q = 'organisationId' in scope ? q.where('organisation_id', '=', scope.organisationId) : q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    const rows = await q
      .where(sql<boolean>`coalesce(receipt_confirmed_on, received_on) <= ${end}::date`)
      .where((eb) =>
        eb.or([
          eb(sql`coalesce(replied_on, closed_on)`, 'is', null),
          eb(sql`coalesce(replied_on, closed_on)`, '>=', sql`${start}::date`),
          eb(sql`process ? 'remedies'`, '=', sql`true`),
        ]),
      )
      .execute();
    return rows.map(toRow);
  }

  // ---- annual reports ----

  async getReport(id: string, tx?: Tx): Promise<AnnualReportRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('disclosure_requests.annual_report').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toReport(r) : null;
  }

  async insertReport(
    tx: Tx,
    v: { scopeKind: 'organisation' | 'government'; scopeId: string; scopeName: string; organisationId: string; jurisdictionCode: string; year: number; narrative: Narrative; createdBy: string },
  ): Promise<AnnualReportRow | null> {
    const r = await this.q(tx)
      .insertInto('disclosure_requests.annual_report')
      .values({
        scope_kind: v.scopeKind,
        scope_id: v.scopeId,
        scope_name: v.scopeName,
        organisation_id: v.organisationId,
        jurisdiction_code: v.jurisdictionCode,
        year: v.year,
        narrative: JSON.stringify(v.narrative) as unknown as Narrative,
        tables: null,
        published_at: null,
        created_by: v.createdBy,
      })
      .onConflict((oc) => oc.columns(['scope_kind', 'scope_id', 'year']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return r ? toReport(r) : null;
  }

  async updateReport(tx: Tx, id: string, version: number, patch: { narrative?: Narrative; status?: 'published'; tables?: AnnualTables; publishedAt?: Date }): Promise<AnnualReportRow | null> {
    const r = await this.q(tx)
      .updateTable('disclosure_requests.annual_report')
      .set({
        ...(patch.narrative ? { narrative: JSON.stringify(patch.narrative) as unknown as Narrative } : {}),
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.tables ? { tables: JSON.stringify(patch.tables) as unknown as AnnualTables } : {}),
        ...(patch.publishedAt ? { published_at: patch.publishedAt } : {}),
        updated_at: new Date(),
        version: version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    return r ? toReport(r) : null;
  }

  async listReportsInScope(scope: Scope, opts: { limit: number; offset: number }): Promise<{ rows: AnnualReportRow[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q().selectFrom('disclosure_requests.annual_report');
    if (scope.kind === 'organisation') q = q.where('organisation_id', '=', scope.organisationId).where('scope_kind', '=', 'organisation');
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('year', 'desc').orderBy('scope_name').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toReport), total: Number(count.n) };
  }

  async listPublishedReports(opts: { limit: number; offset: number }): Promise<{ rows: AnnualReportRow[]; total: number }> {
    const q = this.q().selectFrom('disclosure_requests.annual_report').where('status', '=', 'published');
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('year', 'desc').orderBy('published_at', 'desc').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toReport), total: Number(count.n) };
  }
}
