import { formatCivilDate, yearOf } from '../../../platform/calendar/index.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import {
  DELIVERY_LABEL,
  REPLY_TYPES,
  STAFF_ACTIONS,
  type Delivery,
  type RemedyOutcome,
  type ReplyType,
  type RequestAction,
  type StaffAction,
  apply,
  replyDueOn,
} from '../domain/request-machine.ts';
import { PERMISSIONS, inStaffScope, isRequester, mayAct } from '../policies.ts';
import type { RequestRow } from '../request.repository.ts';
import type { CommandDeps } from './deps.ts';

export type ActRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict';

const str = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '');
const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);

export function isStaffActionKind(kind: string): kind is StaffAction['kind'] {
  return (STAFF_ACTIONS as readonly string[]).includes(kind);
}

/** Form or JSON fields → a typed action (values are checked by the machine). */
export function parseStaffAction(kind: StaffAction['kind'], body: Record<string, unknown>, approverName: string, today: string): StaffAction {
  switch (kind) {
    case 'confirm_receipt':
      return { kind, on: str(body.on) || today };
    case 'register':
    case 'correction_lapsed':
    case 'fee_paid':
    case 'fee_unpaid':
      return { kind };
    case 'request_correction': {
      const raw = Array.isArray(body.items) ? body.items.map(str).join('\n') : str(body.items);
      return { kind, items: raw.split('\n'), periodDays: num(body.periodDays) };
    }
    case 'consult':
      return { kind, party: (str(body.party) === 'agency' ? 'agency' : 'third_party'), name: str(body.name) };
    case 'record_opinion': {
      const o = str(body.opinion);
      return { kind, opinion: (o === 'consent' || o === 'object' || o === 'none' ? o : 'consent'), note: str(body.note).slice(0, 1000) };
    }
    case 'public_interest_override':
      return { kind, reasons: str(body.reasons).slice(0, 2000) };
    case 'fee_notice':
      return { kind, amount: num(body.amount) };
    case 'extend':
      return { kind, days: num(body.days), reason: str(body.reason).slice(0, 1000), approvedBy: approverName };
    case 'reply': {
      const t = str(body.replyType);
      return {
        kind,
        replyType: ((REPLY_TYPES as readonly string[]).includes(t) ? t : '') as ReplyType,
        reason: str(body.reason) || null,
        text: str(body.text),
        competentAgency: str(body.competentAgency).slice(0, 200) || null,
      };
    }
    case 'deliver': {
      const m = str(body.method);
      return { kind, method: (m in DELIVERY_LABEL ? m : '') as Delivery, note: str(body.note) };
    }
    case 'record_remedy': {
      const o = str(body.outcome);
      return {
        kind,
        remedy: str(body.remedy) === 'lawsuit' ? 'lawsuit' : 'reconsideration',
        outcome: (['upheld', 'corrected', 'other', 'pending'].includes(o) ? o : 'pending') as RemedyOutcome,
        afterReconsideration: body.afterReconsideration === true || body.afterReconsideration === 'true' || body.afterReconsideration === 'on',
      };
    }
  }
}

/**
 * One step of the request (staff actions and the requester's correction), with optimistic
 * versioning: a stale version is a 409, never a silent overwrite. Audited; the requester is
 * notified of the steps that concern them.
 */
export async function actOnRequest(
  deps: CommandDeps,
  uow: UnitOfWork,
  id: string,
  version: number,
  action: RequestAction,
): Promise<Result<RequestRow, ActRefusal>> {
  const actor = uow.ctx.actor;
  const request = await deps.requests.getById(id, uow.tx);
  const requesterStep = action.kind === 'supply_correction';
  const visible = request && (requesterStep ? isRequester(actor, request) : inStaffScope(deps.permissions, actor, request));
  if (!request || !visible) {
    await uow.audit({ action: `disclosure_request.${action.kind}`, objectType: 'disclosure_request', objectId: id, outcome: 'denied' });
    return refuse('not_found', '申请不存在或不在您的管辖范围内');
  }
  if (!requesterStep && !mayAct(deps.permissions, actor, action.kind, request)) {
    await uow.audit({ action: `disclosure_request.${action.kind}`, objectType: 'disclosure_request', objectId: id, outcome: 'denied' });
    return refuse('forbidden', action.kind === 'extend' ? '延长答复期限须经政府信息公开工作机构负责人同意' : '您当前的岗位不能办理此申请');
  }
  if (request.version !== version) return refuse('conflict', '该申请已被他人处理，请刷新页面查看最新情况后重试');
  const calendar = await deps.calendar(request.jurisdictionCode, uow.tx);
  const today = deps.today();
  const result = apply(request, action, today, calendar);
  if (!result.ok) return refuse(result.reason, result.message, result.fields);
  const { facts, event, notice } = result.value;
  const replyNo = action.kind === 'reply' ? `依申请公开答复〔${yearOf(today)}〕${Number(request.requestNo.split('-').pop())}号` : undefined;
  const updated = await deps.requests.updateFacts(uow.tx, id, version, {
    ...facts,
    replyDueOn: replyDueOn(facts, calendar),
    ...(replyNo ? { replyNo } : {}),
    ...(action.kind === 'supply_correction' ? { description: action.description, documentNumber: action.documentNumber } : {}),
  });
  if (!updated) return refuse('conflict', '该申请已被他人处理，请刷新页面查看最新情况后重试');
  const actorName = actor.kind === 'citizen' || actor.kind === 'enterprise' || actor.kind === 'staff' ? actor.displayName : '系统';
  await deps.requests.addEvent(uow.tx, id, { kind: event.kind, text: event.text, actorName, public: event.public });
  await uow.audit({
    action: `disclosure_request.${action.kind}`,
    objectType: 'disclosure_request',
    objectId: id,
    detail: { from: request.state, to: updated.state, version: updated.version, on: formatCivilDate(today), ...(action.kind === 'extend' ? { days: action.days, approver: PERMISSIONS.extend } : {}) },
  });
  if (notice && updated.requesterAccountId) {
    await notify(uow, {
      recipientAccountId: updated.requesterAccountId,
      channel: 'inbox',
      subject: `${notice.subject}（${updated.requestNo}）`,
      body: notice.body,
      dedupeKey: `disclosure-request:${id}:${action.kind}:${updated.version}`,
    });
  }
  return ok(updated);
}
