import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { DefinitionRow } from '../../../platform/workflow/index.ts';
import { canDefinition } from '../policies.ts';
import type { DefinitionDeps } from './save-definition.ts';

/**
 * Publishes a draft version: new instances of the key start on it; running instances keep
 * the version they started on (they reference the version row, which never changes).
 */
export async function publishDefinition(deps: DefinitionDeps, uow: UnitOfWork, id: string): Promise<Result<DefinitionRow, 'not_found' | 'forbidden' | 'conflict'>> {
  const actor = uow.ctx.actor;
  const def = await deps.engine.repo.definitionById(id, uow.tx);
  if (!def || !canDefinition(deps.permissions, actor, 'read', def)) return refuse('not_found', '流程定义不存在或不在您的管辖范围内');
  if (def.status !== 'draft') return refuse('conflict', def.status === 'published' ? '该版本已经发布' : '该版本已被更新的版本取代，不能再发布');
  if (!canDefinition(deps.permissions, actor, 'publish', def)) {
    await uow.audit({ action: 'workflow.definition.publish', objectType: 'workflow_definition', objectId: id, outcome: 'denied' });
    return refuse('forbidden', '只有本单位的部门负责人可以发布流程定义');
  }
  const newer = await deps.engine.repo.latestVersion(def.organisationId, def.key, uow.tx);
  if (newer > def.version) return refuse('conflict', `已有更新的版本（第 ${newer} 版），请发布最新版本`);
  const published = await deps.engine.repo.publishDefinition(uow.tx, def, actor.kind === 'staff' ? actor.accountId : 'system');
  if (!published) return refuse('conflict', '该版本已被他人发布或修改，请刷新后重试');
  await uow.audit({ action: 'workflow.definition.publish', objectType: 'workflow_definition', objectId: id, detail: { key: def.key, version: def.version } });
  return ok(published);
}
