/**
 * The case lifecycle of DOMAIN.md §3.3 as one transition table: (state, event, actor role) →
 * next state, or a refusal with the reason in Chinese. Transitions implement 《行政许可法》
 * Arts. 32, 38, 42–45; state names, pre-review, void and delete are practice.
 */

export const CASE_STATES = [
  'DRAFT',
  'SUBMITTED',
  'NEEDS_CORRECTION',
  'ACCEPTED',
  'IN_PROCESS',
  'SUSPENDED',
  'APPROVED',
  'REFUSED',
  'RESULT_READY',
  'DELIVERED',
  'CLOSED',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Completion result codes (办结结果, DOMAIN.md §3.6). */
export type ResultCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const RESULT_LABEL: Record<ResultCode, string> = {
  0: '出证办结（准予许可）',
  1: '不予许可',
  2: '作废办结',
  3: '删除办结',
  4: '转报办结',
  5: '退件',
  6: '不予受理',
};

export type CaseEvent =
  | 'submit'
  | 'requestCorrection'
  | 'deemAccept'
  | 'refuseAcceptance'
  | 'accept'
  | 'supplement'
  | 'abandon'
  | 'openNode'
  | 'passNode'
  | 'returnNode'
  | 'startSpecial'
  | 'endSpecial'
  | 'extend'
  | 'approve'
  | 'refuse'
  | 'forward'
  | 'produceResult'
  | 'deliver'
  | 'close'
  | 'withdraw'
  | 'void'
  | 'delete';

/**
 * Who acts on a case: the applicant; a clerk of the handling organisation (window clerk,
 * handler, reviewer); the organisation's head (approver, extension approver); a supervisor
 * (void / delete); the system (deemed acceptance, first node).
 */
export type CaseRole = 'applicant' | 'clerk' | 'org_head' | 'supervisor' | 'system';

export const EVENT_LABEL: Record<CaseEvent, string> = {
  submit: '提交申请',
  requestCorrection: '一次性告知补正',
  deemAccept: '逾期未告知补正，视为受理',
  refuseAcceptance: '不予受理',
  accept: '受理',
  supplement: '补正材料',
  abandon: '逾期未补正或放弃，退件',
  openNode: '进入审查',
  passNode: '环节通过',
  returnNode: '环节退回',
  startSpecial: '启动特别程序（暂停计时）',
  endSpecial: '特别程序结束（恢复计时）',
  extend: '批准延期',
  approve: '准予许可',
  refuse: '不予许可',
  forward: '转报其他机关',
  produceResult: '制作结果文书',
  deliver: '送达',
  close: '办结',
  withdraw: '申请人撤回',
  void: '作废',
  delete: '删除（录入错误）',
};

export const ROLE_LABEL: Record<CaseRole, string> = {
  applicant: '申请人',
  clerk: '办事员',
  org_head: '部门负责人',
  supervisor: '监督员',
  system: '系统',
};

interface Transition {
  event: CaseEvent;
  from: readonly CaseState[];
  roles: readonly CaseRole[];
  to: CaseState;
  resultCode?: ResultCode;
  /** Refusals and closures that must carry reasons (Art. 38; §3.6 codes 1–5; §5 trigger 5). */
  needsReason?: boolean;
}

const OPEN_STATES: readonly CaseState[] = ['SUBMITTED', 'NEEDS_CORRECTION', 'ACCEPTED', 'IN_PROCESS', 'SUSPENDED', 'APPROVED', 'REFUSED', 'RESULT_READY'];

/** The table (DOMAIN.md §3.3), one row per event. */
export const TRANSITIONS: readonly Transition[] = [
  { event: 'submit', from: ['DRAFT'], roles: ['applicant'], to: 'SUBMITTED' },
  { event: 'requestCorrection', from: ['SUBMITTED'], roles: ['clerk'], to: 'NEEDS_CORRECTION', needsReason: true },
  { event: 'deemAccept', from: ['SUBMITTED'], roles: ['system'], to: 'ACCEPTED' },
  { event: 'refuseAcceptance', from: ['SUBMITTED'], roles: ['clerk'], to: 'CLOSED', resultCode: 6, needsReason: true },
  { event: 'accept', from: ['SUBMITTED'], roles: ['clerk'], to: 'ACCEPTED' },
  { event: 'supplement', from: ['NEEDS_CORRECTION'], roles: ['applicant'], to: 'SUBMITTED' },
  { event: 'abandon', from: ['NEEDS_CORRECTION'], roles: ['applicant', 'system'], to: 'CLOSED', resultCode: 5, needsReason: true },
  { event: 'openNode', from: ['ACCEPTED'], roles: ['system', 'clerk'], to: 'IN_PROCESS' },
  { event: 'passNode', from: ['IN_PROCESS'], roles: ['clerk', 'org_head'], to: 'IN_PROCESS' },
  { event: 'returnNode', from: ['IN_PROCESS'], roles: ['clerk', 'org_head'], to: 'IN_PROCESS', needsReason: true },
  { event: 'startSpecial', from: ['IN_PROCESS'], roles: ['clerk', 'org_head'], to: 'SUSPENDED', needsReason: true },
  { event: 'endSpecial', from: ['SUSPENDED'], roles: ['clerk', 'org_head'], to: 'IN_PROCESS' },
  { event: 'extend', from: ['IN_PROCESS'], roles: ['org_head'], to: 'IN_PROCESS', needsReason: true },
  { event: 'approve', from: ['IN_PROCESS'], roles: ['org_head'], to: 'APPROVED' },
  { event: 'refuse', from: ['IN_PROCESS'], roles: ['org_head'], to: 'REFUSED', needsReason: true },
  { event: 'forward', from: ['IN_PROCESS'], roles: ['org_head'], to: 'CLOSED', resultCode: 4, needsReason: true },
  { event: 'produceResult', from: ['APPROVED', 'REFUSED'], roles: ['clerk', 'org_head'], to: 'RESULT_READY' },
  { event: 'deliver', from: ['RESULT_READY'], roles: ['clerk', 'org_head'], to: 'DELIVERED' },
  { event: 'close', from: ['DELIVERED'], roles: ['clerk', 'org_head', 'system'], to: 'CLOSED' },
  { event: 'withdraw', from: ['SUBMITTED', 'NEEDS_CORRECTION', 'ACCEPTED', 'IN_PROCESS', 'SUSPENDED'], roles: ['applicant'], to: 'CLOSED', resultCode: 5 },
  { event: 'void', from: OPEN_STATES, roles: ['supervisor'], to: 'CLOSED', resultCode: 2, needsReason: true },
  { event: 'delete', from: OPEN_STATES, roles: ['supervisor'], to: 'CLOSED', resultCode: 3, needsReason: true },
];

const BY_EVENT = new Map(TRANSITIONS.map((t) => [t.event, t]));

export const STATE_LABEL: Record<CaseState, string> = {
  DRAFT: '草稿',
  SUBMITTED: '已提交待预审',
  NEEDS_CORRECTION: '待补正',
  ACCEPTED: '已受理',
  IN_PROCESS: '审查中',
  SUSPENDED: '特别程序（暂停计时）',
  APPROVED: '准予许可',
  REFUSED: '不予许可',
  RESULT_READY: '结果已制作待送达',
  DELIVERED: '已送达',
  CLOSED: '已办结',
};

export type Decision =
  | { ok: true; to: CaseState; resultCode: ResultCode | null; needsReason: boolean }
  | { ok: false; reason: 'state' | 'role'; message: string };

/**
 * What happens when `role` fires `event` on a case in `state`. A refusal says why in Chinese:
 * the wrong state answers 409 (the case moved on), the wrong role 403.
 */
export function decide(state: CaseState, event: CaseEvent, role: CaseRole): Decision {
  const t = BY_EVENT.get(event);
  if (!t) return { ok: false, reason: 'state', message: '未知的办理操作' };
  if (!t.from.includes(state)) {
    return { ok: false, reason: 'state', message: `办件当前状态为“${STATE_LABEL[state]}”，不能执行“${EVENT_LABEL[event]}”` };
  }
  if (!t.roles.includes(role)) {
    const who = t.roles.filter((r) => r !== 'system').map((r) => ROLE_LABEL[r]).join('或');
    return { ok: false, reason: 'role', message: `“${EVENT_LABEL[event]}”只能由${who || '系统'}执行` };
  }
  return { ok: true, to: t.to, resultCode: t.resultCode ?? null, needsReason: t.needsReason ?? false };
}

/** Events a role may fire in a state (the buttons to show). */
export function allowedEvents(state: CaseState, roles: readonly CaseRole[]): CaseEvent[] {
  return TRANSITIONS.filter((t) => t.from.includes(state) && t.roles.some((r) => roles.includes(r))).map((t) => t.event);
}

export function isOpen(state: CaseState): boolean {
  return state !== 'DRAFT' && state !== 'CLOSED' && state !== 'DELIVERED';
}
