import { describe, expect, it } from 'vitest';
import { randomBytes } from './random-bytes.ts';

describe('randomBytes (pooled)', () => {
  it('gives the length asked for, as independent copies that later calls do not change', () => {
    const a = randomBytes(12);
    const copy = Buffer.from(a);
    for (let i = 0; i < 2000; i++) randomBytes(16); // refills the pool several times
    expect(a).toHaveLength(12);
    expect(a.equals(copy)).toBe(true);
    expect(randomBytes(0)).toHaveLength(0);
    expect(randomBytes(5000)).toHaveLength(5000);
  });

  it('never repeats itself across pool refills (no 16-byte value twice in 20,000)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(randomBytes(16).toString('hex'));
    expect(seen.size).toBe(20_000);
  });

  it('looks uniform: every byte value appears, none far more often than the others', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4000; i++) for (const b of randomBytes(64)) counts[b]! += 1;
    const expected = (4000 * 64) / 256;
    expect(Math.min(...counts)).toBeGreaterThan(expected * 0.8);
    expect(Math.max(...counts)).toBeLessThan(expected * 1.2);
  });

  it('refuses a length that is not a byte count', () => {
    expect(() => randomBytes(-1)).toThrow(RangeError);
    expect(() => randomBytes(1.5)).toThrow(RangeError);
  });
});
