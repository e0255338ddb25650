import { hash, parseOptions, verify } from '@node-rs/argon2';

/**
 * Password hashes: argon2id (the @node-rs/argon2 default algorithm) with 64 MiB, 3 passes,
 * 1 lane — RFC 9106 §4's second recommended option, ≈ 70 ms per hash on the 2-core
 * machines measured here (target 50–150 ms: slow for an attacker, quick for a sign-in).
 * Hashes with other parameters still verify and are upgraded at the next sign-in.
 */
export const PASSWORD_HASH_OPTIONS = { memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

/** Longest accepted password: bounds the work one request can ask for. */
export const MAX_PASSWORD_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<{ ok: boolean; needsRehash: boolean }> {
  if (password.length > MAX_PASSWORD_LENGTH) return { ok: false, needsRehash: false };
  let ok = false;
  try {
    ok = await verify(stored, password);
  } catch {
    return { ok: false, needsRehash: false };
  }
  return { ok, needsRehash: ok && needsRehash(stored) };
}

export function needsRehash(stored: string): boolean {
  if (!stored.startsWith('$argon2id$')) return true;
  try {
    const p = parseOptions(stored);
    return p.memoryCost < PASSWORD_HASH_OPTIONS.memoryCost || p.timeCost < PASSWORD_HASH_OPTIONS.timeCost;
  } catch {
    return true;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification when the account does not exist, so the answer time
 * does not tell an attacker which login names are registered.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('zhengwu-timing-equaliser');
  await verifyPassword(await dummy, password.slice(0, MAX_PASSWORD_LENGTH));
}
