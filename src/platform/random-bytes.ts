import crypto from 'node:crypto';

const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * `n` bytes from the operating system's CSPRNG, like crypto.randomBytes, drawn from a pool filled
 * 4 KiB at a time: a request that encrypts two fields and salts a hash asks for random bytes three
 * times, and each synchronous crypto.randomBytes call costs several microseconds of setup (about
 * 5 % of the app's CPU samples during submissions; Node pools randomUUID the same way).
 * The bytes returned are a copy, never handed out twice.
 */
export function randomBytes(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randomBytes: ${n} is not a byte count`);
  if (n > POOL_SIZE / 4) return crypto.randomBytes(n);
  if (offset + n > POOL_SIZE) {
    crypto.randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}
