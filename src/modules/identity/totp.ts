import crypto from 'node:crypto';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s), the form every
 * authenticator app reads. A code is accepted in the current time step and one step either
 * side (clock drift), and never twice: the accepted step is remembered per account and a
 * code of that step or an earlier one is refused (replay protection).
 */
export const TOTP_ISSUER = '湖北政务服务网';
export const TOTP_PERIOD_SECONDS = 30;
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS; // ±1 step

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, loginName: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: loginName, secret });
}

/** The code for `at` (tests and the enrolment page's self-check). */
export function totpCode(secret: string, at: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

export type TotpCheck = { ok: true; step: number } | { ok: false };

export async function checkTotp(secret: string, code: string, opts: { now?: Date; lastStep?: number | null } = {}): Promise<TotpCheck> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false };
  const epoch = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const result = await verify({
    secret,
    token,
    epoch,
    epochTolerance: TOLERANCE_SECONDS,
    ...(opts.lastStep !== null && opts.lastStep !== undefined ? { afterTimeStep: opts.lastStep } : {}),
  });
  // The matched time step: the current one shifted by the drift the library found.
  return result.valid ? { ok: true, step: Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta } : { ok: false };
}

/** The otpauth URI as an inline SVG QR code (no external request, works without JavaScript). */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 200 });
}

// ---- recovery codes ----

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no look-alikes (0/o, 1/l/i)
export const RECOVERY_CODE_COUNT = 10;

/** Ten codes like `k7m2p-x9q4r` (≈ 49 bits each); shown once, stored hashed. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    let s = '';
    for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[crypto.randomInt(RECOVERY_ALPHABET.length)];
    codes.add(`${s.slice(0, 5)}-${s.slice(5)}`);
  }
  return [...codes];
}

/** Canonical form for hashing: lower case, separators and spaces dropped. */
export function normalizeRecoveryCode(input: string): string {
  return input.normalize('NFKC').toLowerCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(input: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalizeRecoveryCode(input));
}
