import type { PublicationRepository } from './publication.repository.ts';

/** One organisation's proactive disclosure figures for a year and category (annual report, DOMAIN.md §7.3 table 2). */
export interface DisclosureStatsRow {
  organisationId: string;
  organisationName: string;
  categoryCode: string;
  /** Made (drafted or imported) in the year. */
  created: number;
  /** Published in the year (Asia/Shanghai calendar year). */
  published: number;
  /** Withdrawn in the year. */
  withdrawn: number;
}

/** What the disclosure-requests module (annual reports) asks this module for. */
export type DisclosureStats = (year: number, organisationIds?: string[]) => Promise<DisclosureStatsRow[]>;

export function createDisclosureStats(publications: PublicationRepository): DisclosureStats {
  return (year, organisationIds) => publications.stats(year, organisationIds);
}
