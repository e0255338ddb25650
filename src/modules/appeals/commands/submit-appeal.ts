import crypto from 'node:crypto';
import { actorId, actorLabel, type Actor } from '../../../platform/auth/actor.ts';
import type { DispatchSuggestion } from '../classifier/dispatch-advisor.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { Tx } from '../../../platform/db/database.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { abusiveWords } from '../abuse.ts';
import { estimatedJaccard, signature } from '../classifier/similarity.ts';
import { dueAfter } from '../deadlines.ts';
import { INSTANT_ANSWER_SCORE, matchKnowledge } from '../kb-match.ts';
import { centreOf } from '../policies.ts';
import type { Channel, NewTicket, TicketRow } from '../ticket.repository.ts';
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

/** One intake of a batch: its unit of work (its own actor and request id), input, channel and lookups. */
export interface AppealRequest {
  uow: UnitOfWork;
  raw: AppealInput;
  channel: Channel;
  lookups: Lookups;
  /** The dispatch suggestion computed before the transaction (see suggestionFor); computed here when absent. */
  suggestion?: DispatchSuggestion;
}

/**
 * The classifier's and duplicate check's answer for an intake, from its validated text: CPU work
 * that need not hold a transaction open, so the service computes it as the request arrives.
 */
export function suggestionFor(deps: AppealDeps, raw: AppealInput, channel: Channel, actor: Actor): DispatchSuggestion | undefined {
  const { value, errors } = validateAppealInput(raw, channel, actor);
  if (errors.length > 0) return undefined;
  return deps.advisor.suggest({ text: `${value.title}\n${value.description}`, divisionCode: value.divisionCode, categoryCode: value.categoryCode });
}

type SubmitResult = Result<Submitted, SubmitRefusal>;

/**
 * 一表式诉求: one command for every channel (web page, hotline operator, API). Registers the ticket
 * with a gap-free number and a query code; a consultation the knowledge base answers is closed at
 * once (即时办结); otherwise the dispatch clock starts. Abusive words are flagged, not dropped.
 */
export async function submitAppeal(deps: AppealDeps, uow: UnitOfWork, raw: AppealInput, channel: Channel, lookups: Lookups): Promise<SubmitResult> {
  const [result] = await submitAppeals(deps, uow.tx, [{ uow, raw, channel, lookups }]);
  return result!;
}

/**
 * submitAppeal for several intakes in the caller's one transaction (group commit, see
 * AppealService.submit): each gets its own answer — a refusal leaves the others untouched — and
 * the registrations are one idempotency query, one number-counter update, one insert of tickets
 * and one of their events for the whole batch. The same idempotency key must not appear twice in
 * one call; a key taken concurrently makes the insert fail (the caller retries one by one).
 */
export async function submitAppeals(deps: AppealDeps, tx: Tx, requests: AppealRequest[]): Promise<SubmitResult[]> {
  const results: (SubmitResult | undefined)[] = requests.map(() => undefined);
  const checked: { i: number; value: ReturnType<typeof validateAppealInput>['value']; errors: FieldError[] }[] = [];
  for (const [i, { uow, raw, channel, lookups }] of requests.entries()) {
    const actor = uow.ctx.actor;
    if (channel === 'hotline') {
      if (actor.kind !== 'staff' || !deps.permissions.has(actor, 'appeals.intake') || !centreOf(actor, lookups.centres)) {
        await uow.audit({ action: 'appeal.intake', objectType: 'appeal', objectId: null, outcome: 'denied' });
        results[i] = refuse('forbidden', '只有 12345 热线或信访部门的受理人员可以登记来电');
        continue;
      }
    } else if ((actor.kind === 'staff' || actor.kind === 'system') && channel === 'web') {
      // Staff record calls on the hotline screen; the web form and the API are for the public.
      results[i] = refuse('forbidden', '工作人员请在热线受理页面登记来电');
      continue;
    }
    checked.push({ i, ...validateAppealInput(raw, channel, actor) });
  }

  // Retries answer with their first ticket (one query for every key).
  const earlier = await deps.tickets.getByIdempotencyKeys(checked.flatMap((c) => (c.value.idempotencyKey ? [c.value.idempotencyKey] : [])), tx);
  const wantsCategories = checked.some((c) => c.value.categoryCode);
  const categories = wantsCategories ? await deps.tickets.categories(tx) : [];
  const accepted: { i: number; value: (typeof checked)[number]['value'] }[] = [];
  for (const c of checked) {
    const { value, errors } = c;
    const before = value.idempotencyKey ? earlier.get(value.idempotencyKey) : undefined;
    if (before) {
      results[c.i] =
        before.title !== value.title || before.description !== value.description ? refuse('idempotency_mismatch', '同一幂等键对应的提交内容不一致') : ok({ ticket: before, replayed: true });
      continue;
    }
    const { uow, lookups } = requests[c.i]!;
    if (value.divisionCode && errors.every((e) => e.field !== 'divisionCode') && !lookups.divisions.get(value.divisionCode)) {
      errors.push({ field: 'divisionCode', message: `行政区划代码 ${value.divisionCode} 不存在或已撤销` });
    }
    if (value.categoryCode) {
      const leaf = categories.find((x) => x.code === value.categoryCode);
      if (!leaf || categories.some((x) => x.parentCode === leaf.code)) errors.push({ field: 'categoryCode', message: '请选择诉求分类中的具体事项' });
    }
    const owner = actorId(uow.ctx.actor);
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
    if (errors.length > 0) results[c.i] = refuse('invalid', '请修改标记的内容', errors);
    else accepted.push({ i: c.i, value });
  }
  if (accepted.length === 0) return results.map((r) => r!);

  // What each new ticket is: clock, flags, suggestion, instant answer, repeated petition.
  const now = new Date();
  const calendars = new Map<string, Awaited<ReturnType<AppealDeps['calendarFor']>>>();
  const kb = accepted.some((a) => a.value.type === 'consultation') ? await deps.kb.published(tx) : [];
  const numbers = await deps.nextTicketNumbers(tx, accepted.length);
  const drafts = [];
  for (const [n, { i, value }] of accepted.entries()) {
    const actor = requests[i]!.uow.ctx.actor;
    const track = trackOf(value.type);
    const region = value.divisionCode.slice(0, 6);
    let calendar = calendars.get(region);
    if (!calendar) calendars.set(region, (calendar = await deps.calendarFor(region, tx)));
    const text = `${value.title}\n${value.description}`;
    const flagged = abusiveWords(text);
    const suggestion = requests[i]!.suggestion ?? deps.advisor.suggest({ text, divisionCode: value.divisionCode, categoryCode: value.categoryCode });
    // 即时办结: a consultation the knowledge base answers is closed on the spot with that entry.
    const kbHit = value.type === 'consultation' ? matchKnowledge(text, kb, 1)[0] : undefined;
    const answered = kbHit && kbHit.score >= INSTANT_ANSWER_SCORE ? kbHit.entry : null;
    // 信访工作条例: after re-review the same facts and reasons are not accepted again — registered,
    // closed at once with a notice naming the final matter.
    let repeatOf: { number: string } | null = null;
    if (track === 'petition' && (actor.kind === 'citizen' || actor.kind === 'enterprise')) {
      const sig = signature(text);
      for (const f of await deps.tickets.finalPetitionsOf(actor.accountId, tx)) {
        if (estimatedJaccard(sig, 0, signature(`${f.title}\n${f.description}`), 0) >= 0.6) {
          repeatOf = f;
          break;
        }
      }
    }
    const limit = track === 'petition' ? deps.deadlines.petitionTransfer : deps.deadlines.dispatch[value.urgency];
    const row: NewTicket = {
      number: numbers[n]!,
      queryCode: queryCode(),
      track,
      type: value.type,
      channel: requests[i]!.channel,
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
      createdBy: actorId(actor),
    };
    drafts.push({ i, value, row, text, flagged, duplicates: suggestion.duplicates.map((d) => d.number), answered, kbScore: kbHit?.score, repeatOf });
  }

  // One insert for the tickets, one for their registration events.
  const tickets = await deps.tickets.insertMany(tx, drafts.map((d) => d.row));
  await deps.tickets.addEvents(
    tx,
    drafts.map((d, n) => {
      const { uow, channel } = requests[d.i]!;
      const actor = uow.ctx.actor;
      return {
        ticketId: tickets[n]!.id,
        event: 'register',
        fromState: null,
        toState: tickets[n]!.state,
        actorId: actorId(actor),
        actorName: actor.kind === 'staff' ? actorLabel(actor) : '诉求人',
        organisationName: actor.kind === 'staff' ? actor.position.organisationName : null,
        note: `${APPEAL_TYPE_LABEL[d.value.type]} · ${channel === 'hotline' ? '热线来电' : channel === 'web' ? '网上提交' : '接口提交'}`,
        public: true,
        data: { flagged: d.flagged, duplicates: d.duplicates },
      };
    }),
  );
  for (const [n, d] of drafts.entries()) {
    const { uow } = requests[d.i]!;
    let ticket = tickets[n]!;
    const { answered, repeatOf } = d;
    if (answered) {
      const closed = await deps.tickets.update(tx, ticket.id, ticket.version, { state: 'CLOSED', kbEntryId: answered.id, finalReply: answered.answer, repliedAt: now, closedAt: now, dueAt: null });
      if (closed) ticket = closed;
      await deps.tickets.addEvent(tx, { ticketId: ticket.id, event: 'answer_kb', fromState: 'NEW', toState: 'CLOSED', actorId: 'system:knowledge-base', actorName: '知识库', organisationName: answered.organisationName, note: answered.answer, public: true, data: { kbEntryId: answered.id, score: d.kbScore } });
    }
    if (repeatOf && !answered) {
      const note = `您反映的事项已于工单 ${repeatOf.number} 复核终结，依据《信访工作条例》，同一事实和理由不再受理。`;
      const closed = await deps.tickets.update(tx, ticket.id, ticket.version, { state: 'CLOSED', finalReply: note, repliedAt: now, closedAt: now, dueAt: null });
      if (closed) ticket = closed;
      await deps.tickets.addEvent(tx, { ticketId: ticket.id, event: 'not_accept', fromState: 'RECEIVED', toState: 'CLOSED', actorId: 'system:repeat-check', actorName: '重复信访核查', organisationName: null, note, public: true, data: { repeatOf: repeatOf.number } });
    }
    const number = ticket.number;
    await uow.audit({
      action: 'appeal.submit',
      objectType: 'appeal',
      objectId: ticket.id,
      detail: { number, channel: requests[d.i]!.channel, type: d.value.type, state: ticket.state, flagged: d.flagged.length > 0, kbEntryId: answered?.id ?? null, repeatOf: repeatOf?.number ?? null },
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
    const text = d.text;
    uow.afterCommit(() => deps.advisor.index({ id: indexed.id, number: indexed.number, divisionCode: indexed.divisionCode, createdAt: indexed.createdAt.getTime(), text }));
    results[d.i] = ok({ ticket, replayed: false });
  }
  return results.map((r) => r!);
}
