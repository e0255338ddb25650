import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../platform/errors.ts';
import { BundleRepository, type BundleRow } from './bundle.repository.ts';
import type { CaseRecord } from './case.repository.ts';
import { BundleRollback, passwordOf, submitLifeEvent, type LifeEventRefusal, type LifeEventSubmitted } from './commands/submit-life-event.ts';
import { isApplicant } from './policies.ts';
import type { ApplicationLifeEvent, LifeEventLookupResult } from './ports.ts';
import { prefillFromProfile, withLocked, type Prefill } from './prefill.ts';
import type { CaseService } from './service.ts';

export interface LifeEventSubmitRequest {
  lifeEventId: string;
  idempotencyKey: string | null;
  values: Record<string, unknown>;
  materials: Record<string, string>;
}

/** 一件事 applications: the catalog lookup before the transaction, the fan-out in one transaction. */
export class LifeEventApplications {
  readonly bundles: BundleRepository;

  constructor(readonly cases: CaseService) {
    this.bundles = new BundleRepository(cases.deps.cases.db);
  }

  get available(): boolean {
    return Boolean(this.cases.deps.lifeEvents);
  }

  lookup(id: string): Promise<LifeEventLookupResult> {
    const source = this.cases.deps.lifeEvents;
    if (!source) return Promise.resolve({ ok: false, reason: 'unavailable', message: '本系统未开通“一件事”在线申请' });
    return source.lifeEvent(id);
  }

  /**
   * The merged form's prefill from the applicant's profile (as on the single-item page, no draft):
   * real-name-verified fields are locked. Read before any transaction.
   */
  async prefill(actor: Actor, lifeEvent: ApplicationLifeEvent): Promise<Prefill> {
    if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') return { values: {}, locked: {} };
    const profile = (await this.cases.deps.applicants.applicantProfile?.(actor.accountId)) ?? null;
    return prefillFromProfile(lifeEvent.form, profile, actor);
  }

  /**
   * Looks the life event up (catalog, outside our transaction: the embedded database has one
   * connection) and files the bundle. An unavailable life event is refused with reason 'unavailable'
   * (the message says why). Locked (real-name-verified) fields take the account's values whatever was posted.
   */
  async submit(ctx: RequestContext, input: LifeEventSubmitRequest): Promise<Result<LifeEventSubmitted, LifeEventRefusal | 'unavailable'>> {
    const found = await this.lookup(input.lifeEventId);
    if (!found.ok) return refuse('unavailable', found.message);
    const a = ctx.actor;
    const accountId = a.kind === 'citizen' || a.kind === 'enterprise' ? a.accountId : null;
    const values = withLocked(input.values, (await this.prefill(a, found.lifeEvent)).locked);
    const deps = await this.cases.prepared({ applicantAccountId: accountId });
    try {
      return await this.cases.run(ctx, (uow) => submitLifeEvent(deps, this.bundles, uow, { lifeEvent: found.lifeEvent, idempotencyKey: input.idempotencyKey, values, materials: input.materials }));
    } catch (e) {
      if (!(e instanceof BundleRollback)) throw e;
      const key = input.idempotencyKey?.trim();
      if (e.result.reason === 'conflict' && accountId && key) {
        // A concurrent retry with the same key won the race: answer with its bundle.
        const existing = await this.bundles.getByIdempotencyKey(accountId, key);
        if (existing && existing.life_event_id === input.lifeEventId) return ok(await this.view(existing, true));
      }
      return e.result;
    }
  }

  /** The bundle when the actor is its applicant; null otherwise (others are told "not found"). */
  async own(actor: Actor, bundleId: string): Promise<{ bundle: BundleRow; cases: CaseRecord[] } | null> {
    const bundle = await this.bundles.getById(bundleId);
    if (!bundle || !isApplicant(actor, { applicant_account_id: bundle.applicant_account_id, organisation_id: '', jurisdiction_code: '' })) return null;
    return { bundle, cases: await this.bundles.cases(bundle) };
  }

  async view(bundle: BundleRow, replay: boolean): Promise<LifeEventSubmitted> {
    const cases = await this.bundles.cases(bundle);
    return { bundle, replay, cases: cases.map((record) => ({ record, queryPassword: passwordOf(this.cases.deps, record) })) };
  }
}

const FINISHED = new Set(['APPROVED', 'REFUSED', 'RESULT_READY', 'DELIVERED', 'CLOSED']);

/** Combined status of a bundle: how many of its cases are finished (办结). */
export function bundleProgress(cases: { state: string }[]): { total: number; finished: number; label: string } {
  const total = cases.length;
  const finished = cases.filter((c) => FINISHED.has(c.state)).length;
  const label = finished === total ? `${total} 个事项已全部办结` : `${total} 个事项中已办结 ${finished} 个`;
  return { total, finished, label };
}

/** The 一件事 bundle a case belongs to, with all its cases (for the staff case page); null for a single application. */
export async function bundleOfCase(bundles: BundleRepository, c: CaseRecord): Promise<{ bundle: BundleRow; cases: CaseRecord[] } | null> {
  if (!c.bundle_id) return null;
  const bundle = await bundles.getById(c.bundle_id);
  return bundle ? { bundle, cases: await bundles.cases(bundle) } : null;
}
