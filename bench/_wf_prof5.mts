import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrator.ts';
import { workflowMigrations } from '../src/platform/workflow/migrations.ts';
import { WorkflowRepository } from '../src/platform/workflow/workflow.repository.ts';
import { sql } from 'kysely';
const d = await openDatabase({ dataDir: 'memory://' });
await migrate(d.db, [{ module: 'workflow', migrations: workflowMigrations }]);
const repo = new WorkflowRepository(d.db);
const def = await sql<{ id: string }>`insert into workflow.definition (key, version, name, xml, model, created_by) values ('k', 1, 'n', 'x', '{}'::jsonb, 'b') returning id`.execute(d.db);
const inst = await sql<{ id: string }>`insert into workflow.instance (definition_id, definition_key, definition_version, subject_type, subject_id, organisation_id, tokens) values (${def.rows[0]!.id}, 'k', 1, 'case', 'c', 'o', '{"tokens":[{"id":"t1","node":"A","wait":"task","via":"F1","entry":3}],"seq":3}'::jsonb) returning id`.execute(d.db);
const iid = inst.rows[0]!.id;
const newTask = (n: number) => ({ instanceId: iid, subjectType: 'case', subjectId: 'c', kind: 'user' as const, tokenId: 't1', nodeId: `N${n}`, name: 'x', candidateRoles: ['clerk'], organisationId: 'o', assignee: null, miIndex: null, dueAt: null, createdBy: 'b' });
let [cur] = await d.db.transaction().execute((tx) => repo.insertTasks(tx, [newTask(0)]));
const parts: Record<string, number[]> = {};
const tm = async <T>(k: string, f: () => Promise<T>) => { const t = performance.now(); const r = await f(); (parts[k] ??= []).push(performance.now() - t); return r; };
for (let i = 0; i < 80; i++) {
  await d.db.transaction().execute(async (tx) => {
    const task = await tm('taskById', () => repo.taskById(cur!.id, tx));
    const instance = await tm('lockInstance', () => repo.lockInstance(tx, iid));
    await tm('rawJoinLock', () => sql`select t.*, i.tokens, i.variables, i.version as i_version from workflow.task t join workflow.instance i on i.id = t.instance_id where t.id = ${cur!.id} for update`.execute(tx));
    await tm('closeTask', () => repo.closeTask(tx, task!, { state: 'done', by: 'b', outcome: null, comment: null }));
    await tm('saveInstance', () => repo.saveInstance(tx, instance!, { tokens: instance!.tokens, variables: {}, state: 'running' }));
    await tm('cancel', () => repo.cancelOpenTasksOfTokens(tx, iid, ['t1']));
    const [n] = await tm('insert', () => repo.insertTasks(tx, [newTask(i + 1)]));
    cur = n;
  });
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(2);
console.log(Object.entries(parts).map(([k, v]) => `${k} ${med(v)}`).join(' | '));
await d.close();
