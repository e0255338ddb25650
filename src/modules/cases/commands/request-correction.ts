import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord, CorrectionItem } from '../case.repository.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, loadForAction, type CaseRefusal } from './transition.ts';

/**
 * 一次性告知补正 (行政许可法 Art. 32(4), DOMAIN.md §3.5): ONE notice listing everything to
 * correct, within 5 WD of receipt. No clock runs while the applicant corrects. A second notice
 * on the same application is recorded and flagged for e-supervision.
 */
export async function requestCorrection(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; items: CorrectionItem[] },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'requestCorrection');
  if (!loaded.ok) return loaded;
  const items = input.items
    .map((i) => ({ target: i.target.trim(), label: i.label.trim(), problem: i.problem.trim() }))
    .filter((i) => i.problem.length > 0);
  if (items.length === 0) return refuse('invalid', '请一次性列明需要补正的全部内容', [{ field: 'reason', message: '至少列出一项需要补正的内容及原因' }]);
  if (items.some((i) => i.problem.length > 500)) return refuse('invalid', '补正说明过长', [{ field: 'reason', message: '每项补正说明不超过 500 字' }]);
  const { record, roles } = loaded.value;
  const repeated = record.correction_count > 0;
  const list = items.map((i, n) => `${n + 1}. ${i.label ? `${i.label}：` : ''}${i.problem}`).join('\n');
  return applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event: 'requestCorrection',
    reason: list,
    clock: null,
    patch: { correction_list: items, correction_count: record.correction_count + 1 },
    nodeName: '预审',
    detail: { items: items.length, repeatedNotice: repeated },
    notice: `请一次性补正以下内容：\n${list}`,
  }).then((r) => (r.ok ? ok(r.value) : r));
}
