import { describe, expect, it } from 'vitest';
import { checkTotp, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, totpCode, totpQrSvg, totpUri } from './totp.ts';

describe('TOTP', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  // 2026-03-07T06:00:15Z: 15 s into a time step
  const now = new Date(Date.UTC(2026, 2, 7, 6, 0, 15));
  const step = Math.floor(now.getTime() / 30_000);
  const at = (steps: number) => new Date(now.getTime() + steps * 30_000);

  it('matches the RFC 6238 reference value', async () => {
    // RFC 6238 Appendix B, SHA-1, T = 59 s: 94287082 (8 digits) → 287082 with 6 digits
    expect(await totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', new Date(59_000))).toBe('287082');
  });

  it('accepts the current step and one step either side, and reports the step', async () => {
    for (const d of [-1, 0, 1]) {
      const r = await checkTotp(secret, await totpCode(secret, at(d)), { now });
      expect(r).toEqual({ ok: true, step: step + d });
    }
  });

  it('refuses codes two steps away', async () => {
    expect((await checkTotp(secret, await totpCode(secret, at(-2)), { now })).ok).toBe(false);
    expect((await checkTotp(secret, await totpCode(secret, at(2)), { now })).ok).toBe(false);
  });

  it('refuses a replayed code: not the last used step, nor an earlier one', async () => {
    const code = await totpCode(secret, now);
    expect((await checkTotp(secret, code, { now, lastStep: step })).ok).toBe(false);
    expect((await checkTotp(secret, await totpCode(secret, at(-1)), { now, lastStep: step })).ok).toBe(false);
    expect((await checkTotp(secret, await totpCode(secret, at(1)), { now, lastStep: step })).ok).toBe(true);
  });

  it('refuses malformed input without throwing; tolerates spaces', async () => {
    expect((await checkTotp(secret, 'abc', { now })).ok).toBe(false);
    expect((await checkTotp(secret, '', { now })).ok).toBe(false);
    const code = await totpCode(secret, now);
    expect((await checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, { now })).ok).toBe(true);
  });

  it('makes 160-bit base32 secrets, an otpauth URI and an inline SVG QR code', async () => {
    const s = newTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    const uri = totpUri(s, 'zhangsan');
    expect(uri).toMatch(/^otpauth:\/\/totp\/.+:zhangsan\?secret=[A-Z2-7]{32}&issuer=/);
    const svg = await totpQrSvg(uri);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script/i);
  });
});

describe('recovery codes', () => {
  it('makes ten distinct codes without look-alike characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-hj-km-np-z2-9]{5}-[a-hj-km-np-z2-9]{5}$/);
  });

  it('normalises what people type', () => {
    expect(normalizeRecoveryCode(' ABCDE-23456 ')).toBe('abcde23456');
    expect(normalizeRecoveryCode('ａｂｃｄｅ－２３４５６')).toBe('abcde23456'); // full-width input
    expect(looksLikeRecoveryCode('abcde 23456')).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
});
