import { isAcceptable, validateDivisionCode, validateUscc } from '../../platform/codes/validators.ts';
import type { InputOrigin, UsccStatus } from './types.ts';

export type UsccCheck =
  | { ok: true; uscc: string; status: UsccStatus; notes: string[] }
  | { ok: false; message: string };

/**
 * DOMAIN.md §1.2 / §1.2.2: a USCC typed by a user must be fully valid (a wrong check
 * character is refused with the validator's Chinese message); one from a registry or seed is
 * kept with a warning when only the check character fails. An unknown authority/category pair,
 * an odd division part or organization-code part is a warning only, whatever the origin.
 */
export function checkUscc(value: string, origin: InputOrigin): UsccCheck {
  const r = validateUscc(value);
  if (!isAcceptable(r, origin)) return { ok: false, message: r.message ?? '统一社会信用代码不正确' };
  const notes = [...(r.status === 'invalidCheck' && r.message ? [`${r.message}（来源数据，已保留）`] : []), ...r.warnings];
  const d = r.details;
  const status: UsccStatus =
    r.status === 'invalidCheck' ? 'invalidCheck'
    : d && !d.pairKnown ? 'unknownCategory'
    : d && validateDivisionCode(d.divisionCode).status !== 'valid' ? 'invalidDivision'
    : d && !d.organizationCodeValid ? 'invalidOrganizationCode'
    : 'valid';
  return { ok: true, uscc: r.normalized, status, notes };
}

export const USCC_STATUS_LABELS: Record<UsccStatus, string> = {
  valid: '校验通过',
  invalidCheck: '校验位不符（来源数据）',
  unknownCategory: '登记管理部门与机构类别组合未收录',
  invalidDivision: '第3–8位不是有效的行政区划代码',
  invalidOrganizationCode: '主体标识码未通过组织机构代码校验',
};
