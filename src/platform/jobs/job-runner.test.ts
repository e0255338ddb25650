import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './job-runner.ts';

describe('retryDelayMs (exponential backoff with equal jitter)', () => {
  it('doubles per attempt, between half and all of the exponential delay', () => {
    expect(retryDelayMs(1, 1000, 3_600_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 3_600_000, () => 1)).toBe(1000);
    expect(retryDelayMs(2, 1000, 3_600_000, () => 0)).toBe(1000);
    expect(retryDelayMs(3, 1000, 3_600_000, () => 1)).toBe(4000);
    expect(retryDelayMs(5, 1000, 3_600_000, () => 0.5)).toBe(12_000);
  });

  it('is capped at the maximum', () => {
    expect(retryDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(30, 1000, 60_000, () => 0)).toBe(30_000);
  });

  it('spreads retries of jobs that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(4, 1000, 3_600_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });
});
