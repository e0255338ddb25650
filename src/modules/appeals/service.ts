import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import { refuse, type Result } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { DispatchAdvisor, type DispatchSuggestion } from './classifier/dispatch-advisor.ts';
import { generateLabelledSet } from './classifier/labelled-set.ts';
import { actOnTicket, list, type ActionInput, type ActRefusal } from './commands/act-on-ticket.ts';
import type { AppealDeps, Lookups } from './commands/deps.ts';
import { saveKbEntry, type KbInput } from './commands/save-kb-entry.ts';
import { submitAppeal, submitAppeals, suggestionFor, type SubmitRefusal, type Submitted } from './commands/submit-appeal.ts';
import { GroupCommit, settle, type Outcome } from '../../platform/group-commit.ts';
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

interface QueuedIntake {
  ctx: RequestContext;
  input: AppealInput;
  channel: Channel;
  suggestion?: DispatchSuggestion;
}

type PreparedIntake = QueuedIntake & { lookups: Lookups };

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
  /** What one request may have looked up: at most 20 of each (user input bounds no work). */
  lookupKeys(want: { divisionCodes?: unknown[]; organisationIds?: unknown[]; attachmentIds?: unknown[] }, cap = 20): { divisionCodes: string[]; organisationIds: string[]; attachmentIds: string[] } {
    const strings = (xs: unknown[] | undefined) => [...new Set((xs ?? []).flatMap((x) => list(x)))].slice(0, cap);
    return { divisionCodes: strings(want.divisionCodes).filter((code) => /^\d{6}(\d{3})?$/.test(code)), organisationIds: strings(want.organisationIds), attachmentIds: strings(want.attachmentIds) };
  }

  async lookups(want: { divisionCodes?: unknown[]; organisationIds?: unknown[]; attachmentIds?: unknown[] }, cap = 20): Promise<Lookups> {
    const out: Lookups = { centres: await this.centres(), divisions: new Map(), organisations: new Map(), attachments: new Map() };
    const keys = this.lookupKeys(want, cap);
    for (const code of keys.divisionCodes) out.divisions.set(code, await this.deps.divisionName(code));
    for (const id of keys.organisationIds) out.organisations.set(id, await this.deps.organisation(id));
    for (const id of keys.attachmentIds) out.attachments.set(id, await this.deps.attachment(id));
    return out;
  }

  /**
   * Create a ticket from any channel. A concurrent retry with the same idempotency key returns the
   * first ticket. Group commit: intakes arriving while others are being written go together into
   * the next transaction (submitAppeals); each keeps its own answer, audit entry and notification.
   */
  async submit(ctx: RequestContext, input: AppealInput, channel: Channel): Promise<Result<Submitted, SubmitRefusal>> {
    await this.warm();
    // The classifier and duplicate check run now, as the request arrives, not inside the batch's transaction.
    const suggestion = suggestionFor(this.deps, input, channel, ctx.actor);
    return this.#intakes.submit({ ctx, input, channel, ...(suggestion ? { suggestion } : {}) });
  }

  /** How the intakes were grouped so far (batches, requests, largest batch). */
  get intakeBatches(): Readonly<{ batches: number; requests: number; largest: number }> {
    return this.#intakes.stats;
  }

  readonly #intakes = new GroupCommit<QueuedIntake, Result<Submitted, SubmitRefusal>>((batch) => this.#writeIntakes(batch));

  async #writeIntakes(queued: QueuedIntake[]): Promise<Outcome<Result<Submitted, SubmitRefusal>>[]> {
    // Divisions and attachments of the whole batch, each looked up once (not once per request).
    const wanted = queued.map((b) => this.lookupKeys({ divisionCodes: [b.input.divisionCode], attachmentIds: [b.input.attachmentIds] }));
    const lookups = await this.lookups({ divisionCodes: wanted.flatMap((w) => w.divisionCodes), attachmentIds: wanted.flatMap((w) => w.attachmentIds) }, Infinity);
    const batch = queued.map((b) => ({ ...b, lookups }));
    // The same key twice in one batch: the later ones wait and replay the first.
    const seen = new Set<string>();
    const together: PreparedIntake[] = [];
    const later: PreparedIntake[] = [];
    for (const b of batch) {
      const key = typeof b.input.idempotencyKey === 'string' ? b.input.idempotencyKey.trim() : '';
      if (key && seen.has(key)) later.push(b);
      else {
        if (key) seen.add(key);
        together.push(b);
      }
    }
    const answers = new Map<PreparedIntake, Outcome<Result<Submitted, SubmitRefusal>>>();
    try {
      const results = await this.platform.transactor.runBatch((tx, unitOfWork) =>
        submitAppeals(this.deps, tx, together.map((b) => ({ uow: unitOfWork(b.ctx), raw: b.input, channel: b.channel, lookups: b.lookups, ...(b.suggestion ? { suggestion: b.suggestion } : {}) }))),
      );
      together.forEach((b, i) => answers.set(b, { ok: true, value: results[i]! }));
    } catch {
      // A key taken concurrently, or one bad request: each on its own, so it cannot fail its neighbours.
      for (const b of together) answers.set(b, await settle(this.#submitOne(b)));
    }
    for (const b of later) answers.set(b, await settle(this.#submitOne(b)));
    return batch.map((b) => answers.get(b)!);
  }

  async #submitOne({ ctx, input, channel, lookups }: PreparedIntake): Promise<Result<Submitted, SubmitRefusal>> {
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
