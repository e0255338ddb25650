import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { DisclosureDeps } from './deps.ts';

export interface CategoryInput {
  code?: unknown;
  name?: unknown;
  parentCode?: unknown;
  deadlineDays?: unknown;
  legalBasis?: unknown;
}

/**
 * The disclosure catalog (公开目录) is configurable: categories are added or renamed (never
 * deleted — publications point at them). A category may set its own publication period when a
 * law or regulation provides otherwise (条例 Art. 26), and then must name that legal basis.
 */
export async function saveCategory(deps: DisclosureDeps, uow: UnitOfWork, input: CategoryInput): Promise<Result<{ code: string; outcome: 'created' | 'updated' }, 'forbidden' | 'invalid'>> {
  if (!deps.permissions.has(uow.ctx.actor, 'disclosure.catalog')) return refuse('forbidden', '您没有维护公开目录的权限');
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const code = str(input.code);
  const name = str(input.name);
  const parentCode = str(input.parentCode) || null;
  const daysText = str(input.deadlineDays);
  const legalBasis = str(input.legalBasis) || null;
  const errors: FieldError[] = [];
  const categories = await deps.publications.categories(uow.tx);
  const existing = categories.find((c) => c.code === code);
  if (!/^[a-z0-9-]{1,40}$/.test(code)) errors.push({ field: 'code', message: '分类代码只能含小写字母、数字和连字符，不超过 40 个字符' });
  if (!name) errors.push({ field: 'name', message: '请填写分类名称' });
  else if ([...name].length > 40) errors.push({ field: 'name', message: '分类名称不能超过 40 个字' });
  if (parentCode && !existing) {
    const parent = categories.find((c) => c.code === parentCode);
    if (!parent) errors.push({ field: 'parentCode', message: '上级分类不存在' });
    else if (parent.parentCode) errors.push({ field: 'parentCode', message: '公开目录最多两级，请选择一级分类作为上级' });
  }
  let deadlineDays: number | null = null;
  if (daysText) {
    deadlineDays = /^\d{1,3}$/.test(daysText) ? Number(daysText) : NaN;
    if (!Number.isInteger(deadlineDays) || deadlineDays < 1 || deadlineDays > 365) errors.push({ field: 'deadlineDays', message: '公开时限应为 1 到 365 之间的工作日数' });
    else if (!legalBasis) errors.push({ field: 'legalBasis', message: '另行规定公开时限时，须写明法律、法规依据' });
  }
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const outcome = await deps.publications.saveCategory(uow.tx, { code, name, parentCode: existing ? existing.parentCode : parentCode, deadlineDays, legalBasis: deadlineDays ? legalBasis : null });
  await uow.audit({ action: 'disclosure.category.save', objectType: 'disclosure_category', objectId: code, detail: { name, outcome, deadlineDays } });
  return ok({ code, outcome });
}
