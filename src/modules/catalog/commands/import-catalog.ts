import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { Transactor } from '../../../platform/unit-of-work.ts';
import type { RequestContext } from '../../../platform/auth/actor.ts';
import type { ImportProblem, ImportRow } from '../excel.ts';
import { CATALOG_EDIT, inCatalogScope } from '../policies.ts';
import { changeItem } from './change-item.ts';
import { createItem, EMPTY_FORM } from './create-item.ts';
import type { CatalogDeps } from './deps.ts';
import { saveDraft } from './save-draft.ts';

export interface ImportReport {
  created: number;
  updated: number;
  problems: ImportProblem[];
}

class RowRefused extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.reason);
  }
}

/**
 * Applies checked spreadsheet rows as drafts, keyed by implementation code (idempotent: the
 * same file twice gives the same drafts). All rows in one transaction: one refused row and
 * nothing is applied; the report names the row, the column and the reason.
 */
export async function importCatalog(deps: CatalogDeps, transactor: Transactor, ctx: RequestContext, rows: ImportRow[]): Promise<Result<ImportReport, 'forbidden' | 'invalid'>> {
  const actor = ctx.actor;
  if (actor.kind !== 'staff' || !deps.permissions.has(actor, CATALOG_EDIT)) return refuse('forbidden', '您当前的岗位不能导入事项');
  try {
    const counts = await transactor.run(ctx, async (uow) => {
      let created = 0;
      let updated = 0;
      for (const r of rows) {
        const fail = (column: string, reason: string) => {
          throw new RowRefused({ row: r.row, column, reason });
        };
        const existing = await deps.catalog.getItemByCode(r.implementationCode, uow.tx);
        if (!existing) {
          const c = await createItem(deps, uow, { implementationCode: r.implementationCode, elements: r.elements, form: r.form ?? EMPTY_FORM });
          if (!c.ok) fail(c.fields?.[0]?.field === 'implementationCode' ? '实施编码' : '', c.fields?.[0]?.message ?? c.message);
          created += 1;
          continue;
        }
        if (!inCatalogScope(deps.permissions, actor, existing) || existing.organisationId !== actor.position.organisationId) fail('实施编码', `实施编码 ${r.implementationCode} 属于其他实施主体，不能导入修改`);
        let open = await deps.catalog.openVersion(existing.id, uow.tx);
        if (open?.status === 'in_review') fail('实施编码', '该事项的在编版本正在审核，审核完成后再导入');
        if (!open) {
          if (existing.status === 'cancelled') fail('实施编码', '该事项已取消，不能再导入修改');
          const nv = await changeItem(deps, uow, existing.id, existing.version, { kind: 'new_version' });
          if (!nv.ok) fail('实施编码', nv.message);
          open = nv.ok ? nv.value.version : null;
        }
        if (!open) continue;
        const s = await saveDraft(deps, uow, existing.id, open.lockVersion, { elements: r.elements, form: r.form ?? open.form });
        if (!s.ok) fail(s.fields?.[0]?.field ?? '', s.fields?.[0]?.message ?? s.message);
        updated += 1;
      }
      await uow.audit({ action: 'catalog.import', objectType: 'service_item', detail: { created, updated, rows: rows.length } });
      return { created, updated };
    });
    return ok({ ...counts, problems: [] });
  } catch (e) {
    if (e instanceof RowRefused) return refuse('invalid', `第 ${e.problem.row} 行不能导入，整个文件未导入`, [{ field: `row${e.problem.row}`, message: `${e.problem.column ? `${e.problem.column}：` : ''}${e.problem.reason}` }]);
    throw e;
  }
}
