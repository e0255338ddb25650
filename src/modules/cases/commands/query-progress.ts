import type { FieldError } from '../../../platform/errors.ts';
import type { CaseRepository, ProgressFound } from '../case.repository.ts';
import { checkQueryPassword } from '../domain/query-password.ts';

/** Number + password check (DOMAIN.md §3.8); a wrong pair never says which part was wrong. */
export async function queryProgress(
  cases: CaseRepository,
  caseNo: string,
  password: string,
): Promise<({ ok: true } & ProgressFound) | { ok: false; status: number; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  if (!/^[0-9A-Za-z-]{6,50}$/.test(caseNo)) errors.push({ field: 'caseNo', message: '请填写回执上的办件编号' });
  if (!/^\d{6}$/.test(password.trim())) errors.push({ field: 'password', message: '查询密码为 6 位数字' });
  if (errors.length > 0) return { ok: false, status: 400, errors };
  const found = await cases.progressByNumber(caseNo);
  if (!found || !checkQueryPassword(found.record.query_password_hash, password.trim())) {
    return { ok: false, status: 404, errors: [{ field: 'caseNo', message: '办件编号或查询密码不正确' }] };
  }
  return { ok: true, record: found.record, timeline: found.timeline };
}
