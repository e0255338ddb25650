import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '../../../platform/calendar/index.ts';
import { stepDueDay, stepSignal, stepYellowFrom } from './case-workflow.ts';

/** The current step's colour: DOMAIN.md §5 “yellow at ≤ 1 WD left or 80 % consumed, red the day after the due date; same for nodes”. */
describe('step deadline', () => {
  const cal = nationalCalendar();

  it('takes the civil due day from the end-of-day instant (24:00 Asia/Shanghai)', () => {
    expect(stepDueDay(new Date('2026-03-18T16:00:00Z'))).toBe('2026-03-18');
    expect(stepDueDay(new Date('2026-03-18T15:59:00Z'))).toBe('2026-03-18');
  });

  it('turns yellow at 80 % consumed or 1 WD left, counted in working days', () => {
    // 审查 of a 10 WD item: 7 WD from Mon 2026-03-09 → due Wed 03-18; yellow after 6 WD (min(7-1, ceil(5.6))).
    expect(stepYellowFrom(cal, '2026-03-09', '2026-03-18')).toBe('2026-03-17');
    // 20 WD: yellow after 16 WD (80 %), before the last day.
    expect(stepYellowFrom(cal, '2026-03-02', '2026-03-30')).toBe('2026-03-24');
    // A 1 WD step is yellow from the day it opens (≤ 1 WD left).
    expect(stepYellowFrom(cal, '2026-03-09', '2026-03-10')).toBe('2026-03-09');
    // Opened on a Saturday: the first working day counts as day 1.
    expect(stepYellowFrom(cal, '2026-03-07', '2026-03-11')).toBe('2026-03-10');
  });

  it('is red the day after due, only while the case is in process and its clock runs', () => {
    const c = { state: 'IN_PROCESS', step_due_on: '2026-03-18', step_yellow_from: '2026-03-17', clock_paused_since: null };
    expect(stepSignal(c, '2026-03-16')).toBe('green');
    expect(stepSignal(c, '2026-03-17')).toBe('yellow');
    expect(stepSignal(c, '2026-03-18')).toBe('yellow');
    expect(stepSignal(c, '2026-03-19')).toBe('red');
    expect(stepSignal({ ...c, clock_paused_since: '2026-03-12' }, '2026-03-19')).toBe('paused');
    expect(stepSignal({ ...c, state: 'APPROVED' }, '2026-03-19')).toBe('none');
    expect(stepSignal({ ...c, step_due_on: null, step_yellow_from: null }, '2026-03-19')).toBe('none');
  });
});
