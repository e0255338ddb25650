/**
 * The disclosure-request state machine (依申请公开, DOMAIN.md §7.2; 《政府信息公开条例》 cited "Art.").
 * Pure: (facts, action, today, calendar) → next facts + a timeline event + a notice to the
 * requester, or a refusal in Chinese. Commands load and store; this file decides.
 *
 *   RECEIVED ─confirm_receipt (Art. 31)─▶ RECEIVED (clock starts on the confirmed date)
 *   RECEIVED ─request_correction (≤ 7 WD, once, Art. 30)─▶ CORRECTION_REQUESTED
 *   CORRECTION_REQUESTED ─supply_correction (requester)─▶ PROCESSING (reply clock restarts)
 *   CORRECTION_REQUESTED ─correction_lapsed─▶ CLOSED (ABANDONED)
 *   RECEIVED ─register─▶ PROCESSING (reply ≤ 20 WD from the confirmed receipt, Art. 33)
 *   PROCESSING ─consult (Arts. 32, 34)─▶ CONSULTING (reply clock paused, opinion ≤ 15 WD)
 *   CONSULTING ─record_opinion─▶ PROCESSING (silence: third party → agency decides; agency → deemed consent)
 *   PROCESSING ─public_interest_override (Art. 32)─▶ PROCESSING (written notice to the third party)
 *   PROCESSING ─fee_notice (Art. 42)─▶ FEE_PENDING (paused) ─fee_paid▶ PROCESSING / ─fee_unpaid▶ CLOSED (FEE_UNPAID)
 *   PROCESSING ─extend (once, ≤ 20 WD, head of the disclosure office, Art. 33)─▶ PROCESSING
 *   PROCESSING ─reply (Arts. 36–39)─▶ REPLIED ─deliver / record_remedy─▶ REPLIED
 */
import {
  type CivilDay,
  type DayClock,
  type Pause,
  type WorkCalendar,
  clockFor,
  dayClockProgress,
  deadlineRule,
  describeLimit,
  dueDateWithPauses,
  extensionAllowed,
  formatCivilDate,
  parseCivilDate,
} from '../../../platform/calendar/index.ts';
import type { FieldError } from '../../../platform/errors.ts';

export const REQUEST_STATES = ['RECEIVED', 'CORRECTION_REQUESTED', 'PROCESSING', 'CONSULTING', 'FEE_PENDING', 'REPLIED', 'CLOSED'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const STATE_LABEL: Record<RequestState, string> = {
  RECEIVED: '已收到',
  CORRECTION_REQUESTED: '待补正',
  PROCESSING: '办理中',
  CONSULTING: '征求意见中',
  FEE_PENDING: '待缴费',
  REPLIED: '已答复',
  CLOSED: '已终止',
};

export const CHANNELS = ['online', 'in_person', 'letter_signed', 'letter_ordinary', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABEL: Record<Channel, string> = {
  online: '网上申请',
  in_person: '当面提交',
  letter_signed: '邮寄（需签收）',
  letter_ordinary: '平信邮寄',
  fax: '传真',
};

/** Art. 31: these channels need the receipt confirmed with the requester before the clock starts. */
export function needsReceiptConfirmation(channel: Channel): boolean {
  return channel === 'online' || channel === 'fax' || channel === 'letter_ordinary';
}

/** Reply types, Arts. 36–39 (DOMAIN.md §7.2), plus UNCLEAR: still unclear after correction (Table III (四)3). */
export const REPLY_TYPES = ['PUBLISHED', 'DISCLOSED', 'PARTIAL', 'WITHHELD', 'NOT_EXIST', 'NOT_OURS', 'REPEATED', 'SPECIAL_RULES', 'NEEDS_CREATION', 'UNCLEAR', 'NOT_PROCESSED'] as const;
export type ReplyType = (typeof REPLY_TYPES)[number];
export const REPLY_TYPE_LABEL: Record<ReplyType, string> = {
  PUBLISHED: '已主动公开（告知获取方式和途径）',
  DISCLOSED: '予以公开',
  PARTIAL: '部分公开',
  WITHHELD: '不予公开',
  NOT_EXIST: '经检索没有所申请的信息',
  NOT_OURS: '不属于本机关负责公开',
  REPEATED: '重复申请',
  SPECIAL_RULES: '属于工商、不动产登记资料等特殊规定查询事项',
  NEEDS_CREATION: '需要另行制作或加工分析',
  UNCLEAR: '补正后申请内容仍不明确',
  NOT_PROCESSED: '不予处理',
};
/** Legal basis printed in the reply letter. */
export const REPLY_TYPE_BASIS: Record<ReplyType, string> = {
  PUBLISHED: '第三十六条第（一）项',
  DISCLOSED: '第三十六条第（二）项',
  PARTIAL: '第三十七条',
  WITHHELD: '第三十六条第（三）项',
  NOT_EXIST: '第三十六条第（四）项',
  NOT_OURS: '第三十六条第（五）项',
  REPEATED: '第三十六条第（六）项',
  SPECIAL_RULES: '第三十六条第（七）项',
  NEEDS_CREATION: '第三十八条',
  UNCLEAR: '第三十条',
  NOT_PROCESSED: '第三十五条、第三十九条',
};

/** Reasons for withholding (不予公开): the annual report's Table III (三)1–8 rows. */
export const WITHHELD_REASONS = {
  state_secret: '属于国家秘密（第十四条）',
  barred_by_law: '其他法律行政法规禁止公开（第十四条）',
  security_stability: '危及“三安全一稳定”（第十四条）',
  third_party_rights: '保护第三方合法权益（第十五条）',
  internal_affairs: '属于三类内部事务信息（第十六条第一款）',
  process_info: '属于四类过程性信息（第十六条第二款）',
  enforcement_files: '属于行政执法案卷（第十六条第二款）',
  admin_inquiry: '属于行政查询事项',
} as const;
export type WithheldReason = keyof typeof WITHHELD_REASONS;

/** Reasons for not processing (不予处理): Table III (五)1, 3, 4, 5 ((五)2 is REPEATED). */
export const NOT_PROCESSED_REASONS = {
  petition: '信访举报投诉类申请（第三十九条）',
  publications: '要求提供政府公开出版物（第三十九条）',
  excessive: '无正当理由大量反复申请（第三十五条）',
  confirm_reissue: '要求行政机关确认或重新出具已获取信息（第三十九条）',
} as const;
export type NotProcessedReason = keyof typeof NOT_PROCESSED_REASONS;

export const DELIVERY_LABEL = { post: '邮寄', email: '电子邮件', pickup: '自行领取', online: '在线查看' } as const;
export type Delivery = keyof typeof DELIVERY_LABEL;
export const FORM_LABEL = { paper: '纸质', electronic: '电子' } as const;
export type PreferredForm = keyof typeof FORM_LABEL;

export type ClosedReason = 'ABANDONED' | 'FEE_UNPAID';
export type Party = 'third_party' | 'agency';
export type Opinion = 'consent' | 'object' | 'none';
export type RemedyKind = 'reconsideration' | 'lawsuit';
export type RemedyOutcome = 'upheld' | 'corrected' | 'other' | 'pending';

/** Civil dates are 'YYYY-MM-DD' strings in the facts (they are stored as such). */
export interface ProcessData {
  correction?: { requestedOn: string; items: string[]; supplyBy: string; suppliedOn?: string };
  consultations?: { party: Party; name: string; startedOn: string; dueOn: string; endedOn?: string; opinion?: Opinion; note?: string }[];
  pauses?: { from: string; to?: string; reason: 'consultation' | 'fee' }[];
  extension?: { days: number; reason: string; approvedBy: string; approvedOn: string };
  thirdPartyObjected?: boolean;
  override?: { noticeOn: string; reasons: string };
  fee?: { amount: number; noticeOn: string; payBy: string; paidOn?: string };
  remedies?: { kind: RemedyKind; outcome: RemedyOutcome; recordedOn: string; afterReconsideration?: boolean }[];
  delivery?: { method: Delivery; note: string };
  competentAgency?: string;
}

export interface RequestFacts {
  state: RequestState;
  channel: Channel;
  receivedOn: string;
  receiptConfirmedOn: string | null;
  clockStartedOn: string | null;
  process: ProcessData;
  replyType: ReplyType | null;
  replyReason: string | null;
  replyText: string | null;
  repliedOn: string | null;
  deliveredOn: string | null;
  closedReason: ClosedReason | null;
  closedOn: string | null;
}

export type StaffAction =
  | { kind: 'confirm_receipt'; on: string }
  | { kind: 'register' }
  | { kind: 'request_correction'; items: string[]; periodDays: number }
  | { kind: 'correction_lapsed' }
  | { kind: 'consult'; party: Party; name: string }
  | { kind: 'record_opinion'; opinion: Opinion; note: string }
  | { kind: 'public_interest_override'; reasons: string }
  | { kind: 'fee_notice'; amount: number }
  | { kind: 'fee_paid' }
  | { kind: 'fee_unpaid' }
  | { kind: 'extend'; days: number; reason: string; approvedBy: string }
  | { kind: 'reply'; replyType: ReplyType; reason: string | null; text: string; competentAgency: string | null }
  | { kind: 'deliver'; method: Delivery; note: string }
  | { kind: 'record_remedy'; remedy: RemedyKind; outcome: RemedyOutcome; afterReconsideration: boolean };
export type RequesterAction = { kind: 'supply_correction'; description: string; documentNumber: string | null };
export type RequestAction = StaffAction | RequesterAction;
export type ActionKind = RequestAction['kind'];

export const STAFF_ACTIONS = [
  'confirm_receipt',
  'register',
  'request_correction',
  'correction_lapsed',
  'consult',
  'record_opinion',
  'public_interest_override',
  'fee_notice',
  'fee_paid',
  'fee_unpaid',
  'extend',
  'reply',
  'deliver',
  'record_remedy',
] as const satisfies readonly StaffAction['kind'][];

export const ACTION_LABEL: Record<ActionKind, string> = {
  confirm_receipt: '确认收到申请',
  register: '登记受理',
  request_correction: '发出补正告知',
  correction_lapsed: '逾期未补正，视为放弃',
  consult: '征求第三方或其他机关意见',
  record_opinion: '记录征求意见结果',
  public_interest_override: '因公共利益决定公开并书面告知第三方',
  fee_notice: '发出信息处理费缴费通知',
  fee_paid: '确认已缴费',
  fee_unpaid: '逾期未缴费，终止办理',
  extend: '延长答复期限',
  reply: '作出答复',
  deliver: '登记送达',
  record_remedy: '登记复议或诉讼',
  supply_correction: '提交补正',
};

export interface Transition {
  facts: RequestFacts;
  /** Timeline entry (Chinese); `public` ones show on the requester's tracking page. */
  event: { kind: ActionKind; text: string; public: boolean };
  /** Message to the requester, when the step concerns them. */
  notice?: { subject: string; body: string };
}

export type Refusal = { ok: false; reason: 'invalid' | 'forbidden'; message: string; fields?: FieldError[] };

const d = (day: CivilDay) => formatCivilDate(day);
const p = (s: string) => parseCivilDate(s);

/** Civil dates in Chinese, for events and letters: 2026年3月5日. */
export function chineseDate(s: string): string {
  const [y, m, dd] = s.split('-');
  return `${y}年${Number(m)}月${Number(dd)}日`;
}

function refuse(message: string, reason: 'invalid' | 'forbidden' = 'forbidden', fields?: FieldError[]): Refusal {
  return { ok: false, reason, message, ...(fields ? { fields } : {}) };
}

/** The reply clock (Art. 33): 20 WD from the confirmed receipt (or the corrected request), consultation and fee time not counted. */
export function replyClock(f: RequestFacts): DayClock | null {
  if (!f.clockStartedOn) return null;
  const rule = deadlineRule('disclosure.reply');
  const pauses: Pause<CivilDay>[] = (f.process.pauses ?? []).map((x) => ({ from: p(x.from), ...(x.to ? { to: p(x.to) } : {}), reason: x.reason }));
  const ext = f.process.extension;
  return clockFor(rule, p(f.clockStartedOn), {
    pauses,
    extensions: ext ? [{ n: ext.days, unit: 'G', approvedBy: ext.approvedBy, reason: ext.reason }] : [],
  });
}

/** The due date of the reply (null while paused or before the receipt is confirmed). */
export function replyDueOn(f: RequestFacts, calendar: WorkCalendar): string | null {
  const clock = replyClock(f);
  if (!clock || f.state === 'REPLIED' || f.state === 'CLOSED' || f.state === 'CORRECTION_REQUESTED') return null;
  const due = dueDateWithPauses(calendar, clock);
  return due.state === 'running' ? d(due.dueOn) : null;
}

/** Whether `action` may be taken now (state preconditions only; inputs are checked by `apply`). */
export function actionAvailable(f: RequestFacts, kind: ActionKind, today: CivilDay, calendar: WorkCalendar): boolean {
  const open = openConsultation(f);
  switch (kind) {
    case 'confirm_receipt':
      return f.state === 'RECEIVED' && !f.receiptConfirmedOn;
    case 'register':
      return f.state === 'RECEIVED' && Boolean(f.receiptConfirmedOn);
    case 'request_correction':
      return f.state === 'RECEIVED' && Boolean(f.receiptConfirmedOn) && !f.process.correction && today <= correctionNoticeDue(f, calendar);
    case 'correction_lapsed':
      return f.state === 'CORRECTION_REQUESTED' && Boolean(f.process.correction) && today > p(f.process.correction?.supplyBy ?? '9999-12-31');
    case 'supply_correction':
      return f.state === 'CORRECTION_REQUESTED';
    case 'consult':
    case 'fee_notice':
    case 'reply':
      return f.state === 'PROCESSING';
    case 'extend':
      return f.state === 'PROCESSING' && !f.process.extension;
    case 'record_opinion':
      return f.state === 'CONSULTING' && Boolean(open);
    case 'public_interest_override':
      return f.state === 'PROCESSING' && Boolean(f.process.thirdPartyObjected) && !f.process.override;
    case 'fee_paid':
      return f.state === 'FEE_PENDING';
    case 'fee_unpaid':
      return f.state === 'FEE_PENDING' && today > p(f.process.fee?.payBy ?? '9999-12-31');
    case 'deliver':
      return f.state === 'REPLIED' && !f.deliveredOn;
    case 'record_remedy':
      return f.state === 'REPLIED';
  }
}

export function availableStaffActions(f: RequestFacts, today: CivilDay, calendar: WorkCalendar): StaffAction['kind'][] {
  return STAFF_ACTIONS.filter((k) => actionAvailable(f, k, today, calendar));
}

function openConsultation(f: RequestFacts) {
  const list = f.process.consultations ?? [];
  const last = list[list.length - 1];
  return last && !last.endedOn ? last : undefined;
}

/** Art. 30: the correction notice is due within 7 WD of the (confirmed) receipt. */
export function correctionNoticeDue(f: RequestFacts, calendar: WorkCalendar): CivilDay {
  const rule = deadlineRule('disclosure.correctionNotice');
  const start = p(f.receiptConfirmedOn ?? f.receivedOn);
  return calendar.addWorkingDays(start, rule.limit.n).date;
}

function closePauses(process: ProcessData, reason: 'consultation' | 'fee', on: string): ProcessData['pauses'] {
  return (process.pauses ?? []).map((x) => (x.reason === reason && !x.to ? { ...x, to: on } : x));
}

/** Applies an action on `today`; the caller has checked the actor's permission and scope. */
export function apply(f: RequestFacts, action: RequestAction, today: CivilDay, calendar: WorkCalendar): { ok: true; value: Transition } | Refusal {
  if (!actionAvailable(f, action.kind, today, calendar)) {
    return refuse(unavailableMessage(f, action.kind, today, calendar));
  }
  const on = d(today);
  switch (action.kind) {
    case 'confirm_receipt': {
      const confirmed = action.on;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(confirmed)) return refuse('请填写确认收到的日期', 'invalid', [{ field: 'on', message: '请填写确认收到的日期' }]);
      if (p(confirmed) > today) return refuse('确认日期不能晚于今天', 'invalid', [{ field: 'on', message: '确认日期不能晚于今天' }]);
      if (p(confirmed) < p(f.receivedOn)) return refuse('确认日期不能早于收到申请的日期', 'invalid', [{ field: 'on', message: `确认日期不能早于收到申请的日期（${chineseDate(f.receivedOn)}）` }]);
      const next = { ...f, receiptConfirmedOn: confirmed, clockStartedOn: confirmed };
      return ok(next, action.kind, `已与申请人确认收到申请，收到申请日期为${chineseDate(confirmed)}（条例第三十一条），答复期限自该日起算`, {
        subject: '您的政府信息公开申请已确认收到',
        body: `您的申请已于${chineseDate(confirmed)}确认收到。我们将在${describeLimit(deadlineRule('disclosure.reply').limit)}内答复。`,
      });
    }
    case 'register':
      return ok({ ...f, state: 'PROCESSING' }, action.kind, '申请已登记，进入办理', undefined);
    case 'request_correction': {
      const items = action.items.map((x) => x.trim()).filter(Boolean);
      const errors: FieldError[] = [];
      if (items.length === 0) errors.push({ field: 'items', message: '请一次性列明需要补正的全部事项（每行一项）' });
      if (items.length > 20) errors.push({ field: 'items', message: '补正事项不能超过 20 项' });
      if (!Number.isInteger(action.periodDays) || action.periodDays < 5 || action.periodDays > 30) errors.push({ field: 'periodDays', message: '补正期限应为 5 至 30 个工作日' });
      if (errors.length) return refuse('请修改标记的内容', 'invalid', errors);
      const supplyBy = d(calendar.addWorkingDays(today, action.periodDays).date);
      const next: RequestFacts = { ...f, state: 'CORRECTION_REQUESTED', process: { ...f.process, correction: { requestedOn: on, items, supplyBy } } };
      const list = items.map((x, i) => `${i + 1}. ${x}`).join('\n');
      return ok(next, action.kind, `发出补正告知，请于${chineseDate(supplyBy)}前补正：\n${list}`, {
        subject: '政府信息公开申请补正告知',
        body: `您的申请内容不够明确，请于${chineseDate(supplyBy)}前一次性补正以下事项：\n${list}\n答复期限自收到补正后的申请之日起重新计算；无正当理由逾期不补正的，视为放弃申请（条例第三十条）。`,
      });
    }
    case 'supply_correction': {
      const description = action.description.trim();
      if (!description) return refuse('请填写补正后的申请内容', 'invalid', [{ field: 'description', message: '请填写补正后的申请内容' }]);
      if ([...description].length > 5000) return refuse('申请内容不能超过 5000 个字', 'invalid', [{ field: 'description', message: '申请内容不能超过 5000 个字' }]);
      const correction = f.process.correction;
      const next: RequestFacts = {
        ...f,
        state: 'PROCESSING',
        clockStartedOn: on, // Art. 30: the reply period runs from receipt of the corrected request
        process: { ...f.process, ...(correction ? { correction: { ...correction, suppliedOn: on } } : {}), pauses: [], extension: undefined },
      };
      return ok(next, action.kind, `申请人已提交补正，答复期限自${chineseDate(on)}起重新计算`, undefined);
    }
    case 'correction_lapsed':
      return ok({ ...f, state: 'CLOSED', closedReason: 'ABANDONED', closedOn: on }, action.kind, '申请人逾期未补正，视为放弃申请（条例第三十条），办理终止', {
        subject: '政府信息公开申请已终止',
        body: '您未在补正期限内补正申请，依照《政府信息公开条例》第三十条视为放弃申请。如仍需获取该信息，可以重新提出申请。',
      });
    case 'consult': {
      const name = action.name.trim();
      if (!name) return refuse('请填写征求意见对象', 'invalid', [{ field: 'name', message: '请填写征求意见的第三方或机关名称' }]);
      if ([...name].length > 100) return refuse('名称不能超过 100 个字', 'invalid', [{ field: 'name', message: '名称不能超过 100 个字' }]);
      const rule = deadlineRule(action.party === 'third_party' ? 'disclosure.thirdPartyOpinion' : 'disclosure.agencyOpinion');
      const dueOn = d(calendar.addWorkingDays(today, rule.limit.n).date);
      const next: RequestFacts = {
        ...f,
        state: 'CONSULTING',
        process: {
          ...f.process,
          consultations: [...(f.process.consultations ?? []), { party: action.party, name, startedOn: on, dueOn }],
          pauses: [...(f.process.pauses ?? []), { from: on, reason: 'consultation' }],
        },
      };
      const article = action.party === 'third_party' ? '第三十二条' : '第三十四条';
      return ok(next, action.kind, `书面征求意见（条例${article}），意见期限至${chineseDate(dueOn)}；征求意见所需时间不计入答复期限`, {
        subject: '政府信息公开申请：征求意见',
        body: `您申请的信息涉及第三方或其他机关，我们已依照条例${article}书面征求意见。征求意见所需时间不计入答复期限。`,
      });
    }
    case 'record_opinion': {
      const open = openConsultation(f);
      if (!open) return refuse('没有正在进行的征求意见');
      if (action.opinion === 'none' && today <= p(open.dueOn)) {
        return refuse(`意见期限至${chineseDate(open.dueOn)}，期限届满前不能按逾期未答复处理`, 'invalid', [{ field: 'opinion', message: `意见期限至${chineseDate(open.dueOn)}，期限届满后才能选择“逾期未提出意见”` }]);
      }
      const consultations = (f.process.consultations ?? []).map((c) => (c === open ? { ...c, endedOn: on, opinion: action.opinion, note: action.note.trim() } : c));
      const objected = open.party === 'third_party' && action.opinion === 'object';
      const outcome =
        action.opinion === 'none'
          ? open.party === 'third_party'
            ? '第三方逾期未提出意见，由本机关依照条例决定'
            : '其他机关逾期未提出意见，视为同意公开（条例第三十四条）'
          : action.opinion === 'consent'
            ? `${open.name}同意公开`
            : `${open.name}不同意公开`;
      const next: RequestFacts = {
        ...f,
        state: 'PROCESSING',
        process: { ...f.process, consultations, pauses: closePauses(f.process, 'consultation', on), ...(objected ? { thirdPartyObjected: true } : {}) },
      };
      return ok(next, action.kind, `征求意见结束：${outcome}，答复期限恢复计算`, undefined);
    }
    case 'public_interest_override': {
      const reasons = action.reasons.trim();
      if (!reasons) return refuse('请写明公开的内容和理由', 'invalid', [{ field: 'reasons', message: '请写明决定公开的内容和理由（将书面告知第三方）' }]);
      const next: RequestFacts = { ...f, process: { ...f.process, override: { noticeOn: on, reasons } } };
      return ok({ ...next }, action.kind, '第三方不同意公开，但不公开可能对公共利益造成重大影响，决定予以公开，并已将公开的内容和理由书面告知第三方（条例第三十二条）', undefined);
    }
    case 'fee_notice': {
      if (!Number.isFinite(action.amount) || action.amount <= 0 || action.amount > 1_000_000) {
        return refuse('请填写正确的收费金额', 'invalid', [{ field: 'amount', message: '请填写大于 0 的收费金额（元）' }]);
      }
      const rule = deadlineRule('disclosure.feePayment');
      const payBy = d(calendar.addWorkingDays(today, rule.limit.n).date);
      const amount = Math.round(action.amount * 100) / 100;
      const next: RequestFacts = {
        ...f,
        state: 'FEE_PENDING',
        process: { ...f.process, fee: { amount, noticeOn: on, payBy }, pauses: [...(f.process.pauses ?? []), { from: on, reason: 'fee' }] },
      };
      return ok(next, action.kind, `发出信息处理费缴费通知，金额 ${amount.toFixed(2)} 元，缴费期限至${chineseDate(payBy)}；缴费期间答复期限暂停计算`, {
        subject: '政府信息公开申请：信息处理费缴费通知',
        body: `您的申请数量、频次明显超过合理范围，依照条例第四十二条和国办函〔2020〕109号收取信息处理费 ${amount.toFixed(2)} 元，请于${chineseDate(payBy)}前缴纳；逾期未缴纳的，视为放弃申请。`,
      });
    }
    case 'fee_paid': {
      const fee = f.process.fee;
      const next: RequestFacts = { ...f, state: 'PROCESSING', process: { ...f.process, ...(fee ? { fee: { ...fee, paidOn: on } } : {}), pauses: closePauses(f.process, 'fee', on) } };
      return ok(next, action.kind, '申请人已缴纳信息处理费，答复期限恢复计算', undefined);
    }
    case 'fee_unpaid':
      return ok({ ...f, state: 'CLOSED', closedReason: 'FEE_UNPAID', closedOn: on, process: { ...f.process, pauses: closePauses(f.process, 'fee', on) } }, action.kind, '申请人逾期未缴纳信息处理费，办理终止', {
        subject: '政府信息公开申请已终止',
        body: '您未在期限内缴纳信息处理费，视为放弃申请，办理终止。',
      });
    case 'extend': {
      const reason = action.reason.trim();
      const rule = deadlineRule('disclosure.reply');
      const allowed = extensionAllowed(rule, f.process.extension ? [{ n: f.process.extension.days }] : [], action.days);
      const errors: FieldError[] = [];
      if (!allowed.ok) errors.push({ field: 'days', message: allowed.reason });
      if (!reason) errors.push({ field: 'reason', message: '请写明延长的理由（将告知申请人）' });
      if (errors.length) return refuse('请修改标记的内容', 'invalid', errors);
      const next: RequestFacts = { ...f, process: { ...f.process, extension: { days: action.days, reason, approvedBy: action.approvedBy, approvedOn: on } } };
      const due = replyDueOn(next, calendar);
      return ok(next, action.kind, `经政府信息公开工作机构负责人同意，答复期限延长 ${action.days} 个工作日${due ? `，至${chineseDate(due)}` : ''}。理由：${reason}`, {
        subject: '政府信息公开申请：答复期限延长告知',
        body: `因${reason}，经政府信息公开工作机构负责人同意，您的申请答复期限延长 ${action.days} 个工作日${due ? `，最迟于${chineseDate(due)}前答复` : ''}（条例第三十三条）。`,
      });
    }
    case 'reply': {
      const errors: FieldError[] = [];
      const text = action.text.trim();
      if (!REPLY_TYPES.includes(action.replyType)) errors.push({ field: 'replyType', message: '请选择答复类型' });
      if (!text) errors.push({ field: 'text', message: '请填写答复内容（公开的信息、获取方式或不予公开的理由）' });
      else if ([...text].length > 10000) errors.push({ field: 'text', message: '答复内容不能超过 10000 个字' });
      const needsWithheld = action.replyType === 'WITHHELD' || action.replyType === 'PARTIAL';
      if (needsWithheld && !(action.reason && action.reason in WITHHELD_REASONS)) errors.push({ field: 'reason', message: '不予公开或部分公开须选择不予公开的理由' });
      if (action.replyType === 'NOT_PROCESSED' && !(action.reason && action.reason in NOT_PROCESSED_REASONS)) errors.push({ field: 'reason', message: '不予处理须选择理由' });
      if (errors.length) return refuse('请修改标记的内容', 'invalid', errors);
      const reason = needsWithheld || action.replyType === 'NOT_PROCESSED' ? action.reason : null;
      const agency = action.competentAgency?.trim() || undefined;
      const next: RequestFacts = {
        ...f,
        state: 'REPLIED',
        replyType: action.replyType,
        replyReason: reason,
        replyText: text,
        repliedOn: on,
        process: { ...f.process, ...(action.replyType === 'NOT_OURS' && agency ? { competentAgency: agency } : {}) },
      };
      return ok(next, action.kind, `作出答复：${REPLY_TYPE_LABEL[action.replyType]}`, {
        subject: '您的政府信息公开申请已答复',
        body: `您的申请已作出答复（${REPLY_TYPE_LABEL[action.replyType]}）。请登录查看答复书，可下载 PDF 文件。`,
      });
    }
    case 'deliver': {
      if (!(action.method in DELIVERY_LABEL)) return refuse('请选择送达方式', 'invalid', [{ field: 'method', message: '请选择送达方式' }]);
      const note = action.note.trim().slice(0, 500);
      const next: RequestFacts = { ...f, deliveredOn: on, process: { ...f.process, delivery: { method: action.method, note } } };
      return ok(next, action.kind, `答复书已送达（${DELIVERY_LABEL[action.method]}${note ? `：${note}` : ''}）`, undefined);
    }
    case 'record_remedy': {
      const remedies = [...(f.process.remedies ?? []), { kind: action.remedy, outcome: action.outcome, recordedOn: on, ...(action.remedy === 'lawsuit' ? { afterReconsideration: action.afterReconsideration } : {}) }];
      const label = action.remedy === 'reconsideration' ? '行政复议' : action.afterReconsideration ? '复议后行政诉讼' : '行政诉讼';
      return ok({ ...f, process: { ...f.process, remedies } }, action.kind, `登记${label}（${REMEDY_OUTCOME_LABEL[action.outcome]}）`, undefined, false);
    }
  }
}

export const REMEDY_OUTCOME_LABEL: Record<RemedyOutcome, string> = { upheld: '维持', corrected: '纠正', other: '其他结果', pending: '尚未审结' };

function ok(facts: RequestFacts, kind: ActionKind, text: string, notice: Transition['notice'], isPublic = true): { ok: true; value: Transition } {
  return { ok: true, value: { facts, event: { kind, text, public: isPublic }, ...(notice ? { notice } : {}) } };
}

function unavailableMessage(f: RequestFacts, kind: ActionKind, today: CivilDay, calendar: WorkCalendar): string {
  if (kind === 'request_correction' && f.state === 'RECEIVED') {
    if (!f.receiptConfirmedOn) return '请先确认收到申请的日期';
    if (f.process.correction) return '补正告知只能一次性发出，本申请已发出过补正告知';
    return `补正告知应当自收到申请之日起${describeLimit(deadlineRule('disclosure.correctionNotice').limit)}内一次性发出（条例第三十条），期限已于${chineseDate(d(correctionNoticeDue(f, calendar)))}届满`;
  }
  if (kind === 'extend' && f.process.extension) return '答复期限只能延长一次，本申请已延长过';
  if (kind === 'correction_lapsed' && f.state === 'CORRECTION_REQUESTED') return `补正期限至${chineseDate(f.process.correction?.supplyBy ?? d(today))}，期限届满后才能按放弃申请处理`;
  if (kind === 'fee_unpaid' && f.state === 'FEE_PENDING') return `缴费期限至${chineseDate(f.process.fee?.payBy ?? d(today))}，期限届满后才能终止办理`;
  if (kind === 'register' && f.state === 'RECEIVED') return '请先确认收到申请的日期（条例第三十一条）';
  return `申请当前状态为“${STATE_LABEL[f.state]}”，不能${ACTION_LABEL[kind]}`;
}

// ---- clocks for pages and lists -------------------------------------------------------

export type ClockStatus = 'running' | 'warn' | 'overdue' | 'paused';
export interface ClockView {
  key: 'correctionNotice' | 'correctionSupply' | 'reply' | 'consultation' | 'feePayment';
  label: string;
  dueOn: string | null;
  /** Working days left (negative when overdue); null when paused. */
  remaining: number | null;
  status: ClockStatus;
}

/** Yellow from this many working days before the due date [practice]. */
export const WARN_WORKING_DAYS = 3;

function status(remaining: number): ClockStatus {
  if (remaining < 0) return 'overdue';
  return remaining <= WARN_WORKING_DAYS ? 'warn' : 'running';
}

function simpleClock(key: ClockView['key'], label: string, dueOn: CivilDay, today: CivilDay, calendar: WorkCalendar): ClockView {
  const remaining = today <= dueOn ? calendar.workingDaysBetween(today, dueOn).days : -calendar.workingDaysBetween(dueOn, today).days;
  return { key, label, dueOn: d(dueOn), remaining, status: status(remaining) };
}

/** The clocks running on a request today (DOMAIN.md §1.1.5), for the workbench's yellow/red states. */
export function requestClocks(f: RequestFacts, today: CivilDay, calendar: WorkCalendar): ClockView[] {
  const views: ClockView[] = [];
  if (f.state === 'REPLIED' || f.state === 'CLOSED') return views;
  if (f.state === 'RECEIVED' && f.receiptConfirmedOn && !f.process.correction) {
    views.push(simpleClock('correctionNotice', '补正告知期限', correctionNoticeDue(f, calendar), today, calendar));
  }
  if (f.state === 'CORRECTION_REQUESTED' && f.process.correction) {
    views.push(simpleClock('correctionSupply', '申请人补正期限', p(f.process.correction.supplyBy), today, calendar));
  }
  const clock = f.state === 'CORRECTION_REQUESTED' ? null : replyClock(f);
  if (clock) {
    const due = dueDateWithPauses(calendar, clock);
    if (due.state === 'paused') views.push({ key: 'reply', label: '答复期限', dueOn: null, remaining: null, status: 'paused' });
    else {
      const progress = dayClockProgress(calendar, clock, today);
      views.push({ key: 'reply', label: '答复期限', dueOn: d(due.dueOn), remaining: progress.remaining, status: status(progress.remaining) });
    }
  }
  const open = openConsultation(f);
  if (f.state === 'CONSULTING' && open) views.push(simpleClock('consultation', '征求意见期限', p(open.dueOn), today, calendar));
  if (f.state === 'FEE_PENDING' && f.process.fee) views.push(simpleClock('feePayment', '缴费期限', p(f.process.fee.payBy), today, calendar));
  return views;
}

/** The worst status among the clocks (for list badges). */
export function worstStatus(views: ClockView[]): ClockStatus | null {
  const order: ClockStatus[] = ['overdue', 'warn', 'paused', 'running'];
  for (const s of order) if (views.some((v) => v.status === s)) return s;
  return null;
}

/** A new request's facts. In person: receipt is the day of submission; signed-for letters: the day signed (Art. 31). */
export function initialFacts(channel: Channel, receivedOn: string): RequestFacts {
  const confirmed = needsReceiptConfirmation(channel) ? null : receivedOn;
  return {
    state: 'RECEIVED',
    channel,
    receivedOn,
    receiptConfirmedOn: confirmed,
    clockStartedOn: confirmed,
    process: {},
    replyType: null,
    replyReason: null,
    replyText: null,
    repliedOn: null,
    deliveredOn: null,
    closedReason: null,
    closedOn: null,
  };
}
