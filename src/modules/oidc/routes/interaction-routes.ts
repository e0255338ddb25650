import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import type { StaffActor } from '../../../platform/auth/actor.ts';
import type { Transactor } from '../../../platform/unit-of-work.ts';
import type { ClientRepository, OidcClientRow } from '../client.repository.ts';
import { mayUseOidc } from '../policies.ts';
import { OIDC_PREFIX } from '../paths.ts';
import type { SignedInPositionRepository } from '../signed-in-position.repository.ts';
import { clientUnavailablePage, consentPage, continuePage, interactionExpiredPage, notStaffPage } from '../views/interaction-pages.ts';

export interface InteractionDeps {
  provider: Provider;
  clients: ClientRepository;
  positions: SignedInPositionRepository;
  transactor: Transactor;
}

const uidParams = { type: 'object', required: ['uid'], properties: { uid: { type: 'string', pattern: '^[A-Za-z0-9_-]{10,64}$' } } } as const;
const formBody = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } as const;

function send(reply: FastifyReply, markup: { value: string }, status = 200): FastifyReply {
  return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(markup.value);
}

/** The pending interaction of this browser, if it is the one in the URL. */
async function loadInteraction(provider: Provider, request: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply): Promise<Interaction | null> {
  try {
    const interaction = await provider.interactionDetails(request.raw, reply.raw);
    return interaction.uid === request.params.uid ? interaction : null;
  } catch (e) {
    if ((e as Error).name === 'SessionNotFound') return null;
    throw e;
  }
}

/** Records the consent: a grant for the scopes and claims the provider says are missing. */
async function grantConsent(provider: Provider, interaction: Interaction, accountId: string): Promise<string> {
  const clientId = String(interaction.params.client_id);
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const { details } = interaction.prompt;
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  if (details.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes)) grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

/**
 * The consent and refusal pages post their forms to us, and the redirects that follow end at the
 * department system: browsers check those redirects against the page's CSP form-action,
 * so this page allows the client's registered redirect origins as form targets.
 */
function allowFormRedirectsTo(reply: FastifyReply, client: OidcClientRow): void {
  const current = reply.raw.getHeader('content-security-policy');
  if (typeof current !== 'string') return;
  const origins = [...new Set(client.redirectUris.map((u) => new URL(u).origin))].join(' ');
  const directives = current.split(';').filter((d) => !d.trim().startsWith('form-action'));
  directives.push(`form-action 'self' ${origins}`);
  reply.header('content-security-policy', directives.join(';'));
}

/**
 * Where oidc-provider sends the browser when it needs the user (interactions.url): we
 * answer login from the Zhengwu session and consent automatically for first-party
 * systems, or with a consent page for systems registered as requiring it.
 */
export function interactionRoutes(deps: InteractionDeps) {
  const { provider, clients, positions, transactor } = deps;

  /**
   * Login is answered with a page that moves on by itself (Refresh header, plus a link)
   * rather than a redirect: this request usually ends the redirect chain of the login
   * form, and browsers check every redirect after a form submission against that form
   * page's CSP form-action (w3c/webappsec-csp#8) — the chain would be stopped at the
   * department system's redirect URI. A new navigation starts from this page instead.
   */
  async function finishLogin(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, client: OidcClientRow): Promise<FastifyReply> {
    await positions.record(actor.accountId, actor.position.organisationId);
    const returnTo = await provider.interactionResult(request.raw, reply.raw, { login: { accountId: actor.accountId } }, { mergeWithLastSubmission: false });
    await transactor.auditOnly(request.ctx, { action: 'oidc.sign_in', objectType: 'oidc_client', objectId: client.clientId, detail: { clientName: client.name } });
    reply.header('refresh', `0;url=${returnTo}`);
    return send(reply, continuePage(request.page, { clientName: client.name, returnTo }));
  }

  async function finishConsent(request: FastifyRequest, reply: FastifyReply, interaction: Interaction, actor: StaffActor): Promise<FastifyReply> {
    const grantId = await grantConsent(provider, interaction, actor.accountId);
    const returnTo = await provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return reply.redirect(returnTo, 303);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { uid: string } }>(
      `${OIDC_PREFIX}/interaction/:uid`,
      // Public: a visitor who is not signed in is sent to the login page and comes back here.
      { config: { access: { public: true } }, schema: { hide: true, params: uidParams } },
      async (request, reply) => {
        const interaction = await loadInteraction(provider, request, reply);
        if (!interaction) return send(reply, interactionExpiredPage(request.page), 400);
        const actor = request.actor;
        const pending = request.session?.pendingSecondFactor ?? false;
        if (actor.kind === 'anonymous' || (actor.kind === 'staff' && pending)) {
          return reply.redirect(`/login?next=${encodeURIComponent(`${OIDC_PREFIX}/interaction/${interaction.uid}`)}`, 303);
        }
        const client = await clients.getById(String(interaction.params.client_id ?? ''));
        if (!client || client.disabledAt) return send(reply, clientUnavailablePage(request.page), 400);
        if (!mayUseOidc(actor, pending)) {
          await transactor.auditOnly(request.ctx, {
            action: 'oidc.sign_in',
            objectType: 'oidc_client',
            objectId: client.clientId,
            outcome: 'denied',
            detail: { reason: 'not_staff', actorKind: actor.kind },
          });
          allowFormRedirectsTo(reply, client);
          return send(reply, notStaffPage(request.page, { uid: interaction.uid, clientName: client.name }), 403);
        }
        // The provider's session belongs to someone else (or nobody): sign in as the Zhengwu actor.
        if (interaction.prompt.name === 'login' || interaction.session?.accountId !== actor.accountId) {
          return finishLogin(request, reply, actor, client);
        }
        if (interaction.prompt.name !== 'consent') return send(reply, interactionExpiredPage(request.page), 400);
        if (!client.requireConsent) return finishConsent(request, reply, interaction, actor);
        allowFormRedirectsTo(reply, client);
        return send(
          reply,
          consentPage(request.page, {
            uid: interaction.uid,
            clientName: client.name,
            organisationName: client.organisationName,
            scopes: String(interaction.params.scope ?? 'openid').split(' '),
          }),
        );
      },
    );

    app.post<{ Params: { uid: string } }>(
      `${OIDC_PREFIX}/interaction/:uid/confirm`,
      { config: { access: { signedIn: ['staff'] } }, schema: { hide: true, params: uidParams, body: formBody } },
      async (request, reply) => {
        const interaction = await loadInteraction(provider, request, reply);
        if (!interaction || interaction.prompt.name !== 'consent') return send(reply, interactionExpiredPage(request.page), 400);
        const actor = request.actor;
        if (!mayUseOidc(actor, request.session?.pendingSecondFactor ?? false) || interaction.session?.accountId !== actor.accountId) {
          return send(reply, interactionExpiredPage(request.page), 400);
        }
        const clientId = String(interaction.params.client_id ?? '');
        await transactor.auditOnly(request.ctx, { action: 'oidc.consent', objectType: 'oidc_client', objectId: clientId, detail: { scope: interaction.params.scope ?? null } });
        return finishConsent(request, reply, interaction, actor);
      },
    );

    app.post<{ Params: { uid: string } }>(
      `${OIDC_PREFIX}/interaction/:uid/abort`,
      // Public: citizens refused above use it to go back to the department system.
      { config: { access: { public: true } }, schema: { hide: true, params: uidParams, body: formBody } },
      async (request, reply) => {
        const interaction = await loadInteraction(provider, request, reply);
        if (!interaction) return send(reply, interactionExpiredPage(request.page), 400);
        const returnTo = await provider.interactionResult(
          request.raw,
          reply.raw,
          { error: 'access_denied', error_description: 'End-User aborted interaction' },
          { mergeWithLastSubmission: false },
        );
        return reply.redirect(returnTo, 303);
      },
    );
  };
}
