import { formatCivilDate, civilDayAt } from '../../platform/calendar/index.ts';
import type { PdfDocumentSpec } from '../../platform/pdf/index.ts';
import { formatDateTime } from '../../platform/views/forms.ts';
import type { CaseMaterialRow, CaseRecord } from './case.repository.ts';
import { remedyNotice } from './domain/remedy.ts';

/**
 * The vouchers and decisions of a case as PDF specs (DOMAIN.md §3.5 item 4; 行政许可法 Arts. 32,
 * 38): 申请回执, 受理通知书, 不予受理通知书, 补正告知书 (一次性告知书), 准予 / 不予许可决定书.
 */
export type CaseDocumentKind = 'receipt' | 'acceptance' | 'non-acceptance' | 'correction' | 'decision';

export const DOCUMENT_TITLES: Record<CaseDocumentKind, string> = {
  receipt: '申请材料接收凭证',
  acceptance: '受理通知书',
  'non-acceptance': '不予受理通知书',
  correction: '补正材料告知书',
  decision: '行政许可决定书',
};

/** Whether the document exists for the case in its current state. */
export function documentAvailable(kind: CaseDocumentKind, c: CaseRecord): boolean {
  switch (kind) {
    case 'receipt':
      return c.case_no !== null;
    case 'acceptance':
      return c.accepted_at !== null;
    case 'non-acceptance':
      return c.result_code === 6;
    case 'correction':
      return (c.correction_list?.length ?? 0) > 0;
    case 'decision':
      return c.decided_at !== null;
  }
}

const day = (d: Date | null) => (d ? formatCivilDate(civilDayAt(d)) : '');

export function caseDocument(kind: CaseDocumentKind, c: CaseRecord, materials: CaseMaterialRow[]): PdfDocumentSpec {
  const addressee = `${c.applicant_name_masked}：`;
  const signature = { organisation: c.organisation_name, date: formatCivilDate(civilDayAt(new Date())) };
  const meta = { subject: c.item_name, keywords: c.case_no ?? '' };
  switch (kind) {
    case 'receipt':
      return {
        title: DOCUMENT_TITLES.receipt,
        documentNumber: c.case_no ?? undefined,
        addressee,
        blocks: [
          `你（单位）于 ${formatDateTime(c.received_at)} 在线提交的“${c.item_name}”申请，本机关已收到，办件编号 ${c.case_no ?? ''}。本机关将在五个工作日内告知是否受理或者需要补正的全部内容。`,
          { kind: 'table', caption: '收件清单', columns: [{ title: '序号', width: 0.5, align: 'center' }, { title: '材料名称', width: 3 }, { title: '文件', width: 3 }], rows: materials.map((m, i) => [String(i + 1), m.material_name, m.file_name]) },
          '可凭办件编号和查询密码在湖北政务服务网“办件查询”中查看办理进度。',
        ],
        signature: { organisation: c.organisation_name, date: day(c.received_at) },
        meta,
      };
    case 'acceptance':
      return {
        title: DOCUMENT_TITLES.acceptance,
        documentNumber: c.acceptance_no ?? undefined,
        addressee,
        blocks: [
          `你（单位）于 ${day(c.received_at)} 提出的“${c.item_name}”申请（办件编号 ${c.case_no ?? ''}），申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条第一款第五项的规定，本机关决定予以受理。`,
          `本机关将于 ${c.decision_due_on ?? ''} 前作出行政许可决定。依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在期限内，本机关将书面告知所需时间。`,
        ],
        signature: { organisation: c.organisation_name, date: day(c.accepted_at) },
        notes: ['（受理专用章）'],
        meta,
      };
    case 'non-acceptance':
      return {
        title: DOCUMENT_TITLES['non-acceptance'],
        documentNumber: c.acceptance_no ?? undefined,
        addressee,
        blocks: [
          `你（单位）于 ${day(c.received_at)} 提出的“${c.item_name}”申请（办件编号 ${c.case_no ?? ''}），经审查，本机关决定不予受理。理由如下：`,
          c.decision_reasons ?? c.close_reason ?? '',
          remedyNotice(),
        ],
        signature: { organisation: c.organisation_name, date: day(c.closed_at) },
        notes: ['（受理专用章）'],
        meta,
      };
    case 'correction':
      return {
        title: DOCUMENT_TITLES.correction,
        addressee,
        blocks: [
          `你（单位）于 ${day(c.received_at)} 提出的“${c.item_name}”申请（办件编号 ${c.case_no ?? ''}），申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第四项的规定，现一次性告知你（单位）需要补正的全部内容：`,
          { kind: 'table', columns: [{ title: '序号', width: 0.5, align: 'center' }, { title: '材料或事项', width: 2 }, { title: '补正要求', width: 4 }], rows: (c.correction_list ?? []).map((i, n) => [String(n + 1), i.label || i.target, i.problem]) },
          '请在线提交补正材料。补正材料提交之日为收到申请之日。',
        ],
        signature,
        meta,
      };
    case 'decision': {
      const granted = c.decision === 'approve';
      return {
        title: granted ? '准予行政许可决定书' : '不予行政许可决定书',
        documentNumber: c.acceptance_no ? `${c.acceptance_no}-决` : undefined,
        addressee,
        blocks: granted
          ? [
              `你（单位）于 ${day(c.received_at)} 提出的“${c.item_name}”申请（办件编号 ${c.case_no ?? ''}），经审查，符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予行政许可。`,
              c.certificate_no ? `许可证件编号：${c.certificate_no}。` : '本机关将在十个工作日内向你（单位）颁发、送达行政许可证件。',
            ]
          : [
              `你（单位）于 ${day(c.received_at)} 提出的“${c.item_name}”申请（办件编号 ${c.case_no ?? ''}），经审查，不符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可。理由如下：`,
              c.decision_reasons ?? '',
              remedyNotice(),
            ],
        signature: { organisation: c.organisation_name, date: day(c.decided_at) },
        notes: ['（行政许可专用章）'],
        meta,
      };
    }
  }
}
