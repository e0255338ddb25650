import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../platform/config.ts';
import { randomBytes } from '../../platform/random-bytes.ts';

/**
 * Storage of personal identifiers (DOMAIN.md §10.4–10.5): encryption at rest plus a keyed
 * hash for exact-match lookup (an unkeyed hash of an ID number is guessable: 10^14 values).
 *
 * - Encryption: SM4-CBC with a random IV, authenticated encrypt-then-MAC with HMAC-SM3
 *   (GB/T 32907 + GB/T 32905); Node's OpenSSL offers SM4 in CBC/CTR but not GCM. Where the
 *   runtime lacks SM4/SM3 (an OpenSSL build without them) AES-256-GCM is used instead. Each
 *   envelope names its algorithm, so both stay readable.
 * - The MAC also covers a context label (e.g. `person.id_number`): a ciphertext copied into
 *   another column does not decrypt.
 * - Lookup hashes: HMAC-SM3 (HMAC-SHA256 without SM3) under a key of its own.
 *
 * All keys are derived with HKDF from one 32-byte master key: `ZHENGWU_MASTER_KEY`, or in
 * embedded/development mode a random key created once in `<dataDir>/secrets/master.key`
 * (mode 0600). There is no default key.
 */
export type CipherAlgorithm = 'sm4' | 'aes';

const ENVELOPE_VERSION = 'v1';

export function nationalCryptoAvailable(): boolean {
  if (!crypto.getCiphers().includes('sm4-cbc') || !crypto.getHashes().includes('sm3')) return false;
  try {
    const c = crypto.createCipheriv('sm4-cbc', Buffer.alloc(16), Buffer.alloc(16));
    c.update('probe');
    c.final();
    crypto.createHmac('sm3', Buffer.alloc(32)).update('probe').digest();
    return true;
  } catch {
    return false;
  }
}

const testKeys = new WeakMap<object, Buffer>();

/** The master key: configured, or (test) ephemeral, or (embedded/dev) generated once on disk. */
export function loadMasterKey(config: Pick<Config, 'masterKey' | 'env' | 'dataDir'>): Buffer {
  if (config.masterKey) return Buffer.from(config.masterKey, 'hex');
  if (config.env === 'production') throw new Error('ZHENGWU_MASTER_KEY is required in production');
  // A fresh test database needs no stable key; never write test keys to disk. One random
  // key per config object, so the app and helpers of one test share it.
  if (config.env === 'test') {
    let key = testKeys.get(config);
    if (!key) testKeys.set(config, (key = crypto.randomBytes(32)));
    return key;
  }
  return readOrCreateKeyFile(path.join(config.dataDir, 'secrets', 'master.key'));
}

export function readOrCreateKeyFile(file: string): Buffer {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': exclusive create, so two processes starting at once cannot both write a key.
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`${file} does not hold a 64-hex-character key`);
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    throw new Error(`${file} is readable by other users; run: chmod 600 ${file}`);
  }
  return Buffer.from(text, 'hex');
}

function derive(master: Buffer, label: string, length: number): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', master, Buffer.from('zhengwu-identity'), Buffer.from(label), length));
}

export class PersonalDataCipher {
  readonly algorithm: CipherAlgorithm;
  private readonly hashAlgorithm: 'sm3' | 'sha256';
  private readonly sm4Key: Buffer;
  private readonly macKey: Buffer;
  private readonly aesKey: Buffer;
  private readonly lookupKey: Buffer;
  private readonly secretKey: Buffer;

  /**
   * `purpose` separates key sets: 'personal-data' (this module's columns) or another name
   * for another user of the master key (e.g. 'oidc-keys'), which then gets keys of its own.
   */
  constructor(masterKey: Buffer, prefer: CipherAlgorithm = 'sm4', purpose = 'personal-data') {
    if (masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(purpose)) throw new Error('cipher purpose must be a short lower-case name');
    const gm = nationalCryptoAvailable();
    this.algorithm = prefer === 'sm4' && gm ? 'sm4' : 'aes';
    this.hashAlgorithm = gm ? 'sm3' : 'sha256';
    this.sm4Key = derive(masterKey, `${purpose}/sm4`, 16);
    this.macKey = derive(masterKey, `${purpose}/hmac`, 32);
    this.aesKey = derive(masterKey, `${purpose}/aes-256-gcm`, 32);
    this.lookupKey = derive(masterKey, `${purpose}/lookup-hash`, 32);
    this.secretKey = derive(masterKey, `${purpose}/one-time-codes`, 32);
  }

  /** Encrypts `plain` for the column named by `context`; the envelope is plain ASCII. */
  encrypt(plain: string, context: string): string {
    const data = Buffer.from(plain, 'utf8');
    if (this.algorithm === 'sm4') {
      const iv = randomBytes(16);
      const cipher = crypto.createCipheriv('sm4-cbc', this.sm4Key, iv);
      const body = Buffer.concat([iv, cipher.update(data), cipher.final()]);
      const tag = this.mac(context, body);
      return `${ENVELOPE_VERSION}.sm4.${Buffer.concat([body, tag]).toString('base64url')}`;
    }
    const iv = randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.aesKey, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(data), cipher.final()]);
    return `${ENVELOPE_VERSION}.aes.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
  }

  decrypt(envelope: string, context: string): string {
    const [version, alg, payload] = envelope.split('.');
    if (version !== ENVELOPE_VERSION || !payload) throw new Error('not a personal-data envelope');
    const raw = Buffer.from(payload, 'base64url');
    if (alg === 'sm4') {
      if (raw.length < 16 + 16 + 32) throw new Error('envelope too short');
      const body = raw.subarray(0, raw.length - 32);
      const tag = raw.subarray(raw.length - 32);
      if (!crypto.timingSafeEqual(tag, this.mac(context, body))) throw new Error('personal-data envelope failed authentication');
      const decipher = crypto.createDecipheriv('sm4-cbc', this.sm4Key, body.subarray(0, 16));
      return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]).toString('utf8');
    }
    if (alg === 'aes') {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.aesKey, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    }
    throw new Error(`unknown envelope algorithm ${alg}`);
  }

  /** Keyed hash for exact-match lookup of an identifier of one kind (e.g. 'citizen-id', 'mobile'). */
  lookupHash(kind: string, normalizedValue: string): string {
    return crypto.createHmac(this.hashAlgorithm, this.lookupKey).update(`${kind}\u0000${normalizedValue}`).digest('hex');
  }

  /** Keyed hash of a one-time secret (reset codes, recovery codes, reset tickets). */
  secretHash(purpose: string, value: string): string {
    return crypto.createHmac('sha256', this.secretKey).update(`${purpose}\u0000${value}`).digest('hex');
  }

  private mac(context: string, body: Buffer): Buffer {
    return crypto.createHmac('sm3', this.macKey).update(`${ENVELOPE_VERSION}.sm4.${context}\u0000`).update(body).digest();
  }
}
