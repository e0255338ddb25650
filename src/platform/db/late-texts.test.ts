import { describe, expect, it } from 'vitest';
import { lateText, resolveLateTexts } from './late-texts.ts';

describe('late texts', () => {
  it('replaces placeholders in strings of plain objects and arrays, and leaves everything else alone', () => {
    const when = new Date('2026-01-01T00:00:00Z');
    const buffer = Buffer.from('x');
    const value = { no: lateText('a'), list: [`前 ${lateText('b')} 后 ${lateText('a')}`, 3, null], when, buffer, unknown: lateText('zz') };
    const r = resolveLateTexts(value, new Map([['a', 'N-1'], ['b', 'N-2']]));
    expect(r).toEqual({ no: 'N-1', list: ['前 N-2 后 N-1', 3, null], when, buffer, unknown: lateText('zz') });
    expect(r.when).toBe(when);
    expect(r.buffer).toBe(buffer);
    expect(resolveLateTexts(value, new Map())).toBe(value);
  });

  it('refuses a key that holds the marks', () => {
    expect(() => lateText(lateText('a'))).toThrow(/marks/);
  });
});
