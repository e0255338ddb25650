import { describe, expect, it } from 'vitest';
import { validateCalendarEntryInput, validateCalendarYearInput } from './validate-calendar-input.ts';

describe('validateCalendarEntryInput', () => {
  it('accepts a complete entry; an empty jurisdiction means national', () => {
    const { value, errors } = validateCalendarEntryInput({ jurisdictionCode: '', date: '2027-10-01', kind: 'HOLIDAY', name: ' 国庆节 ', source: '国办发明电〔2026〕7号' });
    expect(errors).toEqual([]);
    expect(value).toEqual({ jurisdictionCode: 'national', date: '2027-10-01', kind: 'HOLIDAY', name: '国庆节', source: '国办发明电〔2026〕7号' });
  });

  it('normalises a short division code to six digits', () => {
    expect(validateCalendarEntryInput({ jurisdictionCode: '4201', date: '2027-01-02', kind: 'MAKEUP_WORKDAY', name: '调休', source: 'x' }).value.jurisdictionCode).toBe('420100');
  });

  it('names every refused field in Chinese', () => {
    const { errors } = validateCalendarEntryInput({ jurisdictionCode: '420102001000', date: '2027-02-30', kind: 'WEEKEND', name: '', source: '' });
    expect(errors.map((e) => e.field)).toEqual(['jurisdictionCode', 'date', 'kind', 'name', 'source']);
    for (const e of errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses dates outside the calendar tables', () => {
    const { errors } = validateCalendarEntryInput({ jurisdictionCode: 'national', date: '1999-10-01', kind: 'HOLIDAY', name: '国庆节', source: 'x' });
    expect(errors).toEqual([{ field: 'date', message: '日期应在 2000 年至 2100 年之间' }]);
  });
});

describe('validateCalendarYearInput', () => {
  it('accepts a year and notice', () => {
    expect(validateCalendarYearInput({ jurisdictionCode: 'national', year: '2027', notice: '国办发明电〔2026〕7号' })).toEqual({
      value: { jurisdictionCode: 'national', year: 2027, notice: '国办发明电〔2026〕7号' },
      errors: [],
    });
  });

  it('refuses a bad year and a missing notice', () => {
    const { errors } = validateCalendarYearInput({ jurisdictionCode: 'national', year: '27', notice: ' ' });
    expect(errors.map((e) => e.field)).toEqual(['year', 'notice']);
  });
});
