import crypto from 'node:crypto';
import { sql } from 'kysely';
import { actorId, type RequestContext } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/database.ts';
import { ok, refuse, type Result } from '../../platform/errors.ts';
import type { Transactor } from '../../platform/unit-of-work.ts';

export interface ApiClient {
  id: string;
  name: string;
  keyPrefix: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  version: number;
}

interface Raw {
  id: string;
  name: string;
  key_prefix: string;
  created_by: string;
  created_at: Date | string;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  version: number;
}

const d = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));
const toClient = (r: Raw): ApiClient => ({
  id: r.id,
  name: r.name,
  keyPrefix: r.key_prefix,
  createdBy: r.created_by,
  createdAt: d(r.created_at)!,
  revokedAt: d(r.revoked_at),
  lastUsedAt: d(r.last_used_at),
  version: r.version,
});

export const hashKey = (key: string): string => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

/** Open311 API keys: issued once (shown to the issuer only), stored hashed, revocable. */
export class ApiKeys {
  constructor(
    private readonly db: Db,
    private readonly transactor: Transactor,
  ) {}

  async list(): Promise<ApiClient[]> {
    const r = await sql<Raw>`SELECT id, name, key_prefix, created_by, created_at, revoked_at, last_used_at, version FROM appeals_public.api_client ORDER BY created_at DESC`.execute(this.db);
    return r.rows.map(toClient);
  }

  /** The active client holding this key, or null. */
  async authenticate(key: string): Promise<ApiClient | null> {
    if (!/^zw311_[A-Za-z0-9_-]{20,80}$/.test(key)) return null;
    const r = await sql<Raw>`UPDATE appeals_public.api_client SET last_used_at = now() WHERE key_hash = ${hashKey(key)} AND revoked_at IS NULL
      RETURNING id, name, key_prefix, created_by, created_at, revoked_at, last_used_at, version`.execute(this.db);
    return r.rows[0] ? toClient(r.rows[0]) : null;
  }

  async issue(ctx: RequestContext, rawName: unknown): Promise<Result<{ client: ApiClient; key: string }, 'invalid'>> {
    const name = typeof rawName === 'string' ? rawName.trim() : '';
    if ([...name].length < 2 || [...name].length > 60) return refuse('invalid', '请修改标记的内容', [{ field: 'name', message: '客户端名称应为 2–60 个字' }]);
    const secret = crypto.randomBytes(24).toString('base64url');
    const key = `zw311_${secret}`;
    const prefix = key.slice(0, 10);
    return this.transactor.run(ctx, async (uow) => {
      const r = await sql<Raw>`INSERT INTO appeals_public.api_client (name, key_prefix, key_hash, created_by) VALUES (${name}, ${prefix}, ${hashKey(key)}, ${actorId(ctx.actor) ?? 'anonymous'})
        RETURNING id, name, key_prefix, created_by, created_at, revoked_at, last_used_at, version`.execute(uow.tx);
      const client = toClient(r.rows[0]!);
      await uow.audit({ action: 'open311.key.issue', objectType: 'open311_client', objectId: client.id, detail: { name, prefix } });
      return ok({ client, key });
    });
  }

  async revoke(ctx: RequestContext, id: string, version: number): Promise<Result<ApiClient, 'not_found' | 'conflict'>> {
    return this.transactor.run(ctx, async (uow) => {
      const r = await sql<Raw>`UPDATE appeals_public.api_client SET revoked_at = now(), version = version + 1 WHERE id = ${id} AND version = ${version} AND revoked_at IS NULL
        RETURNING id, name, key_prefix, created_by, created_at, revoked_at, last_used_at, version`.execute(uow.tx);
      if (!r.rows[0]) {
        const exists = await sql<{ id: string }>`SELECT id FROM appeals_public.api_client WHERE id = ${id}`.execute(uow.tx);
        return exists.rows[0] ? refuse('conflict', '该密钥已被他人修改或已吊销，请刷新后重试') : refuse('not_found', '该客户端不存在');
      }
      await uow.audit({ action: 'open311.key.revoke', objectType: 'open311_client', objectId: id });
      return ok(toClient(r.rows[0]));
    });
  }
}
