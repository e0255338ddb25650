import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, PASSWORD_HASH_OPTIONS, verifyPassword } from './passwords.ts';

describe('password hashes', () => {
  it('are argon2id with 64 MiB, 3 passes; verify; tell when to rehash', async () => {
    const started = performance.now();
    const h = await hashPassword('Correct-horse7');
    const ms = performance.now() - started;
    // Measured ≈ 70 ms on the 2-core build machines; generous bound for loaded CI.
    expect(ms).toBeLessThan(3000);
    expect(h).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    expect(await verifyPassword(h, 'Correct-horse7')).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword(h, 'correct-horse7')).ok).toBe(false);
    expect((await verifyPassword('not a hash', 'x')).ok).toBe(false);
    expect(needsRehash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA')).toBe(true);
    expect(PASSWORD_HASH_OPTIONS.memoryCost).toBe(65536);
  });
});
