import ExcelJS from 'exceljs';
import { validateFormDefinition, type FormDefinition } from '../../platform/forms/definition.ts';
import type { ItemRow, VersionRow } from './catalog.repository.ts';
import { linesToFees, linesToMaterials, linesToSteps, materialsToLines, parseElements, stepsToLines } from './elements-input.ts';
import type { ItemElements } from './types.ts';

/**
 * The catalog in the element layout officials keep in spreadsheets: one row per
 * implementation item, one column per element (lists as one entry per line, codes as in the
 * code tables, the form as JSON). Export and import use the same column list, so an exported
 * file imports unchanged.
 */
interface Column {
  header: string;
  width: number;
  get: (e: ItemElements, form: FormDefinition) => string | number;
  /** Puts the cell's text into the raw element object parseElements reads. */
  set?: (raw: Record<string, unknown>, text: string) => void;
}

const yes = (b: boolean) => (b ? '是' : '否');
const isYes = (s: string) => s === '是' || s === '1' || s.toLowerCase() === 'true';
const codes = (l: string[]) => l.join('^');
const limit = (raw: Record<string, unknown>, key: string, part: 'n' | 'unit', text: string) => {
  const current = (raw[key] as Record<string, unknown> | undefined) ?? {};
  raw[key] = { ...current, [part]: text };
};

const COLUMNS: Column[] = [
  { header: '事项名称', width: 28, get: (e) => e.name, set: (r, s) => (r.name = s) },
  { header: '基本编码', width: 14, get: (e) => e.basicCode, set: (r, s) => (r.basicCode = s) },
  { header: '事项类型代码', width: 10, get: (e) => e.itemType, set: (r, s) => (r.itemType = s.padStart(2, '0')) },
  { header: '设定依据', width: 40, get: (e) => e.legalBasis, set: (r, s) => (r.legalBasis = s) },
  { header: '行使层级代码', width: 10, get: (e) => e.exerciseLevel, set: (r, s) => (r.exerciseLevel = s) },
  { header: '实施主体性质代码', width: 10, get: (e) => e.implementerNature, set: (r, s) => (r.implementerNature = s) },
  { header: '行使内容', width: 20, get: (e) => e.contentExercised, set: (r, s) => (r.contentExercised = s) },
  { header: '联办机构', width: 16, get: (e) => e.coImplementers, set: (r, s) => (r.coImplementers = s) },
  { header: '法定办结时限', width: 8, get: (e) => e.legalLimit?.n ?? '', set: (r, s) => limit(r, 'legalLimit', 'n', s) },
  { header: '法定时限单位（G/Z）', width: 8, get: (e) => e.legalLimit?.unit ?? '', set: (r, s) => limit(r, 'legalLimit', 'unit', s.toUpperCase()) },
  { header: '法定时限说明', width: 20, get: (e) => e.legalLimitNote, set: (r, s) => (r.legalLimitNote = s) },
  { header: '承诺办结时限', width: 8, get: (e) => e.promisedLimit?.n ?? '', set: (r, s) => limit(r, 'promisedLimit', 'n', s) },
  { header: '承诺时限单位（1-5）', width: 8, get: (e) => e.promisedLimit?.unit ?? '', set: (r, s) => limit(r, 'promisedLimit', 'unit', s) },
  { header: '承诺时限说明', width: 20, get: (e) => e.promisedLimitNote, set: (r, s) => (r.promisedLimitNote = s) },
  { header: '办件类型（即办件/承诺件）', width: 10, get: (e) => (e.caseType === 'instant' ? '即办件' : '承诺件'), set: (r, s) => (r.caseType = s === '即办件' ? 'instant' : s === '承诺件' ? 'promised' : s) },
  { header: '审查类型（即审即办/前审后批）', width: 12, get: (e) => (e.reviewType === 'immediate' ? '即审即办' : '前审后批'), set: (r, s) => (r.reviewType = s === '即审即办' ? 'immediate' : s === '前审后批' ? 'review_then_approve' : s) },
  { header: '受理条件', width: 40, get: (e) => e.acceptanceConditions, set: (r, s) => (r.acceptanceConditions = s) },
  { header: '办理流程（环节|时限|单位|说明）', width: 40, get: (e) => stepsToLines(e.processSteps), set: (r, s) => (r.processSteps = linesToSteps(s)) },
  { header: '中介服务', width: 12, get: (e) => e.intermediaryServices, set: (r, s) => (r.intermediaryServices = s) },
  { header: '数量限制', width: 12, get: (e) => e.quantityLimit, set: (r, s) => (r.quantityLimit = s) },
  { header: '特别程序', width: 12, get: (e) => e.specialProcedures, set: (r, s) => (r.specialProcedures = s) },
  { header: '审批结果名称', width: 20, get: (e) => e.resultName, set: (r, s) => (r.resultName = s) },
  { header: '审批结果类型（approval/certificate/document）', width: 12, get: (e) => e.resultType, set: (r, s) => (r.resultType = s) },
  { header: '审批结果样本附件', width: 20, get: (e) => e.resultSampleAttachmentId ?? '', set: (r, s) => (r.resultSampleAttachmentId = s) },
  { header: '是否收费', width: 6, get: (e) => yes(e.feeCharged), set: (r, s) => (r.feeCharged = isYes(s)) },
  { header: '收费项目（名称|标准|依据）', width: 30, get: (e) => e.fees.map((f) => [f.name, f.standard, f.basis].join(' | ')).join('\n'), set: (r, s) => (r.fees = linesToFees(s)) },
  { header: '收费依据', width: 20, get: (e) => e.feeBasis, set: (r, s) => (r.feeBasis = s) },
  { header: '服务对象代码', width: 10, get: (e) => codes(e.serviceObjects), set: (r, s) => (r.serviceObjects = s.split(/[\^,，、]/).filter(Boolean)) },
  { header: '自然人主题', width: 16, get: (e) => codes(e.themes.naturalPerson), set: (r, s) => (r.themes = { ...(r.themes ?? {}), naturalPerson: s.split(/[\^,，、]/).filter(Boolean) }) },
  { header: '法人主题', width: 16, get: (e) => codes(e.themes.legalPerson), set: (r, s) => (r.themes = { ...(r.themes ?? {}), legalPerson: s.split(/[\^,，、]/).filter(Boolean) }) },
  { header: '办理形式代码', width: 10, get: (e) => codes(e.handlingForms), set: (r, s) => (r.handlingForms = s.split(/[\^,，、]/).filter(Boolean)) },
  { header: '支持预约', width: 6, get: (e) => yes(e.bookingSupported), set: (r, s) => (r.bookingSupported = isYes(s)) },
  { header: '支持网上支付', width: 6, get: (e) => yes(e.onlinePaymentSupported), set: (r, s) => (r.onlinePaymentSupported = isYes(s)) },
  { header: '支持物流快递', width: 6, get: (e) => yes(e.courierSupported), set: (r, s) => (r.courierSupported = isYes(s)) },
  { header: '是否网办', width: 6, get: (e) => yes(e.online), set: (r, s) => (r.online = isYes(s)) },
  { header: '网上办理深度（I-IV）', width: 8, get: (e) => e.onlineDepth, set: (r, s) => (r.onlineDepth = s.toUpperCase()) },
  { header: '到办事现场次数', width: 6, get: (e) => e.visitCount, set: (r, s) => (r.visitCount = s) },
  { header: '必须现场办理原因', width: 20, get: (e) => e.visitReason, set: (r, s) => (r.visitReason = s) },
  { header: '办理地点', width: 30, get: (e) => e.location, set: (r, s) => (r.location = s) },
  { header: '办理时间', width: 30, get: (e) => e.officeHours, set: (r, s) => (r.officeHours = s) },
  { header: '咨询方式', width: 20, get: (e) => e.consultationMethod, set: (r, s) => (r.consultationMethod = s) },
  { header: '咨询电话', width: 14, get: (e) => e.consultationPhone, set: (r, s) => (r.consultationPhone = s) },
  { header: '监督投诉电话', width: 14, get: (e) => e.supervisionPhone, set: (r, s) => (r.supervisionPhone = s) },
  { header: '常见问题', width: 30, get: (e) => e.faq, set: (r, s) => (r.faq = s) },
  { header: '申请材料（名称|必需|形式|原件|复印件|来源|说明|共享）', width: 60, get: (e) => materialsToLines(e.materials), set: (r, s) => (r.materials = linesToMaterials(s)) },
  { header: '审批流程标识', width: 12, get: (e) => e.workflowKey ?? '', set: (r, s) => (r.workflowKey = s) },
];
const CODE_HEADER = '实施编码';
const FORM_HEADER = '申请表单（JSON）';
const INFO_HEADERS = ['实施主体', '状态', '版本'];

export async function exportCatalog(rows: { item: ItemRow; version: VersionRow }[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '湖北政务服务网 事项库';
  const ws = wb.addWorksheet('实施清单');
  ws.columns = [{ header: CODE_HEADER, width: 22 }, ...COLUMNS.map((c) => ({ header: c.header, width: c.width })), { header: FORM_HEADER, width: 40 }, ...INFO_HEADERS.map((h) => ({ header: h, width: 14 }))];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', xSplit: 2, ySplit: 1 }];
  for (const { item, version } of rows) {
    ws.addRow([item.implementationCode, ...COLUMNS.map((c) => c.get(version.elements, version.form)), JSON.stringify(version.form), item.organisationName, item.status, version.versionNo]);
  }
  ws.eachRow((row) => {
    row.alignment = { vertical: 'top', wrapText: true };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ImportRow {
  row: number;
  implementationCode: string;
  elements: ItemElements;
  form: FormDefinition | null;
}
export interface ImportProblem {
  row: number;
  column: string;
  reason: string;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.replace(/\r\n/g, '\n').trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('').trim();
  if (typeof v === 'object' && 'text' in v) return String(v.text).trim();
  if (typeof v === 'object' && 'result' in v) {
    const r = v.result;
    return typeof r === 'string' || typeof r === 'number' || typeof r === 'boolean' ? String(r).trim() : '';
  }
  return '';
}

const ELEMENT_COLUMN: Record<string, string> = {
  name: '事项名称', basicCode: '基本编码', itemType: '事项类型代码', legalBasis: '设定依据', exerciseLevel: '行使层级代码', implementerNature: '实施主体性质代码', legalLimit: '法定办结时限', promisedLimit: '承诺办结时限',
  caseType: '办件类型（即办件/承诺件）', reviewType: '审查类型（即审即办/前审后批）', resultType: '审批结果类型（approval/certificate/document）', serviceObjects: '服务对象代码', handlingForms: '办理形式代码', onlineDepth: '网上办理深度（I-IV）', visitCount: '到办事现场次数',
};

/** Reads a workbook into checked rows, or the Chinese problems (row, column, reason). Nothing is applied here. */
export async function readCatalogWorkbook(data: Buffer): Promise<{ rows: ImportRow[]; problems: ImportProblem[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { rows: [], problems: [{ row: 0, column: '', reason: '文件不是有效的 Excel（.xlsx）工作簿' }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], problems: [{ row: 0, column: '', reason: '工作簿中没有工作表' }] };
  const headerIndex = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => headerIndex.set(cellText(cell.value), col));
  const problems: ImportProblem[] = [];
  if (!headerIndex.has(CODE_HEADER)) problems.push({ row: 1, column: CODE_HEADER, reason: '缺少“实施编码”列（请使用导出的模板）' });
  if (!headerIndex.has('事项名称')) problems.push({ row: 1, column: '事项名称', reason: '缺少“事项名称”列' });
  if (problems.length) return { rows: [], problems };
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const text = (header: string) => {
      const col = headerIndex.get(header);
      return col ? cellText(row.getCell(col).value) : '';
    };
    const code = text(CODE_HEADER).toUpperCase();
    if (!code && !text('事项名称')) continue;
    if (!/^[0-9A-Z]{1,24}$/.test(code)) problems.push({ row: r, column: CODE_HEADER, reason: '实施编码应为 1 至 24 位数字或大写字母' });
    else if (seen.has(code)) problems.push({ row: r, column: CODE_HEADER, reason: `与第 ${seen.get(code)} 行的实施编码重复` });
    else seen.set(code, r);
    const raw: Record<string, unknown> = {};
    for (const c of COLUMNS) if (headerIndex.has(c.header)) c.set?.(raw, text(c.header));
    const { value, errors } = parseElements(raw);
    if (!value.name) problems.push({ row: r, column: '事项名称', reason: '请填写事项名称' });
    for (const e of errors) problems.push({ row: r, column: ELEMENT_COLUMN[e.field.replace(/\[.*$/, '')] ?? (e.field.startsWith('materials') ? '申请材料' : e.field.startsWith('processSteps') ? '办理流程' : e.field), reason: e.message });
    let form: FormDefinition | null = null;
    const formText = text(FORM_HEADER);
    if (formText) {
      try {
        const checked = validateFormDefinition(JSON.parse(formText));
        if (checked.ok) form = checked.definition;
        else for (const e of checked.errors) problems.push({ row: r, column: FORM_HEADER, reason: `${e.field}：${e.message}` });
      } catch {
        problems.push({ row: r, column: FORM_HEADER, reason: '不是有效的 JSON' });
      }
    }
    rows.push({ row: r, implementationCode: code, elements: value, form });
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ row: 2, column: '', reason: '工作表中没有事项数据' });
  if (rows.length > 2000) problems.push({ row: 0, column: '', reason: '一次最多导入 2000 个事项' });
  return { rows, problems };
}
