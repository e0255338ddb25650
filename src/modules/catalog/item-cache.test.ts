import { describe, expect, it } from 'vitest';
import { ItemForApplicationCache } from './item-cache.ts';
import type { ItemForApplication } from './types.ts';

const answer = (name: string) => ({ name, materials: [{ code: 'M001' }], form: { version: 1, fields: [] } }) as unknown as ItemForApplication;

function clock() {
  let now = 1000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ItemForApplicationCache', () => {
  it('serves an entry for at most the TTL, then reads again', async () => {
    const c = clock();
    const cache = new ItemForApplicationCache(2000, 10, c.now);
    let reads = 0;
    const load = () => Promise.resolve(answer(`read ${++reads}`));
    expect((await cache.read('a', load))?.name).toBe('read 1');
    c.advance(1999);
    expect((await cache.read('a', load))?.name).toBe('read 1');
    c.advance(1);
    expect((await cache.read('a', load))?.name).toBe('read 2');
    expect(reads).toBe(2);
  });

  it('caches null answers too', async () => {
    const cache = new ItemForApplicationCache(2000, 10, clock().now);
    let reads = 0;
    const load = () => {
      reads += 1;
      return Promise.resolve(null);
    };
    expect(await cache.read('x', load)).toBeNull();
    expect(await cache.read('x', load)).toBeNull();
    expect(reads).toBe(1);
  });

  it('invalidate forgets everything at once', async () => {
    const cache = new ItemForApplicationCache(2000, 10, clock().now);
    await cache.read('a', () => Promise.resolve(answer('old')));
    cache.invalidate();
    expect((await cache.read('a', () => Promise.resolve(answer('new'))))?.name).toBe('new');
  });

  it('does not store a read that was in flight when an invalidation happened', async () => {
    const cache = new ItemForApplicationCache(2000, 10, clock().now);
    let release: (v: ItemForApplication) => void = () => {};
    const slow = cache.read('a', () => new Promise<ItemForApplication>((r) => (release = r)));
    cache.invalidate(); // e.g. the commit of a suspend, while the read saw the old row
    release(answer('old'));
    expect((await slow)?.name).toBe('old'); // its caller gets what it read…
    expect((await cache.read('a', () => Promise.resolve(answer('new'))))?.name).toBe('new'); // …but it is not kept
  });

  it('shares one read among concurrent misses, but not across an invalidation', async () => {
    const cache = new ItemForApplicationCache(2000, 10, clock().now);
    let reads = 0;
    const load = () => new Promise<ItemForApplication>((r) => setTimeout(() => r(answer(`read ${++reads}`)), 5));
    const [a, b] = await Promise.all([cache.read('a', load), cache.read('a', load)]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
    const first = cache.read('b', () => new Promise<ItemForApplication>((r) => setTimeout(() => r(answer('stale')), 5)));
    cache.invalidate();
    const second = cache.read('b', load);
    expect((await first)?.name).toBe('stale');
    expect((await second)?.name).toBe('read 2');
  });

  it('empties itself when full and freezes answers deeply', async () => {
    const cache = new ItemForApplicationCache(2000, 3, clock().now);
    for (const id of ['a', 'b', 'c']) await cache.read(id, () => Promise.resolve(answer(id)));
    expect(cache.size).toBe(3);
    const d = await cache.read('d', () => Promise.resolve(answer('d')));
    expect(cache.size).toBe(1);
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d!.materials)).toBe(true);
    expect(Object.isFrozen(d!.materials[0])).toBe(true);
    expect(Object.isFrozen(d!.form.fields)).toBe(true);
  });

  it('a failed read is not cached and does not poison later reads', async () => {
    const cache = new ItemForApplicationCache(2000, 10, clock().now);
    await expect(cache.read('a', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect((await cache.read('a', () => Promise.resolve(answer('ok'))))?.name).toBe('ok');
  });
});
