import { actorId } from '../../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { hashClientSecret, newClientId, newClientSecret } from '../client-secret.ts';
import type { ClientRepository, OidcClientRow } from '../client.repository.ts';
import type { PayloadRepository } from '../payload.repository.ts';
import { canManageClients } from '../policies.ts';
import { validateClientInput, type ClientInput } from './validate-client.ts';

export interface ClientDeps {
  clients: ClientRepository;
  payloads: PayloadRepository;
  permissions: PermissionRegistry;
}

/**
 * A system administrator registers a department system. The plain secret is returned
 * here once, for the page or the API response to show; only its hash is stored.
 */
export async function registerClient(
  deps: ClientDeps,
  uow: UnitOfWork,
  input: ClientInput,
): Promise<Result<{ client: OidcClientRow; secret: string }, 'forbidden' | 'invalid'>> {
  const actor = uow.ctx.actor;
  if (!canManageClients(deps.permissions, actor)) return refuse('forbidden', '您当前的岗位不能登记接入系统');
  const { value, errors } = validateClientInput(input);
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const secret = newClientSecret();
  const client = await deps.clients.insert(uow.tx, {
    clientId: newClientId(),
    secretHash: hashClientSecret(secret),
    name: value.name,
    organisationId: value.organisationId,
    organisationName: value.organisationName,
    redirectUris: value.redirectUris,
    requireConsent: value.requireConsent,
    createdBy: actorId(actor) ?? 'unknown',
  });
  await uow.audit({
    action: 'oidc.client.register',
    objectType: 'oidc_client',
    objectId: client.clientId,
    detail: { name: client.name, organisation: client.organisationName, redirectUris: client.redirectUris, requireConsent: client.requireConsent },
  });
  return ok({ client, secret });
}
