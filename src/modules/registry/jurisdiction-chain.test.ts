import { describe, expect, it } from 'vitest';
import { calendarChain, calendarCovers, NATIONAL, parseCalendarJurisdiction } from './jurisdiction-chain.ts';

describe('calendarChain', () => {
  it('goes national → province → prefecture → county by code prefix', () => {
    expect(calendarChain('420102')).toEqual([NATIONAL, '420000', '420100', '420102']);
    expect(calendarChain('420100')).toEqual([NATIONAL, '420000', '420100']);
    expect(calendarChain('420000')).toEqual([NATIONAL, '420000']);
    expect(calendarChain(NATIONAL)).toEqual([NATIONAL]);
  });

  it('skips the xx90 group of counties directly under a province', () => {
    expect(calendarChain('429004')).toEqual([NATIONAL, '420000', '429004']);
  });

  it('refuses anything but a parsed code', () => {
    expect(() => calendarChain('4201')).toThrow(RangeError);
  });
});

describe('parseCalendarJurisdiction', () => {
  it('accepts national and division codes, padding short ones', () => {
    expect(parseCalendarJurisdiction('national')).toEqual({ ok: true, code: NATIONAL, level: 'national' });
    expect(parseCalendarJurisdiction('42')).toEqual({ ok: true, code: '420000', level: 'province' });
    expect(parseCalendarJurisdiction('420100')).toEqual({ ok: true, code: '420100', level: 'prefecture' });
    expect(parseCalendarJurisdiction(' 420102 ')).toEqual({ ok: true, code: '420102', level: 'county' });
  });

  it('resolves a township to its county for look-ups but refuses it for overrides', () => {
    expect(parseCalendarJurisdiction('420102001000')).toEqual({ ok: true, code: '420102', level: 'county' });
    const refused = parseCalendarJurisdiction('420102001000', { belowCounty: 'refuse' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toContain('乡镇');
  });

  it('treats empty as national only when asked', () => {
    expect(parseCalendarJurisdiction('', { belowCounty: 'refuse', emptyIsNational: true })).toMatchObject({ ok: true, code: NATIONAL });
    expect(parseCalendarJurisdiction('').ok).toBe(false);
  });

  it('gives a Chinese reason for a bad code', () => {
    const r = parseCalendarJurisdiction('990000');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/省级代码/);
    expect(parseCalendarJurisdiction('abc').ok).toBe(false);
  });
});

describe('calendarCovers', () => {
  it('covers a jurisdiction by its ancestors', () => {
    expect(calendarCovers(NATIONAL, '420102')).toBe(true);
    expect(calendarCovers('420000', '420102')).toBe(true);
    expect(calendarCovers('420100', '420102')).toBe(true);
    expect(calendarCovers('420102', '420102')).toBe(true);
    expect(calendarCovers('420100', '429004')).toBe(false);
    expect(calendarCovers('420000', NATIONAL)).toBe(false);
  });
});
