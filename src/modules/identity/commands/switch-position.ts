import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { IdentityDeps } from '../deps.ts';
import { ownPosition } from '../policies.ts';
import { str } from './validate-account-input.ts';

/** 切换岗位: the session acts in another of the staff member's own positions from now on. */
export async function switchPosition(deps: IdentityDeps, ctx: RequestContext, sessionId: string | null, input: Record<string, unknown>): Promise<Result<{ positionId: string }, 'forbidden' | 'not_found'>> {
  const actor = ctx.actor;
  if (actor.kind !== 'staff' || !sessionId) return refuse('forbidden', '只有工作人员可以切换岗位');
  const target = ownPosition(actor, str(input, 'positionId'));
  if (!target) return refuse('not_found', '您没有这个岗位');
  await deps.transactor.run(ctx, async (uow) => {
    await deps.sessions.setPosition(uow.tx, sessionId, target.id);
    await uow.audit({
      action: 'account.switch-position',
      objectType: 'position',
      objectId: target.id,
      detail: { from: actor.position.id, organisationId: target.organisationId, roles: target.roles },
    });
  });
  return ok({ positionId: target.id });
}
