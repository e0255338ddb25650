import type { FieldError } from '../../../platform/errors.ts';
import { isDivisionCode, toDivisionCode } from '../division-codes.ts';
import { isUuid } from '../organisation.repository.ts';
import type { OrganisationInput } from '../types.ts';

/** Chinese field names, for error summaries and audit details. */
export const ORGANISATION_FIELD_LABELS: Record<string, string> = {
  name: '机构名称',
  shortName: '简称',
  jurisdictionCode: '所属行政区划',
  uscc: '统一社会信用代码',
  type: '机构类型',
  parentId: '上级机构',
  sortOrder: '排序号',
  version: '版本',
};

/** Fields after the shape checks; absent keys were not given (a partial update). */
export interface OrganisationValues {
  name?: string;
  shortName?: string | null;
  jurisdictionCode?: string;
  uscc?: string | null;
  type?: string;
  parentId?: string | null;
  sortOrder?: number;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.normalize('NFKC').trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * Shape checks of an organisation's fields, the same for the form and the API. `complete`
 * requires the fields a new organisation must have; otherwise only the given keys are checked.
 * Checks against the database (division exists, duplicates, USCC) are the commands' job.
 */
export function readOrganisationInput(raw: OrganisationInput, complete: boolean): { value: OrganisationValues; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const value: OrganisationValues = {};
  const given = (k: keyof OrganisationInput) => raw[k] !== undefined;

  if (complete || given('name')) {
    const name = text(raw.name) ?? '';
    if (name === '') errors.push({ field: 'name', message: '请填写机构名称' });
    else if ([...name].length > 100) errors.push({ field: 'name', message: '机构名称不能超过100个字' });
    else value.name = name;
  }
  if (given('shortName')) {
    const s = raw.shortName === null ? '' : text(raw.shortName);
    if (s === undefined) errors.push({ field: 'shortName', message: '简称应为文字' });
    else if ([...s].length > 50) errors.push({ field: 'shortName', message: '简称不能超过50个字' });
    else value.shortName = s === '' ? null : s;
  }
  if (complete || given('jurisdictionCode')) {
    const code = (text(raw.jurisdictionCode) ?? '').replace(/\s/g, '');
    if (code === '') errors.push({ field: 'jurisdictionCode', message: '请选择或填写所属行政区划' });
    else if (/^\d{2}$|^\d{4}$/.test(code)) value.jurisdictionCode = toDivisionCode(code);
    else if (!isDivisionCode(code)) errors.push({ field: 'jurisdictionCode', message: '行政区划代码应为6位（省、市、县）、9位（乡镇街道）或12位（村社区）数字' });
    else value.jurisdictionCode = code;
  }
  if (given('uscc')) {
    const u = raw.uscc === null ? '' : text(raw.uscc);
    if (u === undefined) errors.push({ field: 'uscc', message: '统一社会信用代码应为文字' });
    else value.uscc = u === '' ? null : u;
  }
  if (complete || given('type')) {
    const type = text(raw.type) ?? '';
    if (type === '') errors.push({ field: 'type', message: '请选择机构类型' });
    else value.type = type;
  }
  if (given('parentId')) {
    const p = raw.parentId === null ? '' : text(raw.parentId);
    if (p === undefined || (p !== '' && !isUuid(p))) errors.push({ field: 'parentId', message: '所选上级机构不存在' });
    else value.parentId = p === '' ? null : p.toLowerCase();
  }
  if (given('sortOrder')) {
    const s = text(raw.sortOrder) ?? '';
    const n = s === '' ? 0 : Number(s);
    if (!Number.isInteger(n) || n < 0 || n > 9999) errors.push({ field: 'sortOrder', message: '排序号应为0至9999之间的整数' });
    else value.sortOrder = n;
  }
  return { value, errors };
}
