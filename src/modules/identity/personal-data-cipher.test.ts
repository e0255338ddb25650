import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey, nationalCryptoAvailable, PersonalDataCipher, readOrCreateKeyFile } from './personal-data-cipher.ts';

const key = crypto.randomBytes(32);

describe('personal data cipher', () => {
  it('uses SM4 with HMAC-SM3 where the runtime offers them', () => {
    const cipher = new PersonalDataCipher(key);
    expect(cipher.algorithm).toBe(nationalCryptoAvailable() ? 'sm4' : 'aes');
  });

  for (const algorithm of ['sm4', 'aes'] as const) {
    describe(algorithm, () => {
      const cipher = new PersonalDataCipher(key, algorithm);
      it.skipIf(algorithm === 'sm4' && !nationalCryptoAvailable())('round-trips, with a fresh IV each time', () => {
        const a = cipher.encrypt('420102199003071232', 'person.id_number');
        const b = cipher.encrypt('420102199003071232', 'person.id_number');
        expect(a).toMatch(new RegExp(`^v1\\.${algorithm}\\.[A-Za-z0-9_-]+$`));
        expect(a).not.toBe(b);
        expect(a).not.toContain('420102');
        expect(cipher.decrypt(a, 'person.id_number')).toBe('420102199003071232');
        expect(cipher.decrypt(cipher.encrypt('张三', 'x'), 'x')).toBe('张三');
      });

      it.skipIf(algorithm === 'sm4' && !nationalCryptoAvailable())('detects tampering, another column and another key', () => {
        const env = cipher.encrypt('13800138000', 'person.mobile');
        const raw = Buffer.from(env.split('.')[2]!, 'base64url');
        raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
        expect(() => cipher.decrypt(`v1.${algorithm}.${raw.toString('base64url')}`, 'person.mobile')).toThrow();
        expect(() => cipher.decrypt(env, 'person.id_number')).toThrow();
        expect(() => new PersonalDataCipher(crypto.randomBytes(32), algorithm).decrypt(env, 'person.mobile')).toThrow();
      });
    });
  }

  it('lookup hashes are keyed, deterministic and separated by kind', () => {
    const a = new PersonalDataCipher(key);
    const b = new PersonalDataCipher(crypto.randomBytes(32));
    expect(a.lookupHash('citizen-id', '420102199003071232')).toBe(a.lookupHash('citizen-id', '420102199003071232'));
    expect(a.lookupHash('citizen-id', '420102199003071232')).not.toBe(b.lookupHash('citizen-id', '420102199003071232'));
    expect(a.lookupHash('citizen-id', '13800138000')).not.toBe(a.lookupHash('mobile', '13800138000'));
    expect(a.lookupHash('mobile', '13800138000')).toMatch(/^[0-9a-f]{64}$/);
    // an unkeyed hash would be guessable: ours is not a plain SHA-256 / SM3 of the value
    expect(a.lookupHash('mobile', '13800138000')).not.toBe(crypto.createHash('sha256').update('13800138000').digest('hex'));
  });
});

describe('master key', () => {
  it('comes from the configuration when set', () => {
    const hex = crypto.randomBytes(32).toString('hex');
    expect(loadMasterKey({ masterKey: hex, env: 'production', dataDir: '/nonexistent' }).toString('hex')).toBe(hex);
  });

  it('is refused missing in production, random per config in tests', () => {
    expect(() => loadMasterKey({ masterKey: undefined, env: 'production', dataDir: '/nonexistent' })).toThrow(/ZHENGWU_MASTER_KEY/);
    const config = { masterKey: undefined, env: 'test' as const, dataDir: '/nonexistent' };
    expect(loadMasterKey(config).equals(loadMasterKey(config))).toBe(true);
    expect(loadMasterKey(config).equals(loadMasterKey({ ...config }))).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('in development is generated once under dataDir/secrets with mode 0600', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zw-key-'));
    try {
      const first = loadMasterKey({ masterKey: undefined, env: 'development', dataDir: dir });
      const file = path.join(dir, 'secrets', 'master.key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(loadMasterKey({ masterKey: undefined, env: 'development', dataDir: dir }).equals(first)).toBe(true);
      fs.chmodSync(file, 0o644);
      expect(() => readOrCreateKeyFile(file)).toThrow(/chmod 600/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
