import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from './actor.ts';

/** The server-side session a request carries (identity module stores them). */
export interface SessionInfo {
  id: string;
  csrfToken: string;
  /** Staff who enrolled TOTP must pass the second factor before the session is complete. */
  pendingSecondFactor: boolean;
}

/**
 * Resolves who sent a request (session cookie or bearer token). Implemented by the
 * identity module and installed by the platform's HTTP layer, so the platform does not
 * read identity tables itself.
 */
export interface Authenticator {
  resolve(request: FastifyRequest, reply: FastifyReply): Promise<{ actor: Actor; session: SessionInfo | null }>;
}

export const anonymousAuthenticator: Authenticator = {
  resolve: () => Promise.resolve({ actor: { kind: 'anonymous' }, session: null }),
};
