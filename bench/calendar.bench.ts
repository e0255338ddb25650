/**
 * Due-date computations per second on one core: `addWorkingDays(start, n)` on the national
 * calendar, starts spread over 2024–2026, n in 1..60 (target ≥ 1,000,000/s). Also measures a full
 * clock evaluation (20 WD, one closed pause, one extension) for comparison. Plain function, no
 * benchmark framework; called by bench/run.ts.
 */

import { type CivilDay, civilDay } from '../src/platform/calendar/civil-date.ts';
import { type DayClock, dueDateWithPauses } from '../src/platform/calendar/deadline-clock.ts';
import { nationalCalendar } from '../src/platform/calendar/national-calendar.ts';

export interface CalendarBenchResult {
  name: string;
  /** addWorkingDays(start, n) calls per second. */
  opsPerSec: number;
  operations: number;
  elapsedMs: number;
  /** dueDateWithPauses calls per second (20 WD + one pause + one extension). */
  clockOpsPerSec: number;
  /** Sum of all results, printed so the work cannot be optimised away. */
  checksum: number;
}

const INPUTS = 4096; // power of two: index with a mask

/** Deterministic inputs (mulberry32) so runs are comparable. */
function inputs(): { starts: Int32Array; ns: Int32Array } {
  let seed = 0x5eed;
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const first = civilDay(2024, 1, 1);
  const span = civilDay(2026, 12, 31) - first + 1;
  const starts = new Int32Array(INPUTS);
  const ns = new Int32Array(INPUTS);
  for (let i = 0; i < INPUTS; i++) {
    starts[i] = first + Math.floor(next() * span);
    ns[i] = 1 + Math.floor(next() * 60);
  }
  return { starts, ns };
}

/** Runs `batch` repeatedly for at least `minMs`; returns operations and elapsed time. */
function timed(batch: () => number, opsPerBatch: number, minMs: number): { operations: number; elapsedMs: number; checksum: number } {
  let operations = 0;
  let checksum = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    checksum = (checksum + batch()) | 0;
    operations += opsPerBatch;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { operations, elapsedMs, checksum };
}

export async function benchCalendar(): Promise<CalendarBenchResult> {
  const calendar = nationalCalendar(); // built before timing: tables are precomputed once per calendar
  const { starts, ns } = inputs();

  const addBatch = (): number => {
    let sum = 0;
    for (let i = 0; i < INPUTS; i++) {
      sum = (sum + calendar.addWorkingDays(starts[i]! as CivilDay, ns[i]!).date) | 0;
    }
    return sum;
  };

  const clocks: DayClock[] = Array.from(starts, (start) => ({
    startedOn: start as CivilDay,
    limit: { n: 20, unit: '1' },
    pauses: [{ from: (start + 3) as CivilDay, to: (start + 8) as CivilDay }],
    extensions: [{ n: 10, unit: '1' }],
  }));
  const clockBatch = (): number => {
    let sum = 0;
    for (const clock of clocks) {
      const due = dueDateWithPauses(calendar, clock);
      if (due.state === 'running') sum = (sum + due.dueOn) | 0;
    }
    return sum;
  };

  // Warm-up: let the JIT optimise both loops before timing.
  timed(addBatch, INPUTS, 200);
  timed(clockBatch, INPUTS, 200);

  const add = timed(addBatch, INPUTS, 1000);
  const clock = timed(clockBatch, INPUTS, 1000);

  return {
    name: 'calendar.addWorkingDays',
    opsPerSec: Math.round((add.operations / add.elapsedMs) * 1000),
    operations: add.operations,
    elapsedMs: Math.round(add.elapsedMs),
    clockOpsPerSec: Math.round((clock.operations / clock.elapsedMs) * 1000),
    checksum: (add.checksum ^ clock.checksum) | 0,
  };
}
