/**
 * Monitoring rules (DOMAIN.md §5 `Rule {ruleNo, name, trigger, scope, level, threshold, recipients,
 * escalation}`) and the pure parts of the follow-up: state transitions and escalation targets.
 */
export type AlertLevel = 'YELLOW' | 'RED';
export type AlertState = 'ALERT' | 'NOTICE_SENT' | 'RESPONDED' | 'VERIFIED' | 'CLOSED';

export interface RuleDefinition {
  ruleNo: string;
  name: string;
  /** §5 monitored events: 1 total overdue, 2 promised limit exceeded, 3 node overdue, 5 refusal without reasons. */
  trigger: number;
  scope: 'case' | 'node';
  level: AlertLevel;
  threshold: string;
  recipients: string;
  escalation: string;
  rectifyDays: number;
}

export const DEFAULT_RULES: readonly RuleDefinition[] = [
  { ruleNo: 'R01', name: '办件临近期限黄牌预警', trigger: 1, scope: 'case', level: 'YELLOW', threshold: '剩余不超过 1 个工作日或已用时限达 80%', recipients: '承办单位工作人员', escalation: '逾期转红牌', rectifyDays: 3 },
  { ruleNo: 'R02', name: '办件超期红牌', trigger: 1, scope: 'case', level: 'RED', threshold: '办结期限届满次日', recipients: '承办单位负责人、本级监察人员', escalation: '督办期满未回告的，报上一级监察机构', rectifyDays: 5 },
  { ruleNo: 'R03', name: '超承诺时限', trigger: 2, scope: 'case', level: 'RED', threshold: '超过承诺办结时限仍未作出决定', recipients: '承办单位负责人、本级监察人员', escalation: '督办期满未回告的，报上一级监察机构', rectifyDays: 5 },
  { ruleNo: 'R04', name: '环节超时（总时限未超）', trigger: 3, scope: 'node', level: 'YELLOW', threshold: '环节时限届满而总时限未届满', recipients: '环节承办人', escalation: '逾期转红牌', rectifyDays: 3 },
  { ruleNo: 'R05', name: '不予受理或不予许可未说明理由', trigger: 5, scope: 'case', level: 'RED', threshold: '不予受理或不予许可决定无理由', recipients: '承办单位负责人、本级监察人员', escalation: '督办期满未回告的，报上一级监察机构', rectifyDays: 5 },
];

/** GB/T 39046 Table 11 预警类型: 1 黄牌, 2 红牌, 9 其他. */
export function alertType(level: AlertLevel, trigger: number): 1 | 2 | 9 {
  if (trigger === 5) return 9;
  return level === 'YELLOW' ? 1 : 2;
}

export const STATE_LABEL: Record<AlertState, string> = {
  ALERT: '预警',
  NOTICE_SENT: '已督办',
  RESPONDED: '已回告',
  VERIFIED: '已核查',
  CLOSED: '已办结',
};

export type AlertStep = 'notice' | 'respond' | 'verify' | 'close';

const NEXT: Record<AlertStep, { from: AlertState[]; to: AlertState }> = {
  notice: { from: ['ALERT'], to: 'NOTICE_SENT' },
  respond: { from: ['NOTICE_SENT'], to: 'RESPONDED' },
  verify: { from: ['RESPONDED'], to: 'VERIFIED' },
  close: { from: ['VERIFIED', 'ALERT'], to: 'CLOSED' },
};

/** The state a step leads to, or null when the step is not allowed in `state`. */
export function nextState(state: AlertState, step: AlertStep): AlertState | null {
  const n = NEXT[step];
  return n.from.includes(state) ? n.to : null;
}

/**
 * The supervising jurisdiction one level up (GB/T 2260): county 420281 → city 420200,
 * city 420100 → province 420000; the province (and anything shorter) has no parent here.
 */
export function parentJurisdiction(code: string): string | null {
  const six = code.slice(0, 6);
  if (!/^\d{6}$/.test(six)) return null;
  if (code.length > 6) return six;
  if (six.endsWith('0000')) return null;
  if (six.endsWith('00')) return `${six.slice(0, 2)}0000`;
  return `${six.slice(0, 4)}00`;
}

/** An open 督办 whose rectification deadline has passed without a 回告 escalates one level (at most up to the province). */
export function shouldEscalate(a: { state: AlertState; rectifyDueOn: string | null; escalatedTo: string | null; jurisdictionCode: string }, today: string): string | null {
  if (a.state !== 'NOTICE_SENT' || !a.rectifyDueOn || today <= a.rectifyDueOn) return null;
  const from = a.escalatedTo ?? a.jurisdictionCode;
  const parent = parentJurisdiction(from);
  return parent && parent !== a.escalatedTo ? parent : null;
}
