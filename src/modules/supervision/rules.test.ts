import { describe, expect, it } from 'vitest';
import { alertType, DEFAULT_RULES, nextState, parentJurisdiction, shouldEscalate } from './rules.ts';

describe('supervision rules', () => {
  it('seeds the DOMAIN.md §5 defaults: yellow and red on the total limit, promised limit, node, refusal without reasons', () => {
    expect(DEFAULT_RULES.map((r) => `${r.ruleNo}:${r.trigger}:${r.level}`)).toEqual(['R01:1:YELLOW', 'R02:1:RED', 'R03:2:RED', 'R04:3:YELLOW', 'R05:5:RED']);
    expect(DEFAULT_RULES.find((r) => r.ruleNo === 'R04')?.scope).toBe('node');
  });

  it('maps levels to the GB/T 39046 alert types 1 yellow, 2 red, 9 other', () => {
    expect(alertType('YELLOW', 1)).toBe(1);
    expect(alertType('RED', 1)).toBe(2);
    expect(alertType('RED', 2)).toBe(2);
    expect(alertType('RED', 5)).toBe(9);
  });

  it('walks ALERT → NOTICE_SENT → RESPONDED → VERIFIED → CLOSED and refuses skipped steps', () => {
    expect(nextState('ALERT', 'notice')).toBe('NOTICE_SENT');
    expect(nextState('NOTICE_SENT', 'respond')).toBe('RESPONDED');
    expect(nextState('RESPONDED', 'verify')).toBe('VERIFIED');
    expect(nextState('VERIFIED', 'close')).toBe('CLOSED');
    expect(nextState('ALERT', 'close')).toBe('CLOSED');
    expect(nextState('ALERT', 'respond')).toBeNull();
    expect(nextState('NOTICE_SENT', 'verify')).toBeNull();
    expect(nextState('CLOSED', 'notice')).toBeNull();
  });

  it('escalates to the parent jurisdiction: county → city → province, never beyond', () => {
    expect(parentJurisdiction('420281')).toBe('420200');
    expect(parentJurisdiction('420102')).toBe('420100');
    expect(parentJurisdiction('420200')).toBe('420000');
    expect(parentJurisdiction('420000')).toBeNull();
    expect(parentJurisdiction('420102001')).toBe('420102');
  });

  it('escalates an unanswered notice only after its rectification deadline, one level at a time', () => {
    const a = { state: 'NOTICE_SENT' as const, rectifyDueOn: '2026-03-10', escalatedTo: null, jurisdictionCode: '420281' };
    expect(shouldEscalate(a, '2026-03-10')).toBeNull();
    expect(shouldEscalate(a, '2026-03-11')).toBe('420200');
    expect(shouldEscalate({ ...a, escalatedTo: '420200' }, '2026-03-11')).toBe('420000');
    expect(shouldEscalate({ ...a, escalatedTo: '420000' }, '2026-03-11')).toBeNull();
    expect(shouldEscalate({ ...a, state: 'RESPONDED' }, '2026-04-01')).toBeNull();
  });
});
