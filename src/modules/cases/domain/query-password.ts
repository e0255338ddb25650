import crypto from 'node:crypto';
import { randomBytes } from '../../../platform/random-bytes.ts';

/**
 * The progress-query password (查询密码, DOMAIN.md §3.8): 6 random digits. Stored as a salted
 * SHA-256 — a 6-digit secret cannot withstand an offline search whatever the hash, so the real
 * protection is the rate limit on /progress; a slow hash would only cap the query's throughput.
 */
export function newQueryPassword(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
}

export function hashQueryPassword(password: string): string {
  const salt = randomBytes(8).toString('hex');
  return `${salt}$${crypto.createHash('sha256').update(`${salt}:${password}`).digest('hex')}`;
}

export function checkQueryPassword(stored: string | null, password: string): boolean {
  if (!stored) return false;
  const [salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const given = crypto.createHash('sha256').update(`${salt}:${password}`).digest();
  const want = Buffer.from(hash, 'hex');
  return want.length === given.length && crypto.timingSafeEqual(want, given);
}
