import { civilDayAt, formatCivilDate } from '../../../platform/calendar/index.ts';
import type { Tx } from '../../../platform/db/database.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { PublicationRow } from '../publication.repository.ts';
import type { DisclosureDeps } from './deps.ts';

/** Registry generator used where no jurisdiction names its own (DOMAIN.md §7.4 default `{orgCode}/{yyyy}-{seq:5}`). */
export const DEFAULT_INDEX_GENERATOR = 'index-number';

/** The jurisdiction and its ancestors, nearest first: 420102 → 420102, 420100, 420000. */
export function jurisdictionChain(code: string): string[] {
  const c6 = code.slice(0, 6);
  const chain = [code, c6, `${c6.slice(0, 4)}00`, `${c6.slice(0, 2)}0000`];
  return [...new Set(chain)];
}

/** 组织机构代码 inside a USCC: positions 9–17 (GB 32100-2015). */
export function orgCodeFromUscc(uscc: string | null): string | null {
  if (!uscc || uscc.length !== 18) return null;
  return uscc.slice(8, 17);
}

/**
 * 索引号 (DOMAIN.md §7.4): allocated at publication from the template of the nearest
 * jurisdiction that configured one (disclosure.index_rule → a registry number generator),
 * gap-free inside the publishing transaction, never changed afterwards.
 */
export async function indexNumberFor(deps: DisclosureDeps, tx: Tx, p: PublicationRow, uscc: string | null, publishedAt: Date): Promise<Result<string, 'invalid'>> {
  const generatorId = (await deps.publications.indexGenerator(jurisdictionChain(p.jurisdictionCode), tx)) ?? DEFAULT_INDEX_GENERATOR;
  const orgCode = orgCodeFromUscc(uscc);
  if (!orgCode || !uscc) {
    return refuse('invalid', '本机构未登记统一社会信用代码，无法按模板生成索引号，请联系系统管理员补录机构信息', [{ field: 'indexNumber', message: '缺少机构的统一社会信用代码' }]);
  }
  // The year (month, day) printed is that of publication (an imported document keeps its own).
  const date = formatCivilDate(civilDayAt(publishedAt));
  const issued = await deps.numbers.next(tx, generatorId, { date, orgId: p.organisationId, orgCode, uscc, region: p.jurisdictionCode.slice(0, 6) });
  return ok(issued.value);
}
