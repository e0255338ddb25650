import type { RequestContext } from '../../platform/auth/actor.ts';
import { ok, type Result } from '../../platform/errors.ts';
import type { Transactor } from '../../platform/unit-of-work.ts';
import { changePublication, type ChangeRefusal, type PublicationChange } from './commands/change-publication.ts';
import { createPublication, type CreateInput } from './commands/create-publication.ts';
import type { DisclosureDeps } from './commands/deps.ts';
import { raiseOverdueAlerts } from './commands/raise-overdue-alerts.ts';
import type { PublicationRow } from './publication.repository.ts';

/** Public page of a publication (what feeds, the sitemap and the search box link to). */
export function publicationPath(p: Pick<PublicationRow, 'id'>): string {
  return `/disclosure/publications/${p.id}`;
}

/**
 * The use cases wrapped in their transactions, with the look-ups that must happen before a
 * transaction (the embedded database has one connection, so other modules' services are
 * never called inside one).
 */
export class DisclosureCommands {
  constructor(
    readonly deps: DisclosureDeps,
    private readonly transactor: Transactor,
  ) {}

  create(ctx: RequestContext, input: CreateInput): Promise<Result<PublicationRow, 'forbidden' | 'invalid'>> {
    return this.transactor.run(ctx, (uow) => createPublication(this.deps, uow, input));
  }

  async change(ctx: RequestContext, id: string, version: number, change: PublicationChange): Promise<Result<PublicationRow, ChangeRefusal>> {
    const current = change.kind === 'publish' ? await this.deps.publications.getById(id) : null;
    const orgUscc = current ? await this.deps.organisationUscc(current.organisationId) : null;
    return this.transactor.run(ctx, (uow) => changePublication(this.deps, uow, id, version, change, { orgUscc, publicUrl: publicationPath }));
  }

  /** Draft → review passed → published in one go (seeds and imports of already-public documents), as one transaction. */
  async createPublished(
    ctx: RequestContext,
    input: CreateInput,
    opts: { indexNumber?: string; publishedAt?: Date; reviewOpinion: string; sourceId?: string },
  ): Promise<Result<PublicationRow, ChangeRefusal | 'invalid' | 'forbidden'>> {
    const actor = ctx.actor;
    const orgUscc = actor.kind === 'staff' && !opts.indexNumber ? await this.deps.organisationUscc(actor.position.organisationId) : null;
    try {
      return await this.transactor.run(ctx, async (uow) => {
        const created = await createPublication(this.deps, uow, input, opts.sourceId ? { sourceKey: opts.sourceId } : {});
        if (!created.ok) return created;
        let p = created.value;
        if (p.status === 'published') return ok(p);
        for (const step of [{ kind: 'submit' } as const, { kind: 'review', decision: 'pass', opinion: opts.reviewOpinion } as const, { kind: 'publish', ...(opts.indexNumber ? { indexNumber: opts.indexNumber } : {}), ...(opts.publishedAt ? { publishedAt: opts.publishedAt } : {}) } as const]) {
          const r = await changePublication(this.deps, uow, p.id, p.version, step, { orgUscc, publicUrl: publicationPath });
          // A refusal in any step rolls the whole document back: never half-applied.
          if (!r.ok) throw new Rollback(r);
          p = r.value;
        }
        return ok(p);
      });
    } catch (e) {
      if (e instanceof Rollback) return e.result;
      throw e;
    }
  }

  raiseOverdueAlerts(ctx: RequestContext): Promise<number> {
    return this.transactor.run(ctx, (uow) => raiseOverdueAlerts(this.deps, uow));
  }
}

export class Rollback extends Error {
  constructor(readonly result: { ok: false; reason: ChangeRefusal | 'invalid' | 'forbidden'; message: string; fields?: { field: string; message: string }[] }) {
    super(result.message);
  }
}
