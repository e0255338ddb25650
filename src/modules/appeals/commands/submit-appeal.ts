import crypto from 'node:crypto';
import { actorId, actorLabel } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { abusiveWords } from '../abuse.ts';
import { estimatedJaccard, signature } from '../classifier/similarity.ts';
import { dueAfter } from '../deadlines.ts';
import { INSTANT_ANSWER_SCORE, matchKnowledge } from '../kb-match.ts';
import { centreOf } from '../policies.ts';
import type { Channel, TicketRow } from '../ticket.repository.ts';
import { APPEAL_TYPE_LABEL, STATE_LABEL, trackOf } from '../ticket-machine.ts';
import type { AppealDeps, Lookups } from './deps.ts';
import { validateAppealInput, type AppealInput } from './validate-appeal.ts';

export type SubmitRefusal = 'forbidden' | 'invalid' | 'idempotency_mismatch';

export interface Submitted {
  ticket: TicketRow;
  /** True when an earlier submission with the same idempotency key was returned (double click, retry). */
  replayed: boolean;
}

const QUERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function queryCode(): string {
  const bytes = crypto.randomBytes(8);
  return [...bytes].map((b) => QUERY_ALPHABET[b % QUERY_ALPHABET.length]).join('');
}

/**
 * 一表式诉求: one command for every channel (web page, hotline operator, API). Registers the ticket
 * with a gap-free number and a query code; a consultation the knowledge base answers is closed at
 * once (即时办结); otherwise the dispatch clock starts. Abusive words are flagged, not dropped.
 */
export async function submitAppeal(deps: AppealDeps, uow: UnitOfWork, raw: AppealInput, channel: Channel, lookups: Lookups): Promise<Result<Submitted, SubmitRefusal>> {
  const actor = uow.ctx.actor;
  if (channel === 'hotline') {
    if (actor.kind !== 'staff' || !deps.permissions.has(actor, 'appeals.intake') || !centreOf(actor, lookups.centres)) {
      await uow.audit({ action: 'appeal.intake', objectType: 'appeal', objectId: null, outcome: 'denied' });
      return refuse('forbidden', '只有 12345 热线或信访部门的受理人员可以登记来电');
    }
  } else if (actor.kind === 'staff' || actor.kind === 'system') {
    // Staff record calls on the hotline screen; the web form and the API are for the public.
    if (channel === 'web') return refuse('forbidden', '工作人员请在热线受理页面登记来电');
  }
  const { value, errors } = validateAppealInput(raw, channel, actor);
  if (value.idempotencyKey) {
    const earlier = await deps.tickets.getByIdempotencyKey(value.idempotencyKey, uow.tx);
    if (earlier) {
      if (earlier.title !== value.title || earlier.description !== value.description) return refuse('idempotency_mismatch', '同一幂等键对应的提交内容不一致');
      return ok({ ticket: earlier, replayed: true });
    }
  }
  if (value.divisionCode && errors.every((e) => e.field !== 'divisionCode') && !lookups.divisions.get(value.divisionCode)) {
    errors.push({ field: 'divisionCode', message: `行政区划代码 ${value.divisionCode} 不存在或已撤销` });
  }
  if (value.categoryCode) {
    const categories = await deps.tickets.categories(uow.tx);
    const leaf = categories.find((c) => c.code === value.categoryCode);
    if (!leaf || categories.some((c) => c.parentCode === leaf.code)) errors.push({ field: 'categoryCode', message: '请选择诉求分类中的具体事项' });
  }
  const owner = actorId(actor);
  for (const id of value.attachmentIds) {
    const a = lookups.attachments.get(id) ?? null;
    if (!a || !owner || a.ownerAccountId !== owner) {
      errors.push({ field: 'attachmentIds', message: '附件不存在或不是您上传的' });
      break;
    }
    if (!/^image\/(jpeg|png|gif|webp)$/.test(a.mediaType) && a.mediaType !== 'application/pdf') {
      errors.push({ field: 'attachmentIds', message: `附件“${a.originalName}”不是图片或 PDF` });
      break;
    }
  }
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  const track = trackOf(value.type);
  const now = new Date();
  const calendar = await deps.calendarFor(value.divisionCode.slice(0, 6), uow.tx);
  const text = `${value.title}\n${value.description}`;
  const flagged = abusiveWords(text);
  const suggestion = deps.advisor.suggest({ text, divisionCode: value.divisionCode, categoryCode: value.categoryCode });
  // 即时办结: a consultation the knowledge base answers is closed on the spot with that entry.
  const kbHit = value.type === 'consultation' ? matchKnowledge(text, await deps.kb.published(uow.tx), 1)[0] : undefined;
  const answered = kbHit && kbHit.score >= INSTANT_ANSWER_SCORE ? kbHit.entry : null;
  // 信访工作条例: after re-review the same facts and reasons are not accepted again — registered,
  // closed at once with a notice naming the final matter.
  let repeatOf: { number: string } | null = null;
  if (track === 'petition' && (actor.kind === 'citizen' || actor.kind === 'enterprise')) {
    const sig = signature(text);
    for (const f of await deps.tickets.finalPetitionsOf(actor.accountId, uow.tx)) {
      if (estimatedJaccard(sig, 0, signature(`${f.title}\n${f.description}`), 0) >= 0.6) {
        repeatOf = f;
        break;
      }
    }
  }
  const limit = track === 'petition' ? deps.deadlines.petitionTransfer : deps.deadlines.dispatch[value.urgency];
  const number = await deps.nextTicketNumber(uow.tx);
  let ticket = await deps.tickets.insert(uow.tx, {
    number,
    queryCode: queryCode(),
    track,
    type: value.type,
    channel,
    title: value.title,
    description: value.description,
    categoryCode: value.categoryCode ?? suggestion.unit?.categoryCode ?? null,
    divisionCode: value.divisionCode,
    address: value.address,
    lon: value.lon,
    lat: value.lat,
    urgency: value.urgency,
    contactName: value.contactName,
    contactPhone: value.contactPhone,
    callerNumber: value.callerNumber,
    consentPublish: value.consentPublish,
    anonymous: value.anonymous,
    reporterAccountId: actor.kind === 'citizen' || actor.kind === 'enterprise' ? actor.accountId : null,
    attachmentIds: value.attachmentIds,
    flaggedWords: flagged,
    state: track === 'petition' ? 'RECEIVED' : 'NEW',
    stageStartedAt: now,
    dueAt: answered ? null : dueAfter(calendar, now, limit).dueAt,
    suggestedOrgId: suggestion.unit?.organisationId ?? null,
    suggestedCategory: suggestion.unit?.categoryCode ?? suggestion.categories[0]?.label ?? null,
    idempotencyKey: value.idempotencyKey,
    createdBy: owner,
  });
  const who = { actorId: owner, actorName: actor.kind === 'staff' ? actorLabel(actor) : '诉求人', organisationName: actor.kind === 'staff' ? actor.position.organisationName : null };
  await deps.tickets.addEvent(uow.tx, {
    ticketId: ticket.id,
    event: 'register',
    fromState: null,
    toState: ticket.state,
    ...who,
    note: `${APPEAL_TYPE_LABEL[value.type]} · ${channel === 'hotline' ? '热线来电' : channel === 'web' ? '网上提交' : '接口提交'}`,
    public: true,
    data: { flagged, duplicates: suggestion.duplicates.map((d) => d.number) },
  });
  if (answered) {
    const closed = await deps.tickets.update(uow.tx, ticket.id, ticket.version, { state: 'CLOSED', kbEntryId: answered.id, finalReply: answered.answer, repliedAt: now, closedAt: now, dueAt: null });
    if (closed) ticket = closed;
    await deps.tickets.addEvent(uow.tx, { ticketId: ticket.id, event: 'answer_kb', fromState: 'NEW', toState: 'CLOSED', actorId: 'system:knowledge-base', actorName: '知识库', organisationName: answered.organisationName, note: answered.answer, public: true, data: { kbEntryId: answered.id, score: kbHit?.score } });
  }
  if (repeatOf && !answered) {
    const note = `您反映的事项已于工单 ${repeatOf.number} 复核终结，依据《信访工作条例》，同一事实和理由不再受理。`;
    const closed = await deps.tickets.update(uow.tx, ticket.id, ticket.version, { state: 'CLOSED', finalReply: note, repliedAt: now, closedAt: now, dueAt: null });
    if (closed) ticket = closed;
    await deps.tickets.addEvent(uow.tx, { ticketId: ticket.id, event: 'not_accept', fromState: 'RECEIVED', toState: 'CLOSED', actorId: 'system:repeat-check', actorName: '重复信访核查', organisationName: null, note, public: true, data: { repeatOf: repeatOf.number } });
  }
  await uow.audit({
    action: 'appeal.submit',
    objectType: 'appeal',
    objectId: ticket.id,
    detail: { number, channel, type: value.type, state: ticket.state, flagged: flagged.length > 0, kbEntryId: answered?.id ?? null, repeatOf: repeatOf?.number ?? null },
  });
  if (ticket.reporterAccountId) {
    await notify(uow, {
      recipientAccountId: ticket.reporterAccountId,
      channel: 'inbox',
      subject: `您的诉求已登记（${number}）`,
      body: `您提交的“${ticket.title}”已登记，编号 ${number}，查询码 ${ticket.queryCode}。当前状态：${STATE_LABEL[ticket.state]}。${answered ? `\n答复：${answered.answer}` : ''}`,
      dedupeKey: `appeal:${ticket.id}:registered`,
    });
  }
  const indexed = ticket;
  uow.afterCommit(() => deps.advisor.index({ id: indexed.id, number: indexed.number, divisionCode: indexed.divisionCode, createdAt: indexed.createdAt.getTime(), text }));
  return ok({ ticket, replayed: false });
}
