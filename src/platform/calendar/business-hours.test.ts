import { describe, expect, it } from 'vitest';

import { addBusinessTime, businessHours, businessTimeBetween, closeOfBusiness } from './business-hours.ts';
import { MS_PER_HOUR, parseCivilDate } from './civil-date.ts';
import { nationalCalendar } from './national-calendar.ts';

const at = (text: string): number => Date.parse(`${text}+08:00`);
const calendar = nationalCalendar();
const officeHours = businessHours(['13:30-17:30', '09:00-12:00']);

describe('businessHours', () => {
  it('parses and orders windows', () => {
    expect(officeHours.windows).toEqual([
      { openMinute: 540, closeMinute: 720 },
      { openMinute: 810, closeMinute: 1050 },
    ]);
    expect(businessHours(['00:00-24:00']).windows).toEqual([{ openMinute: 0, closeMinute: 1440 }]);
  });

  it.each([[[]], [['9:00-12:00']], [['12:00-09:00']], [['09:00-24:30']], [['09:60-12:00']], [['09:00-12:00', '11:00-13:00']]])(
    'rejects %j',
    (windows) => {
      expect(() => businessHours(windows)).toThrow(RangeError);
    },
  );

  it('gives the close of business of a day', () => {
    expect(closeOfBusiness(parseCivilDate('2025-11-03'), officeHours)).toBe(at('2025-11-03T17:30:00'));
  });
});

describe('business time arithmetic', () => {
  it('measures business time between two instants', () => {
    // Fri 2025-03-07 17:00 → Mon 2025-03-10 10:00: 0.5 h + 1 h.
    expect(businessTimeBetween(calendar, at('2025-03-07T17:00:00'), at('2025-03-10T10:00:00'), officeHours)).toEqual({
      ms: 1.5 * MS_PER_HOUR,
      provisional: false,
    });
    expect(businessTimeBetween(calendar, at('2025-03-10T10:00:00'), at('2025-03-07T17:00:00'), officeHours).ms).toBe(0);
  });

  it('adds business time, ending exactly at a close when the window is used up', () => {
    expect(addBusinessTime(calendar, at('2025-03-10T09:00:00'), 3 * MS_PER_HOUR, officeHours).at).toBe(at('2025-03-10T12:00:00'));
    expect(addBusinessTime(calendar, at('2025-03-10T09:00:00'), 0, officeHours).at).toBe(at('2025-03-10T09:00:00'));
  });

  it('is the inverse of businessTimeBetween', () => {
    for (let h = 0; h < 200; h += 7) {
      const start = at('2025-09-26T08:15:00') + h * 17 * 60_000;
      const duration = (h + 1) * 23 * 60_000;
      const end = addBusinessTime(calendar, start, duration, officeHours).at;
      expect(businessTimeBetween(calendar, start, end, officeHours).ms).toBe(duration);
    }
  });
});
