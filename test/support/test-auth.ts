import type { Actor, Position, RoleCode } from '../../src/platform/auth/actor.ts';
import type { Authenticator } from '../../src/platform/auth/authenticator.ts';

/**
 * A test-only authenticator: the actor comes from the `x-test-actor` header (JSON). Used
 * where a test is about authorisation rules rather than signing in; journeys and identity
 * tests sign in for real. Never wired into the production app.
 */
export const headerAuthenticator: Authenticator = {
  resolve: (request) => {
    const raw = request.headers['x-test-actor'];
    if (typeof raw !== 'string') return Promise.resolve({ actor: { kind: 'anonymous' }, session: null });
    const actor = JSON.parse(raw) as Actor;
    return Promise.resolve({ actor, session: null });
  },
};

let counter = 0;

/** buildStaff(): a staff actor holding `roles` in one organisation of one jurisdiction. */
export function buildStaff(opts: { organisationId?: string; organisationName?: string; jurisdictionCode?: string; roles: RoleCode[]; name?: string }): Actor {
  counter += 1;
  const position: Position = {
    id: `pos-${counter}`,
    organisationId: opts.organisationId ?? `org-${counter}`,
    organisationName: opts.organisationName ?? `测试单位${counter}`,
    jurisdictionCode: opts.jurisdictionCode ?? '420102',
    jurisdictionName: '测试辖区',
    roles: opts.roles,
  };
  return {
    kind: 'staff',
    accountId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    displayName: opts.name ?? `测试人员${counter}`,
    realNameLevel: 2,
    positions: [position],
    position,
    totpVerified: true,
  };
}

export function asActor(actor: Actor): Record<string, string> {
  return { 'x-test-actor': JSON.stringify(actor) };
}
