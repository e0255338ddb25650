import { describe, expect, it } from 'vitest';

import { businessHours } from './business-hours.ts';
import { type CivilDay, MS_PER_HOUR, MS_PER_MINUTE, formatCivilDate, parseCivilDate } from './civil-date.ts';
import {
  type DayClock,
  TIME_UNIT,
  dayClockProgress,
  dueDateWithPauses,
  dueTimeWithPauses,
  isDayUnit,
  isWallClockUnit,
  restartClock,
} from './deadline-clock.ts';
import { nationalCalendar } from './national-calendar.ts';

const day = parseCivilDate;
const iso = formatCivilDate;
const at = (text: string): number => Date.parse(`${text}+08:00`);
const calendar = nationalCalendar();
const officeHours = businessHours(['09:00-12:00', '13:30-17:30']);

function dueOn(clock: DayClock, options = {}): string {
  const due = dueDateWithPauses(calendar, clock, options);
  if (due.state !== 'running') throw new Error('clock is paused');
  return iso(due.dueOn);
}

describe('TIME_UNIT code table (DOMAIN.md §1.1.4)', () => {
  it('has promised-limit units 1–5 and legal-limit units G, Z', () => {
    expect(Object.values(TIME_UNIT).sort()).toEqual(['1', '2', '3', '4', '5', 'G', 'Z']);
    expect(['1', '2', '5', 'G', 'Z'].every((u) => isDayUnit(u as '1'))).toBe(true);
    expect(isDayUnit('3') || isDayUnit('4')).toBe(false);
    expect(isWallClockUnit('3') && isWallClockUnit('4') && !isWallClockUnit('1')).toBe(true);
  });
});

describe('working-day clocks (DOMAIN.md §1.1.5)', () => {
  const decision: DayClock = { startedOn: day('2025-09-29'), limit: { n: 20, unit: '1' } };
  const specialProcedure = { from: day('2025-10-09'), to: day('2025-10-14'), reason: 'expert review' };

  it('without pauses the due date is addWorkingDays(startedOn, n)', () => {
    expect(dueOn(decision)).toBe('2025-11-03');
    expect(dueOn({ ...decision, limit: { n: 20, unit: 'G' } })).toBe('2025-11-03');
  });

  it('an extension lengthens the limit (行政许可法 Art. 42: +10 WD)', () => {
    expect(dueOn({ ...decision, extensions: [{ n: 10, unit: '1', approvedBy: 'agency head' }] })).toBe('2025-11-17');
  });

  it('an open pause freezes the clock: no due date', () => {
    const due = dueDateWithPauses(calendar, { ...decision, pauses: [{ from: day('2025-10-09') }] });
    expect(due).toEqual({ state: 'paused', pausedSince: day('2025-10-09') });
  });

  it('overlapping pauses count once', () => {
    // (Oct 9, Oct 16]: Oct 10, 11 (make-up), 13, 14, 15, 16 = 6 WD → Nov 3 + 6 WD = Tue Nov 11.
    const pauses = [specialProcedure, { from: day('2025-10-13'), to: day('2025-10-16') }];
    const due = dueDateWithPauses(calendar, { ...decision, pauses });
    expect(due).toMatchObject({ state: 'running', pausedDays: 6 });
    expect(dueOn({ ...decision, pauses })).toBe('2025-11-11');
  });

  it('separate pauses add up', () => {
    // 4 WD (Oct 10–14) + (Oct 20, Oct 22] = 2 WD → Nov 3 + 6 WD.
    const pauses = [specialProcedure, { from: day('2025-10-20'), to: day('2025-10-22') }];
    expect(dueOn({ ...decision, pauses })).toBe('2025-11-11');
  });

  it('time before the clock started is not given back', () => {
    // (Sep 20, Sep 30] clipped to (Sep 29, Sep 30] = 1 WD.
    expect(dueOn({ ...decision, pauses: [{ from: day('2025-09-20'), to: day('2025-09-30') }] })).toBe('2025-11-04');
  });

  it('rejects a pause ending before it starts, and an extension counted differently', () => {
    expect(() => dueDateWithPauses(calendar, { ...decision, pauses: [{ from: day('2025-10-09'), to: day('2025-10-08') }] })).toThrow(
      RangeError,
    );
    expect(() => dueDateWithPauses(calendar, { ...decision, extensions: [{ n: 10, unit: '2' }] })).toThrow(RangeError);
    expect(() => dueDateWithPauses(calendar, { ...decision, limit: { n: -1, unit: '1' } })).toThrow(RangeError);
  });

  it('expires at 24:00 of the last day, or at close of business for a businessHoursCutoff rule (《民法典》 Art. 203)', () => {
    expect(dueDateWithPauses(calendar, decision)).toMatchObject({ expiresAt: at('2025-11-04T00:00:00') });
    expect(dueDateWithPauses(calendar, decision, { businessHoursCutoff: officeHours })).toMatchObject({
      expiresAt: at('2025-11-03T17:30:00'),
    });
  });

  it('is provisional when it runs into a year without a loaded arrangement', () => {
    expect(dueDateWithPauses(calendar, { startedOn: day('2026-12-15'), limit: { n: 20, unit: '1' } })).toMatchObject({
      provisional: true,
    });
    expect(dueDateWithPauses(calendar, decision)).toMatchObject({ provisional: false });
  });
});

describe('calendar-day and month clocks', () => {
  it('a period in days ending on a holiday moves past the whole rest period (《民法典》 Art. 203)', () => {
    // 2025-09-23 + 15 days = Wed 2025-10-08 (National Day holiday) → Thu 2025-10-09.
    const transfer: DayClock = { startedOn: day('2025-09-23'), limit: { n: 15, unit: 'Z' } };
    expect(dueOn(transfer)).toBe('2025-10-09');
    expect(dueOn(transfer, { rollToWorkingDay: false })).toBe('2025-10-08');
  });

  it('pauses count calendar days', () => {
    // 2025-03-03 + 10 days = 03-13; pause (03-05, 03-08] = 3 days → Sun 03-16 → Mon 03-17.
    const clock: DayClock = {
      startedOn: day('2025-03-03'),
      limit: { n: 10, unit: '2' },
      pauses: [{ from: day('2025-03-05'), to: day('2025-03-08') }],
    };
    expect(dueDateWithPauses(calendar, clock)).toMatchObject({ pausedDays: 3 });
    expect(dueOn(clock)).toBe('2025-03-17');
  });

  it('promised limits in months use the 30-day convention (DOMAIN.md §1.1.3), configurable', () => {
    // 2025-03-03 + 60 days = Fri 2025-05-02 (Labour Day holiday) → Tue 2025-05-06.
    expect(dueOn({ startedOn: day('2025-03-03'), limit: { n: 2, unit: '5' } })).toBe('2025-05-06');
    expect(dueOn({ startedOn: day('2025-03-03'), limit: { n: 1, unit: '5' } }, { daysPerMonth: 31 })).toBe('2025-04-03');
    // A month extension on a calendar-day clock converts the same way.
    expect(dueOn({ startedOn: day('2025-03-03'), limit: { n: 30, unit: '2' }, extensions: [{ n: 1, unit: '5' }] })).toBe(
      '2025-05-06',
    );
  });
});

describe('dayClockProgress (consumed, DOMAIN.md §1.1.5)', () => {
  const clock: DayClock = {
    startedOn: day('2025-09-29'),
    limit: { n: 20, unit: '1' },
    pauses: [{ from: day('2025-10-09'), to: day('2025-10-14') }],
  };

  it('subtracts closed pauses', () => {
    // (Sep 29, Oct 20] has 10 WD: Sep 30, Oct 9, 10, 11, 13–17, 20; minus 4 paused = 6.
    expect(dayClockProgress(calendar, clock, day('2025-10-20'))).toEqual({
      consumed: 6,
      limit: 20,
      remaining: 14,
      paused: false,
      provisional: false,
    });
  });

  it('subtracts the days inside an open pause', () => {
    // (Sep 29, Oct 14] has 6 WD; (Oct 9, Oct 14] paused = 4 → 2 consumed.
    const open: DayClock = { ...clock, pauses: [{ from: day('2025-10-09') }] };
    expect(dayClockProgress(calendar, open, day('2025-10-14'))).toMatchObject({ consumed: 2, remaining: 18, paused: true });
  });

  it('reaches the limit exactly on the due date, and goes negative after it', () => {
    expect(dayClockProgress(calendar, clock, day('2025-11-07'))).toMatchObject({ consumed: 20, remaining: 0 });
    expect(dayClockProgress(calendar, clock, day('2025-11-08'))).toMatchObject({ consumed: 20, remaining: 0 }); // Saturday
    expect(dayClockProgress(calendar, clock, day('2025-11-10'))).toMatchObject({ consumed: 21, remaining: -1 });
  });

  it('consumed on the due date equals the limit for many clocks', () => {
    for (let start = day('2024-01-01'); start <= day('2026-10-31'); start = (start + 7) as CivilDay) {
      for (const n of [1, 5, 15, 20, 45]) {
        const c: DayClock = {
          startedOn: start,
          limit: { n, unit: '1' },
          pauses: [{ from: (start + 3) as CivilDay, to: (start + 10) as CivilDay }],
          extensions: [{ n: 2, unit: '1' }],
        };
        const due = dueDateWithPauses(calendar, c);
        if (due.state !== 'running') throw new Error('unexpected pause');
        const progress = dayClockProgress(calendar, c, due.dueOn);
        if (progress.remaining !== 0) expect.fail(`${iso(start)} n=${n}: remaining ${progress.remaining} on the due date`);
      }
    }
  });
});

describe('restartClock (correction 补正)', () => {
  it('runs the period afresh from the corrected receipt (政府信息公开条例 Art. 30)', () => {
    const reply: DayClock = {
      startedOn: day('2025-09-29'),
      limit: { n: 20, unit: '1' },
      pauses: [{ from: day('2025-10-09'), to: day('2025-10-14') }],
      extensions: [{ n: 20, unit: '1' }],
    };
    const restarted = restartClock(reply, day('2025-10-15'));
    expect(restarted).toEqual({ startedOn: day('2025-10-15'), limit: { n: 20, unit: '1' }, pauses: [], extensions: [] });
    expect(dueOn(restarted)).toBe('2025-11-12');
  });
});

describe('hour and minute clocks (DOMAIN.md §1.1.3)', () => {
  it('run on wall-clock time by default, holidays included', () => {
    const dispatch = { startedAt: at('2025-10-01T10:00:00'), limit: { n: 2, unit: '3' } } as const;
    expect(dueTimeWithPauses(calendar, dispatch)).toEqual({
      state: 'running',
      dueAt: at('2025-10-01T12:00:00'),
      pausedMs: 0,
      provisional: false,
    });
  });

  it('add closed pauses and extensions; an open pause freezes the clock', () => {
    const signFor = {
      startedAt: at('2025-10-09T10:00:00'),
      limit: { n: 60, unit: '4' },
      pauses: [{ from: at('2025-10-09T10:10:00'), to: at('2025-10-09T10:40:00') }],
      extensions: [{ n: 1, unit: '3' }],
    } as const;
    expect(dueTimeWithPauses(calendar, signFor)).toMatchObject({ dueAt: at('2025-10-09T12:30:00'), pausedMs: 30 * MS_PER_MINUTE });
    expect(dueTimeWithPauses(calendar, { ...signFor, pauses: [{ from: at('2025-10-09T10:10:00') }] })).toEqual({
      state: 'paused',
      pausedSince: at('2025-10-09T10:10:00'),
    });
  });

  describe('businessHoursOnly', () => {
    const options = { businessHoursOnly: true, businessHours: officeHours };

    it('counts business hours on working days only, make-up days included', () => {
      // Fri 2025-09-26 16:30 + 2 h: 1 h on Friday, Saturday off, Sun 09-28 is a make-up working day.
      const clock = { startedAt: at('2025-09-26T16:30:00'), limit: { n: 2, unit: '3' } } as const;
      expect(dueTimeWithPauses(calendar, clock, options)).toMatchObject({ dueAt: at('2025-09-28T10:00:00') });
    });

    it('skips a week-long holiday and the lunch break', () => {
      // Tue 2025-09-30 17:00 + 4 h: 0.5 h, Oct 1–8 off, Oct 9 09:00–12:00 (3 h), 13:30–14:00.
      const clock = { startedAt: at('2025-09-30T17:00:00'), limit: { n: 4, unit: '3' } } as const;
      expect(dueTimeWithPauses(calendar, clock, options)).toMatchObject({ dueAt: at('2025-10-09T14:00:00') });
    });

    it('starts counting at opening time', () => {
      const clock = { startedAt: at('2025-10-09T07:00:00'), limit: { n: 60, unit: '4' } } as const;
      expect(dueTimeWithPauses(calendar, clock, options)).toMatchObject({ dueAt: at('2025-10-09T10:00:00') });
    });

    it('measures pauses in business time', () => {
      // Pause 10:00–14:00 holds 2 h + 0.5 h of business time; 4 h + 2.5 h from 09:00 → 17:00.
      const clock = {
        startedAt: at('2025-10-09T09:00:00'),
        limit: { n: 4, unit: '3' },
        pauses: [{ from: at('2025-10-09T10:00:00'), to: at('2025-10-09T14:00:00') }],
      } as const;
      expect(dueTimeWithPauses(calendar, clock, options)).toMatchObject({
        dueAt: at('2025-10-09T17:00:00'),
        pausedMs: 2.5 * MS_PER_HOUR,
      });
    });

    it('is provisional in a year without a loaded arrangement', () => {
      const clock = { startedAt: at('2027-03-01T09:00:00'), limit: { n: 2, unit: '3' } } as const;
      expect(dueTimeWithPauses(calendar, clock, options)).toMatchObject({ dueAt: at('2027-03-01T11:00:00'), provisional: true });
      expect(dueTimeWithPauses(calendar, clock)).toMatchObject({ provisional: false });
    });

    it('requires the business hours', () => {
      const clock = { startedAt: at('2025-10-09T09:00:00'), limit: { n: 2, unit: '3' } } as const;
      expect(() => dueTimeWithPauses(calendar, clock, { businessHoursOnly: true })).toThrow(RangeError);
    });
  });
});
