/**
 * The appeal ticket state machines (DOMAIN.md §6.1 hotline tickets 工单, §6.2 petitions 信访) as
 * transition tables. Pure: no database, no clock — `transition()` answers the next state or a
 * Chinese refusal naming why; the commands apply the side effects (due dates, lead unit, events).
 */

export const APPEAL_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise', 'petition'] as const;
export type AppealType = (typeof APPEAL_TYPES)[number];
export const APPEAL_TYPE_LABEL: Record<AppealType, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
  petition: '信访',
};

export type Track = 'hotline' | 'petition';
export const trackOf = (type: AppealType): Track => (type === 'petition' ? 'petition' : 'hotline');

export const HOTLINE_STATES = ['NEW', 'DISPATCHED', 'SIGNED', 'RETURN_PENDING', 'IN_PROGRESS', 'REPLIED', 'CLOSED', 'MERGED', 'TRANSFERRED'] as const;
export const PETITION_STATES = ['RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'ANSWERED', 'IN_REVIEW', 'REVIEWED', 'IN_RECHECK', 'FINAL', 'REDIRECTED', 'CLOSED'] as const;
export type HotlineState = (typeof HOTLINE_STATES)[number];
export type PetitionState = (typeof PETITION_STATES)[number];
export type TicketState = HotlineState | PetitionState;

export const STATE_LABEL: Record<TicketState, string> = {
  NEW: '待派单',
  DISPATCHED: '待签收',
  SIGNED: '已签收',
  RETURN_PENDING: '退单待审核',
  IN_PROGRESS: '办理中',
  REPLIED: '已答复待回访',
  CLOSED: '已办结',
  MERGED: '已合并',
  TRANSFERRED: '已转紧急热线',
  RECEIVED: '已登记',
  ASSIGNED: '已转送交办',
  ANSWERED: '已出具处理意见',
  IN_REVIEW: '复查中',
  REVIEWED: '已复查',
  IN_RECHECK: '复核中',
  FINAL: '终结',
  REDIRECTED: '已导入法定程序',
};

const TERMINAL: ReadonlySet<TicketState> = new Set(['CLOSED', 'MERGED', 'TRANSFERRED', 'FINAL', 'REDIRECTED']);
export const isTerminal = (s: TicketState): boolean => TERMINAL.has(s);

/** Open/closed for outside readers (Open311 `status`, public statistics). */
export function publicStatus(s: TicketState): 'open' | 'closed' {
  return isTerminal(s) ? 'closed' : 'open';
}

/** Who acts: the 12345 centre / petition department (dispatcher), the lead unit, the centre's reviewer, the citizen. */
export type Party = 'centre' | 'centre_head' | 'lead' | 'lead_head' | 'citizen';

export const HOTLINE_EVENTS = [
  'answer_kb', // 知识库即时办结
  'transfer_emergency', // 转 110/119/120/122
  'route_notice', // 告知法定途径
  'merge', // 合并重复工单
  'dispatch', // 派单
  'reassign', // 改派
  'sign', // 签收
  'return', // 退单
  'uphold_return', // 退单审核：同意，改派
  'reject_return', // 退单审核：不同意
  'start', // 开始办理（联系诉求人）
  'interim_reply', // 阶段性答复
  'request_extension', // 申请延期
  'approve_extension', // 批准延期
  'reject_extension', // 不批准延期
  'reply', // 办结答复
  'reject_reply', // 答复审核不通过
  'callback', // 回访
  'supervise', // 督办
] as const;
export const PETITION_EVENTS = [
  'assign', // 转送/交办
  'not_accept', // 不予受理（书面告知）
  'redirect', // 导入法定程序
  'accept', // 受理
  'request_extension',
  'approve_extension',
  'reject_extension',
  'answer', // 出具处理意见
  'request_review', // 申请复查
  'review_opinion', // 复查意见
  'request_recheck', // 申请复核
  'recheck_opinion', // 复核意见
  'finalize', // 期满未申请 → 终结
  'interim_reply',
  'supervise',
] as const;
export type HotlineEvent = (typeof HOTLINE_EVENTS)[number];
export type PetitionEvent = (typeof PETITION_EVENTS)[number];
export type TicketEvent = HotlineEvent | PetitionEvent;

export const EVENT_LABEL: Record<TicketEvent, string> = {
  answer_kb: '知识库答复办结',
  transfer_emergency: '转紧急热线',
  route_notice: '告知法定途径并办结',
  merge: '合并到重复工单',
  dispatch: '派单',
  reassign: '改派',
  sign: '签收',
  return: '退单',
  uphold_return: '同意退单并改派',
  reject_return: '驳回退单',
  start: '开始办理',
  interim_reply: '阶段性答复',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  reject_extension: '不批准延期',
  reply: '办结答复',
  reject_reply: '答复退回重办',
  callback: '回访',
  supervise: '督办',
  assign: '转送交办',
  not_accept: '不予受理',
  redirect: '导入法定程序',
  accept: '受理',
  answer: '出具处理意见',
  request_review: '申请复查',
  review_opinion: '出具复查意见',
  request_recheck: '申请复核',
  recheck_opinion: '出具复核意见',
  finalize: '终结',
};

interface Rule {
  from: readonly TicketState[];
  /** Next state; a function when the payload decides (callback, review of a return). */
  to: TicketState | ((p: EventPayload) => TicketState);
  party: Party;
  permission: string;
}

/** §6.1 table. */
const HOTLINE: Record<HotlineEvent, Rule> = {
  answer_kb: { from: ['NEW'], to: 'CLOSED', party: 'centre', permission: 'appeals.dispatch' },
  transfer_emergency: { from: ['NEW'], to: 'TRANSFERRED', party: 'centre', permission: 'appeals.dispatch' },
  route_notice: { from: ['NEW'], to: 'CLOSED', party: 'centre', permission: 'appeals.dispatch' },
  merge: { from: ['NEW'], to: 'MERGED', party: 'centre', permission: 'appeals.dispatch' },
  dispatch: { from: ['NEW'], to: 'DISPATCHED', party: 'centre', permission: 'appeals.dispatch' },
  reassign: { from: ['DISPATCHED', 'SIGNED'], to: 'DISPATCHED', party: 'centre', permission: 'appeals.dispatch' },
  sign: { from: ['DISPATCHED'], to: 'SIGNED', party: 'lead', permission: 'appeals.handle' },
  return: { from: ['DISPATCHED', 'SIGNED'], to: 'RETURN_PENDING', party: 'lead', permission: 'appeals.handle' },
  uphold_return: { from: ['RETURN_PENDING'], to: 'DISPATCHED', party: 'centre', permission: 'appeals.review-return' },
  reject_return: { from: ['RETURN_PENDING'], to: 'DISPATCHED', party: 'centre', permission: 'appeals.review-return' },
  start: { from: ['SIGNED'], to: 'IN_PROGRESS', party: 'lead', permission: 'appeals.handle' },
  interim_reply: { from: ['SIGNED', 'IN_PROGRESS'], to: 'IN_PROGRESS', party: 'lead', permission: 'appeals.handle' },
  request_extension: { from: ['SIGNED', 'IN_PROGRESS'], to: 'IN_PROGRESS', party: 'lead', permission: 'appeals.handle' },
  approve_extension: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS', party: 'centre', permission: 'appeals.approve-extension' },
  reject_extension: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS', party: 'centre', permission: 'appeals.approve-extension' },
  reply: { from: ['SIGNED', 'IN_PROGRESS'], to: 'REPLIED', party: 'lead', permission: 'appeals.handle' },
  reject_reply: { from: ['REPLIED'], to: 'IN_PROGRESS', party: 'centre', permission: 'appeals.callback' },
  callback: {
    from: ['REPLIED'],
    to: (p) => (p.satisfaction === 'unsatisfied' && p.rehandle ? 'IN_PROGRESS' : 'CLOSED'),
    party: 'centre',
    permission: 'appeals.callback',
  },
  supervise: { from: ['NEW', 'DISPATCHED', 'SIGNED', 'RETURN_PENDING', 'IN_PROGRESS', 'REPLIED'], to: (p) => p.currentState ?? 'NEW', party: 'centre', permission: 'appeals.dispatch' },
};

/** §6.2 table (信访工作条例). */
const PETITION: Record<PetitionEvent, Rule> = {
  assign: { from: ['RECEIVED'], to: 'ASSIGNED', party: 'centre', permission: 'appeals.dispatch' },
  not_accept: { from: ['RECEIVED', 'ASSIGNED'], to: 'CLOSED', party: 'lead', permission: 'appeals.handle' },
  redirect: { from: ['RECEIVED', 'ASSIGNED'], to: 'REDIRECTED', party: 'centre', permission: 'appeals.dispatch' },
  accept: { from: ['ASSIGNED'], to: 'IN_PROGRESS', party: 'lead', permission: 'appeals.handle' },
  request_extension: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS', party: 'lead', permission: 'appeals.handle' },
  // 信访: the head of the handling organ approves (§1.1.6 petition.handle).
  approve_extension: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS', party: 'lead_head', permission: 'appeals.approve-extension' },
  reject_extension: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS', party: 'lead_head', permission: 'appeals.approve-extension' },
  answer: { from: ['IN_PROGRESS'], to: 'ANSWERED', party: 'lead', permission: 'appeals.handle' },
  request_review: { from: ['ANSWERED'], to: 'IN_REVIEW', party: 'citizen', permission: '' },
  review_opinion: { from: ['IN_REVIEW'], to: 'REVIEWED', party: 'centre', permission: 'appeals.dispatch' },
  request_recheck: { from: ['REVIEWED'], to: 'IN_RECHECK', party: 'citizen', permission: '' },
  recheck_opinion: { from: ['IN_RECHECK'], to: 'FINAL', party: 'centre', permission: 'appeals.dispatch' },
  finalize: { from: ['ANSWERED', 'REVIEWED'], to: 'FINAL', party: 'centre', permission: 'appeals.dispatch' },
  interim_reply: { from: ['IN_PROGRESS'], to: 'IN_PROGRESS', party: 'lead', permission: 'appeals.handle' },
  supervise: { from: ['RECEIVED', 'ASSIGNED', 'IN_PROGRESS'], to: (p) => p.currentState ?? 'RECEIVED', party: 'centre', permission: 'appeals.dispatch' },
};

export const EMERGENCY_LINES = ['110', '119', '120', '122'] as const;
export type Satisfaction = 'satisfied' | 'basically' | 'unsatisfied';
export const SATISFACTION_LABEL: Record<Satisfaction, string> = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' };
export type PetitionOutcome = 'support' | 'explain' | 'not_support';
export const OUTCOME_LABEL: Record<PetitionOutcome, string> = { support: '予以支持', explain: '解释说明', not_support: '不予支持' };

/** What an event carries; each event checks the parts it needs. */
export interface EventPayload {
  currentState?: TicketState;
  reason?: string;
  note?: string;
  leadOrgId?: string;
  emergencyLine?: string;
  mergeIntoId?: string;
  satisfaction?: Satisfaction;
  rehandle?: boolean;
  extensionDays?: number;
  outcome?: PetitionOutcome;
}

/** Facts about the ticket the rules look at (beyond its state). */
export interface TicketFacts {
  track: Track;
  state: TicketState;
  type: AppealType;
  leadOrgId: string | null;
  extensionUsed: boolean;
  extensionPending: number | null;
  /** Cap for one extension in the clock's unit (from the deadline table). */
  extensionCap: number;
}

export type TransitionResult =
  | { ok: true; to: TicketState }
  | { ok: false; reason: 'not_allowed' | 'invalid'; message: string; field?: string };

const need = (field: string, message: string): TransitionResult => ({ ok: false, reason: 'invalid', message, field });

export function ruleFor(track: Track, event: TicketEvent): Rule | undefined {
  return track === 'hotline' ? HOTLINE[event as HotlineEvent] : PETITION[event as PetitionEvent];
}

export function eventsOf(track: Track): readonly TicketEvent[] {
  return track === 'hotline' ? HOTLINE_EVENTS : PETITION_EVENTS;
}

/** Events whose `from` list contains the state (before party/permission checks). */
export function eventsFrom(track: Track, state: TicketState): TicketEvent[] {
  return eventsOf(track).filter((e) => ruleFor(track, e)?.from.includes(state));
}

/** The next state, or why not (Chinese). Party and permission are the policy's business. */
export function transition(facts: TicketFacts, event: TicketEvent, p: EventPayload = {}): TransitionResult {
  const rule = ruleFor(facts.track, event);
  if (!rule) return { ok: false, reason: 'not_allowed', message: `${facts.track === 'hotline' ? '工单' : '信访事项'}没有“${EVENT_LABEL[event]}”这一操作` };
  if (!rule.from.includes(facts.state)) {
    return { ok: false, reason: 'not_allowed', message: `当前状态为“${STATE_LABEL[facts.state]}”，不能${EVENT_LABEL[event]}` };
  }
  const reason = p.reason?.trim() ?? '';
  const note = p.note?.trim() ?? '';
  switch (event) {
    case 'return':
      if (!reason) return need('reason', '退单必须说明理由');
      break;
    case 'reject_return':
    case 'reject_reply':
    case 'not_accept':
    case 'reject_extension':
      if (!reason) return need('reason', '请填写理由');
      break;
    case 'redirect':
    case 'route_notice':
      if (!reason) return need('reason', '请填写告知的法定途径（如行政复议、诉讼、仲裁、信息公开申请）');
      break;
    case 'dispatch':
    case 'reassign':
    case 'uphold_return':
    case 'assign':
      if (!p.leadOrgId) return need('leadOrgId', '请选择主办单位');
      if ((event === 'reassign' || event === 'uphold_return') && p.leadOrgId === facts.leadOrgId) return need('leadOrgId', '改派须选择另一个主办单位');
      break;
    case 'transfer_emergency':
      if (!p.emergencyLine || !(EMERGENCY_LINES as readonly string[]).includes(p.emergencyLine)) return need('emergencyLine', '请选择 110、119、120 或 122');
      break;
    case 'merge':
      if (!p.mergeIntoId) return need('mergeIntoId', '请选择要合并到的工单');
      break;
    case 'reply':
    case 'interim_reply':
    case 'answer':
    case 'review_opinion':
    case 'recheck_opinion':
      if (!note) return need('note', '请填写答复内容');
      if ([...note].length > 5000) return need('note', '答复内容不能超过 5000 个字');
      if ((event === 'answer' || event === 'review_opinion' || event === 'recheck_opinion') && !p.outcome) return need('outcome', '请选择处理结果（予以支持、解释说明或不予支持）');
      break;
    case 'callback':
      if (!p.satisfaction) return need('satisfaction', '请选择满意度');
      break;
    case 'request_extension': {
      if (facts.extensionUsed) return { ok: false, reason: 'not_allowed', message: '延期只能申请一次，本件已延期' };
      if (facts.extensionPending !== null) return { ok: false, reason: 'not_allowed', message: '已有待审批的延期申请' };
      if (!reason) return need('reason', '申请延期必须说明理由');
      const n = p.extensionDays ?? 0;
      if (!Number.isInteger(n) || n < 1) return need('extensionDays', '请填写延期天数（正整数）');
      if (n > facts.extensionCap) return need('extensionDays', `延期不能超过 ${facts.extensionCap} 天`);
      break;
    }
    case 'approve_extension':
      if (facts.extensionPending === null) return { ok: false, reason: 'not_allowed', message: '没有待审批的延期申请' };
      if (facts.extensionPending > facts.extensionCap) return need('extensionDays', `延期不能超过 ${facts.extensionCap} 天`);
      break;
    default:
      break;
  }
  if (event === 'reject_extension' && facts.extensionPending === null) return { ok: false, reason: 'not_allowed', message: '没有待审批的延期申请' };
  const to = typeof rule.to === 'function' ? rule.to({ ...p, currentState: facts.state }) : rule.to;
  return { ok: true, to };
}
