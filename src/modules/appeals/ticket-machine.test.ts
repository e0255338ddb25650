import { describe, expect, it } from 'vitest';
import { nationalCalendar, parseCivilDate, startOfCivilDay } from '../../platform/calendar/index.ts';
import { deadlineColour, DEFAULT_DEADLINES, dueAfter, extendDue } from './deadlines.ts';
import { eventsFrom, publicStatus, transition, type TicketFacts, type TicketState } from './ticket-machine.ts';

const hotline = (state: TicketState, over: Partial<TicketFacts> = {}): TicketFacts => ({
  track: 'hotline',
  state,
  type: 'complaint',
  leadOrgId: 'org-a',
  extensionUsed: false,
  extensionPending: null,
  extensionCap: 10,
  ...over,
});

describe('hotline ticket state machine (DOMAIN.md §6.1)', () => {
  it('walks the closed loop: dispatch → sign → handle → reply → callback → close', () => {
    let s: TicketState = 'NEW';
    const step = (event: Parameters<typeof transition>[1], p: Parameters<typeof transition>[2] = {}) => {
      const r = transition(hotline(s), event, p);
      if (!r.ok) throw new Error(r.message);
      s = r.to;
      return s;
    };
    expect(step('dispatch', { leadOrgId: 'org-b' })).toBe('DISPATCHED');
    expect(step('sign')).toBe('SIGNED');
    expect(step('start')).toBe('IN_PROGRESS');
    expect(step('reply', { note: '已联系商家退款' })).toBe('REPLIED');
    expect(step('callback', { satisfaction: 'unsatisfied', rehandle: true })).toBe('IN_PROGRESS');
    expect(step('reply', { note: '再次核实，已退款到账' })).toBe('REPLIED');
    expect(step('callback', { satisfaction: 'satisfied' })).toBe('CLOSED');
    expect(publicStatus(s)).toBe('closed');
  });

  it('refuses, in Chinese, a return without a reason and any action after closing', () => {
    const r = transition(hotline('SIGNED'), 'return', { reason: '  ' });
    expect(r).toMatchObject({ ok: false, reason: 'invalid', field: 'reason', message: '退单必须说明理由' });
    const closed = transition(hotline('CLOSED'), 'reply', { note: '补充答复' });
    expect(closed).toMatchObject({ ok: false, reason: 'not_allowed' });
    expect(closed.ok ? '' : closed.message).toContain('已办结');
    expect(eventsFrom('hotline', 'CLOSED')).toEqual([]);
  });

  it('reassignment after an upheld return must name another unit', () => {
    expect(transition(hotline('RETURN_PENDING'), 'uphold_return', { leadOrgId: 'org-a' })).toMatchObject({ ok: false, field: 'leadOrgId' });
    expect(transition(hotline('RETURN_PENDING'), 'uphold_return', { leadOrgId: 'org-c' })).toEqual({ ok: true, to: 'DISPATCHED' });
    expect(transition(hotline('RETURN_PENDING'), 'reject_return', { reason: '属于本单位职责' })).toEqual({ ok: true, to: 'DISPATCHED' });
  });

  it('allows one extension within the cap, approved separately', () => {
    expect(transition(hotline('IN_PROGRESS'), 'request_extension', { reason: '需现场勘查', extensionDays: 11 })).toMatchObject({ ok: false, field: 'extensionDays', message: '延期不能超过 10 天' });
    expect(transition(hotline('IN_PROGRESS'), 'request_extension', { reason: '需现场勘查', extensionDays: 5 })).toEqual({ ok: true, to: 'IN_PROGRESS' });
    expect(transition(hotline('IN_PROGRESS', { extensionUsed: true }), 'request_extension', { reason: 'x', extensionDays: 1 })).toMatchObject({ ok: false, message: '延期只能申请一次，本件已延期' });
    expect(transition(hotline('IN_PROGRESS'), 'approve_extension')).toMatchObject({ ok: false, message: '没有待审批的延期申请' });
    expect(transition(hotline('IN_PROGRESS', { extensionPending: 5 }), 'approve_extension')).toEqual({ ok: true, to: 'IN_PROGRESS' });
  });

  it('records urgent hand-offs only to 110, 119, 120 or 122', () => {
    expect(transition(hotline('NEW'), 'transfer_emergency', { emergencyLine: '12345' })).toMatchObject({ ok: false, field: 'emergencyLine' });
    expect(transition(hotline('NEW'), 'transfer_emergency', { emergencyLine: '119' })).toEqual({ ok: true, to: 'TRANSFERRED' });
    expect(transition(hotline('NEW'), 'merge', {})).toMatchObject({ ok: false, field: 'mergeIntoId' });
  });
});

describe('petition track (DOMAIN.md §6.2)', () => {
  const petition = (state: TicketState, over: Partial<TicketFacts> = {}): TicketFacts => ({ ...hotline(state), track: 'petition', type: 'petition', extensionCap: 30, ...over });
  it('assign → accept → answer → review → recheck → final', () => {
    expect(transition(petition('RECEIVED'), 'assign', { leadOrgId: 'org-b' })).toEqual({ ok: true, to: 'ASSIGNED' });
    expect(transition(petition('ASSIGNED'), 'accept')).toEqual({ ok: true, to: 'IN_PROGRESS' });
    expect(transition(petition('IN_PROGRESS'), 'answer', { note: '经调查……' })).toMatchObject({ ok: false, field: 'outcome' });
    expect(transition(petition('IN_PROGRESS'), 'answer', { note: '经调查……', outcome: 'explain' })).toEqual({ ok: true, to: 'ANSWERED' });
    expect(transition(petition('ANSWERED'), 'request_review')).toEqual({ ok: true, to: 'IN_REVIEW' });
    expect(transition(petition('IN_REVIEW'), 'review_opinion', { note: '维持', outcome: 'not_support' })).toEqual({ ok: true, to: 'REVIEWED' });
    expect(transition(petition('REVIEWED'), 'request_recheck')).toEqual({ ok: true, to: 'IN_RECHECK' });
    expect(transition(petition('IN_RECHECK'), 'recheck_opinion', { note: '维持', outcome: 'not_support' })).toEqual({ ok: true, to: 'FINAL' });
    expect(transition(petition('FINAL'), 'request_review')).toMatchObject({ ok: false, reason: 'not_allowed' });
  });
  it('extension at most 30 days, once; legal-route matters are redirected with a notice', () => {
    expect(transition(petition('IN_PROGRESS'), 'request_extension', { reason: '情况复杂', extensionDays: 31 })).toMatchObject({ ok: false, message: '延期不能超过 30 天' });
    expect(transition(petition('RECEIVED'), 'redirect', {})).toMatchObject({ ok: false, field: 'reason' });
    expect(transition(petition('RECEIVED'), 'redirect', { reason: '属于行政复议事项，请向复议机关申请' })).toEqual({ ok: true, to: 'REDIRECTED' });
    expect(transition(petition('RECEIVED'), 'sign')).toMatchObject({ ok: false, reason: 'not_allowed' });
  });
});

describe('ticket deadlines (working-day calendar)', () => {
  const cal = nationalCalendar();
  const at = (date: string, hour = 10) => new Date(startOfCivilDay(parseCivilDate(date)) + hour * 3_600_000);

  it('a complaint signed on Mon 2025-09-29 is due at 24:00 of its 13th working day, across National Day', () => {
    // Sep 30 = 1; Oct 1–8 off; Oct 9, 10, 11 (make-up Saturday), 13 … Oct 9 = 2 … 13th working day = Thu 2025-10-23.
    const { dueAt } = dueAfter(cal, at('2025-09-29'), DEFAULT_DEADLINES.handle.complaint);
    expect(dueAt.toISOString()).toBe('2025-10-23T16:00:00.000Z');
  });

  it('dispatch limits run on wall-clock hours; petitions on calendar days rolled past a holiday', () => {
    expect(dueAfter(cal, at('2025-10-01', 9), DEFAULT_DEADLINES.dispatch.emergency).dueAt.toISOString()).toBe('2025-10-01T02:00:00.000Z');
    // 2025-09-16 + 15 days = Oct 1, a holiday → first working day after the rest period: Oct 9 (Art. 203).
    expect(dueAfter(cal, at('2025-09-16'), DEFAULT_DEADLINES.petitionTransfer).dueAt.toISOString()).toBe('2025-10-09T16:00:00.000Z');
  });

  it('an approved extension adds working days to the current due date', () => {
    const due = dueAfter(cal, at('2025-09-29'), { n: 5, unit: 'G' }).dueAt; // Mon 2025-10-13
    expect(due.toISOString()).toBe('2025-10-13T16:00:00.000Z');
    expect(extendDue(cal, due, 2, 'G').toISOString()).toBe('2025-10-15T16:00:00.000Z');
  });

  it('colours: green, yellow in the last quarter, red when overdue', () => {
    const start = at('2025-10-09', 0);
    const due = new Date(start.getTime() + 100 * 3_600_000);
    expect(deadlineColour(new Date(start.getTime() + 10 * 3_600_000), start, due)).toBe('green');
    expect(deadlineColour(new Date(start.getTime() + 80 * 3_600_000), start, due)).toBe('yellow');
    expect(deadlineColour(new Date(start.getTime() + 101 * 3_600_000), start, due)).toBe('red');
    expect(deadlineColour(new Date(), null, null)).toBe('none');
  });
});
