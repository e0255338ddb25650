import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Tx } from '../../platform/db/database.ts';
import type { KeyRepository, StoredSigningKey } from './key.repository.ts';

const generateKeyPair = promisify(crypto.generateKeyPair);

/**
 * Encryption at rest for the provider's private keys: an authenticated envelope bound to
 * a context label. The identity module's personal-data cipher (master key from
 * ZHENGWU_MASTER_KEY) has exactly this shape, so the app can pass it in as is.
 */
export interface OidcKeyCipher {
  encrypt(plain: string, context: string): string;
  decrypt(envelope: string, context: string): string;
}

export interface ProviderKeys {
  /** Private JWKs for the provider's keystore, newest first per algorithm. */
  jwks: { keys: crypto.JsonWebKey[] };
  /** Cookie signing keys (koa keygrip): the first signs, all verify. */
  cookieKeys: string[];
}

const ALGS = ['RS256', 'ES256'] as const;
const SIGNING_CONTEXT = 'oidc.signing_key';
const COOKIE_CONTEXT = 'oidc.cookie_key';

/** RFC 7638 thumbprint: the kid oidc-provider would compute for the same key. */
function thumbprint(jwk: crypto.JsonWebKey): string {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return crypto.createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

async function generateJwk(alg: 'RS256' | 'ES256'): Promise<{ kid: string; jwk: string }> {
  const { privateKey } =
    alg === 'RS256' ? await generateKeyPair('rsa', { modulusLength: 2048 }) : await generateKeyPair('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = thumbprint(jwk);
  return { kid, jwk: JSON.stringify({ ...jwk, kid, alg, use: 'sig' }) };
}

/**
 * How key material is stored: 'cipher' (an envelope of the configured cipher) or 'plain'
 * when no cipher is configured. Plain rows are sealed as soon as a cipher is configured.
 */
class KeyMaterial {
  constructor(private readonly cipher: OidcKeyCipher | undefined) {}

  seal(plain: string, context: string): { value: string; protection: string } {
    return this.cipher ? { value: this.cipher.encrypt(plain, context), protection: 'cipher' } : { value: plain, protection: 'plain' };
  }

  open(value: string, protection: string, context: string): string {
    if (protection === 'plain') return value;
    if (protection === 'cipher') {
      if (!this.cipher) throw new Error('oidc: the signing keys are encrypted but no key cipher is configured (is ZHENGWU_MASTER_KEY set?)');
      return this.cipher.decrypt(value, context);
    }
    throw new Error(`oidc: key material protected with unknown scheme "${protection}"`);
  }

  get sealing(): boolean {
    return this.cipher !== undefined;
  }
}

async function signingKey(material: KeyMaterial, alg: 'RS256' | 'ES256'): Promise<StoredSigningKey> {
  const { kid, jwk } = await generateJwk(alg);
  const sealed = material.seal(jwk, SIGNING_CONTEXT);
  return { kid, alg, privateJwk: sealed.value, protection: sealed.protection };
}

async function sealPlainRows(repo: KeyRepository, material: KeyMaterial, tx: Tx): Promise<void> {
  for (const k of await repo.activeSigningKeys(tx)) {
    if (k.protection !== 'plain') continue;
    const sealed = material.seal(k.privateJwk, SIGNING_CONTEXT);
    await repo.updateSigningKeyMaterial(tx, k.kid, sealed.value, sealed.protection);
  }
  for (const c of await repo.cookieKeys(tx)) {
    if (c.protection !== 'plain') continue;
    const sealed = material.seal(c.secret, COOKIE_CONTEXT);
    await repo.updateCookieKeyMaterial(tx, c.id, sealed.value, sealed.protection);
  }
}

/**
 * The provider's keys: read from the database, or generated on first start (RS256 and
 * ES256 signing keys, one cookie key) under an advisory lock so that two processes
 * starting together on one PostgreSQL agree. There is never a built-in or default key.
 */
export async function loadOrCreateKeys(repo: KeyRepository, cipher?: OidcKeyCipher): Promise<ProviderKeys> {
  const material = new KeyMaterial(cipher);
  const complete = async (tx?: Tx) => {
    const signing = await repo.activeSigningKeys(tx);
    const cookies = await repo.cookieKeys(tx);
    const missing = ALGS.some((alg) => !signing.some((k) => k.alg === alg)) || cookies.length === 0;
    const unsealed = material.sealing && [...signing, ...cookies].some((k) => k.protection === 'plain');
    return { signing, cookies, ready: !missing && !unsealed };
  };
  let state = await complete();
  if (!state.ready) {
    await repo.withKeyLock(async (tx) => {
      const present = await repo.activeSigningKeys(tx);
      for (const alg of ALGS) {
        if (!present.some((k) => k.alg === alg)) await repo.insertSigningKey(tx, await signingKey(material, alg));
      }
      if ((await repo.cookieKeys(tx)).length === 0) {
        const sealed = material.seal(crypto.randomBytes(32).toString('base64url'), COOKIE_CONTEXT);
        await repo.insertCookieKey(tx, { id: crypto.randomUUID(), secret: sealed.value, protection: sealed.protection });
      }
      if (material.sealing) await sealPlainRows(repo, material, tx);
    });
    state = await complete();
  }
  return {
    jwks: { keys: state.signing.map((k) => JSON.parse(material.open(k.privateJwk, k.protection, SIGNING_CONTEXT)) as crypto.JsonWebKey) },
    cookieKeys: state.cookies.map((c) => material.open(c.secret, c.protection, COOKIE_CONTEXT)),
  };
}
