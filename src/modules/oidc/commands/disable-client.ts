import { actorId } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { OidcClientRow } from '../client.repository.ts';
import { canManageClients } from '../policies.ts';
import type { ClientDeps } from './register-client.ts';

/**
 * A system administrator disables a department system: it can no longer start sign-ins
 * or redeem codes, and what was issued to it (codes, tokens, grants) is deleted in the
 * same transaction. The registration row stays (kept for the audit trail).
 */
export async function disableClient(
  deps: ClientDeps,
  uow: UnitOfWork,
  clientId: string,
): Promise<Result<OidcClientRow, 'forbidden' | 'not_found' | 'conflict'>> {
  const actor = uow.ctx.actor;
  if (!canManageClients(deps.permissions, actor)) return refuse('forbidden', '您当前的岗位不能停用接入系统');
  const existing = await deps.clients.getById(clientId, uow.tx);
  if (!existing) return refuse('not_found', '接入系统不存在');
  const disabled = await deps.clients.disable(uow.tx, clientId, actorId(actor) ?? 'unknown');
  if (!disabled) return refuse('conflict', '该接入系统已经停用');
  const revoked = await deps.payloads.deleteForClient(uow.tx, clientId);
  await uow.audit({ action: 'oidc.client.disable', objectType: 'oidc_client', objectId: clientId, detail: { name: disabled.name, revokedArtifacts: revoked } });
  return ok(disabled);
}
