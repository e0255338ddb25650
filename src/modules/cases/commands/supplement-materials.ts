import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import { noticeClock } from '../domain/case-clocks.ts';
import type { CaseDeps } from './deps.ts';
import { checkMaterials, type MaterialChoice } from './submit-application.ts';
import { applyTransition, loadForAction, today, todayText, type CaseRefusal } from './transition.ts';

/**
 * 补正材料 by the applicant: the corrected materials are a new receipt (DOMAIN.md §3.3): the case
 * returns to SUBMITTED and the 5-WD notice clock runs afresh from today.
 */
export async function supplementMaterials(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; materials: MaterialChoice[]; note?: string },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'supplement');
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  if (input.materials.length === 0) return refuse('invalid', '请上传或选择补正的材料', [{ field: 'materials', message: '至少提交一份补正材料' }]);
  const found = await deps.items.itemForApplication(record.item_id);
  const materialList = found.ok ? found.item.materials : [];
  const item = found.ok ? found.item : null;
  if (item) {
    const errors = await checkMaterials(deps, uow, item, record.applicant_account_id, input.materials, false);
    if (errors.length > 0) return refuse('invalid', '补正材料有需要修改的地方', errors);
  }
  const result = await applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event: 'supplement',
    reason: input.note ?? null,
    clock: noticeClock(today(deps)),
    patch: { received_at: deps.now(), received_on: todayText(deps) },
    nodeName: '补正',
    detail: { materials: input.materials.length },
  });
  if (!result.ok) return result;
  for (const c of input.materials) {
    const m = materialList.find((x) => x.code === c.code);
    const lib = await deps.cases.libraryItem(record.applicant_account_id, c.attachmentId, uow.tx);
    await deps.cases.addMaterial(uow.tx, { case_id: record.id, material_code: c.code, material_name: m?.name ?? c.code, attachment_id: c.attachmentId, file_name: lib?.file_name ?? '', round: record.correction_count });
  }
  return result;
}
