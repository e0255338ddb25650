import type { Tx } from '../../../platform/db/database.ts';
import type { FieldError } from '../../../platform/errors.ts';
import type { OrganisationDeps } from './deps.ts';

/** The division, type and parent an organisation points at exist (and the parent is no descendant of it). */
export async function checkReferences(
  deps: OrganisationDeps,
  tx: Tx,
  v: { jurisdictionCode?: string | undefined; type?: string | undefined; parentId?: string | null | undefined },
  selfId?: string,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (v.jurisdictionCode !== undefined) {
    const d = await deps.divisions.get(v.jurisdictionCode, tx);
    if (!d) errors.push({ field: 'jurisdictionCode', message: `行政区划代码 ${v.jurisdictionCode} 不存在，请从区划树中选择` });
    else if (d.validTo !== null) errors.push({ field: 'jurisdictionCode', message: `行政区划“${d.name}”（${d.code}）已于 ${d.validTo} 撤销，请选择现行区划` });
  }
  if (v.type !== undefined) {
    const types = await deps.organisations.types(tx);
    if (!types.some((t) => t.code === v.type)) errors.push({ field: 'type', message: '请从列表中选择机构类型' });
  }
  if (v.parentId) {
    const above = await deps.organisations.selfAndAncestorIds(v.parentId, tx);
    if (above.length === 0) errors.push({ field: 'parentId', message: '所选上级机构不存在' });
    else if (selfId && above.includes(selfId)) errors.push({ field: 'parentId', message: '不能把机构设为它自己或其下级机构的下级' });
  }
  return errors;
}

/** One name per jurisdiction, one organisation per USCC. */
export async function checkDuplicates(
  deps: OrganisationDeps,
  tx: Tx,
  v: { name: string; jurisdictionCode: string; uscc: string | null },
  selfId?: string,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const sameName = await deps.organisations.findByNameInJurisdiction(v.name, v.jurisdictionCode, tx);
  if (sameName && sameName.id !== selfId) errors.push({ field: 'name', message: '本行政区划内已有同名机构' });
  if (v.uscc) {
    const sameCode = await deps.organisations.findByUscc(v.uscc, tx);
    if (sameCode && sameCode.id !== selfId) errors.push({ field: 'uscc', message: `该统一社会信用代码已由“${sameCode.name}”使用` });
  }
  return errors;
}
