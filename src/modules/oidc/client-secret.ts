import crypto from 'node:crypto';

/**
 * Client credentials. The secret is 256 random bits, shown once; only its SHA-256 is
 * stored. A slow password hash adds nothing for a secret with that much entropy
 * (RFC 6819 §5.1.4.1.3), and keeps the token endpoint fast.
 */
export function newClientId(): string {
  return `zw-${crypto.randomBytes(12).toString('hex')}`;
}

export function newClientSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

const PREFIX = 'sha256:';

export function hashClientSecret(secret: string): string {
  return PREFIX + crypto.createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function verifyClientSecret(presented: unknown, storedHash: string | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 512) return false;
  if (!storedHash?.startsWith(PREFIX)) return false;
  const a = Buffer.from(hashClientSecret(presented));
  const b = Buffer.from(storedHash);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
