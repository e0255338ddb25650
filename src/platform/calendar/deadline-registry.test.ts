import { describe, expect, it } from 'vitest';
import { clockFor, deadlineRule, deadlineRules, describeLimit, extensionAllowed, withOverride } from './deadline-registry.ts';
import { dueDateWithPauses } from './deadline-clock.ts';
import { parseCivilDate } from './civil-date.ts';
import { nationalCalendar } from './national-calendar.ts';

describe('deadline registry (DOMAIN.md §1.1.6)', () => {
  it('holds the statutory defaults the modules count', () => {
    expect(deadlineRule('licence.decision')).toMatchObject({ limit: { n: 20, unit: 'G' }, extension: { max: { n: 10, unit: 'G' }, approver: 'agency_head' } });
    expect(deadlineRule('licence.correctionNotice').limit).toEqual({ n: 5, unit: 'G' });
    expect(deadlineRule('disclosure.reply')).toMatchObject({ limit: { n: 20, unit: 'G' }, extension: { max: { n: 20, unit: 'G' }, approver: 'disclosure_office_head' }, pausable: true });
    expect(deadlineRule('disclosure.correctionNotice').limit).toEqual({ n: 7, unit: 'G' });
    expect(deadlineRule('petition.handle')).toMatchObject({ limit: { n: 60, unit: 'Z' }, extension: { max: { n: 30, unit: 'Z' } } });
    expect(deadlineRule('remedy.lawsuit').limit).toEqual({ n: 6, unit: '5' });
    expect(describeLimit(deadlineRule('licence.issue').limit)).toBe('10 个工作日');
  });

  it('has unique keys, each with a source', () => {
    const keys = deadlineRules().map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of deadlineRules()) expect(r.source.length, r.key).toBeGreaterThan(0);
  });

  it('refuses an unknown key loudly', () => {
    expect(() => deadlineRule('licence.nope')).toThrow(/unknown deadline rule/);
  });

  it('allows one extension up to the cap', () => {
    const rule = deadlineRule('licence.decision');
    expect(extensionAllowed(rule, [], 10)).toEqual({ ok: true });
    expect(extensionAllowed(rule, [], 11)).toEqual({ ok: false, reason: '延长期限不得超过 10 个工作日' });
    expect(extensionAllowed(rule, [{ n: 5 }], 5)).toMatchObject({ ok: false });
    expect(extensionAllowed(deadlineRule('licence.issue'), [], 1)).toMatchObject({ ok: false });
  });

  it('overrides a period only with a legal basis', () => {
    const rule = deadlineRule('licence.decision');
    expect(() => withOverride(rule, { limit: { n: 30, unit: 'G' }, legalBasis: ' ' })).toThrow(/legal basis/);
    expect(withOverride(rule, { limit: { n: 30, unit: 'G' }, legalBasis: '《某条例》第十条' })).toMatchObject({ limit: { n: 30 }, source: '《某条例》第十条' });
  });

  it('builds clocks that give the DOMAIN.md worked examples', () => {
    const calendar = nationalCalendar();
    const start = parseCivilDate('2025-09-29');
    const due = dueDateWithPauses(calendar, clockFor(deadlineRule('licence.decision'), start));
    expect(due).toMatchObject({ dueOn: parseCivilDate('2025-11-03') });
    expect(() => clockFor(deadlineRule('licence.issue'), start, { pauses: [{ from: start }] })).toThrow(/cannot be paused/);
  });
});
