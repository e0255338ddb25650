import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrator.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { KeyRepository } from './key.repository.ts';
import { loadOrCreateKeys, type OidcKeyCipher } from './keys.ts';
import { oidcMigrations } from './migrations.ts';

/** AES-256-GCM bound to the context, the shape of the identity module's cipher. */
function testCipher(key = crypto.randomBytes(32)): OidcKeyCipher {
  return {
    encrypt(plain, context) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `t1.${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url')}`;
    },
    decrypt(envelope, context) {
      const raw = Buffer.from(envelope.slice(3), 'base64url');
      const d = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(Buffer.from(context));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('oidc provider keys at rest', () => {
  let database: Database;
  let repo: KeyRepository;

  beforeAll(async () => {
    database = await openTestDatabase();
    await migrate(database.db, [{ module: 'oidc', migrations: oidcMigrations }]);
    repo = new KeyRepository(database.db);
  });
  afterAll(async () => database?.close());

  it('generates one RS256 and one ES256 key and one cookie key on first start, once even when started twice at once', async () => {
    const [a, b] = await Promise.all([loadOrCreateKeys(repo), loadOrCreateKeys(repo)]);
    expect(a.jwks.keys.map((k) => (k as { alg?: string }).alg).sort()).toEqual(['ES256', 'RS256']);
    expect(b.jwks).toEqual(a.jwks);
    expect(b.cookieKeys).toEqual(a.cookieKeys);
    expect(a.cookieKeys).toHaveLength(1);
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM oidc.signing_key`.execute(database.db);
    expect(rows.rows[0]?.n).toBe(2);
    for (const k of a.jwks.keys) expect(k.d).toBeTruthy(); // private keys, for signing
  });

  it('seals plain keys once a cipher is configured, and keeps them the same keys', async () => {
    const plain = await loadOrCreateKeys(repo);
    const cipher = testCipher();
    const sealed = await loadOrCreateKeys(repo, cipher);
    expect(sealed).toEqual(plain);
    const stored = await sql<{ protection: string; private_jwk: string }>`SELECT protection, private_jwk FROM oidc.signing_key`.execute(database.db);
    for (const r of stored.rows) {
      expect(r.protection).toBe('cipher');
      expect(r.private_jwk).not.toContain('"d"');
    }
    const cookies = await sql<{ protection: string; secret: string }>`SELECT protection, secret FROM oidc.cookie_key`.execute(database.db);
    expect(cookies.rows.map((r) => r.protection)).toEqual(['cipher']);
    expect(cookies.rows[0]?.secret).not.toBe(plain.cookieKeys[0]);
    expect(await loadOrCreateKeys(repo, cipher)).toEqual(plain);
  });

  it('refuses to start when keys are encrypted but no cipher (or another master key) is configured', async () => {
    await expect(loadOrCreateKeys(repo)).rejects.toThrow(/no key cipher is configured/);
    await expect(loadOrCreateKeys(repo, testCipher())).rejects.toThrow();
  });
});
