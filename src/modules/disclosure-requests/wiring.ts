import { systemActor } from '../../platform/auth/actor.ts';
import type { JurisdictionService } from '../jurisdictions/index.ts';
import type { CalendarService } from '../registry/index.ts';
import type { DisclosureRequestsDeps } from './commands/deps.ts';

/**
 * The module's dependencies from the jurisdictions and registry modules (their public services),
 * so app.ts wires it in one line. The proactive-disclosure statistics (Table II) are passed by the
 * caller when the disclosure module's handle is at hand: `{ disclosureStats: disclosure.stats }`.
 */
export function disclosureRequestsDeps(
  jurisdictions: JurisdictionService,
  registry: { calendars: CalendarService },
  more: Partial<Pick<DisclosureRequestsDeps, 'disclosureStats' | 'today'>> = {},
): DisclosureRequestsDeps {
  return {
    findOrganisation: async (id) => {
      const o = await jurisdictions.getOrganisation(id);
      return o ? { id: o.id, name: o.name, jurisdictionCode: o.jurisdictionCode } : null;
    },
    listOrganisations: async () => (await jurisdictions.organisationChoices(systemActor('disclosure-requests'), 2000)).map((o) => ({ id: o.id, name: o.name, jurisdictionCode: o.jurisdictionCode })),
    divisionName: async (code) => (await jurisdictions.getDivision(code))?.name ?? null,
    calendarFor: (code, tx) => registry.calendars.calendarFor(code, tx),
    ...more,
  };
}
