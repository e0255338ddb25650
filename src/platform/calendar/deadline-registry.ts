/**
 * The deadline registry (DOMAIN.md §1.1.6): every statutory or practice period a module
 * counts, with its unit, what starts it, its one permitted extension and who approves it,
 * and its source. Modules ask the registry for a rule and never embed the numbers (a
 * per-item or per-category override carries its own legal basis and goes through
 * `withOverride`).
 *
 * Units follow code table TIME_UNIT (§1.1.4): 'G' statutory working days, 'Z' calendar
 * days, '5' months, '3' hours. Periods the law states in "days" without saying working days
 * are calendar days ('Z'), with the Civil Code roll-over to the next working day applied by
 * the clock (§1.1.3); where the unit is unverified the entry says so in `note`.
 */
import { TIME_UNIT, type DayClock, type Extension, type Pause, type TimeLimit, type TimeUnit } from './deadline-clock.ts';
import type { CivilDay } from './civil-date.ts';

export type DeadlineTag = 'law' | 'practice' | 'unverified';

/** Who may approve the extension; checked by the module against the actor's role. */
export type ExtensionApprover = 'agency_head' | 'government_head' | 'disclosure_office_head' | 'handling_organ_head' | 'hotline_office';

export interface DeadlineRule {
  key: string;
  /** What the period is for, in Chinese (shown to staff and supervisors). */
  label: string;
  limit: TimeLimit;
  /** The event that starts the clock (documentation; the module passes the date). */
  startsAt: string;
  /** The one extension the law allows: at most `max` in the limit's unit, approved by `approver`. */
  extension?: { max: TimeLimit; approver: ExtensionApprover; once: true };
  /** Whether pauses (special procedures, consultations, fee payment) stop this clock. */
  pausable: boolean;
  source: string;
  tag: DeadlineTag;
  note?: string;
}

const G = (n: number): TimeLimit => ({ n, unit: TIME_UNIT.LEGAL_WORKING_DAY });
const Z = (n: number): TimeLimit => ({ n, unit: TIME_UNIT.LEGAL_CALENDAR_DAY });
const M = (n: number): TimeLimit => ({ n, unit: TIME_UNIT.MONTH });
const H = (n: number): TimeLimit => ({ n, unit: TIME_UNIT.HOUR });

const RULES: readonly DeadlineRule[] = [
  // 行政许可法 (cases)
  { key: 'licence.correctionNotice', label: '补正告知', limit: G(5), startsAt: '收到申请', pausable: false, source: '《行政许可法》第三十二条第一款第四项', tag: 'law', note: '逾期不告知的，自收到申请材料之日起即为受理' },
  { key: 'licence.decision', label: '许可决定', limit: G(20), startsAt: '受理', extension: { max: G(10), approver: 'agency_head', once: true }, pausable: true, source: '《行政许可法》第四十二条第一款', tag: 'law', note: '法律、法规另有规定的，依照其规定（按事项覆盖）' },
  { key: 'licence.decisionJoint', label: '统一办理、联合办理许可决定', limit: G(45), startsAt: '受理', extension: { max: G(15), approver: 'government_head', once: true }, pausable: true, source: '《行政许可法》第四十二条第二款', tag: 'law' },
  { key: 'licence.lowerLevelReview', label: '下级机关初步审查', limit: G(20), startsAt: '受理', pausable: true, source: '《行政许可法》第四十三条', tag: 'law' },
  { key: 'licence.issue', label: '颁发、送达许可证件', limit: G(10), startsAt: '作出准予许可决定', pausable: false, source: '《行政许可法》第四十四条', tag: 'law' },
  { key: 'licence.hearingRequest', label: '申请听证', limit: Z(5), startsAt: '告知听证权利', pausable: false, source: '《行政许可法》第四十七条', tag: 'unverified', note: '申请人提出听证申请的期限单位待确认' },
  { key: 'licence.hearingOrganise', label: '组织听证', limit: G(20), startsAt: '收到听证申请', pausable: false, source: '《行政许可法》第四十七条、第八十二条', tag: 'law' },
  { key: 'licence.hearingNotice', label: '听证通知（听证前）', limit: G(7), startsAt: '听证日前', pausable: false, source: '《行政许可法》第四十八条', tag: 'law' },
  { key: 'licence.renewalApply', label: '申请延续（有效期届满前）', limit: Z(30), startsAt: '有效期届满前', pausable: false, source: '《行政许可法》第五十条', tag: 'law' },
  // 好差评
  { key: 'rating.badReviewFeedback', label: '差评整改反馈', limit: G(15), startsAt: '评价', pausable: false, source: '国办发〔2019〕51号；四川省实践', tag: 'practice' },
  // 政府信息公开条例
  { key: 'disclosure.proactive', label: '主动公开', limit: G(20), startsAt: '信息形成或变更', pausable: false, source: '《政府信息公开条例》第二十六条', tag: 'law', note: '法律、法规另有规定的按目录类别覆盖' },
  { key: 'disclosure.correctionNotice', label: '依申请公开补正告知', limit: G(7), startsAt: '收到申请', pausable: false, source: '《政府信息公开条例》第三十条', tag: 'law' },
  { key: 'disclosure.reply', label: '依申请公开答复', limit: G(20), startsAt: '收到申请（补正后自收到补正之日起）', extension: { max: G(20), approver: 'disclosure_office_head', once: true }, pausable: true, source: '《政府信息公开条例》第三十一条、第三十三条', tag: 'law' },
  { key: 'disclosure.thirdPartyOpinion', label: '征求第三方意见', limit: G(15), startsAt: '书面征求意见', pausable: false, source: '《政府信息公开条例》第三十二条', tag: 'law', note: '征求意见所需时间不计入答复期限' },
  { key: 'disclosure.agencyOpinion', label: '征求其他机关意见', limit: G(15), startsAt: '书面征求意见', pausable: false, source: '《政府信息公开条例》第三十四条', tag: 'law', note: '逾期未提出意见的视为同意公开' },
  { key: 'disclosure.feePayment', label: '缴纳信息处理费', limit: G(20), startsAt: '收费通知', pausable: false, source: '国办函〔2020〕109号', tag: 'unverified', note: '缴费期间答复期限暂停' },
  // 信访工作条例 (calendar days with the Civil Code roll-over; unit unverified)
  { key: 'petition.transfer', label: '信访事项转送、交办', limit: Z(15), startsAt: '信访部门收到', pausable: false, source: '《信访工作条例》第二十二条', tag: 'law', note: '日的单位待确认（默认自然日）' },
  { key: 'petition.acceptanceNotice', label: '告知是否受理', limit: Z(15), startsAt: '有权处理机关收到', pausable: false, source: '《信访工作条例》', tag: 'unverified' },
  { key: 'petition.handle', label: '信访事项办理', limit: Z(60), startsAt: '受理', extension: { max: Z(30), approver: 'handling_organ_head', once: true }, pausable: false, source: '《信访工作条例》', tag: 'law', note: '日的单位待确认（默认自然日）' },
  { key: 'petition.reviewRequest', label: '请求复查', limit: Z(30), startsAt: '收到书面答复', pausable: false, source: '《信访工作条例》', tag: 'law' },
  { key: 'petition.review', label: '复查意见', limit: Z(30), startsAt: '收到复查请求', pausable: false, source: '《信访工作条例》', tag: 'law' },
  { key: 'petition.recheckRequest', label: '请求复核', limit: Z(30), startsAt: '收到复查意见', pausable: false, source: '《信访工作条例》', tag: 'law' },
  { key: 'petition.recheck', label: '复核意见', limit: Z(30), startsAt: '收到复核请求', pausable: true, source: '《信访工作条例》', tag: 'law', note: '听证时间不计入' },
  // 12345 热线 (Beijing presets, DOMAIN.md §6.1)
  { key: 'hotline.onlineAccept', label: '网络渠道受理', limit: H(2), startsAt: '诉求提交', pausable: false, source: '北京《接诉即办工作条例》、DB11 12345 规范', tag: 'practice' },
  { key: 'hotline.dispatchEmergency', label: '派单（紧急：危及生命财产）', limit: H(1), startsAt: '受理', pausable: false, source: '北京 DB11 12345 规范', tag: 'practice' },
  { key: 'hotline.dispatchUtility', label: '派单（水电气热、极端天气）', limit: H(2), startsAt: '受理', pausable: false, source: '北京 DB11 12345 规范', tag: 'practice' },
  { key: 'hotline.dispatch', label: '派单（一般）', limit: H(24), startsAt: '受理', pausable: false, source: '北京 DB11 12345 规范', tag: 'practice' },
  { key: 'hotline.signFor', label: '签收', limit: H(1), startsAt: '派单', pausable: false, source: '淮安实践', tag: 'practice' },
  { key: 'hotline.feedbackUrgent', label: '承办单位反馈（紧急）', limit: H(2), startsAt: '派单', pausable: false, source: '北京 DB11 12345 规范', tag: 'practice' },
  { key: 'hotline.feedbackUtility', label: '承办单位反馈（水电气热）', limit: H(24), startsAt: '派单', pausable: false, source: '北京 DB11 12345 规范', tag: 'practice' },
  { key: 'hotline.feedback', label: '承办单位反馈（一般）', limit: Z(7), startsAt: '派单', extension: { max: Z(8), approver: 'hotline_office', once: true }, pausable: false, source: '北京 DB11 12345 规范', tag: 'practice' },
  { key: 'hotline.feedbackComplex', label: '承办单位反馈（复杂）', limit: Z(15), startsAt: '派单', extension: { max: Z(15), approver: 'hotline_office', once: true }, pausable: false, source: '北京 DB11 12345 规范', tag: 'practice' },
  // 数据共享、救济
  { key: 'sharing.providerReply', label: '共享申请答复', limit: G(10), startsAt: '共享申请', pausable: false, source: '国发〔2016〕51号', tag: 'law' },
  { key: 'remedy.reconsideration', label: '申请行政复议', limit: Z(60), startsAt: '知道行政行为', pausable: false, source: '《行政复议法》（2023）第二十条', tag: 'law' },
  { key: 'remedy.lawsuitAfterReconsideration', label: '复议后提起诉讼', limit: Z(15), startsAt: '收到复议决定书', pausable: false, source: '《行政诉讼法》第四十五条', tag: 'law' },
  { key: 'remedy.lawsuit', label: '提起行政诉讼', limit: M(6), startsAt: '知道行政行为', pausable: false, source: '《行政诉讼法》第四十六条', tag: 'law' },
];

const BY_KEY = new Map(RULES.map((r) => [r.key, r]));

/** Every rule, for the registry page and for tests. */
export function deadlineRules(): readonly DeadlineRule[] {
  return RULES;
}

/** The rule for a key; throws on an unknown key (a programming error, not user input). */
export function deadlineRule(key: string): DeadlineRule {
  const rule = BY_KEY.get(key);
  if (!rule) throw new Error(`unknown deadline rule '${key}'`);
  return rule;
}

/**
 * A rule with its limit replaced by a per-item or per-category period (e.g. an item whose
 * law sets 30 working days). The override must name its legal basis.
 */
export function withOverride(rule: DeadlineRule, override: { limit: TimeLimit; legalBasis: string }): DeadlineRule {
  if (!override.legalBasis.trim()) throw new Error(`override of '${rule.key}' needs a legal basis`);
  if (!Number.isInteger(override.limit.n) || override.limit.n <= 0) throw new Error(`override of '${rule.key}' needs a positive whole limit`);
  return { ...rule, limit: override.limit, source: override.legalBasis, note: `覆盖默认期限（${rule.source}）` };
}

/** Whether an extension of `n` (in the rule's extension unit) is allowed, given those already granted. */
export function extensionAllowed(rule: DeadlineRule, granted: readonly { n: number }[], n: number): { ok: true } | { ok: false; reason: string } {
  if (!rule.extension) return { ok: false, reason: `${rule.label}期限不得延长` };
  if (granted.length > 0) return { ok: false, reason: `${rule.label}期限只能延长一次，已延长过` };
  if (!Number.isInteger(n) || n <= 0) return { ok: false, reason: '延长期限须为正整数' };
  if (n > rule.extension.max.n) return { ok: false, reason: `延长期限不得超过 ${rule.extension.max.n} ${unitLabel(rule.extension.max.unit)}` };
  return { ok: true };
}

/** A day clock for a rule started on `startedOn` (the module adds pauses and extensions as they happen). */
export function clockFor(
  rule: DeadlineRule,
  startedOn: CivilDay,
  opts: { pauses?: readonly Pause<CivilDay>[]; extensions?: readonly Extension<'1' | '2' | '5' | 'G' | 'Z'>[] } = {},
): DayClock {
  const unit = rule.limit.unit;
  if (unit === '3' || unit === '4') throw new Error(`rule '${rule.key}' counts hours or minutes: use a wall clock`);
  if (opts.pauses?.length && !rule.pausable) throw new Error(`rule '${rule.key}' cannot be paused`);
  return { startedOn, limit: { n: rule.limit.n, unit }, pauses: opts.pauses ?? [], extensions: opts.extensions ?? [] };
}

/** "20 个工作日", "60 日", "6 个月", "2 小时". */
export function describeLimit(limit: TimeLimit): string {
  return `${limit.n} ${unitLabel(limit.unit)}`;
}

export function unitLabel(unit: TimeUnit): string {
  switch (unit) {
    case '1':
    case 'G':
      return '个工作日';
    case '2':
    case 'Z':
      return '日';
    case '3':
      return '小时';
    case '4':
      return '分钟';
    case '5':
      return '个月';
  }
}
