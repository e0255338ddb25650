/**
 * 年度报告 tables (DOMAIN.md §7.3, format of 国办公开办函〔2021〕30号): Table III (requests) and
 * Table IV (reconsideration and litigation) computed from request records through the mapping
 * `replyType / reason → reportRow`; Table II (proactive disclosure) comes from the disclosure
 * module's statistics when it is wired (DisclosureStats), otherwise it is left out.
 */
import type { NotProcessedReason, RemedyKind, RemedyOutcome, ReplyType, WithheldReason } from './request-machine.ts';

export const TABLE3_COLUMNS = [
  { key: 'natural', label: '自然人' },
  { key: 'commercial', label: '商业企业' },
  { key: 'research', label: '科研机构' },
  { key: 'social_welfare', label: '社会公益组织' },
  { key: 'legal_service', label: '法律服务机构' },
  { key: 'other', label: '其他' },
  { key: 'total', label: '总计' },
] as const;
export type Table3Column = (typeof TABLE3_COLUMNS)[number]['key'];

export const TABLE3_ROWS = [
  { key: 'new', label: '一、本年新收政府信息公开申请数量', level: 0 },
  { key: 'carried', label: '二、上年结转政府信息公开申请数量', level: 0 },
  { key: 'r1', label: '三、本年度办理结果 （一）予以公开', level: 0 },
  { key: 'r2', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', level: 1 },
  { key: 'r3_1', label: '（三）不予公开 1.属于国家秘密', level: 1 },
  { key: 'r3_2', label: '2.其他法律行政法规禁止公开', level: 2 },
  { key: 'r3_3', label: '3.危及“三安全一稳定”', level: 2 },
  { key: 'r3_4', label: '4.保护第三方合法权益', level: 2 },
  { key: 'r3_5', label: '5.属于三类内部事务信息', level: 2 },
  { key: 'r3_6', label: '6.属于四类过程性信息', level: 2 },
  { key: 'r3_7', label: '7.属于行政执法案卷', level: 2 },
  { key: 'r3_8', label: '8.属于行政查询事项', level: 2 },
  { key: 'r4_1', label: '（四）无法提供 1.本机关不掌握相关政府信息', level: 1 },
  { key: 'r4_2', label: '2.没有现成信息需要另行制作', level: 2 },
  { key: 'r4_3', label: '3.补正后申请内容仍不明确', level: 2 },
  { key: 'r5_1', label: '（五）不予处理 1.信访举报投诉类申请', level: 1 },
  { key: 'r5_2', label: '2.重复申请', level: 2 },
  { key: 'r5_3', label: '3.要求提供公开出版物', level: 2 },
  { key: 'r5_4', label: '4.无正当理由大量反复申请', level: 2 },
  { key: 'r5_5', label: '5.要求行政机关确认或重新出具已获取信息', level: 2 },
  { key: 'r6_1', label: '（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', level: 1 },
  { key: 'r6_2', label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', level: 2 },
  { key: 'r6_3', label: '3.其他', level: 2 },
  { key: 'r7', label: '（七）总计', level: 1 },
  { key: 'next', label: '四、结转下年度继续办理', level: 0 },
] as const;
export type Table3Row = (typeof TABLE3_ROWS)[number]['key'];

const WITHHELD_ROW: Record<WithheldReason, Table3Row> = {
  state_secret: 'r3_1',
  barred_by_law: 'r3_2',
  security_stability: 'r3_3',
  third_party_rights: 'r3_4',
  internal_affairs: 'r3_5',
  process_info: 'r3_6',
  enforcement_files: 'r3_7',
  admin_inquiry: 'r3_8',
};
const NOT_PROCESSED_ROW: Record<NotProcessedReason, Table3Row> = { petition: 'r5_1', publications: 'r5_3', excessive: 'r5_4', confirm_reissue: 'r5_5' };

/** The row a finished request counts in (DOMAIN.md §7.3 mapping; SPECIAL_RULES → (六)3 other [practice]). */
export function resultRow(r: { replyType: ReplyType | null; replyReason: string | null; closedReason: string | null }): Table3Row | null {
  if (r.closedReason === 'ABANDONED') return 'r6_1';
  if (r.closedReason === 'FEE_UNPAID') return 'r6_2';
  switch (r.replyType) {
    case null:
      return null;
    case 'PUBLISHED':
    case 'DISCLOSED':
      return 'r1';
    case 'PARTIAL':
      return 'r2';
    case 'WITHHELD':
      return WITHHELD_ROW[r.replyReason as WithheldReason] ?? 'r6_3';
    case 'NOT_EXIST':
    case 'NOT_OURS':
      return 'r4_1';
    case 'NEEDS_CREATION':
      return 'r4_2';
    case 'UNCLEAR':
      return 'r4_3';
    case 'REPEATED':
      return 'r5_2';
    case 'NOT_PROCESSED':
      return NOT_PROCESSED_ROW[r.replyReason as NotProcessedReason] ?? 'r6_3';
    case 'SPECIAL_RULES':
      return 'r6_3';
  }
}

export const TABLE4_GROUPS = [
  { key: 'reconsideration', label: '行政复议' },
  { key: 'lawsuit', label: '行政诉讼（未经复议直接起诉）' },
  { key: 'lawsuitAfter', label: '行政诉讼（复议后起诉）' },
] as const;
export const TABLE4_COLUMNS = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  { key: 'total', label: '总计' },
] as const;
type Table4Group = (typeof TABLE4_GROUPS)[number]['key'];
type Table4Column = (typeof TABLE4_COLUMNS)[number]['key'];

/**
 * Table II from the proactive-disclosure module's statistics (its DisclosureStats: publications
 * created, published and withdrawn per catalog category in the year). The national Table II rows
 * for licensing, penalty and fee decisions (Art. 20 items 5, 6, 8) need the cases module's
 * figures and are not computed yet (docs/disclosure-requests.md).
 */
export interface ProactiveStats {
  byCategory: { code: string; label: string; created: number; published: number; withdrawn: number }[];
  total: { created: number; published: number; withdrawn: number };
}

/** Category labels of the disclosure module's seeded catalog (公开目录); other codes show as they are. */
const CATEGORY_LABEL: Record<string, string> = {
  jgzn: '机构职能', 'jgzn-ldxx': '领导信息', 'jgzn-nsjg': '内设机构', fgwj: '法规文件', 'fgwj-gfxwj': '规范性文件', 'fgwj-qtwj': '其他文件',
  zcjd: '政策解读', ghxx: '规划信息', czxx: '财政信息', 'czxx-ys': '预算', 'czxx-js': '决算', 'czxx-sfxm': '行政事业性收费', zfcg: '政府采购',
  rsxx: '人事信息', 'rsxx-gwyzl': '公务员招录', xzxk: '行政许可', xzcf: '行政处罚', tjxx: '统计信息', yjgl: '应急管理', jyta: '建议提案办理',
  zdxm: '重大建设项目', msxx: '民生保障', jdjc: '监督检查', qt: '其他',
};

/** Sums the disclosure module's per-organisation rows by category. */
export function proactiveStats(rows: readonly { categoryCode: string; created: number; published: number; withdrawn: number }[]): ProactiveStats {
  const by = new Map<string, ProactiveStats['byCategory'][number]>();
  const total = { created: 0, published: 0, withdrawn: 0 };
  for (const r of rows) {
    const c = by.get(r.categoryCode) ?? { code: r.categoryCode, label: CATEGORY_LABEL[r.categoryCode] ?? r.categoryCode, created: 0, published: 0, withdrawn: 0 };
    c.created += r.created;
    c.published += r.published;
    c.withdrawn += r.withdrawn;
    by.set(r.categoryCode, c);
    total.created += r.created;
    total.published += r.published;
    total.withdrawn += r.withdrawn;
  }
  return { byCategory: [...by.values()].sort((a, b) => (a.code < b.code ? -1 : 1)), total };
}

export interface AnnualTables {
  year: number;
  table2: ProactiveStats | null;
  table3: Record<Table3Row, Record<Table3Column, number>>;
  table4: Record<Table4Group, Record<Table4Column, number>>;
}

/** What the report needs of one request (receipt = the confirmed receipt date, Art. 31). */
export interface ReportRequest {
  requesterKind: 'natural' | 'legal';
  legalCategory: string | null;
  receivedOn: string;
  finishedOn: string | null;
  replyType: ReplyType | null;
  replyReason: string | null;
  closedReason: string | null;
  remedies: { kind: RemedyKind; outcome: RemedyOutcome; recordedOn: string; afterReconsideration?: boolean }[];
}

function column(r: ReportRequest): Exclude<Table3Column, 'total'> {
  if (r.requesterKind === 'natural') return 'natural';
  const c = r.legalCategory;
  return c === 'commercial' || c === 'research' || c === 'social_welfare' || c === 'legal_service' ? c : 'other';
}

export function computeAnnualTables(year: number, requests: readonly ReportRequest[], table2: ProactiveStats | null): AnnualTables {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const zero3 = () => Object.fromEntries(TABLE3_COLUMNS.map((c) => [c.key, 0])) as Record<Table3Column, number>;
  const table3 = Object.fromEntries(TABLE3_ROWS.map((r) => [r.key, zero3()])) as AnnualTables['table3'];
  const zero4 = () => Object.fromEntries(TABLE4_COLUMNS.map((c) => [c.key, 0])) as Record<Table4Column, number>;
  const table4 = Object.fromEntries(TABLE4_GROUPS.map((g) => [g.key, zero4()])) as AnnualTables['table4'];
  const add = (row: Table3Row, col: Exclude<Table3Column, 'total'>) => {
    table3[row][col] += 1;
    table3[row].total += 1;
  };
  for (const r of requests) {
    const col = column(r);
    if (r.receivedOn >= start && r.receivedOn <= end) add('new', col);
    if (r.receivedOn < start && (!r.finishedOn || r.finishedOn >= start)) add('carried', col);
    if (r.finishedOn && r.finishedOn >= start && r.finishedOn <= end) {
      const row = resultRow(r);
      if (row) {
        add(row, col);
        add('r7', col);
      }
    }
    if (r.receivedOn <= end && (!r.finishedOn || r.finishedOn > end)) add('next', col);
    for (const m of r.remedies) {
      if (m.recordedOn < start || m.recordedOn > end) continue;
      const group: Table4Group = m.kind === 'reconsideration' ? 'reconsideration' : m.afterReconsideration ? 'lawsuitAfter' : 'lawsuit';
      table4[group][m.outcome] += 1;
      table4[group].total += 1;
    }
  }
  return { year, table2, table3, table4 };
}

/** Narrative sections (editable): I overview, II proactive disclosure, V problems and improvements, VI other. */
export const NARRATIVE_SECTIONS = [
  { key: 'overview', title: '一、总体情况' },
  { key: 'proactive', title: '二、主动公开政府信息情况' },
  { key: 'requests', title: '三、收到和处理政府信息公开申请情况' },
  { key: 'remedies', title: '四、政府信息公开行政复议、行政诉讼情况' },
  { key: 'problems', title: '五、存在的主要问题及改进情况' },
  { key: 'other', title: '六、其他需要报告的事项' },
] as const;
export type NarrativeKey = (typeof NARRATIVE_SECTIONS)[number]['key'];
export type Narrative = Partial<Record<NarrativeKey, string>>;
