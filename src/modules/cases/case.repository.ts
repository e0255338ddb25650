import { sql, type Generated, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import { PREPARED, type Db, type Tx } from '../../platform/db/database.ts';
import { GroupCommit } from '../../platform/group-commit.ts';
import type { UnitOfWork } from '../../platform/unit-of-work.ts';
import { jsonRowsInsert, jsonRowsInsertInto } from '../../platform/db/json-rows.ts';
import type { CaseState, ResultCode } from './domain/state-machine.ts';
import type { ClockKind, Signal } from './domain/case-clocks.ts';

interface CaseTable {
  id: Generated<string>;
  case_no: string | null;
  query_password_hash: string | null;
  query_password_enc: string | null;
  idempotency_key: string | null;
  item_id: string;
  item_version: number;
  item_name: string;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  applicant_account_id: string;
  applicant_kind: 'citizen' | 'enterprise';
  applicant_name_masked: string;
  applicant_id_masked: string;
  applicant_mobile_masked: string;
  applicant_pii_enc: string | null;
  channel: string;
  form_values: unknown;
  state: CaseState;
  result_code: ResultCode | null;
  received_at: Date | null;
  received_on: string | null;
  accepted_at: Date | null;
  acceptance_no: string | null;
  promised_n: number | null;
  promised_unit: string | null;
  correction_list: unknown;
  correction_count: Generated<number>;
  node_index: number | null;
  node_started_on: string | null;
  /** The workflow instance driving who does which step (null: the built-in node list). */
  workflow_instance_id: string | null;
  workflow_key: string | null;
  /** The definition version the case started on (running cases stay on it). */
  workflow_version: number | null;
  /** The current step(s) of the workflow, as shown (e.g. “审查” or “会签（科室A、科室B）”). */
  step_name: string | null;
  /** The current step's deadline (migration 0005-step-deadline): the open task with the earliest due time. */
  step_task_id: Generated<string | null>;
  step_organisation_id: Generated<string | null>;
  step_started_on: Generated<string | null>;
  step_due_on: Generated<string | null>;
  step_yellow_from: Generated<string | null>;
  decision: 'approve' | 'refuse' | null;
  decision_reasons: string | null;
  decided_at: Date | null;
  certificate_no: string | null;
  result_ready_at: Date | null;
  delivered_at: Date | null;
  delivery_method: string | null;
  courier_no: string | null;
  closed_at: Date | null;
  close_reason: string | null;
  clock_kind: ClockKind | null;
  clock_started_on: string | null;
  clock_limit_n: number | null;
  clock_limit_unit: string | null;
  clock_paused_since: string | null;
  clock_extended_days: Generated<number>;
  clock_paused_days: Generated<number>;
  due_on: string | null;
  yellow_from: string | null;
  decision_due_on: string | null;
  signal: Generated<Signal>;
  signal_at: Date | null;
  /** The 一件事 application the case belongs to (migration 0003-life-event-application), set after the case is filed. */
  bundle_id: Generated<string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface EventTable {
  id: Generated<number>;
  case_id: string;
  at: Generated<Date>;
  event: string;
  state_from: string | null;
  state_to: string;
  node_name: string | null;
  actor_id: string | null;
  actor_label: string;
  opinion: string | null;
  detail: unknown;
}

interface MaterialTable {
  id: Generated<string>;
  case_id: string;
  material_code: string;
  material_name: string;
  attachment_id: string;
  file_name: string;
  round: number;
  added_at: Generated<Date>;
}

interface LibraryTable {
  id: Generated<string>;
  owner_account_id: string;
  attachment_id: string;
  label: string;
  file_name: string;
  size_bytes: number;
  created_at: Generated<Date>;
}

interface PauseTable {
  id: Generated<string>;
  case_id: string;
  kind: string;
  reason: string;
  legal_basis: string;
  planned_days: number;
  from_on: string;
  to_on: string | null;
  result: string | null;
  started_by: string;
  ended_by: string | null;
}

interface ExtensionTable {
  id: Generated<string>;
  case_id: string;
  n: number;
  unit: string;
  reason: string;
  approved_by: string;
  approved_at: Generated<Date>;
}

interface RatingTable extends RatingAppealColumns {
  id: Generated<string>;
  case_id: string;
  rater_account_id: string;
  score: number;
  reasons: string[];
  comment: string;
  channel: string;
  rated_at: Generated<Date>;
  organisation_id: string;
  jurisdiction_code: string;
  rectification_state: RectificationState | null;
  rectification_due_on: string | null;
  feedback: string | null;
  feedback_at: Date | null;
  version: Generated<number>;
}

/** 好差评申诉 (migration 0006-rating-appeal): the unit's appeal and the rating office's decision. */
interface RatingAppealColumns {
  appeal_category: string | null;
  appeal_statement: string | null;
  appeal_by: string | null;
  appeal_at: Date | null;
  appeal_decision: 'upheld' | 'rejected' | null;
  appeal_decision_reason: string | null;
  appeal_decided_by: string | null;
  appeal_decided_at: Date | null;
}

export type RectificationState = 'ASSIGNED' | 'RECTIFYING' | 'EXPLAINED' | 'FEEDBACK_SENT' | 'CLOSED' | 'APPEALED' | 'VOIDED';

interface CaseTables {
  'cases.case': CaseTable;
  'cases.case_event': EventTable;
  'cases.case_material': MaterialTable;
  'cases.library_item': LibraryTable;
  'cases.case_pause': PauseTable;
  'cases.case_extension': ExtensionTable;
  'cases.rating': RatingTable;
}

export type CaseRecord = Selectable<CaseTable> & { form_values: Record<string, unknown>; correction_list: CorrectionItem[] | null };
/** What the public progress answer shows of a case, and the password check reads. */
export type ProgressRecord = Pick<
  CaseRecord,
  | 'case_no'
  | 'item_name'
  | 'organisation_name'
  | 'state'
  | 'result_code'
  | 'decision'
  | 'accepted_at'
  | 'decided_at'
  | 'decision_due_on'
  | 'clock_paused_since'
  | 'step_name'
  | 'node_index'
  | 'correction_list'
  | 'courier_no'
  | 'query_password_hash'
>;
export type CasePatch = Omit<Updateable<CaseTable>, 'id' | 'version' | 'created_at'>;
export type CaseInsert = Omit<CaseTable, 'id' | 'created_at' | 'updated_at' | 'version' | 'signal' | 'correction_count' | 'clock_extended_days' | 'clock_paused_days' | 'workflow_instance_id' | 'workflow_key' | 'workflow_version' | 'step_name' | 'bundle_id' | StepDeadlineColumn> & { signal?: Signal; bundle_id?: string | null };
/** Set by the workflow bridge when steps open (migration 0005-step-deadline), never at submission. */
type StepDeadlineColumn = 'step_task_id' | 'step_organisation_id' | 'step_started_on' | 'step_due_on' | 'step_yellow_from';
export type CaseEventRow = Selectable<EventTable> & { detail: Record<string, unknown> };
export type CaseMaterialRow = Selectable<MaterialTable>;
export type LibraryItemRow = Selectable<LibraryTable>;
export type PauseRow = Selectable<PauseTable>;
export type ExtensionRow = Selectable<ExtensionTable>;
export type RatingRow = Selectable<RatingTable>;

export interface CorrectionItem {
  /** Material code, or a form field name, or 'other'. */
  target: string;
  label: string;
  problem: string;
}

export type WorkbenchBox = 'todo' | 'done' | 'all';

export interface CaseFilter {
  box?: WorkbenchBox;
  state?: CaseState;
  signal?: Signal;
  q?: string;
  /** Drill-down from the supervision dashboard to one department. */
  organisationId?: string;
  applicantAccountId?: string;
  limit: number;
  offset: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TODO_STATES: CaseState[] = ['SUBMITTED', 'ACCEPTED', 'IN_PROCESS', 'SUSPENDED', 'APPROVED', 'REFUSED', 'RESULT_READY', 'DELIVERED'];

/** Page ranges the supervision sweep runs at the same time (two cores here; see docs/SCALING.md). */
const SWEEP_PARTS = 2;
/** Below this many pages a range each is not worth the extra statements: one sweep. */
const SWEEP_MIN_PAGES = 1000;

/** A case found by the progress query: the columns it shows and its timeline. */
export type ProgressFound = { record: ProgressRecord; timeline: { at: Date; event: string }[] };

export class CaseRepository {
  constructor(readonly db: Db) {}

  private q(tx?: Tx | Db): Kysely<CaseTables> {
    return (tx ?? this.db) as Kysely<CaseTables>;
  }

  async getById(id: string, tx?: Tx | Db): Promise<CaseRecord | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('cases.case').selectAll().where('id', '=', id).executeTakeFirst();
    return (r as CaseRecord | undefined) ?? null;
  }

  /** Several cases by id (the workflow inbox joined with its cases). */
  async getByIds(ids: string[], tx?: Tx | Db): Promise<CaseRecord[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    return (await this.q(tx).selectFrom('cases.case').selectAll().where('id', 'in', valid).execute()) as CaseRecord[];
  }

  async getByNumber(caseNo: string, tx?: Tx | Db): Promise<CaseRecord | null> {
    const r = await this.q(tx).selectFrom('cases.case').selectAll().where('case_no', '=', caseNo).executeTakeFirst();
    return (r as CaseRecord | undefined) ?? null;
  }

  /**
   * The columns the public progress answer shows (and the password check reads), with the
   * timeline (time and event only), in one round trip: the public progress query. Lookups that
   * arrive while others are on their way to the database go together in the next query (as a
   * group commit does for writes): a lone lookup is sent at once, a busy minute sends one query
   * for many — fewer round trips, and fewer wake-ups of the database for the same answers.
   */
  progressByNumber(caseNo: string): Promise<ProgressFound | null> {
    return this.#progressLookups.submit(caseNo);
  }

  readonly #progressLookups = new GroupCommit<string, ProgressFound | null>(
    async (caseNos) => {
      const found = await this.progressByNumbers(caseNos);
      return caseNos.map((no) => ({ ok: true, value: found.get(no) ?? null }));
    },
    { maxBatch: 64, maxConcurrent: 4 },
  );

  /** progressByNumber for several numbers in one statement (one text for any count: prepared). */
  async progressByNumbers(caseNos: string[]): Promise<Map<string, ProgressFound>> {
    const r = await sql<ProgressRecord & { timeline: { at: string; event: string }[] }>`${sql.raw(PREPARED)}
      SELECT c.case_no, c.item_name, c.organisation_name, c.state, c.result_code, c.decision, c.accepted_at, c.decided_at, c.decision_due_on,
             c.clock_paused_since, c.step_name, c.node_index, c.correction_list, c.courier_no, c.query_password_hash,
             COALESCE((SELECT json_agg(json_build_object('at', e.at, 'event', e.event) ORDER BY e.id) FROM cases.case_event e WHERE e.case_id = c.id), '[]'::json) AS timeline
      FROM cases.case c WHERE c.case_no = ANY(${[...new Set(caseNos)]}::text[])`.execute(this.db);
    const out = new Map<string, ProgressFound>();
    for (const { timeline, ...record } of r.rows) {
      if (record.case_no) out.set(record.case_no, { record, timeline: timeline.map((e) => ({ at: new Date(e.at), event: e.event })) });
    }
    return out;
  }

  async getByIdempotencyKey(applicantAccountId: string, key: string, tx?: Tx | Db): Promise<CaseRecord | null> {
    const r = await this.q(tx)
      .selectFrom('cases.case')
      .selectAll()
      .where('applicant_account_id', '=', applicantAccountId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return (r as CaseRecord | undefined) ?? null;
  }

  /**
   * What a batch of submissions reads before its statement, in one round trip: whether any
   * (applicant, idempotency key) pair was filed before, the library entries named by (owner,
   * attachment) and the drafts replaced by (applicant, item). Three round trips at once, as before,
   * cost the server three wake-ups and the event loop three writes and answers per batch. The
   * earlier cases themselves, rare (a retry), come with a second query (getByIdempotencyKeys).
   * Not prepared, like the three reads it replaces (docs/decisions/0007, thirteenth session).
   */
  async submissionReads(
    keys: { accountId: string; key: string }[],
    files: { ownerAccountId: string; attachmentId: string }[],
    drafts: { accountId: string; itemId: string }[],
    executor: Tx | Db = this.db,
  ): Promise<{ earlier: CaseRecord[]; library: Map<string, LibraryItemRow>; drafts: Map<string, string> }> {
    const valid = files.filter((f) => UUID.test(f.attachmentId));
    const r = await sql<{ earlier: number; library: [string, string, string, string, string, string, string][]; drafts: [string, string, string][] }>`SELECT
      (SELECT count(*)::int FROM cases.case c
        JOIN unnest(${keys.map((k) => k.accountId)}::uuid[], ${keys.map((k) => k.key)}::text[]) AS w(account_id, key)
          ON c.applicant_account_id = w.account_id AND c.idempotency_key = w.key) AS earlier,
      (SELECT COALESCE(json_agg(json_build_array(l.id, l.owner_account_id, l.attachment_id, l.label, l.file_name, l.size_bytes::text, l.created_at)), '[]') FROM cases.library_item l
        JOIN unnest(${valid.map((f) => f.ownerAccountId)}::uuid[], ${valid.map((f) => f.attachmentId)}::uuid[]) AS w(owner, attachment)
          ON l.owner_account_id = w.owner AND l.attachment_id = w.attachment) AS library,
      (SELECT COALESCE(json_agg(json_build_array(d.id, d.applicant_account_id, d.item_id)), '[]') FROM cases.application_draft d
        JOIN unnest(${drafts.map((d) => d.accountId)}::uuid[], ${drafts.map((d) => d.itemId)}::text[]) AS w(account_id, item_id)
          ON d.applicant_account_id = w.account_id AND d.item_id = w.item_id) AS drafts`.execute(executor);
    const row = r.rows[0]!;
    const library = new Map<string, LibraryItemRow>();
    for (const [id, owner, attachment, label, fileName, size, createdAt] of row.library) {
      library.set(`${owner} ${attachment}`, { id, owner_account_id: owner, attachment_id: attachment, label, file_name: fileName, size_bytes: Number(size), created_at: new Date(createdAt) });
    }
    return {
      earlier: row.earlier > 0 ? await this.getByIdempotencyKeys(keys, executor) : [],
      library,
      drafts: new Map(row.drafts.map(([id, accountId, itemId]) => [`${accountId} ${itemId}`, id])),
    };
  }

  /** getByIdempotencyKey for several applicants' keys in one query. */
  async getByIdempotencyKeys(pairs: { accountId: string; key: string }[], tx?: Tx | Db): Promise<CaseRecord[]> {
    if (pairs.length === 0) return [];
    // Not prepared (docs/decisions/0007, thirteenth session): planned per call, it follows the table's size.
    const rows = await this.q(tx)
      .selectFrom('cases.case')
      .selectAll()
      .where((eb) => eb(eb.refTuple('applicant_account_id', 'idempotency_key'), 'in', pairs.map((p) => eb.tuple(p.accountId, p.key))))
      .execute();
    return rows as CaseRecord[];
  }

  /**
   * A batch of new applications, written by the commit's own statement (UnitOfWork.writeAtCommit,
   * issue 3: no round trip of their own): the cases — created at `at`, their numbers the late
   * texts of the part `late` — their materials and first timeline events, and the applicants'
   * drafts of those items deleted. Answers the cases as they will be stored: the rows given plus
   * the column defaults (newCaseRecord; cases.itest compares them with the stored rows).
   *
   * A case whose applicant's idempotency key was taken in the meantime fails the whole statement
   * (unique violation of case_idempotency, see isIdempotencyConflict): nothing of the transaction
   * is written, and the caller answers the requests on their own.
   */
  writeSubmissionsAtCommit(
    uow: UnitOfWork,
    late: string,
    at: Date,
    w: {
      cases: (CaseInsert & { id: string })[];
      materials: Omit<MaterialTable, 'id' | 'added_at'>[];
      events: (Omit<EventTable, 'id' | 'at' | 'detail'> & { detail: Record<string, unknown> })[];
    },
  ): CaseRecord[] {
    if (w.cases.length === 0) return [];
    // Every column, the defaults too: the record is what is stored.
    const records = w.cases.map((c) => newCaseRecord(c, at));
    // Only the numbers wait for the counter: the rest of each row is read from its JSON before (lateRows).
    uow.writeAtCommit(jsonRowsInsert('cases.case', records, { texts: uow.lateTexts(late), name: 'cases_rows', columns: ['case_no'] }), { name: 'cases_ins' });
    // The materials, timeline events and drafts do not hold the numbers: written before they are taken.
    const early = { beforeLateTexts: true };
    uow.writeAtCommit(sql`${jsonRowsInsertInto('cases.case_material', ['case_id', 'material_code', 'material_name', 'attachment_id', 'file_name', 'round'], w.materials)} RETURNING case_id`, { name: 'cases_materials', ...early });
    uow.writeAtCommit(sql`${jsonRowsInsertInto('cases.case_event', ['case_id', 'event', 'state_from', 'state_to', 'node_name', 'actor_id', 'actor_label', 'opinion', 'detail'], w.events)} RETURNING case_id`, { name: 'cases_events', ...early });
    uow.writeAtCommit(
      sql`DELETE FROM cases.application_draft d USING unnest(${records.map((r) => r.applicant_account_id)}::uuid[], ${records.map((r) => r.item_id)}::text[]) AS i(applicant_account_id, item_id)
        WHERE d.applicant_account_id = i.applicant_account_id AND d.item_id = i.item_id RETURNING d.id`,
      { name: 'cases_drafts', ...early },
    );
    return records;
  }

  /** Inserts unless the applicant's idempotency key is taken (then null: the caller reads the existing case). */
  async insert(tx: Tx, v: CaseInsert): Promise<CaseRecord | null> {
    const r = await this.q(tx)
      .insertInto('cases.case')
      .values({ ...v, form_values: JSON.stringify(v.form_values), correction_list: v.correction_list === null ? null : JSON.stringify(v.correction_list) })
      .onConflict((oc) => oc.columns(['applicant_account_id', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing())
      .returningAll()
      .executeTakeFirst();
    return (r as CaseRecord | undefined) ?? null;
  }

  /** Optimistic update: null when the version moved on (someone else acted first). */
  async update(tx: Tx, id: string, version: number, patch: CasePatch): Promise<CaseRecord | null> {
    const set: Record<string, unknown> = { ...patch, updated_at: new Date(), version: version + 1 };
    if ('form_values' in patch) set.form_values = JSON.stringify(patch.form_values);
    if ('correction_list' in patch) set.correction_list = patch.correction_list === null ? null : JSON.stringify(patch.correction_list);
    const r = await this.q(tx).updateTable('cases.case').set(set).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst();
    return (r as CaseRecord | undefined) ?? null;
  }

  async addEvent(tx: Tx, e: Omit<EventTable, 'id' | 'at' | 'detail'> & { detail?: Record<string, unknown> }): Promise<void> {
    await this.addEvents(tx, [e]);
  }

  /** Several timeline events in one statement, in the given order. */
  async addEvents(tx: Tx, events: (Omit<EventTable, 'id' | 'at' | 'detail'> & { detail?: Record<string, unknown> })[]): Promise<void> {
    if (events.length === 0) return;
    await sql`${sql.raw(PREPARED)}${jsonRowsInsert('cases.case_event', events.map((e) => ({ ...e, detail: e.detail ?? {} })))}`.execute(tx);
  }

  async events(caseId: string, tx?: Tx | Db): Promise<CaseEventRow[]> {
    return (await this.q(tx).selectFrom('cases.case_event').selectAll().where('case_id', '=', caseId).orderBy('id').execute()) as CaseEventRow[];
  }

  async addMaterial(tx: Tx, m: Omit<MaterialTable, 'id' | 'added_at'>): Promise<void> {
    await this.q(tx).insertInto('cases.case_material').values(m).execute();
  }

  async materials(caseId: string, tx?: Tx | Db): Promise<CaseMaterialRow[]> {
    return this.q(tx).selectFrom('cases.case_material').selectAll().where('case_id', '=', caseId).orderBy('added_at').orderBy('material_code').execute();
  }

  async removeMaterial(tx: Tx, caseId: string, materialId: string): Promise<void> {
    await this.q(tx).deleteFrom('cases.case_material').where('case_id', '=', caseId).where('id', '=', materialId).execute();
  }

  async addToLibrary(tx: Tx, v: Omit<LibraryTable, 'id' | 'created_at'>): Promise<void> {
    await this.q(tx).insertInto('cases.library_item').values(v).onConflict((oc) => oc.columns(['owner_account_id', 'attachment_id']).doNothing()).execute();
  }

  async library(ownerAccountId: string, tx?: Tx | Db): Promise<LibraryItemRow[]> {
    return this.q(tx).selectFrom('cases.library_item').selectAll().where('owner_account_id', '=', ownerAccountId).orderBy('created_at', 'desc').limit(200).execute();
  }

  /** The owner's library entries for these attachments, by attachment id (one query). */
  async libraryItems(ownerAccountId: string, attachmentIds: string[], tx?: Tx | Db): Promise<Map<string, LibraryItemRow>> {
    const ids = [...new Set(attachmentIds.filter((id) => UUID.test(id)))];
    if (ids.length === 0) return new Map();
    const rows = await this.q(tx).selectFrom('cases.library_item').selectAll().where('owner_account_id', '=', ownerAccountId).where('attachment_id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.attachment_id, r]));
  }

  async libraryItem(ownerAccountId: string, attachmentId: string, tx?: Tx | Db): Promise<LibraryItemRow | null> {
    if (!UUID.test(attachmentId)) return null;
    const r = await this.q(tx).selectFrom('cases.library_item').selectAll().where('owner_account_id', '=', ownerAccountId).where('attachment_id', '=', attachmentId).executeTakeFirst();
    return r ?? null;
  }

  async pauses(caseId: string, tx?: Tx | Db): Promise<PauseRow[]> {
    return this.q(tx).selectFrom('cases.case_pause').selectAll().where('case_id', '=', caseId).orderBy('from_on').execute();
  }

  async addPause(tx: Tx, p: Omit<PauseTable, 'id' | 'to_on' | 'result' | 'ended_by'>): Promise<void> {
    await this.q(tx).insertInto('cases.case_pause').values({ ...p, to_on: null, result: null, ended_by: null }).execute();
  }

  async closePause(tx: Tx, caseId: string, toOn: string, result: string, endedBy: string): Promise<void> {
    await this.q(tx).updateTable('cases.case_pause').set({ to_on: toOn, result, ended_by: endedBy }).where('case_id', '=', caseId).where('to_on', 'is', null).execute();
  }

  async extension(caseId: string, tx?: Tx | Db): Promise<ExtensionRow | null> {
    return (await this.q(tx).selectFrom('cases.case_extension').selectAll().where('case_id', '=', caseId).executeTakeFirst()) ?? null;
  }

  async addExtension(tx: Tx, e: Omit<ExtensionTable, 'id' | 'approved_at'>): Promise<void> {
    await this.q(tx).insertInto('cases.case_extension').values(e).execute();
  }

  /** Staff lists: scope in SQL (never post-filtered), to-do / done boxes, filters. */
  async listInScope(scope: Scope, f: CaseFilter): Promise<{ rows: CaseRecord[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q().selectFrom('cases.case').where('state', '<>', 'DRAFT');
    if (scope.kind === 'organisation') q = q.where('organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    if (f.box === 'todo') q = q.where('state', 'in', TODO_STATES);
    if (f.box === 'done') q = q.where('state', '=', 'CLOSED');
    if (f.state) q = q.where('state', '=', f.state);
    if (f.signal) q = q.where('signal', '=', f.signal);
    if (f.organisationId) q = q.where('organisation_id', '=', f.organisationId);
    if (f.q) {
      const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('case_no', 'like', pattern), eb('item_name', 'like', pattern)]));
    }
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy(sql`CASE signal WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END`).orderBy('updated_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as CaseRecord[], total: Number(count.n) };
  }

  /** Counts per box for the workbench tabs. */
  async boxCounts(scope: Scope): Promise<{ todo: number; done: number; yellow: number; red: number }> {
    if (scope.kind === 'none') return { todo: 0, done: 0, yellow: 0, red: 0 };
    let q = this.q().selectFrom('cases.case').where('state', '<>', 'DRAFT');
    if (scope.kind === 'organisation') q = q.where('organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    const r = await q
      .select([
        sql<number>`count(*) FILTER (WHERE state IN ('SUBMITTED','ACCEPTED','IN_PROCESS','SUSPENDED','APPROVED','REFUSED','RESULT_READY','DELIVERED'))`.as('todo'),
        sql<number>`count(*) FILTER (WHERE state = 'CLOSED')`.as('done'),
        sql<number>`count(*) FILTER (WHERE signal = 'yellow')`.as('yellow'),
        sql<number>`count(*) FILTER (WHERE signal = 'red')`.as('red'),
      ])
      .executeTakeFirstOrThrow();
    return { todo: Number(r.todo), done: Number(r.done), yellow: Number(r.yellow), red: Number(r.red) };
  }

  async listForApplicant(accountId: string, f: { limit: number; offset: number }): Promise<{ rows: CaseRecord[]; total: number }> {
    const q = this.q().selectFrom('cases.case').where('applicant_account_id', '=', accountId);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as CaseRecord[], total: Number(count.n) };
  }

  /** Public announcements (办件公示): closed cases, newest first. */
  async listClosed(f: { limit: number; offset: number }): Promise<{ rows: CaseRecord[]; total: number }> {
    const q = this.q().selectFrom('cases.case').where('state', '=', 'CLOSED').where('result_code', 'in', [0, 1, 4, 6]);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('closed_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as CaseRecord[], total: Number(count.n) };
  }

  /**
   * The supervision sweep (DOMAIN.md §5): one set-based UPDATE over the stored due dates.
   * red = the day after the due date; yellow from the stored first yellow day; only rows whose
   * signal changes are written. Returns how many changed.
   */
  /**
   * Yellow / red for every open case from the stored due dates: set-based, only rows whose colour
   * changes are written. Given a transaction, one statement in it. Otherwise the table is cut into
   * `parts` ranges of pages (when each has at least `minPagesPerPart`), swept at the same time on connections of their own (each its own
   * transaction: a colour is a function of the day and the row, so a sweep cut short is simply
   * finished by the next one). A new row version stays on its page when there is room (HOT, the
   * table's fillfactor), and a range never sees rows another range's statement wrote after it began.
   */
  async sweepSignals(today: string, tx?: Tx | Db, opts: { parts?: number; minPagesPerPart?: number } = {}): Promise<{ changed: number; yellow: number; red: number }> {
    const parts = opts.parts ?? SWEEP_PARTS;
    if (tx || parts <= 1) return this.sweepPages(today, null, null, tx ?? this.db);
    const pages = Number((await sql<{ n: number }>`SELECT (pg_relation_size('cases.case') / current_setting('block_size')::int)::int AS n`.execute(this.db)).rows[0]?.n ?? 0);
    const step = Math.max(1, Math.ceil(pages / parts));
    if (step < (opts.minPagesPerPart ?? SWEEP_MIN_PAGES)) return this.sweepPages(today, null, null, this.db);
    const ranges = Array.from({ length: parts }, (_, i) => [i * step, i === parts - 1 ? null : (i + 1) * step] as const);
    const done = await Promise.all(ranges.map(([from, to]) => this.sweepPages(today, from, to, this.db)));
    return done.reduce((a, r) => ({ changed: a.changed + r.changed, yellow: a.yellow + r.yellow, red: a.red + r.red }), { changed: 0, yellow: 0, red: 0 });
  }

  /** The sweep over pages [from, to) of the table (to null: to the end; both null: all of it). */
  private async sweepPages(today: string, from: number | null, to: number | null, q: Tx | Db): Promise<{ changed: number; yellow: number; red: number }> {
    const range = from === null ? sql`` : to === null ? sql`AND ctid >= ${`(${from},0)`}::tid` : sql`AND ctid >= ${`(${from},0)`}::tid AND ctid < ${`(${to},0)`}::tid`;
    const colour = sql`CASE WHEN clock_paused_since IS NOT NULL THEN 'paused'
                            WHEN due_on IS NULL THEN 'none'
                            WHEN ${today}::date > due_on THEN 'red'
                            WHEN ${today}::date >= yellow_from THEN 'yellow'
                            ELSE 'green' END`;
    const r = await sql<{ changed: number; yellow: number; red: number }>`
WITH changed AS (
  UPDATE cases.case SET signal = ${colour}, signal_at = now()
  WHERE state NOT IN ('DRAFT', 'CLOSED', 'DELIVERED') ${range}
    AND signal IS DISTINCT FROM (${colour})
  RETURNING signal
)
SELECT count(*)::int AS changed,
       count(*) FILTER (WHERE signal = 'yellow')::int AS yellow,
       count(*) FILTER (WHERE signal = 'red')::int AS red
FROM changed`.execute(q);
    const row = r.rows[0];
    return { changed: Number(row?.changed ?? 0), yellow: Number(row?.yellow ?? 0), red: Number(row?.red ?? 0) };
  }

  /** Cases whose correction-notice clock ran out (Art. 32(4): deemed accepted as of receipt). */
  async overdueForNotice(today: string, limit: number, tx?: Tx | Db): Promise<CaseRecord[]> {
    return (await this.q(tx)
      .selectFrom('cases.case')
      .selectAll()
      .where('state', '=', 'SUBMITTED')
      .where('clock_kind', '=', 'notice')
      .where('due_on', '<', today)
      .limit(limit)
      .execute()) as CaseRecord[];
  }

  // ---- ratings ----
  async rating(caseId: string, tx?: Tx | Db): Promise<RatingRow | null> {
    return (await this.q(tx).selectFrom('cases.rating').selectAll().where('case_id', '=', caseId).executeTakeFirst()) ?? null;
  }

  async insertRating(tx: Tx, v: Omit<RatingTable, 'id' | 'rated_at' | 'version' | 'feedback' | 'feedback_at' | keyof RatingAppealColumns>): Promise<RatingRow | null> {
    return (
      (await this.q(tx)
        .insertInto('cases.rating')
        .values({ ...v, feedback: null, feedback_at: null })
        .onConflict((oc) => oc.column('case_id').doNothing())
        .returningAll()
        .executeTakeFirst()) ?? null
    );
  }

  async updateRating(tx: Tx, id: string, version: number, patch: Partial<Pick<RatingTable, 'rectification_state' | 'feedback' | 'feedback_at' | keyof RatingAppealColumns>>): Promise<RatingRow | null> {
    return (await this.q(tx).updateTable('cases.rating').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst()) ?? null;
  }

  async ratingById(id: string, tx?: Tx | Db): Promise<RatingRow | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    return (await this.q(tx).selectFrom('cases.rating').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async ratingsInScope(scope: Scope, f: { open?: boolean; state?: RectificationState; appealed?: boolean; limit: number; offset: number }): Promise<{ rows: (RatingRow & { case_no: string | null; item_name: string })[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q().selectFrom('cases.rating as r').innerJoin('cases.case as c', 'c.id', 'r.case_id');
    if (scope.kind === 'organisation') q = q.where('r.organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') q = q.where('r.jurisdiction_code', 'like', `${scope.prefix}%`);
    if (f.open) q = q.where('r.rectification_state', 'in', ['ASSIGNED', 'RECTIFYING', 'EXPLAINED']);
    if (f.state) q = q.where('r.rectification_state', '=', f.state);
    if (f.appealed) q = q.where('r.appeal_at', 'is not', null);
    const [rows, count] = await Promise.all([
      q.selectAll('r').select(['c.case_no', 'c.item_name']).orderBy('r.rated_at', 'desc').limit(f.limit).offset(f.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }
}

/**
 * A case as writeSubmissionsAtCommit writes it: the given row, and the table's defaults for the
 * other columns (keep in step with the cases.case columns; cases.itest compares it with the stored
 * row; TypeScript checks that every column is named). One object literal: V8 gives it fast
 * properties. Built any other way — the row spread or copied onto the defaults — it became a slow
 * dictionary, and the batch's JSON, the copy that puts in its number and the answer's serialisation
 * each took several times as long (a micro-benchmark: 385 µs against 47 µs for 25 cases).
 */
function newCaseRecord(row: CaseInsert & { id: string }, at: Date): CaseRecord {
  return {
    id: row.id,
    case_no: row.case_no,
    query_password_hash: row.query_password_hash,
    query_password_enc: row.query_password_enc,
    idempotency_key: row.idempotency_key,
    item_id: row.item_id,
    item_version: row.item_version,
    item_name: row.item_name,
    organisation_id: row.organisation_id,
    organisation_name: row.organisation_name,
    jurisdiction_code: row.jurisdiction_code,
    applicant_account_id: row.applicant_account_id,
    applicant_kind: row.applicant_kind,
    applicant_name_masked: row.applicant_name_masked,
    applicant_id_masked: row.applicant_id_masked,
    applicant_mobile_masked: row.applicant_mobile_masked,
    applicant_pii_enc: row.applicant_pii_enc,
    channel: row.channel,
    form_values: row.form_values as Record<string, unknown>,
    state: row.state,
    result_code: row.result_code,
    received_at: row.received_at,
    received_on: row.received_on,
    accepted_at: row.accepted_at,
    acceptance_no: row.acceptance_no,
    promised_n: row.promised_n,
    promised_unit: row.promised_unit,
    correction_list: row.correction_list as CorrectionItem[] | null,
    correction_count: 0,
    node_index: row.node_index,
    node_started_on: row.node_started_on,
    workflow_instance_id: null,
    workflow_key: null,
    workflow_version: null,
    step_name: null,
    step_task_id: null,
    step_organisation_id: null,
    step_started_on: null,
    step_due_on: null,
    step_yellow_from: null,
    decision: row.decision,
    decision_reasons: row.decision_reasons,
    decided_at: row.decided_at,
    certificate_no: row.certificate_no,
    result_ready_at: row.result_ready_at,
    delivered_at: row.delivered_at,
    delivery_method: row.delivery_method,
    courier_no: row.courier_no,
    closed_at: row.closed_at,
    close_reason: row.close_reason,
    clock_kind: row.clock_kind,
    clock_started_on: row.clock_started_on,
    clock_limit_n: row.clock_limit_n,
    clock_limit_unit: row.clock_limit_unit,
    clock_paused_since: row.clock_paused_since,
    clock_extended_days: 0,
    clock_paused_days: 0,
    due_on: row.due_on,
    yellow_from: row.yellow_from,
    decision_due_on: row.decision_due_on,
    signal: row.signal ?? 'none',
    signal_at: row.signal_at,
    bundle_id: row.bundle_id ?? null,
    created_at: at,
    updated_at: at,
    version: 1,
  };
}
