import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { VersionRow } from '../catalog.repository.ts';
import { namePinyin } from '../pinyin.ts';
import { canCatalog, inCatalogScope } from '../policies.ts';
import { checkQuality } from '../quality-rules.ts';
import { validateItemInput } from './create-item.ts';
import { forgetItemsOnCommit, type CatalogDeps } from './deps.ts';

/**
 * Saves the draft version's elements and form. Structural errors refuse the save; quality
 * findings are stored with the draft and shown as warnings (they block submit/publish).
 * `lockVersion` is the version the editor read: a stale one is a conflict (409).
 */
export async function saveDraft(
  deps: CatalogDeps,
  uow: UnitOfWork,
  itemId: string,
  lockVersion: number,
  input: { elements?: unknown; form?: unknown },
): Promise<Result<VersionRow, 'not_found' | 'forbidden' | 'invalid' | 'conflict'>> {
  const actor = uow.ctx.actor;
  forgetItemsOnCommit(deps, uow);
  const item = await deps.catalog.getItemForUpdate(uow.tx, itemId);
  if (!item || !inCatalogScope(deps.permissions, actor, item)) {
    await uow.audit({ action: 'catalog.edit', objectType: 'service_item', objectId: itemId, outcome: 'denied' });
    return refuse('not_found', '事项不存在或不在您的管辖范围内');
  }
  const open = await deps.catalog.openVersion(item.id, uow.tx);
  if (!canCatalog(deps.permissions, actor, 'edit', item, open) || !open) {
    await uow.audit({ action: 'catalog.edit', objectType: 'service_item', objectId: itemId, outcome: 'denied' });
    return refuse('forbidden', open?.status === 'in_review' ? '该版本正在审核，审核退回后才能修改' : '该事项当前没有可修改的草稿，请先“起草新版本”');
  }
  if (open.lockVersion !== lockVersion) return refuse('conflict', '该事项草稿已被他人修改，请刷新页面后重新修改');
  const current = { elements: input.elements ?? open.elements, form: input.form === undefined ? open.form : input.form };
  const { elements, form, errors } = validateItemInput(current);
  if (!elements.name) errors.unshift({ field: 'name', message: '请填写事项名称' });
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  // The page edits materials as lines of text, which cannot carry files: blank forms and
  // samples uploaded for a material stay with the material of the same name.
  for (const m of elements.materials) {
    const before = open.elements.materials.find((x) => x.name === m.name);
    if (!before) continue;
    m.blankFormAttachmentId ??= before.blankFormAttachmentId;
    m.sampleAttachmentId ??= before.sampleAttachmentId;
  }
  const issues = checkQuality(elements);
  const saved = await deps.catalog.updateVersion(uow.tx, open.id, lockVersion, { elements, form, issues });
  if (!saved) return refuse('conflict', '该事项草稿已被他人修改，请刷新页面后重新修改');
  if (item.status === 'draft') {
    // Never published: the item row shows the draft's name in lists and finders.
    const py = namePinyin(elements.name);
    await deps.catalog.updateItem(uow.tx, item.id, { name: elements.name, namePinyin: py.full, nameInitials: py.initials, basicCode: elements.basicCode, itemType: elements.itemType, exerciseLevel: elements.exerciseLevel, themes: [...elements.themes.naturalPerson, ...elements.themes.legalPerson] });
  }
  await uow.audit({ action: 'catalog.edit', objectType: 'service_item', objectId: item.id, detail: { versionId: open.id, versionNo: open.versionNo, issues: issues.length } });
  return ok(saved);
}
