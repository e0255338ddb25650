import ExcelJS from 'exceljs';
import { formatDateTime } from '../../platform/views/forms.ts';
import type { CommentRow, ConsultationRow, ResponseRow } from './consultation.repository.ts';
import { answerText } from './questionnaire.ts';
import { ADOPTION_LABEL } from './views/shared.ts';

export interface Sheet {
  name: string;
  headers: string[];
  rows: string[][];
}

const COMMENT_STATUS = { pending: '待审核', approved: '已公开', hidden: '不予公开' } as const;
const TEXT_STATUS = { none: '', pending: '待审核', approved: '已公开', hidden: '不予公开' } as const;

/** The organiser's export: every comment (with contact, for follow-up) or every response (answers as text). */
export function exportSheet(c: ConsultationRow, comments: CommentRow[], responses: ResponseRow[]): Sheet {
  if (c.kind === 'draft') {
    return {
      name: '意见',
      headers: ['序号', '提交时间', '提出人', '参与方式', '联系方式', '意见内容', '审核状态', '审核理由', '采纳情况', '采纳理由'],
      rows: comments.map((x, i) => [
        String(i + 1),
        formatDateTime(x.createdAt),
        x.authorName,
        x.accountId ? '登录账号' : '匿名',
        x.contact ?? '',
        x.body,
        COMMENT_STATUS[x.status],
        x.moderationReason ?? '',
        x.adoption ? ADOPTION_LABEL[x.adoption] : '',
        x.adoptionReason ?? '',
      ]),
    };
  }
  return {
    name: '答卷',
    headers: ['序号', '提交时间', '参与方式', ...c.questions.map((q, i) => `${i + 1}. ${q.title}`), '文字回答审核'],
    rows: responses.map((r, i) => [String(i + 1), formatDateTime(r.createdAt), r.accountId ? '登录账号' : '匿名（浏览器）', ...c.questions.map((q) => answerText(q, r.answers[q.id])), TEXT_STATUS[r.textStatus]]),
  };
}

/** A cell a spreadsheet would run as a formula (=, +, -, @) is written as text. */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV with a UTF-8 BOM, so Excel opens the Chinese text correctly. */
export function toCsv(sheet: Sheet): string {
  const line = (cells: string[]) => cells.map((v) => `"${inert(v).replace(/"/g, '""')}"`).join(',');
  return `\uFEFF${[line(sheet.headers), ...sheet.rows.map(line)].join('\r\n')}\r\n`;
}

export async function toXlsx(sheet: Sheet, title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengwu';
  wb.title = title;
  const ws = wb.addWorksheet(sheet.name);
  ws.addRow(sheet.headers).font = { bold: true };
  for (const r of sheet.rows) ws.addRow(r.map(inert));
  ws.columns.forEach((col, i) => {
    const longest = Math.max(...[sheet.headers[i] ?? '', ...sheet.rows.map((r) => r[i] ?? '')].map((v) => Math.min(60, [...v].length)));
    col.width = Math.max(8, longest * 2);
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
