import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import { refuse, type Result } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { DispatchAdvisor, type DispatchSuggestion } from './classifier/dispatch-advisor.ts';
import { generateLabelledSet } from './classifier/labelled-set.ts';
import { actOnTicket, list, type ActionInput, type ActRefusal } from './commands/act-on-ticket.ts';
import type { AppealDeps, Lookups } from './commands/deps.ts';
import { saveKbEntry, type KbInput } from './commands/save-kb-entry.ts';
import { submitAppeal, type SubmitRefusal, type Submitted } from './commands/submit-appeal.ts';
import type { AppealInput } from './commands/validate-appeal.ts';
import type { KbEntry } from './kb.repository.ts';
import { sendReminders, type SweepResult as ReminderSweep } from './reminders.ts';
import { allowedEvents, scopeCoversTicket, ticketScope } from './policies.ts';
import type { Centre, Channel, TicketListFilters, TicketRow } from './ticket.repository.ts';
import { publicStatus, type TicketEvent, type TicketState } from './ticket-machine.ts';

/** Labelled tickets below this count → the classifier also learns from the generated set (docs/appeals.md). */
const BOOTSTRAP_BELOW = 300;
const RECENT_DAYS = 180;
const RECENT_MAX = 200_000;
/** Centres and dispatch rules are re-read at most this old (other processes' administration changes). */
const CATALOGUE_TTL_MS = 60_000;
export { RETRAIN_QUEUE } from './commands/deps.ts';

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

/**
 * The appeals service: the interface other modules (Open311, public mailbox statistics, surveys)
 * build on — create a ticket, get one, list public ones, map states to open/closed — plus the
 * staff actions. Every method takes the actor or the request context.
 */
export class AppealsService {
  #centres: Centre[] | null = null;
  #centresAt = 0;
  #rulesAt = 0;
  #warm: Promise<void> | null = null;

  constructor(
    readonly deps: AppealDeps,
    private readonly platform: Platform,
  ) {}

  async centres(): Promise<Centre[]> {
    // Cached for a minute: an administration change in this process reloads at once (catalogueChanged), other processes within the minute.
    if (!this.#centres || Date.now() - this.#centresAt > CATALOGUE_TTL_MS) {
      this.#centres = await this.deps.tickets.centres();
      this.#centresAt = Date.now();
    }
    return this.#centres;
  }

  /** After the dispatch catalogue or the centres changed: the next suggestion and scope check use the new data (no restart). */
  async catalogueChanged(): Promise<void> {
    this.#centres = null;
    await this.reloadRules();
  }

  private async reloadRules(): Promise<void> {
    this.deps.advisor.setRules(await this.deps.tickets.rules());
    this.#rulesAt = Date.now();
  }

  /** Drops cached centres and dispatch rules (after the catalogue or centres change). */
  invalidate(): void {
    this.#centres = null;
    this.#warm = null;
  }

  /** Loads the dispatch catalogue, trains the classifier and indexes recent tickets (once). */
  warm(): Promise<void> {
    this.#warm ??= this.retrain();
    return this.#warm;
  }

  async retrain(): Promise<void> {
    const { tickets, advisor } = this.deps;
    await this.reloadRules();
    const labelled = await tickets.labelled(50_000);
    const samples = labelled.map((l) => ({ text: l.text, label: l.categoryCode }));
    advisor.train(labelled.length < BOOTSTRAP_BELOW ? [...samples, ...generateLabelledSet(60, 7, 'all')] : samples);
    for (const t of await tickets.recentTexts(new Date(Date.now() - RECENT_DAYS * 86_400_000), RECENT_MAX)) {
      advisor.index({ id: t.id, number: t.number, divisionCode: t.divisionCode, createdAt: t.createdAt.getTime(), text: `${t.title}\n${t.description}` });
    }
  }

  /** Reads what the commands need from other modules before the transaction (one connection on PGlite). */
  async lookups(want: { divisionCodes?: unknown[]; organisationIds?: unknown[]; attachmentIds?: unknown[] }): Promise<Lookups> {
    const out: Lookups = { centres: await this.centres(), divisions: new Map(), organisations: new Map(), attachments: new Map() };
    const strings = (xs: unknown[] | undefined) => [...new Set((xs ?? []).flatMap((x) => list(x)))].slice(0, 20);
    for (const code of strings(want.divisionCodes)) if (/^\d{6}(\d{3})?$/.test(code)) out.divisions.set(code, await this.deps.divisionName(code));
    for (const id of strings(want.organisationIds)) out.organisations.set(id, await this.deps.organisation(id));
    for (const id of strings(want.attachmentIds)) out.attachments.set(id, await this.deps.attachment(id));
    return out;
  }

  /** Create a ticket from any channel. A concurrent retry with the same idempotency key returns the first ticket. */
  async submit(ctx: RequestContext, input: AppealInput, channel: Channel): Promise<Result<Submitted, SubmitRefusal>> {
    await this.warm();
    const lookups = await this.lookups({ divisionCodes: [input.divisionCode], attachmentIds: [input.attachmentIds] });
    try {
      return await this.platform.transactor.run(ctx, (uow) => submitAppeal(this.deps, uow, input, channel, lookups));
    } catch (e) {
      if (!isUniqueViolation(e) || typeof input.idempotencyKey !== 'string') throw e;
      const earlier = await this.deps.tickets.getByIdempotencyKey(input.idempotencyKey.trim());
      if (!earlier) throw e;
      return { ok: true, value: { ticket: earlier, replayed: true } };
    }
  }

  async act(ctx: RequestContext, id: string, event: TicketEvent, input: ActionInput, opts: { asCitizen?: boolean } = {}): Promise<Result<TicketRow, ActRefusal>> {
    const lookups = await this.lookups({ organisationIds: [input.leadOrgId, input.coOrgIds] });
    return this.platform.transactor.run(ctx, (uow) => actOnTicket(this.deps, uow, id, event, input, lookups, opts));
  }

  /** A ticket the staff actor may see, or null (out of scope looks like not found). */
  async getTicket(actor: Actor, id: string): Promise<TicketRow | null> {
    const t = await this.deps.tickets.getById(id);
    if (!t || !scopeCoversTicket(ticketScope(this.deps.permissions, actor, await this.centres()), t)) return null;
    return t;
  }

  async list(actor: Actor, filters: Omit<TicketListFilters, 'now'>): Promise<{ rows: TicketRow[]; total: number }> {
    return this.deps.tickets.listInScope(ticketScope(this.deps.permissions, actor, await this.centres()), { ...filters, now: new Date() });
  }

  async allowedEvents(actor: Actor, t: TicketRow): Promise<TicketEvent[]> {
    return allowedEvents(this.deps.permissions, actor, t, await this.centres());
  }

  /** The ticket a citizen follows with its number and query code (no account needed). */
  async track(number: string, queryCode: string): Promise<TicketRow | null> {
    const t = await this.deps.tickets.getByNumber(number.trim());
    return t && t.queryCode === queryCode.trim().toUpperCase() ? t : null;
  }

  listPublic(opts: { prefix?: string; limit: number; offset: number }): Promise<{ rows: TicketRow[]; total: number }> {
    return this.deps.tickets.listPublic(opts);
  }

  publicStatus(state: TicketState): 'open' | 'closed' {
    return publicStatus(state);
  }

  async suggest(t: TicketRow): Promise<DispatchSuggestion> {
    await this.warm();
    if (Date.now() - this.#rulesAt > CATALOGUE_TTL_MS) await this.reloadRules();
    return this.deps.advisor.suggest({ text: `${t.title}\n${t.description}`, divisionCode: t.divisionCode, categoryCode: t.categoryCode, excludeId: t.id });
  }

  async saveKb(ctx: RequestContext, id: string | null, input: KbInput): Promise<Result<KbEntry, 'forbidden' | 'not_found' | 'invalid' | 'conflict'>> {
    const centres = await this.centres();
    return this.platform.transactor.run(ctx, (uow) => saveKbEntry(this.deps, uow, id, input, centres));
  }

  /** The reminder sweep (临期提醒 / 超期通知) as of `now`; idempotent per ticket × deadline × colour. */
  sendReminders(now: Date): Promise<ReminderSweep> {
    return sendReminders({ db: this.platform.db, transactor: this.platform.transactor, centres: () => this.centres(), yellowShare: this.deps.deadlines.yellowShare }, now);
  }

  static notFound() {
    return refuse('not_found', '工单不存在或不在您的管辖范围内');
  }
}

export function createAdvisor(): DispatchAdvisor {
  return new DispatchAdvisor(4096);
}
