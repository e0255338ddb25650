import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINES } from './deadlines.ts';
import { colourOf } from './presenters.ts';
import { centreFor, CITIZEN_WINDOW_STATES, deadlineLabel, STAGE_OF } from './reminders.ts';
import { HOTLINE_STATES, isTerminal, PETITION_STATES, type TicketState } from './ticket-machine.ts';
import type { Centre, TicketRow } from './ticket.repository.ts';

const centre = (organisationId: string, kind: Centre['kind'], divisionCode: string): Centre => ({ organisationId, kind, divisionCode, organisationName: organisationId });

describe('reminder routing', () => {
  const centres = [centre('wuhan', 'hotline', '420100'), centre('jiangan', 'hotline', '420102'), centre('jiangan-xf', 'petition', '420102'), centre('province', 'hotline', '420000')];

  it('picks the most specific centre of the ticket’s track whose subtree holds the division', () => {
    expect(centreFor(centres, 'hotline', '420102003')?.organisationId).toBe('jiangan');
    expect(centreFor(centres, 'hotline', '420106')?.organisationId).toBe('wuhan');
    expect(centreFor(centres, 'hotline', '420281')?.organisationId).toBe('province');
    expect(centreFor(centres, 'petition', '420102')?.organisationId).toBe('jiangan-xf');
    expect(centreFor(centres, 'petition', '420281')).toBeNull();
  });

  it('reminds only open states, and every open state with a unit deadline has a stage', () => {
    for (const s of Object.keys(STAGE_OF)) expect(isTerminal(s as never), s).toBe(false);
    // ANSWERED / REVIEWED (the petitioner's review window) are deliberately absent.
    const open = [...HOTLINE_STATES, ...PETITION_STATES].filter((s) => !isTerminal(s) && !STAGE_OF[s]);
    expect(open.sort()).toEqual([...CITIZEN_WINDOW_STATES].sort());
    // Every petition stage with a staff deadline (§6.2) is reminded to the party that acts in it.
    expect(STAGE_OF.RECEIVED).toMatchObject({ stage: 'transfer', party: 'centre' });
    expect(STAGE_OF.ASSIGNED).toMatchObject({ stage: 'acceptance', party: 'lead' });
    expect(STAGE_OF.IN_PROGRESS).toMatchObject({ stage: 'handle', party: 'lead' });
    expect(STAGE_OF.IN_REVIEW).toMatchObject({ stage: 'review', party: 'centre' });
    expect(STAGE_OF.IN_RECHECK).toMatchObject({ stage: 'review', party: 'centre' });
  });

  it('reminds the centre of the callback (回访): agents at yellow, heads too at red', () => {
    expect(STAGE_OF.REPLIED).toEqual({ stage: 'callback', party: 'centre', yellowRoles: ['clerk'] });
    expect(DEFAULT_DEADLINES.callback).toEqual({ n: 1, unit: 'G' });
    expect(deadlineLabel('REPLIED')).toBe('回访期限');
    expect(deadlineLabel('ANSWERED')).toBe('诉求人申请复查期限');
    expect(deadlineLabel('DISPATCHED')).toBe('签收期限');
  });

  it('colours the callback deadline like the others, never the petitioner’s own review window', () => {
    const start = new Date('2026-03-02T02:00:00Z');
    const due = new Date('2026-03-03T16:00:00Z');
    const nearlyDue = new Date(due.getTime() - 3_600_000);
    const row = (state: TicketState) => ({ state, stageStartedAt: start, dueAt: due }) as TicketRow;
    expect(colourOf(row('REPLIED'), nearlyDue)).toBe('yellow');
    expect(colourOf(row('REPLIED'), new Date(due.getTime() + 1))).toBe('red');
    expect(colourOf(row('ANSWERED'), new Date(due.getTime() + 1))).toBe('none');
    expect(colourOf(row('REVIEWED'), nearlyDue)).toBe('none');
  });
});
