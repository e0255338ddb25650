import type { RequestContext } from '../../../platform/auth/actor.ts';
import type { IdentityDeps } from '../deps.ts';

/** 退出: the session row is deleted, so a replayed cookie resolves to nobody. */
export async function signOut(deps: IdentityDeps, ctx: RequestContext, sessionId: string | null): Promise<void> {
  if (!sessionId) return;
  await deps.transactor.run(ctx, async (uow) => {
    const deleted = await deps.sessions.delete(uow.tx, sessionId);
    if (deleted && ctx.actor.kind !== 'anonymous') {
      await uow.audit({ action: 'account.sign-out', objectType: 'account', objectId: ctx.actor.kind === 'system' ? null : ctx.actor.accountId });
    }
  });
}
