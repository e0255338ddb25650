import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { DisclosureDeps } from './deps.ts';

/**
 * Which registry number generator (template) a jurisdiction and its subtree use for index
 * numbers (DOMAIN.md §7.4: no national format, a template per jurisdiction). Numbers already
 * issued never change. `known`: the division exists and the generator exists (checked before
 * the transaction).
 */
export async function setIndexRule(
  deps: DisclosureDeps,
  uow: UnitOfWork,
  input: { jurisdictionCode?: unknown; generatorId?: unknown },
  known: { division: boolean; generator: boolean },
): Promise<Result<{ jurisdictionCode: string; generatorId: string }, 'forbidden' | 'invalid'>> {
  if (!deps.permissions.has(uow.ctx.actor, 'numbering.manage')) return refuse('forbidden', '只有系统管理员可以设置索引号规则');
  const code = typeof input.jurisdictionCode === 'string' ? input.jurisdictionCode.trim() : '';
  const generatorId = typeof input.generatorId === 'string' ? input.generatorId.trim() : '';
  const errors: FieldError[] = [];
  if (!/^\d{6}$/.test(code)) errors.push({ field: 'jurisdictionCode', message: '请填写 6 位行政区划代码' });
  else if (!known.division) errors.push({ field: 'jurisdictionCode', message: '没有这个行政区划' });
  if (!generatorId) errors.push({ field: 'generatorId', message: '请选择编号规则' });
  else if (!known.generator) errors.push({ field: 'generatorId', message: '所选编号规则不存在' });
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  await deps.publications.setIndexRule(uow.tx, code, generatorId);
  await uow.audit({ action: 'disclosure.indexRule.set', objectType: 'index_rule', objectId: code, detail: { generatorId } });
  return ok({ jurisdictionCode: code, generatorId });
}
