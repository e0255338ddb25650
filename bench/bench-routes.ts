import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Actor } from '../src/platform/auth/actor.ts';
import type { Authenticator } from '../src/platform/auth/authenticator.ts';
import type { Platform } from '../src/platform/platform.ts';

/**
 * Bench-only pieces, passed to buildApp({ extraRoutes, authenticatorOverride }) by
 * bench/server.ts. Nothing here is part of the product: src/ has no such route.
 */

export const AUDITED_WRITE_PATH = '/bench/audited-write';

/**
 * POST /bench/audited-write {payload}: one row inserted and one audit entry, in one
 * Transactor.run transaction — the shape of every state change in the platform. Signed-in
 * actors only, so the request pays for resolving its session (when the bench runs with a
 * real session) and for the CSRF check.
 */
export async function benchRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  await sql
    .raw(
      `CREATE SCHEMA IF NOT EXISTS bench;
       CREATE TABLE IF NOT EXISTS bench.item (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    )
    .execute(platform.db);
  app.post<{ Body: { payload: string } }>(
    AUDITED_WRITE_PATH,
    {
      config: { access: { signedIn: ['citizen', 'enterprise', 'staff'] } },
      schema: {
        hide: true,
        body: { type: 'object', required: ['payload'], properties: { payload: { type: 'string', maxLength: 500 } }, additionalProperties: false },
      },
    },
    async (request, reply) => {
      const id = await platform.transactor.run(request.ctx, async (uow) => {
        const row = await uow.tx.insertInto('bench.item').values({ payload: request.body.payload }).returning('id').executeTakeFirstOrThrow();
        await uow.audit({ action: 'bench.write', objectType: 'bench.item', objectId: String(row.id) });
        return row.id as number;
      });
      return reply.status(201).send({ id });
    },
  );
}

export const BENCH_ACTOR_HEADER = 'x-bench-actor';

/**
 * Bench-only stand-in for a session: a request carrying `x-bench-actor: <secret>` acts as
 * one fixed citizen. Used only when authenticate() in bench/run.ts cannot sign in for real;
 * the results then say so (it skips the session lookup a real request pays for).
 */
export function benchHeaderAuthenticator(secret: string): Authenticator {
  const actor: Actor = { kind: 'citizen', accountId: crypto.randomUUID(), displayName: '压测用户', realNameLevel: 2 };
  const expected = Buffer.from(secret);
  return {
    resolve: (request) => {
      const sent = request.headers[BENCH_ACTOR_HEADER];
      const ok = typeof sent === 'string' && sent.length === secret.length && crypto.timingSafeEqual(Buffer.from(sent), expected);
      return Promise.resolve(ok ? { actor, session: null } : { actor: { kind: 'anonymous' }, session: null });
    },
  };
}
