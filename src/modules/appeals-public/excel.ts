import ExcelJS from 'exceljs';
import type { FigureRow, Figures } from './figures.ts';

const HEAD = ['受理量', '办结量', '按时办结量', '按时办结率(%)', '已评价', '满意(含基本满意)', '满意率(%)', '投诉量', '重复投诉', '重复投诉率(%)'];
const cells = (r: FigureRow) => [r.received, r.closed, r.closedOnTime, r.onTimeRate, r.rated, r.satisfied, r.satisfactionRate, r.complaints, r.repeatComplaints, r.repeatRate];

/** The figures as a workbook: by unit, by month, and unit × month. */
export async function figuresWorkbook(f: Figures, scopeLabel: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '湖北政务服务网 · 诉求办理统计';
  wb.created = new Date();
  const sheet = (name: string, first: string[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([`诉求办理统计（${f.from} 至 ${f.to}，${scopeLabel}）`]);
    ws.addRow([...first, ...HEAD]).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.columns.forEach((c, i) => {
      c.width = i < first.length ? 28 : 14;
    });
    ws.views = [{ state: 'frozen', ySplit: 2 }];
  };
  sheet('按承办单位', ['承办单位'], [...f.byDepartment.map((r) => [r.label, ...cells(r)]), ['合计', ...cells(f.total)]]);
  sheet('按月份', ['月份'], f.byMonth.map((r) => [r.label, ...cells(r)]));
  sheet(
    '单位×月份',
    ['承办单位', '月份'],
    f.cells.map((c) => {
      const pct = (n: number, b: number) => (b === 0 ? null : Math.round((n / b) * 1000) / 10);
      return [c.orgName, c.month, c.received, c.closed, c.closedOnTime, pct(c.closedOnTime, c.closed), c.rated, c.satisfied, pct(c.satisfied, c.rated), c.complaints, c.repeatComplaints, pct(c.repeatComplaints, c.complaints)];
    }),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
