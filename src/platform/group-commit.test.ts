import { describe, expect, it } from 'vitest';
import { GroupCommit, settle, type Outcome } from './group-commit.ts';

/** A flush that holds each batch until released, recording what it was given. */
function gated() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const flush = async (items: number[]): Promise<Outcome<number>[]> => {
    batches.push(items);
    await new Promise<void>((r) => releases.push(r));
    return items.map((i) => (i < 0 ? { ok: false, error: new Error(`refused ${i}`) } : { ok: true, value: i * 10 }));
  };
  return { batches, releases, flush };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes a lone request at once and groups the ones that arrive while batches are written', async () => {
    const g = gated();
    const gc = new GroupCommit(g.flush, { maxBatch: 3, maxConcurrent: 1 });
    const first = gc.submit(1);
    await tick();
    expect(g.batches).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((i) => gc.submit(i));
    await tick();
    expect(g.batches).toHaveLength(1); // still writing the first
    g.releases[0]!();
    expect(await first).toBe(10);
    await tick();
    expect(g.batches[1]).toEqual([2, 3, 4]); // up to maxBatch
    g.releases[1]!();
    await tick();
    expect(g.batches[2]).toEqual([5]);
    g.releases[2]!();
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50]);
    expect(gc.stats).toEqual({ batches: 3, requests: 5, largest: 3 });
  });

  it('answers each request with its own outcome', async () => {
    const g = gated();
    const gc = new GroupCommit(g.flush, { maxConcurrent: 1 });
    const all = [gc.submit(1), gc.submit(-2), gc.submit(3)].map(settle);
    await tick();
    g.releases.forEach((r) => r());
    await tick();
    g.releases.forEach((r) => r());
    const outcomes = await Promise.all(all);
    expect(outcomes[0]).toEqual({ ok: true, value: 10 });
    expect(outcomes[1]!.ok).toBe(false);
    expect(outcomes[2]).toEqual({ ok: true, value: 30 });
  });

  it('runs up to maxConcurrent batches at once', async () => {
    const g = gated();
    const gc = new GroupCommit(g.flush, { maxConcurrent: 2 });
    const all = [1, 2, 3, 4].map((i) => gc.submit(i));
    await tick();
    expect(g.batches).toEqual([[1], [2]]); // two written at once, the rest wait
    g.releases.forEach((r) => r());
    await tick();
    expect(g.batches[2]).toEqual([3, 4]);
    g.releases.forEach((r) => r());
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40]);
  });

  it('fails every request of a batch whose flush throws or answers the wrong number, and goes on', async () => {
    let calls = 0;
    const gc = new GroupCommit<number, number>(async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('database gone');
      if (calls === 2) return [];
      return items.map((i) => ({ ok: true, value: i }));
    }, { maxConcurrent: 1 });
    await expect(gc.submit(1)).rejects.toThrow('database gone');
    const out = await settle(gc.submit(2));
    expect(out.ok).toBe(false);
    expect(String((out as { error: unknown }).error)).toMatch(/answered 0 of 1/);
    expect(await gc.submit(4)).toBe(4);
  });

  it('refuses nonsense options', () => {
    expect(() => new GroupCommit(async () => [], { maxBatch: 0 })).toThrow(/maxBatch/);
    expect(() => new GroupCommit(async () => [], { maxConcurrent: 1.5 })).toThrow(/maxConcurrent/);
  });

  it('with maxStarting 1, starts the next batch when the previous one is ready, not when a slot frees', async () => {
    const batches: number[][] = [];
    const readies: (() => void)[] = [];
    const releases: (() => void)[] = [];
    const gc = new GroupCommit(
      async (items: number[], ready: () => void): Promise<Outcome<number>[]> => {
        batches.push(items);
        readies.push(ready);
        await new Promise<void>((r) => releases.push(r));
        return items.map((i) => ({ ok: true, value: i }));
      },
      { maxConcurrent: 2, maxStarting: 1 },
    );
    const all = [1, 2, 3].map((i) => gc.submit(i));
    await tick();
    expect(batches).toEqual([[1]]); // a slot is free, but the first batch is still in its first stage
    readies[0]!();
    readies[0]!(); // twice is once
    await tick();
    expect(batches).toEqual([[1], [2, 3]]); // the next one takes what arrived meanwhile
    const more = [4, 5].map((i) => gc.submit(i));
    readies[1]!();
    await tick();
    expect(batches).toHaveLength(2); // both slots busy
    releases[0]!();
    await tick();
    expect(batches[2]).toEqual([4, 5]);
    // A batch that finishes without calling ready() frees its stage too.
    releases[1]!();
    releases[2]!();
    expect(await Promise.all([...all, ...more])).toEqual([1, 2, 3, 4, 5]);
    expect(() => new GroupCommit(async () => [], { maxStarting: 0 })).toThrow(/maxStarting/);
  });
});

