import type { RequestContext } from '../../../platform/auth/actor.ts';
import type { AccountRow } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';

/** The account of the signed-in actor, or null (anonymous, system, or vanished account). */
export async function signedInAccount(deps: Pick<IdentityDeps, 'accounts'>, ctx: RequestContext): Promise<AccountRow | null> {
  const a = ctx.actor;
  if (a.kind !== 'citizen' && a.kind !== 'enterprise' && a.kind !== 'staff') return null;
  return deps.accounts.getById(a.accountId);
}
