import { describe, expect, it } from 'vitest';
import { formatCivilDate, nationalCalendar, parseCivilDate, shiftDays, type CivilDay } from '../../../platform/calendar/index.ts';
import { applicantStatus } from './applicant-status.ts';
import {
  clockSnapshot,
  decisionClock,
  endPause,
  extendClock,
  isSpecialProcedure,
  issueClock,
  noticeClock,
  signalFromProgress,
  signalOn,
  startPause,
} from './case-clocks.ts';
import { allowedEvents, decide, TRANSITIONS, type CaseRole, type CaseState } from './state-machine.ts';

const cal = nationalCalendar();
const d = (s: string): CivilDay => parseCivilDate(s);
const f = (x: CivilDay | null) => (x === null ? null : formatCivilDate(x));

describe('case state machine (DOMAIN.md §3.3)', () => {
  const golden: [CaseState, Parameters<typeof decide>[1], CaseRole, CaseState][] = [
    ['DRAFT', 'submit', 'applicant', 'SUBMITTED'],
    ['SUBMITTED', 'requestCorrection', 'clerk', 'NEEDS_CORRECTION'],
    ['SUBMITTED', 'deemAccept', 'system', 'ACCEPTED'],
    ['SUBMITTED', 'refuseAcceptance', 'clerk', 'CLOSED'],
    ['SUBMITTED', 'accept', 'clerk', 'ACCEPTED'],
    ['NEEDS_CORRECTION', 'supplement', 'applicant', 'SUBMITTED'],
    ['NEEDS_CORRECTION', 'abandon', 'system', 'CLOSED'],
    ['ACCEPTED', 'openNode', 'system', 'IN_PROCESS'],
    ['IN_PROCESS', 'passNode', 'clerk', 'IN_PROCESS'],
    ['IN_PROCESS', 'startSpecial', 'clerk', 'SUSPENDED'],
    ['SUSPENDED', 'endSpecial', 'clerk', 'IN_PROCESS'],
    ['IN_PROCESS', 'extend', 'org_head', 'IN_PROCESS'],
    ['IN_PROCESS', 'approve', 'org_head', 'APPROVED'],
    ['IN_PROCESS', 'refuse', 'org_head', 'REFUSED'],
    ['IN_PROCESS', 'forward', 'org_head', 'CLOSED'],
    ['APPROVED', 'produceResult', 'clerk', 'RESULT_READY'],
    ['REFUSED', 'produceResult', 'clerk', 'RESULT_READY'],
    ['RESULT_READY', 'deliver', 'clerk', 'DELIVERED'],
    ['DELIVERED', 'close', 'system', 'CLOSED'],
    ['IN_PROCESS', 'withdraw', 'applicant', 'CLOSED'],
    ['SUSPENDED', 'void', 'supervisor', 'CLOSED'],
    ['RESULT_READY', 'delete', 'supervisor', 'CLOSED'],
  ];
  it.each(golden)('%s --%s(%s)--> %s', (from, event, role, to) => {
    const r = decide(from, event, role);
    expect(r).toMatchObject({ ok: true, to });
  });

  it('gives the result codes of §3.6', () => {
    expect(decide('SUBMITTED', 'refuseAcceptance', 'clerk')).toMatchObject({ resultCode: 6, needsReason: true });
    expect(decide('IN_PROCESS', 'forward', 'org_head')).toMatchObject({ resultCode: 4, needsReason: true });
    expect(decide('SUBMITTED', 'void', 'supervisor')).toMatchObject({ resultCode: 2 });
    expect(decide('SUBMITTED', 'delete', 'supervisor')).toMatchObject({ resultCode: 3 });
    expect(decide('NEEDS_CORRECTION', 'withdraw', 'applicant')).toMatchObject({ resultCode: 5 });
    expect(decide('IN_PROCESS', 'refuse', 'org_head')).toMatchObject({ needsReason: true });
  });

  it('refuses an event in the wrong state with the reason in Chinese', () => {
    const r = decide('NEEDS_CORRECTION', 'accept', 'clerk');
    expect(r).toEqual({ ok: false, reason: 'state', message: '办件当前状态为“待补正”，不能执行“受理”' });
    expect(decide('CLOSED', 'void', 'supervisor')).toMatchObject({ ok: false, reason: 'state' });
    expect(decide('APPROVED', 'withdraw', 'applicant')).toMatchObject({ ok: false, reason: 'state' });
  });

  it('refuses the wrong role: a clerk cannot decide, an applicant cannot accept, nobody but the system deems acceptance', () => {
    expect(decide('IN_PROCESS', 'approve', 'clerk')).toEqual({ ok: false, reason: 'role', message: '“准予许可”只能由部门负责人执行' });
    expect(decide('IN_PROCESS', 'extend', 'clerk')).toMatchObject({ ok: false, reason: 'role' });
    expect(decide('SUBMITTED', 'accept', 'applicant')).toMatchObject({ ok: false, reason: 'role' });
    expect(decide('SUBMITTED', 'deemAccept', 'clerk')).toEqual({ ok: false, reason: 'role', message: '“逾期未告知补正，视为受理”只能由系统执行' });
    expect(decide('SUBMITTED', 'void', 'clerk')).toMatchObject({ ok: false, reason: 'role' });
  });

  it('never leaves CLOSED or DELIVERED except by closing', () => {
    for (const t of TRANSITIONS) expect(t.from).not.toContain('CLOSED');
    expect(allowedEvents('DELIVERED', ['clerk', 'org_head', 'supervisor', 'applicant'])).toEqual(['close']);
  });

  it('lists the buttons a role may use', () => {
    expect(allowedEvents('SUBMITTED', ['clerk'])).toEqual(['requestCorrection', 'refuseAcceptance', 'accept']);
    expect(allowedEvents('IN_PROCESS', ['org_head'])).toEqual(expect.arrayContaining(['approve', 'refuse', 'extend', 'passNode']));
  });
});

describe('case clocks (DOMAIN.md §1.1.5 worked examples, 2025 arrangement)', () => {
  it('correction notice: 5 WD from Mon 2025-09-29 ends Mon 2025-10-13', () => {
    expect(f(clockSnapshot(cal, noticeClock(d('2025-09-29'))).dueOn)).toBe('2025-10-13');
  });
  it('correction notice across the Spring Festival: Fri 2025-01-24 + 5 WD = Fri 2025-02-07', () => {
    expect(f(clockSnapshot(cal, noticeClock(d('2025-01-24'))).dueOn)).toBe('2025-02-07');
  });
  it('decision: 20 WD from Mon 2025-09-29 ends Mon 2025-11-03', () => {
    expect(f(clockSnapshot(cal, decisionClock(d('2025-09-29'), null)).dueOn)).toBe('2025-11-03');
  });
  it('decision with a special procedure Thu Oct 9 → Tue Oct 14 ends Fri 2025-11-07', () => {
    let c = decisionClock(d('2025-09-29'), { n: 20, unit: 'G' });
    c = startPause(c, d('2025-10-09'), 'expertReview');
    expect(clockSnapshot(cal, c)).toMatchObject({ paused: true, dueOn: null });
    expect(signalOn(clockSnapshot(cal, c), d('2025-12-31'))).toBe('paused');
    c = endPause(c, d('2025-10-14'));
    expect(f(clockSnapshot(cal, c).dueOn)).toBe('2025-11-07');
  });
  it('a promised limit shorter than the statutory one is the due date (promised 5 WD)', () => {
    expect(f(clockSnapshot(cal, decisionClock(d('2025-09-29'), { n: 5, unit: '1' })).dueOn)).toBe('2025-10-13');
  });
  it('one extension of +10 WD by the agency head, never twice', () => {
    const c = decisionClock(d('2025-09-29'), null);
    const once = extendClock(c, 'head', '需要现场核查');
    if (!once.ok) throw new Error(once.message);
    // 30 WD from 2025-09-29: 20 WD → Nov 3, +10 WD → Nov 17
    expect(f(clockSnapshot(cal, once.clock).dueOn)).toBe('2025-11-17');
    const twice = extendClock(once.clock, 'head', '再延');
    expect(twice).toMatchObject({ ok: false });
    expect(extendClock(issueClock(d('2025-09-29')), 'head', 'x')).toMatchObject({ ok: false });
  });
  it('issue clock: 10 WD from the decision', () => {
    expect(f(clockSnapshot(cal, issueClock(d('2025-09-29'))).dueOn)).toBe('2025-10-20');
  });
  it('only the Art. 45 procedures pause; on-site verification (核查) does not', () => {
    expect(isSpecialProcedure('hearing')).toBe(true);
    expect(isSpecialProcedure('expertReview')).toBe(true);
    expect(isSpecialProcedure('onSiteVerification')).toBe(false);
    expect(isSpecialProcedure('toString')).toBe(false);
  });
});

describe('yellow and red (DOMAIN.md §5 defaults)', () => {
  const c = decisionClock(d('2025-09-29'), null); // due 2025-11-03
  const snap = clockSnapshot(cal, c);
  it('is green early, yellow from 80 % consumed, red the day after the due date', () => {
    expect(signalOn(snap, d('2025-10-09'))).toBe('green');
    // 16 WD consumed (80 % of 20) on 2025-10-28
    expect(f(snap.yellowFrom)).toBe('2025-10-28');
    expect(signalOn(snap, d('2025-10-27'))).toBe('green');
    expect(signalOn(snap, d('2025-10-28'))).toBe('yellow');
    expect(signalOn(snap, d('2025-11-03'))).toBe('yellow');
    expect(signalOn(snap, d('2025-11-04'))).toBe('red');
  });
  it('agrees with the progress-based rule on every day of the period', () => {
    for (let day = d('2025-09-29'); day <= d('2025-11-20'); day = shiftDays(day, 1)) {
      expect([formatCivilDate(day), signalOn(snap, day)]).toEqual([formatCivilDate(day), signalFromProgress(cal, c, day)]);
    }
  });
  it('a short clock turns yellow when ≤ 1 WD is left (5 WD notice clock: yellow on day 4)', () => {
    const s = clockSnapshot(cal, noticeClock(d('2025-09-29')));
    // Sep 30 day 1; Oct 9 day 2; Oct 10 day 3; Oct 11 (make-up Saturday) day 4; Oct 13 day 5
    expect(f(s.yellowFrom)).toBe('2025-10-11');
  });
});

describe('applicant-facing statuses (DOMAIN.md §3.7)', () => {
  it('maps internal states', () => {
    expect(applicantStatus('SUBMITTED', null)).toBe('submitted');
    expect(applicantStatus('NEEDS_CORRECTION', null)).toBe('needsCorrection');
    expect(applicantStatus('SUSPENDED', null)).toBe('paused');
    expect(applicantStatus('CLOSED', 6)).toBe('notAccepted');
    expect(applicantStatus('CLOSED', 0)).toBe('completed');
    expect(applicantStatus('APPROVED', null)).toBe('completed');
    expect(applicantStatus('RESULT_READY', null)).toBe('readyForCollection');
  });
});
