import { actorId, actorLabel } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { dueAfter, extendDue } from '../deadlines.ts';
import { mayAct, scopeCoversTicket, ticketScope } from '../policies.ts';
import type { TicketPatch, TicketRow } from '../ticket.repository.ts';
import {
  EVENT_LABEL,
  OUTCOME_LABEL,
  SATISFACTION_LABEL,
  STATE_LABEL,
  transition,
  type EventPayload,
  type PetitionOutcome,
  type Satisfaction,
  type TicketEvent,
} from '../ticket-machine.ts';
import { RETRAIN_QUEUE, type AppealDeps, type Lookups } from './deps.ts';

export type ActRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict' | 'state';

/** Raw fields of an action (form or JSON). */
export interface ActionInput {
  version?: unknown;
  reason?: unknown;
  note?: unknown;
  leadOrgId?: unknown;
  coOrgIds?: unknown;
  categoryCode?: unknown;
  emergencyLine?: unknown;
  mergeIntoNumber?: unknown;
  satisfaction?: unknown;
  rehandle?: unknown;
  extensionDays?: unknown;
  outcome?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
export const list = (v: unknown) => (Array.isArray(v) ? v.map(str).filter(Boolean) : str(v) ? str(v).split(',').map((s) => s.trim()).filter(Boolean) : []);

/** Replies the citizen sees on the follow-up page; internal steps (returns, reviews) stay internal. */
const PUBLIC_EVENTS: ReadonlySet<TicketEvent> = new Set(['dispatch', 'reassign', 'uphold_return', 'sign', 'interim_reply', 'reply', 'callback', 'approve_extension', 'transfer_emergency', 'route_notice', 'merge', 'answer_kb', 'assign', 'accept', 'not_accept', 'redirect', 'answer', 'review_opinion', 'recheck_opinion', 'finalize', 'request_review', 'request_recheck']);

/**
 * One step of the §6.1 / §6.2 state machines on one ticket, by staff (or by the citizen for the
 * callback rating and petition review requests, authorised by the query code in the route). Optimistic
 * version: a stale version is a 409, never a silent overwrite. Refusals are audited.
 */
export async function actOnTicket(
  deps: AppealDeps,
  uow: UnitOfWork,
  ticketId: string,
  event: TicketEvent,
  raw: ActionInput,
  lookups: Lookups,
  opts: { asCitizen?: boolean } = {},
): Promise<Result<TicketRow, ActRefusal>> {
  const actor = uow.ctx.actor;
  const ticket = await deps.tickets.getById(ticketId, uow.tx, true);
  const centres = lookups.centres;
  const denied = async () => uow.audit({ action: `appeal.${event}`, objectType: 'appeal', objectId: ticketId, outcome: 'denied' });
  if (!ticket || (!opts.asCitizen && !scopeCoversTicket(ticketScope(deps.permissions, actor, centres), ticket))) {
    await denied();
    return refuse('not_found', '工单不存在或不在您的管辖范围内');
  }
  if (!opts.asCitizen && !mayAct(deps.permissions, actor, ticket, centres, event)) {
    await denied();
    return refuse('forbidden', `您当前的岗位不能对此工单执行“${EVENT_LABEL[event]}”`);
  }
  const version = Number(str(raw.version));
  if (!Number.isInteger(version) || version !== ticket.version) return refuse('conflict', '该工单已被他人处理，请刷新页面查看最新状态后再操作');

  const payload: EventPayload = {
    reason: str(raw.reason),
    note: str(raw.note),
    leadOrgId: str(raw.leadOrgId) || undefined,
    emergencyLine: str(raw.emergencyLine) || undefined,
    satisfaction: (str(raw.satisfaction) || undefined) as Satisfaction | undefined,
    rehandle: raw.rehandle === true || raw.rehandle === 'on' || raw.rehandle === 'true' || raw.rehandle === '1',
    extensionDays: str(raw.extensionDays) ? Number(str(raw.extensionDays)) : undefined,
    outcome: (str(raw.outcome) || undefined) as PetitionOutcome | undefined,
  };
  if (payload.satisfaction && !Object.keys(SATISFACTION_LABEL).includes(payload.satisfaction)) return refuse('invalid', '满意度取值不正确', [{ field: 'satisfaction', message: '请选择满意、基本满意或不满意' }]);
  if (payload.outcome && !Object.keys(OUTCOME_LABEL).includes(payload.outcome)) return refuse('invalid', '处理结果取值不正确', [{ field: 'outcome', message: '请选择予以支持、解释说明或不予支持' }]);
  let mergeTarget: TicketRow | null = null;
  if (event === 'merge') {
    const n = str(raw.mergeIntoNumber);
    mergeTarget = n ? await deps.tickets.getByNumber(n, uow.tx) : null;
    if (n && (!mergeTarget || mergeTarget.id === ticket.id || ['MERGED', 'TRANSFERRED'].includes(mergeTarget.state) || mergeTarget.track !== ticket.track)) {
      return refuse('invalid', '请修改标记的内容', [{ field: 'mergeIntoNumber', message: '要合并到的工单不存在、已合并，或就是本工单' }]);
    }
    if (mergeTarget) payload.mergeIntoId = mergeTarget.id;
  }
  const extensionCap = (ticket.track === 'petition' ? deps.deadlines.petitionExtensionCap : deps.deadlines.hotlineExtensionCap).n;
  const next = transition(
    { track: ticket.track, state: ticket.state, type: ticket.type, leadOrgId: ticket.leadOrgId, extensionUsed: ticket.extensionUsed, extensionPending: ticket.extensionPending, extensionCap },
    event,
    payload,
  );
  if (!next.ok) {
    if (next.reason === 'invalid') return refuse('invalid', next.message, [{ field: next.field === 'mergeIntoId' ? 'mergeIntoNumber' : (next.field ?? 'note'), message: next.message }]);
    return refuse('state', next.message);
  }

  const now = new Date();
  // 信访工作条例: review / re-review must be asked for within 30 days of the written reply; the
  // matter becomes final only once that window has passed unused.
  if ((event === 'request_review' || event === 'request_recheck') && ticket.dueAt && now.getTime() > ticket.dueAt.getTime()) {
    return refuse('state', '已超过 30 日的申请期限，不能再申请复查或复核');
  }
  if (event === 'finalize' && ticket.dueAt && now.getTime() <= ticket.dueAt.getTime()) {
    return refuse('state', '复查（复核）申请期限尚未届满，暂不能终结');
  }
  const calendar = await deps.calendarFor(ticket.divisionCode.slice(0, 6), uow.tx);
  const D = deps.deadlines;
  const patch: TicketPatch = { state: next.to };
  const data: Record<string, unknown> = {};
  let lead: { id: string; name: string } | null = null;
  const co: { id: string; name: string }[] = [];
  if (payload.leadOrgId) {
    const org = lookups.organisations.get(payload.leadOrgId) ?? null;
    if (!org) return refuse('invalid', '请修改标记的内容', [{ field: 'leadOrgId', message: '所选主办单位不存在' }]);
    lead = { id: org.id, name: org.name };
    for (const id of list(raw.coOrgIds)) {
      if (id === org.id) continue;
      const c = lookups.organisations.get(id) ?? null;
      if (!c) return refuse('invalid', '请修改标记的内容', [{ field: 'coOrgIds', message: '所选协办单位不存在' }]);
      co.push({ id: c.id, name: c.name });
    }
  }
  const categoryCode = str(raw.categoryCode) || null;
  if (categoryCode) {
    const categories = await deps.tickets.categories(uow.tx);
    if (!categories.some((c) => c.code === categoryCode)) return refuse('invalid', '请修改标记的内容', [{ field: 'categoryCode', message: '诉求分类不存在' }]);
  }
  const closes = ['CLOSED', 'MERGED', 'TRANSFERRED', 'FINAL', 'REDIRECTED'].includes(next.to);
  switch (event) {
    case 'dispatch':
    case 'reassign':
    case 'uphold_return':
    case 'assign':
      patch.leadOrgId = lead?.id ?? null;
      patch.leadOrgName = lead?.name ?? null;
      patch.coOrgIds = co.map((c) => c.id);
      patch.coOrgNames = co.map((c) => c.name);
      if (categoryCode) patch.categoryCode = categoryCode;
      patch.stageStartedAt = now;
      patch.dueAt = dueAfter(calendar, now, ticket.track === 'petition' ? D.petitionAcceptance : D.signFor).dueAt;
      data.leadOrgName = lead?.name;
      data.coOrgNames = co.map((c) => c.name);
      if (event === 'dispatch' || event === 'assign') {
        const chosenCategory = categoryCode ?? ticket.categoryCode;
        await deps.tickets.addFeedback(uow.tx, { ticketId: ticket.id, suggestedCategory: ticket.suggestedCategory, chosenCategory, suggestedOrgId: ticket.suggestedOrgId, chosenOrgId: lead?.id ?? '' });
        data.acceptedSuggestion = ticket.suggestedOrgId === lead?.id;
        // An override is a lesson: rebuild the classifier from all confirmed tickets, at most once an hour.
        if (!data.acceptedSuggestion) await uow.enqueue({ queue: RETRAIN_QUEUE, dedupeKey: `appeals.retrain:${now.toISOString().slice(0, 13)}` });
        // The dispatcher's choice teaches the classifier at once; the retraining job rebuilds it from all tickets.
        if (chosenCategory) {
          const text = `${ticket.title} ${ticket.description}`;
          uow.afterCommit(() => deps.advisor.learn(text, chosenCategory));
        }
      }
      break;
    case 'reject_return':
      patch.stageStartedAt = now;
      patch.dueAt = dueAfter(calendar, now, D.signFor).dueAt;
      break;
    case 'return':
      patch.stageStartedAt = now;
      patch.dueAt = dueAfter(calendar, now, D.returnReview).dueAt;
      break;
    case 'sign':
    case 'accept': {
      const limit = ticket.track === 'petition' ? D.petitionHandle : D.handle[ticket.type as keyof typeof D.handle];
      const due = dueAfter(calendar, now, limit).dueAt;
      patch.stageStartedAt = now;
      patch.dueAt = due;
      patch.handleDueAt = due;
      break;
    }
    case 'request_extension':
      patch.extensionPending = payload.extensionDays ?? null;
      data.extensionDays = payload.extensionDays;
      break;
    case 'approve_extension': {
      const unit = (ticket.track === 'petition' ? D.petitionExtensionCap : D.hotlineExtensionCap).unit;
      const n = ticket.extensionPending ?? 0;
      const base = ticket.handleDueAt ?? ticket.dueAt ?? now;
      const due = extendDue(calendar, base, n, unit);
      patch.extensionPending = null;
      patch.extensionUsed = true;
      patch.handleDueAt = due;
      if (ticket.state === 'IN_PROGRESS') patch.dueAt = due;
      data.extensionDays = n;
      data.dueAt = due.toISOString();
      break;
    }
    case 'reject_extension':
      patch.extensionPending = null;
      break;
    case 'start':
      break;
    case 'reply':
    case 'answer':
    case 'review_opinion':
    case 'recheck_opinion':
      patch.finalReply = payload.note ?? null;
      patch.repliedAt = now;
      if (payload.outcome) patch.outcome = payload.outcome;
      patch.stageStartedAt = now;
      // Hotline: the centre calls back by the next working day (§6.1 "return visit next day").
      // Petition: the petitioner may ask for a review / re-review within 30 days of the written reply.
      if (event === 'reply') patch.dueAt = dueAfter(calendar, now, D.callback).dueAt;
      else patch.dueAt = ticket.track === 'petition' && event !== 'recheck_opinion' ? dueAfter(calendar, now, D.petitionReviewRequest).dueAt : null;
      break;
    case 'request_review':
    case 'request_recheck':
      patch.stageStartedAt = now;
      patch.dueAt = dueAfter(calendar, now, D.petitionReviewOpinion).dueAt;
      break;
    case 'reject_reply':
      patch.dueAt = ticket.handleDueAt;
      break;
    case 'callback':
      patch.satisfaction = payload.satisfaction ?? null;
      data.satisfaction = payload.satisfaction;
      if (next.to === 'IN_PROGRESS') {
        // 重办: a fresh handling period from now.
        const due = dueAfter(calendar, now, D.handle[ticket.type as keyof typeof D.handle]).dueAt;
        patch.stageStartedAt = now;
        patch.dueAt = due;
        patch.handleDueAt = due;
        patch.finalReply = null;
        data.rehandle = true;
      }
      break;
    case 'transfer_emergency':
      patch.emergencyLine = payload.emergencyLine ?? null;
      data.emergencyLine = payload.emergencyLine;
      break;
    case 'merge':
      patch.mergedInto = mergeTarget?.id ?? null;
      data.mergedInto = mergeTarget?.number;
      break;
    case 'route_notice':
    case 'redirect':
    case 'not_accept':
      patch.finalReply = payload.reason ?? null;
      patch.repliedAt = now;
      break;
    case 'supervise':
      patch.supervised = true;
      break;
    default:
      break;
  }
  if (closes) {
    patch.closedAt = now;
    patch.dueAt = null;
  }
  const updated = await deps.tickets.update(uow.tx, ticket.id, ticket.version, patch);
  if (!updated) return refuse('conflict', '该工单已被他人处理，请刷新页面查看最新状态后再操作');
  const note = payload.note || payload.reason || null;
  await deps.tickets.addEvent(uow.tx, {
    ticketId: ticket.id,
    event,
    fromState: ticket.state,
    toState: next.to,
    actorId: opts.asCitizen ? null : actorId(actor),
    actorName: opts.asCitizen ? '诉求人' : actorLabel(actor),
    organisationName: actor.kind === 'staff' && !opts.asCitizen ? actor.position.organisationName : null,
    note,
    public: PUBLIC_EVENTS.has(event),
    data,
  });
  await uow.audit({ action: `appeal.${event}`, objectType: 'appeal', objectId: ticket.id, detail: { from: ticket.state, to: next.to, version: updated.version, ...data } });
  if (updated.reporterAccountId && ['reply', 'answer', 'review_opinion', 'recheck_opinion', 'answer_kb', 'route_notice', 'redirect', 'not_accept', 'transfer_emergency'].includes(event)) {
    await notify(uow, {
      recipientAccountId: updated.reporterAccountId,
      channel: 'inbox',
      subject: `您的诉求有了新进展（${updated.number}）`,
      body: `“${updated.title}”：${EVENT_LABEL[event]}。当前状态：${STATE_LABEL[updated.state]}。${note ? `\n${note}` : ''}`,
      dedupeKey: `appeal:${updated.id}:${event}:${updated.version}`,
    });
  }
  return ok(updated);
}
