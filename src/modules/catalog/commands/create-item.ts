import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { validateFormDefinition, type FormDefinition } from '../../../platform/forms/definition.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { ItemRow, VersionRow } from '../catalog.repository.ts';
import { parseElements } from '../elements-input.ts';
import { namePinyin } from '../pinyin.ts';
import { CATALOG_EDIT } from '../policies.ts';
import { checkQuality } from '../quality-rules.ts';
import { forgetItemsOnCommit, levelOfDivision, type CatalogDeps } from './deps.ts';

export interface ItemInput {
  implementationCode?: unknown;
  elements?: unknown;
  form?: unknown;
}

const CODE = /^[0-9A-Z]{1,24}$/;
export const EMPTY_FORM: FormDefinition = { version: 1, fields: [] };

/** Structural validation shared by create and save (quality rules are separate: they warn). */
export function validateItemInput(input: { elements?: unknown; form?: unknown }): { elements: ReturnType<typeof parseElements>['value']; form: FormDefinition; errors: FieldError[] } {
  const { value: elements, errors } = parseElements(input.elements ?? {});
  let form = EMPTY_FORM;
  if (input.form !== undefined && input.form !== null) {
    const f = validateFormDefinition(input.form);
    if (f.ok) form = f.definition;
    else errors.push(...f.errors.map((e) => ({ field: `form.${e.field}`, message: `申请表单：${e.message}` })));
  }
  return { elements, form, errors };
}

/**
 * A clerk of the implementing organisation drafts a new implementation item (version 1).
 * The implementation code is the idempotency key: a retried create answers "duplicate".
 */
export async function createItem(deps: CatalogDeps, uow: UnitOfWork, input: ItemInput): Promise<Result<{ item: ItemRow; version: VersionRow }, 'forbidden' | 'invalid' | 'duplicate'>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'staff' || !deps.permissions.has(actor, CATALOG_EDIT)) return refuse('forbidden', '您当前的岗位不能编制事项');
  const code = typeof input.implementationCode === 'string' ? input.implementationCode.trim().toUpperCase() : '';
  const { elements, form, errors } = validateItemInput(input);
  if (!CODE.test(code)) errors.unshift({ field: 'implementationCode', message: '实施编码应为 1 至 24 位数字或大写字母' });
  if (!elements.name) errors.unshift({ field: 'name', message: '请填写事项名称' });
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  if (await deps.catalog.getItemByCode(code, uow.tx)) {
    return refuse('duplicate', `实施编码 ${code} 已被使用`, [{ field: 'implementationCode', message: `实施编码 ${code} 已被使用` }]);
  }
  const py = namePinyin(elements.name);
  forgetItemsOnCommit(deps, uow);
  const item = await deps.catalog.insertItem(uow.tx, {
    implementationCode: code,
    basicCode: elements.basicCode,
    organisationId: actor.position.organisationId,
    organisationName: actor.position.organisationName,
    jurisdictionCode: actor.position.jurisdictionCode,
    name: elements.name,
    namePinyin: py.full,
    nameInitials: py.initials,
    itemType: elements.itemType,
    exerciseLevel: elements.exerciseLevel || levelOfDivision(actor.position.jurisdictionCode),
    themes: [...elements.themes.naturalPerson, ...elements.themes.legalPerson],
    createdBy: actor.accountId,
  });
  const version = await deps.catalog.insertVersion(uow.tx, { itemId: item.id, versionNo: 1, elements, form, issues: checkQuality(elements), createdBy: actor.accountId });
  await uow.audit({ action: 'catalog.create', objectType: 'service_item', objectId: item.id, detail: { implementationCode: code, versionId: version.id } });
  return ok({ item, version });
}
