import { sql, type Generated, type Kysely, type RawBuilder, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Scope } from '../auth/scope.ts';
import { auditInsert, type AuditRow } from '../audit/audit-log.ts';
import { PREPARED, type Db, type Tx } from '../db/database.ts';
import type { InstanceState } from './core.ts';
import type { WorkflowModel } from './model.ts';

export type DefinitionStatus = 'draft' | 'published' | 'superseded';
export type InstanceStatus = 'running' | 'completed' | 'cancelled';
export type TaskState = 'open' | 'done' | 'cancelled';
export type TaskKind = 'user' | 'copy';

interface DefinitionTable {
  id: Generated<string>;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  key: string;
  version: number;
  name: string;
  xml: string;
  model: WorkflowModel;
  status: Generated<DefinitionStatus>;
  comment: string;
  created_by: string;
  created_at: Generated<Date>;
  published_at: Date | null;
  published_by: string | null;
}

interface InstanceTable {
  id: Generated<string>;
  definition_id: string;
  definition_key: string;
  definition_version: number;
  subject_type: string;
  subject_id: string;
  organisation_id: string;
  jurisdiction_code: string;
  state: Generated<InstanceStatus>;
  tokens: InstanceState;
  variables: Record<string, unknown>;
  started_by: string | null;
  started_at: Generated<Date>;
  ended_at: Date | null;
  version: Generated<number>;
}

interface TaskTable {
  id: Generated<string>;
  instance_id: string;
  subject_type: string;
  subject_id: string;
  kind: TaskKind;
  token_id: string | null;
  node_id: string;
  name: string;
  candidate_roles: string[];
  organisation_id: string;
  assignee: string | null;
  mi_index: number | null;
  state: Generated<TaskState>;
  created_at: Generated<Date>;
  due_at: Date | null;
  completed_at: Date | null;
  completed_by: string | null;
  outcome: string | null;
  comment: string | null;
  delegated_from: string | null;
  transferred_from: string | null;
  created_by: string | null;
  urge_count: Generated<number>;
  last_urged_at: Date | null;
  version: Generated<number>;
}

interface WorkflowTables {
  'workflow.definition': DefinitionTable;
  'workflow.instance': InstanceTable;
  'workflow.task': TaskTable;
}

export interface DefinitionRow {
  id: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  key: string;
  version: number;
  name: string;
  xml: string;
  model: WorkflowModel;
  status: DefinitionStatus;
  comment: string;
  createdBy: string;
  createdAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
}

export type DefinitionSummary = Omit<DefinitionRow, 'xml' | 'model'>;

export interface InstanceRow {
  id: string;
  definitionId: string;
  definitionKey: string;
  definitionVersion: number;
  subjectType: string;
  subjectId: string;
  organisationId: string;
  jurisdictionCode: string;
  state: InstanceStatus;
  tokens: InstanceState;
  variables: Record<string, unknown>;
  startedBy: string | null;
  startedAt: Date;
  endedAt: Date | null;
  version: number;
}

export interface TaskRow {
  id: string;
  instanceId: string;
  subjectType: string;
  subjectId: string;
  kind: TaskKind;
  tokenId: string | null;
  nodeId: string;
  name: string;
  candidateRoles: string[];
  organisationId: string;
  assignee: string | null;
  miIndex: number | null;
  state: TaskState;
  createdAt: Date;
  dueAt: Date | null;
  completedAt: Date | null;
  completedBy: string | null;
  outcome: string | null;
  comment: string | null;
  delegatedFrom: string | null;
  transferredFrom: string | null;
  createdBy: string | null;
  urgeCount: number;
  lastUrgedAt: Date | null;
  version: number;
}

const toDefinition = (r: Selectable<DefinitionTable>): DefinitionRow => ({ ...definitionSummary(r), xml: r.xml, model: r.model });

const toInstance = (r: Selectable<InstanceTable>): InstanceRow => ({
  id: r.id,
  definitionId: r.definition_id,
  definitionKey: r.definition_key,
  definitionVersion: r.definition_version,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  organisationId: r.organisation_id,
  jurisdictionCode: r.jurisdiction_code,
  state: r.state,
  tokens: r.tokens,
  variables: r.variables,
  startedBy: r.started_by,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  version: r.version,
});

export const toTask = (r: Selectable<TaskTable>): TaskRow => ({
  id: r.id,
  instanceId: r.instance_id,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  kind: r.kind,
  tokenId: r.token_id,
  nodeId: r.node_id,
  name: r.name,
  candidateRoles: r.candidate_roles,
  organisationId: r.organisation_id,
  assignee: r.assignee,
  miIndex: r.mi_index,
  state: r.state,
  createdAt: r.created_at,
  dueAt: r.due_at,
  completedAt: r.completed_at,
  completedBy: r.completed_by,
  outcome: r.outcome,
  comment: r.comment,
  delegatedFrom: r.delegated_from,
  transferredFrom: r.transferred_from,
  createdBy: r.created_by,
  urgeCount: r.urge_count,
  lastUrgedAt: r.last_urged_at,
  version: r.version,
});

// to_jsonb renders timestamptz as ISO text; the row mappers expect what pg parses them to.
const jsonDate = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));
const taskFromJson = (t: Record<string, unknown>): TaskRow =>
  toTask({ ...t, created_at: jsonDate(t.created_at), due_at: jsonDate(t.due_at), completed_at: jsonDate(t.completed_at), last_urged_at: jsonDate(t.last_urged_at) } as unknown as Selectable<TaskTable>);
const instanceFromJson = (i: Record<string, unknown>): InstanceRow =>
  toInstance({ ...i, started_at: jsonDate(i.started_at), ended_at: jsonDate(i.ended_at) } as unknown as Selectable<InstanceTable>);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const json = <T>(v: T) => sql<T>`${JSON.stringify(v)}::jsonb`;

export interface NewTask {
  instanceId: string;
  subjectType: string;
  subjectId: string;
  kind: TaskKind;
  tokenId: string | null;
  nodeId: string;
  name: string;
  candidateRoles: string[];
  organisationId: string;
  assignee: string | null;
  miIndex: number | null;
  dueAt: Date | null;
  createdBy: string | null;
}

/** Who is asking for an inbox: the account, and the position it acts in. */
export interface InboxActor {
  accountId: string;
  organisationId: string;
  roles: string[];
}

export interface Page<T> {
  rows: T[];
  total: number;
}

/** All SQL of the workflow engine and its definition pages. */
export class WorkflowRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Db | Tx): Kysely<WorkflowTables> {
    return (tx ?? this.db) as Kysely<WorkflowTables>;
  }

  // ---- definitions ----

  async definitionById(id: string, tx?: Db | Tx): Promise<DefinitionRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('workflow.definition').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toDefinition(r) : null;
  }

  /** The published version for a key: the organisation's own first, then the province-wide one. */
  async publishedDefinition(key: string, organisationId: string, tx?: Db | Tx): Promise<DefinitionRow | null> {
    const r = await this.q(tx)
      .selectFrom('workflow.definition')
      .selectAll()
      .where('key', '=', key)
      .where('status', '=', 'published')
      .where('organisation_id', 'in', organisationId ? [organisationId, ''] : [''])
      .orderBy('organisation_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? toDefinition(r) : null;
  }

  /** The newest version of a key (any status). */
  async newestDefinition(organisationId: string, key: string, tx?: Db | Tx): Promise<DefinitionRow | null> {
    const r = await this.q(tx).selectFrom('workflow.definition').selectAll().where('organisation_id', '=', organisationId).where('key', '=', key).orderBy('version', 'desc').limit(1).executeTakeFirst();
    return r ? toDefinition(r) : null;
  }

  async latestVersion(organisationId: string, key: string, tx?: Db | Tx): Promise<number> {
    const r = await this.q(tx)
      .selectFrom('workflow.definition')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('organisation_id', '=', organisationId)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(r?.v ?? 0);
  }

  async insertDefinition(
    tx: Tx,
    v: { organisationId: string; organisationName: string; jurisdictionCode: string; key: string; version: number; name: string; xml: string; model: WorkflowModel; comment: string; createdBy: string },
  ): Promise<DefinitionRow | null> {
    const r = await this.q(tx)
      .insertInto('workflow.definition')
      .values({
        organisation_id: v.organisationId,
        organisation_name: v.organisationName,
        jurisdiction_code: v.jurisdictionCode,
        key: v.key,
        version: v.version,
        name: v.name,
        xml: v.xml,
        model: json(v.model),
        comment: v.comment,
        created_by: v.createdBy,
        published_at: null,
        published_by: null,
      })
      .onConflict((oc) => oc.columns(['organisation_id', 'key', 'version']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return r ? toDefinition(r) : null;
  }

  /** Publishes one version; the previously published version of the key becomes superseded. */
  async publishDefinition(tx: Tx, def: DefinitionRow, by: string): Promise<DefinitionRow | null> {
    await this.q(tx)
      .updateTable('workflow.definition')
      .set({ status: 'superseded' })
      .where('organisation_id', '=', def.organisationId)
      .where('key', '=', def.key)
      .where('status', '=', 'published')
      .where('id', '<>', def.id)
      .execute();
    const r = await this.q(tx)
      .updateTable('workflow.definition')
      .set({ status: 'published', published_at: new Date(), published_by: by })
      .where('id', '=', def.id)
      .where('status', '=', 'draft')
      .returningAll()
      .executeTakeFirst();
    return r ? toDefinition(r) : null;
  }

  /** One row per key (its newest version), organisation-scoped; '' rows (province-wide) are included. */
  async listDefinitionKeys(scope: Scope, opts: { limit: number; offset: number }): Promise<Page<DefinitionSummary & { publishedVersion: number | null }>> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q()
      .selectFrom('workflow.definition as d')
      .where((eb) => eb('d.version', '=', eb.selectFrom('workflow.definition as d2').select((e2) => e2.fn.max('d2.version').as('m')).whereRef('d2.organisation_id', '=', 'd.organisation_id').whereRef('d2.key', '=', 'd.key')));
    // Province-wide definitions ('' organisation, e.g. the default flow) are visible to everyone in scope.
    if (scope.kind === 'organisation') q = q.where('d.organisation_id', 'in', [scope.organisationId, '']);
    if (scope.kind === 'jurisdiction') q = q.where((eb) => eb.or([eb('d.jurisdiction_code', 'like', `${scope.prefix}%`), eb('d.organisation_id', '=', '')]));
    const [rows, count] = await Promise.all([
      q
        .select([
          'd.id', 'd.organisation_id', 'd.organisation_name', 'd.jurisdiction_code', 'd.key', 'd.version', 'd.name', 'd.status', 'd.comment', 'd.created_by', 'd.created_at', 'd.published_at', 'd.published_by',
        ])
        .select((eb) =>
          eb
            .selectFrom('workflow.definition as p')
            .select('p.version')
            .whereRef('p.organisation_id', '=', 'd.organisation_id')
            .whereRef('p.key', '=', 'd.key')
            .where('p.status', '=', 'published')
            .limit(1)
            .as('published_version'),
        )
        .orderBy('d.organisation_id')
        .orderBy('d.key')
        .limit(opts.limit)
        .offset(opts.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      total: Number(count.n),
      rows: rows.map((r) => ({ ...definitionSummary(r), publishedVersion: r.published_version ?? null })),
    };
  }

  async listVersions(organisationId: string, key: string): Promise<DefinitionSummary[]> {
    const rows = await this.q()
      .selectFrom('workflow.definition')
      .select(['id', 'organisation_id', 'organisation_name', 'jurisdiction_code', 'key', 'version', 'name', 'status', 'comment', 'created_by', 'created_at', 'published_at', 'published_by'])
      .where('organisation_id', '=', organisationId)
      .where('key', '=', key)
      .orderBy('version', 'desc')
      .limit(500)
      .execute();
    return rows.map(definitionSummary);
  }

  async countInstancesOf(definitionId: string, tx?: Db | Tx): Promise<number> {
    const r = await this.q(tx).selectFrom('workflow.instance').select((eb) => eb.fn.countAll<number>().as('n')).where('definition_id', '=', definitionId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ---- instances ----

  async insertInstance(
    tx: Tx,
    v: { definition: DefinitionRow; subjectType: string; subjectId: string; organisationId: string; jurisdictionCode: string; tokens: InstanceState; variables: Record<string, unknown>; startedBy: string | null },
  ): Promise<InstanceRow> {
    const r = await this.q(tx)
      .insertInto('workflow.instance')
      .values({
        definition_id: v.definition.id,
        definition_key: v.definition.key,
        definition_version: v.definition.version,
        subject_type: v.subjectType,
        subject_id: v.subjectId,
        organisation_id: v.organisationId,
        jurisdiction_code: v.jurisdictionCode,
        tokens: json(v.tokens),
        variables: json(v.variables),
        started_by: v.startedBy,
        ended_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toInstance(r);
  }

  /**
   * A task with its instance, the instance locked for the rest of the transaction — one round
   * trip instead of two. Under READ COMMITTED the task columns come from the statement's snapshot
   * (the lock re-reads only the instance), so they may be stale by the time the lock is granted:
   * every write to a task checks its state and version.
   */
  async taskWithLockedInstance(tx: Tx, taskId: string): Promise<{ task: TaskRow; instance: InstanceRow } | null> {
    if (!UUID.test(taskId)) return null;
    const r = await sql<{ task: Record<string, unknown>; instance: Record<string, unknown> }>`${sql.raw(PREPARED)}
      SELECT to_jsonb(t) AS task, to_jsonb(i) AS instance
      FROM workflow.task t JOIN workflow.instance i ON i.id = t.instance_id
      WHERE t.id = ${taskId}
      FOR UPDATE OF i`.execute(tx);
    const row = r.rows[0];
    if (!row) return null;
    return { task: taskFromJson(row.task), instance: instanceFromJson(row.instance) };
  }

  /** Locks the instance row for the rest of the transaction (parallel branches serialise here). */
  async lockInstance(tx: Tx, id: string): Promise<InstanceRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('workflow.instance').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return r ? toInstance(r) : null;
  }

  async instanceById(id: string, tx?: Db | Tx): Promise<InstanceRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('workflow.instance').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toInstance(r) : null;
  }

  async instancesOfSubject(subjectType: string, subjectId: string, tx?: Db | Tx): Promise<InstanceRow[]> {
    const rows = await this.q(tx).selectFrom('workflow.instance').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).orderBy('started_at').execute();
    return rows.map(toInstance);
  }

  async saveInstance(tx: Tx, i: InstanceRow, patch: { tokens: InstanceState; variables: Record<string, unknown>; state: InstanceStatus }): Promise<boolean> {
    const r = await this.q(tx)
      .updateTable('workflow.instance')
      .set({
        tokens: json(patch.tokens),
        variables: json(patch.variables),
        state: patch.state,
        ended_at: patch.state === 'running' ? null : new Date(),
        version: i.version + 1,
      })
      .where('id', '=', i.id)
      .where('version', '=', i.version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ---- tasks ----

  async taskById(id: string, tx?: Db | Tx): Promise<TaskRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('workflow.task').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTask(r) : null;
  }

  async insertTasks(tx: Tx, tasks: NewTask[]): Promise<TaskRow[]> {
    if (tasks.length === 0) return [];
    const r = await sql<Selectable<TaskTable>>`${tasksInsert(withIds(tasks))} RETURNING *`.execute(tx);
    return r.rows.map(toTask);
  }

  /** Closes an open task at the version the caller read; null when someone else got there first. */
  async closeTask(tx: Tx, t: TaskRow, v: { state: 'done' | 'cancelled'; by: string | null; outcome: string | null; comment: string | null }): Promise<TaskRow | null> {
    const r = await this.q(tx)
      .updateTable('workflow.task')
      .set({ state: v.state, completed_at: new Date(), completed_by: v.by, outcome: v.outcome, comment: v.comment, version: t.version + 1 })
      .where('id', '=', t.id)
      .where('state', '=', 'open')
      .where('version', '=', t.version)
      .returningAll()
      .executeTakeFirst();
    return r ? toTask(r) : null;
  }

  /**
   * Completing a step in one statement: closes the open task (state and version checked) and,
   * only if that happened, saves the instance (version checked), opens the next tasks and
   * writes the step's audit entries. `task` is null when the task was no longer open at that
   * version; `saved` false when the instance changed meanwhile — then nothing else was written.
   *
   * The statement answers with three scalars, not the rows it wrote: the closed task is the
   * row read plus the values this call set, and the new tasks are the rows given, with ids
   * chosen here and the column defaults (newTaskRow) — all but their creation time, which is
   * the transaction's (now()) and comes back. Not serialising and parsing the rows raised the
   * step rate by about 5 % in alternating runs (issue 3 benchmark; docs/SCALING.md).
   */
  async closeTaskAndSaveInstance(
    tx: Tx,
    t: TaskRow,
    v: { state: 'done' | 'cancelled'; by: string | null; outcome: string | null; comment: string | null },
    i: InstanceRow,
    patch: { tokens: InstanceState; variables: Record<string, unknown>; state: InstanceStatus },
    then: { open: NewTask[]; audit: AuditRow[] } = { open: [], audit: [] },
  ): Promise<{ task: TaskRow | null; saved: boolean; opened: TaskRow[] }> {
    const now = new Date();
    // One text whatever the number of tasks and entries (they travel as JSON): prepared once.
    // 'open' travels as a parameter: with the literal, the cached generic plan could prove the
    // partial indexes on open tasks usable and scan one of them (every open task) instead of
    // the primary key — measured when the plan was made on a young, small table.
    const open = withIds(then.open);
    const r = await sql<{ closed: boolean; saved: boolean; at: Date }>`${sql.raw(PREPARED)}
      WITH closed AS (
        UPDATE workflow.task
        SET state = ${v.state}, completed_at = ${now}, completed_by = ${v.by}, outcome = ${v.outcome}, comment = ${v.comment}, version = ${t.version + 1}
        WHERE id = ${t.id} AND state = ${'open'} AND version = ${t.version}
        RETURNING id
      ), saved AS (
        UPDATE workflow.instance
        SET tokens = ${json(patch.tokens)}, variables = ${json(patch.variables)}, state = ${patch.state}, ended_at = ${patch.state === 'running' ? null : now}, version = ${i.version + 1}
        WHERE id = ${i.id} AND version = ${i.version} AND EXISTS (SELECT 1 FROM closed)
        RETURNING id
      ), opened AS (
        ${tasksInsert(open, sql`EXISTS (SELECT 1 FROM saved)`)}
      ), audited AS (
        ${auditInsert(then.audit, sql`EXISTS (SELECT 1 FROM saved)`)}
      )
      SELECT EXISTS (SELECT 1 FROM closed) AS closed, EXISTS (SELECT 1 FROM saved) AS saved, now() AS at`.execute(tx);
    const row = r.rows[0];
    if (!row?.closed) return { task: null, saved: false, opened: [] };
    const closed: TaskRow = { ...t, state: v.state, completedAt: now, completedBy: v.by, outcome: v.outcome, comment: v.comment, version: t.version + 1 };
    return { task: closed, saved: row.saved, opened: row.saved ? open.map((n) => newTaskRow(n, row.at)) : [] };
  }

  /** Optimistic change of an open task's people or urge counters. */
  async updateOpenTask(
    tx: Tx,
    t: TaskRow,
    patch: { assignee?: string | null; delegatedFrom?: string | null; transferredFrom?: string | null; comment?: string | null; urge?: boolean },
  ): Promise<TaskRow | null> {
    const r = await this.q(tx)
      .updateTable('workflow.task')
      .set((eb) => ({
        ...(patch.assignee !== undefined ? { assignee: patch.assignee } : {}),
        ...(patch.delegatedFrom !== undefined ? { delegated_from: patch.delegatedFrom } : {}),
        ...(patch.transferredFrom !== undefined ? { transferred_from: patch.transferredFrom } : {}),
        ...(patch.comment !== undefined ? { comment: patch.comment } : {}),
        ...(patch.urge ? { urge_count: eb('urge_count', '+', 1), last_urged_at: new Date() } : {}),
        version: t.version + 1,
      }))
      .where('id', '=', t.id)
      .where('state', '=', 'open')
      .where('version', '=', t.version)
      .returningAll()
      .executeTakeFirst();
    return r ? toTask(r) : null;
  }

  async cancelOpenTasksOfTokens(tx: Tx, instanceId: string, tokenIds: string[]): Promise<TaskRow[]> {
    if (tokenIds.length === 0) return [];
    const rows = await this.q(tx)
      .updateTable('workflow.task')
      .set((eb) => ({ state: 'cancelled', completed_at: new Date(), version: eb('version', '+', 1) }))
      .where('instance_id', '=', instanceId)
      .where('state', '=', 'open')
      .where('kind', '=', 'user')
      .where('token_id', 'in', tokenIds)
      .returningAll()
      .execute();
    return rows.map(toTask);
  }

  async tasksOfInstance(instanceId: string, opts: { state?: TaskState; kind?: TaskKind } = {}, tx?: Db | Tx): Promise<TaskRow[]> {
    if (!UUID.test(instanceId)) return [];
    let q = this.q(tx).selectFrom('workflow.task').selectAll().where('instance_id', '=', instanceId);
    if (opts.state) q = q.where('state', '=', opts.state);
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    const rows = await q.orderBy('created_at').orderBy('mi_index').orderBy('id').execute();
    return rows.map(toTask);
  }

  /** 待办: open user tasks assigned to the actor, or offered to the actor's roles in its organisation. */
  async todo(who: InboxActor, opts: { subjectType?: string; limit: number; offset: number }, tx?: Db | Tx): Promise<Page<TaskRow>> {
    let q = this.q(tx)
      .selectFrom('workflow.task')
      .where('state', '=', 'open')
      .where('kind', '=', 'user')
      .where((eb) =>
        eb.or([
          eb('assignee', '=', who.accountId),
          eb.and([eb('assignee', 'is', null), eb('organisation_id', '=', who.organisationId), sql<boolean>`candidate_roles && ${sql.val(who.roles)}::text[]`]),
        ]),
      );
    if (opts.subjectType) q = q.where('subject_type', '=', opts.subjectType);
    return this.page(q, opts, 'created_at', 'asc');
  }

  /** 已办: user tasks the actor completed. */
  async done(who: InboxActor, opts: { subjectType?: string; limit: number; offset: number }, tx?: Db | Tx): Promise<Page<TaskRow>> {
    let q = this.q(tx).selectFrom('workflow.task').where('state', '=', 'done').where('kind', '=', 'user').where('completed_by', '=', who.accountId);
    if (opts.subjectType) q = q.where('subject_type', '=', opts.subjectType);
    return this.page(q, opts, 'completed_at', 'desc');
  }

  /** 抄送: copies sent to the actor (open = unread). */
  async copied(who: InboxActor, opts: { subjectType?: string; unreadOnly?: boolean; limit: number; offset: number }, tx?: Db | Tx): Promise<Page<TaskRow>> {
    let q = this.q(tx).selectFrom('workflow.task').where('kind', '=', 'copy').where('assignee', '=', who.accountId);
    if (opts.subjectType) q = q.where('subject_type', '=', opts.subjectType);
    if (opts.unreadOnly) q = q.where('state', '=', 'open');
    return this.page(q, opts, 'created_at', 'desc');
  }

  private async page(
    q: SelectQueryBuilder<WorkflowTables, 'workflow.task', object>,
    opts: { limit: number; offset: number },
    order: 'created_at' | 'completed_at',
    dir: 'asc' | 'desc',
  ): Promise<Page<TaskRow>> {
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy(order, dir).orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toTask), total: Number(count.n) };
  }
}

/**
 * A task as tasksInsert writes it: the given values, and the table's defaults for the rest
 * (keep in step with the workflow.task columns; the engine's integration test compares it
 * with the stored row).
 */
function newTaskRow(n: NewTask & { id: string }, createdAt: Date): TaskRow {
  return {
    ...n,
    state: 'open',
    createdAt,
    completedAt: null,
    completedBy: null,
    outcome: null,
    comment: null,
    delegatedFrom: null,
    transferredFrom: null,
    urgeCount: 0,
    lastUrgedAt: null,
    version: 1,
  };
}

/** New tasks with their ids, chosen here (the caller then knows them without reading the rows back). */
const withIds = (tasks: NewTask[]): (NewTask & { id: string })[] => tasks.map((n) => ({ ...n, id: crypto.randomUUID() }));

/**
 * The INSERT of new open tasks, one text for any number of them (they travel as one JSON
 * parameter, in order, with their ids); `onlyIf`: a condition on the rest of the statement.
 */
function tasksInsert(tasks: (NewTask & { id: string })[], onlyIf?: RawBuilder<unknown>) {
  const rows = tasks.map((n) => ({
    id: n.id,
    instance_id: n.instanceId,
    subject_type: n.subjectType,
    subject_id: n.subjectId,
    kind: n.kind,
    token_id: n.tokenId,
    node_id: n.nodeId,
    name: n.name,
    candidate_roles: n.candidateRoles,
    organisation_id: n.organisationId,
    assignee: n.assignee,
    mi_index: n.miIndex,
    due_at: n.dueAt?.toISOString() ?? null,
    created_by: n.createdBy,
  }));
  return sql`INSERT INTO workflow.task (id, instance_id, subject_type, subject_id, kind, token_id, node_id, name, candidate_roles, organisation_id, assignee, mi_index, due_at, created_by)
    SELECT id, instance_id, subject_type, subject_id, kind, token_id, node_id, name, candidate_roles, organisation_id, assignee, mi_index, due_at, created_by
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id uuid, instance_id uuid, subject_type text, subject_id text, kind text, token_id text, node_id text, name text, candidate_roles text[], organisation_id text, assignee text, mi_index int, due_at timestamptz, created_by text)
    ${onlyIf ? sql`WHERE ${onlyIf}` : sql``}`;
}

/** A definition row's listing fields (the XML and the model are left out). */
function definitionSummary(r: Pick<Selectable<DefinitionTable>, 'id' | 'organisation_id' | 'organisation_name' | 'jurisdiction_code' | 'key' | 'version' | 'name' | 'status' | 'comment' | 'created_by' | 'created_at' | 'published_at' | 'published_by'>): DefinitionSummary {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    jurisdictionCode: r.jurisdiction_code,
    key: r.key,
    version: r.version,
    name: r.name,
    status: r.status,
    comment: r.comment,
    createdBy: r.created_by,
    createdAt: r.created_at,
    publishedAt: r.published_at,
    publishedBy: r.published_by,
  };
}
