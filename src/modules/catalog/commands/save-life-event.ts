import { subtreePrefix } from '../../../platform/auth/scope.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { LifeEventRow } from '../catalog.repository.ts';
import { CATALOG_REVIEW } from '../policies.ts';
import type { CatalogDeps } from './deps.ts';

export interface LifeEventInput {
  code?: unknown;
  name?: unknown;
  description?: unknown;
  audience?: unknown;
  /** Implementation codes of the bundled items, in the order the applicant sees them. */
  itemCodes?: unknown;
  status?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '');

/**
 * Defines or changes a 一件事 bundle: two or more published items of the actor's jurisdiction
 * subtree, applied for with one merged form (the cases module fans the submission out).
 * Held by reviewers (catalog.review); `version` guards concurrent edits.
 */
export async function saveLifeEvent(deps: CatalogDeps, uow: UnitOfWork, id: string | null, version: number, input: LifeEventInput): Promise<Result<LifeEventRow, 'forbidden' | 'invalid' | 'not_found' | 'conflict' | 'duplicate'>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'staff' || !deps.permissions.has(actor, CATALOG_REVIEW)) return refuse('forbidden', '您当前的岗位不能定义“一件事”');
  const prefix = subtreePrefix(actor.position.jurisdictionCode);
  const existing = id ? await deps.catalog.getLifeEvent(id, uow.tx) : null;
  if (id && (!existing || !existing.jurisdictionCode.startsWith(prefix))) return refuse('not_found', '该“一件事”不存在或不在您的管辖范围内');
  const errors: FieldError[] = [];
  const code = existing ? existing.code : str(input.code).toUpperCase();
  const name = str(input.name);
  const description = str(input.description);
  const audience = str(input.audience) || 'enterprise';
  const status = str(input.status) || 'published';
  const codes = (Array.isArray(input.itemCodes) ? input.itemCodes.map(str) : str(input.itemCodes).split(/[\n,，\s]+/)).map((c) => c.trim().toUpperCase()).filter(Boolean);
  if (!existing && !/^[A-Z0-9-]{2,30}$/.test(code)) errors.push({ field: 'code', message: '编号应为 2 至 30 位大写字母、数字或连字符' });
  if (!name) errors.push({ field: 'name', message: '请填写“一件事”名称' });
  else if ([...name].length > 100) errors.push({ field: 'name', message: '名称不能超过 100 个字' });
  if ([...description].length > 2000) errors.push({ field: 'description', message: '说明不能超过 2000 个字' });
  if (audience !== 'person' && audience !== 'enterprise') errors.push({ field: 'audience', message: '请选择面向个人还是企业' });
  if (!['draft', 'published', 'withdrawn'].includes(status)) errors.push({ field: 'status', message: '状态不在可选范围内' });
  if (new Set(codes).size < 2) errors.push({ field: 'itemCodes', message: '“一件事”至少包含两个不同的事项' });
  const itemIds: string[] = [];
  for (const c of [...new Set(codes)]) {
    const item = await deps.catalog.getItemByCode(c, uow.tx);
    if (!item) errors.push({ field: 'itemCodes', message: `找不到实施编码为 ${c} 的事项` });
    else if (!item.jurisdictionCode.startsWith(prefix)) errors.push({ field: 'itemCodes', message: `事项“${item.name}”（${c}）不在您的管辖范围内` });
    else if (item.status !== 'published') errors.push({ field: 'itemCodes', message: `事项“${item.name}”（${c}）尚未发布或已暂停` });
    else itemIds.push(item.id);
  }
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  if (!existing) {
    if (await deps.catalog.getLifeEventByCode(code, uow.tx)) return refuse('duplicate', `编号 ${code} 已被使用`, [{ field: 'code', message: `编号 ${code} 已被使用` }]);
    const row = await deps.catalog.insertLifeEvent(uow.tx, { code, name, description, audience: audience as 'person' | 'enterprise', jurisdictionCode: actor.position.jurisdictionCode, itemIds, createdBy: actor.accountId });
    await uow.audit({ action: 'catalog.life_event.create', objectType: 'life_event', objectId: row.id, detail: { code, items: itemIds.length } });
    return ok(row);
  }
  const row = await deps.catalog.updateLifeEvent(uow.tx, existing.id, version, { name, description, itemIds, status: status as LifeEventRow['status'] });
  if (!row) return refuse('conflict', '该“一件事”已被他人修改，请刷新页面后重试');
  await uow.audit({ action: 'catalog.life_event.update', objectType: 'life_event', objectId: row.id, detail: { items: itemIds.length, status } });
  return ok(row);
}
