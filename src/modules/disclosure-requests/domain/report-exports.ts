/**
 * The annual report as a PDF (platform/pdf) and as an Excel workbook (exceljs), from the same
 * tables the page shows.
 */
import ExcelJS from 'exceljs';
import type { PdfBlock, PdfDocumentSpec } from '../../../platform/pdf/index.ts';
import { type AnnualTables, NARRATIVE_SECTIONS, type Narrative, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS } from './annual-report.ts';

export function reportTitle(scopeName: string, year: number): string {
  return `${scopeName}${year}年政府信息公开工作年度报告`;
}

export function table2Rows(t: AnnualTables): string[][] | null {
  const s = t.table2;
  if (!s) return null;
  return [...s.byCategory.map((c) => [c.label, String(c.created), String(c.published), String(c.withdrawn)]), ['合计', String(s.total.created), String(s.total.published), String(s.total.withdrawn)]];
}

export function table3Rows(t: AnnualTables): string[][] {
  return TABLE3_ROWS.map((r) => [r.label, ...TABLE3_COLUMNS.map((c) => String(t.table3[r.key][c.key]))]);
}

export function table4Rows(t: AnnualTables): string[][] {
  return TABLE4_GROUPS.map((g) => [g.label, ...TABLE4_COLUMNS.map((c) => String(t.table4[g.key][c.key]))]);
}

export const TABLE2_HEAD = ['公开目录类别', '本年形成件数', '本年主动公开件数', '本年撤回件数'];

export function reportPdfSpec(r: { scopeName: string; year: number; narrative: Narrative; tables: AnnualTables; publishedAt: Date | null }): PdfDocumentSpec {
  const blocks: PdfBlock[] = [];
  const narrative = (key: (typeof NARRATIVE_SECTIONS)[number]['key']) =>
    (r.narrative[key] ?? '')
      .split(/\n+/)
      .map((x) => x.trim())
      .filter(Boolean);
  for (const s of NARRATIVE_SECTIONS) {
    blocks.push({ kind: 'heading', text: s.title });
    blocks.push(...narrative(s.key));
    if (s.key === 'proactive') {
      const rows = table2Rows(r.tables);
      if (rows) blocks.push({ kind: 'table', fontSize: 10, columns: TABLE2_HEAD.map((title, i) => ({ title, width: i === 0 ? 3 : 1.5, align: i === 0 ? 'left' : 'right' })), rows });
      else blocks.push({ kind: 'paragraph', text: '（主动公开情况统计暂未接入本系统。）', indent: true });
    }
    if (s.key === 'requests') {
      blocks.push({
        kind: 'table',
        fontSize: 8,
        columns: [{ title: '本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和', width: 5 }, ...TABLE3_COLUMNS.map((c) => ({ title: c.label, width: 1, align: 'right' as const }))],
        rows: table3Rows(r.tables),
      });
    }
    if (s.key === 'remedies') {
      blocks.push({ kind: 'table', fontSize: 10, columns: [{ title: '类别', width: 3 }, ...TABLE4_COLUMNS.map((c) => ({ title: c.label, align: 'right' as const }))], rows: table4Rows(r.tables) });
    }
  }
  return {
    title: reportTitle(r.scopeName, r.year),
    blocks,
    ...(r.publishedAt ? { signature: { organisation: r.scopeName, date: r.publishedAt } } : {}),
    meta: { author: r.scopeName, subject: '政府信息公开工作年度报告', ...(r.publishedAt ? { createdAt: r.publishedAt } : {}) },
  };
}

export async function reportWorkbook(r: { scopeName: string; year: number; tables: AnnualTables }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengwu';
  wb.title = reportTitle(r.scopeName, r.year);
  const sheet = (name: string, head: string[], rows: string[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([reportTitle(r.scopeName, r.year)]).font = { bold: true };
    ws.addRow(head).font = { bold: true };
    for (const row of rows) ws.addRow(row.map((v, i) => (i > 0 && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v)));
    ws.getColumn(1).width = 60;
    for (let i = 2; i <= head.length; i++) ws.getColumn(i).width = 14;
  };
  const t2 = table2Rows(r.tables);
  if (t2) sheet('二、主动公开', TABLE2_HEAD, t2);
  sheet('三、依申请公开', ['项目', ...TABLE3_COLUMNS.map((c) => c.label)], table3Rows(r.tables));
  sheet('四、复议诉讼', ['类别', ...TABLE4_COLUMNS.map((c) => c.label)], table4Rows(r.tables));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
