import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, type Actor, type Position } from '../../platform/auth/actor.ts';
import type { Authenticator, SessionInfo } from '../../platform/auth/authenticator.ts';
import { AppError } from '../../platform/errors.ts';
import { SESSION_COOKIE } from '../../platform/http/csrf.ts';
import type { JurisdictionService } from '../jurisdictions/index.ts';
import type { PositionRow } from './account.repository.ts';
import type { IdentityDeps } from './deps.ts';
import { mustUseSecondFactor } from './policies.ts';
import { isWellFormedToken, needsTouch, sessionExpired, sessionIdOf } from './session-token.ts';
import type { SessionWithAccount } from './session.repository.ts';
import { clearSessionCookie } from './sessions.ts';

type OrganisationRef = NonNullable<Awaited<ReturnType<JurisdictionService['getOrganisation']>>>;

const ORGANISATION_TTL_MS = 60_000;
const NOBODY = { actor: ANONYMOUS, session: null };

/** Paths an administrator without a second factor may still use (to enrol, or to leave). */
function secondFactorExempt(request: FastifyRequest): boolean {
  const url = request.routeOptions.url ?? '';
  const access = request.routeOptions.config.access;
  if (url === '/workbench/position') return true;
  if (url.startsWith('/workbench')) return false;
  return !(access && 'permission' in access);
}

/**
 * Session cookie → actor (implements the platform's Authenticator). The cookie carries a
 * random token; the session row is found by its SHA-256. Expired (30 min idle, 12 h
 * absolute), deleted (signed out) or disabled-account sessions resolve to anonymous and
 * the cookie is cleared. last_seen_at is written at most once a minute.
 */
export class SessionAuthenticator implements Authenticator {
  private readonly organisationCache = new Map<string, { ref: OrganisationRef | null; at: number }>();

  constructor(private readonly deps: IdentityDeps) {}

  async resolve(request: FastifyRequest, reply: FastifyReply): Promise<{ actor: Actor; session: SessionInfo | null }> {
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined) return NOBODY;
    if (!isWellFormedToken(token)) {
      clearSessionCookie(reply, this.deps.config);
      return NOBODY;
    }
    const id = sessionIdOf(token);
    const s = await this.deps.sessions.findWithAccount(id);
    const now = this.deps.now();
    if (!s) {
      clearSessionCookie(reply, this.deps.config);
      return NOBODY;
    }
    if (sessionExpired(s, now) || s.status === 'disabled') {
      await this.deps.sessions.delete(this.deps.db, id);
      clearSessionCookie(reply, this.deps.config);
      return NOBODY;
    }
    const session: SessionInfo = { id, csrfToken: s.csrfToken, pendingSecondFactor: s.pendingSecondFactor };
    // Password given, second factor not yet: nobody is signed in, but the TOTP form needs this session.
    if (s.pendingSecondFactor) return { actor: ANONYMOUS, session };
    const actor = await this.actorFor(s);
    if (!actor) {
      await this.deps.sessions.delete(this.deps.db, id);
      clearSessionCookie(reply, this.deps.config);
      return NOBODY;
    }
    if (needsTouch(s.lastSeenAt, now)) await this.deps.sessions.touch(id, now);
    if (mustUseSecondFactor(actor) && !secondFactorExempt(request)) {
      // The error handler sends a page visitor to /login, which forwards to enrolment.
      throw new AppError('ZW_ERR_AUTH_TOTP_REQUIRED', '管理员账号须先绑定动态口令（TOTP），绑定后才能使用工作台');
    }
    return { actor, session };
  }

  /** The actor of a session; null for a staff account left without any usable position. */
  async actorFor(s: Pick<SessionWithAccount, 'accountId' | 'kind' | 'displayName' | 'realNameLevel' | 'uscc' | 'positionId' | 'totpVerified'>): Promise<Actor | null> {
    switch (s.kind) {
      case 'citizen':
        return { kind: 'citizen', accountId: s.accountId, displayName: s.displayName, realNameLevel: s.realNameLevel };
      case 'enterprise':
        return { kind: 'enterprise', accountId: s.accountId, displayName: s.displayName, realNameLevel: s.realNameLevel, uscc: s.uscc ?? '' };
      case 'staff': {
        const positions = await this.positionsOf(await this.deps.accounts.positionsOf(s.accountId));
        const current = positions.find((p) => p.id === s.positionId) ?? positions[0];
        if (!current) return null;
        return {
          kind: 'staff',
          accountId: s.accountId,
          displayName: s.displayName,
          realNameLevel: s.realNameLevel,
          positions,
          position: current,
          totpVerified: s.totpVerified,
        };
      }
    }
  }

  /**
   * Positions with their organisation's name and jurisdiction. A position whose
   * organisation is unknown is left out: without a jurisdiction its scope is undefined.
   */
  async positionsOf(rows: PositionRow[]): Promise<Position[]> {
    const orgs = await this.organisations(rows.map((r) => r.organisationId));
    const out: Position[] = [];
    for (const r of rows) {
      const org = orgs.get(r.organisationId);
      if (!org || !org.jurisdictionCode) continue;
      out.push({
        id: r.id,
        organisationId: org.id,
        organisationName: org.name,
        jurisdictionCode: org.jurisdictionCode,
        jurisdictionName: org.jurisdictionName,
        roles: r.roles,
      });
    }
    return out;
  }

  private async organisations(ids: string[]): Promise<Map<string, OrganisationRef>> {
    const now = Date.now();
    const out = new Map<string, OrganisationRef>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const hit = this.organisationCache.get(id);
      if (hit && now - hit.at < ORGANISATION_TTL_MS) {
        if (hit.ref) out.set(id, hit.ref);
      } else missing.push(id);
    }
    if (missing.length > 0) {
      const found = await this.deps.organisations.getOrganisations(missing);
      if (this.organisationCache.size > 10_000) this.organisationCache.clear();
      for (const id of missing) {
        const ref = found.get(id) ?? null;
        this.organisationCache.set(id, { ref, at: now });
        if (ref) out.set(id, ref);
      }
    }
    return out;
  }
}
