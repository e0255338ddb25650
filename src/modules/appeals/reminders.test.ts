import { describe, expect, it } from 'vitest';
import { centreFor, STAGE_OF } from './reminders.ts';
import { HOTLINE_STATES, isTerminal, PETITION_STATES } from './ticket-machine.ts';
import type { Centre } from './ticket.repository.ts';

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
    // REPLIED (no callback period), ANSWERED / REVIEWED (the petitioner's window) are deliberately absent.
    const open = [...HOTLINE_STATES, ...PETITION_STATES].filter((s) => !isTerminal(s) && !STAGE_OF[s]);
    expect(open.sort()).toEqual(['ANSWERED', 'REPLIED', 'REVIEWED']);
  });
});
