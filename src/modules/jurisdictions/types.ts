import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import type { Result } from '../../platform/errors.ts';

/** 1 province, 2 prefecture, 3 county, 4 township, 5 village */
export type DivisionLevel = 1 | 2 | 3 | 4 | 5;

export interface Division {
  code: string;
  name: string;
  /** 1 province, 2 prefecture, 3 county, 4 township, 5 village */
  level: DivisionLevel;
  parentCode: string | null;
  /** Subtree prefix (`subtreePrefix` of src/platform/auth/scope.ts): 420000 → '42', 420100 → '4201'. */
  prefix: string;
  /** Civil date `YYYY-MM-DD`; null when the code was already in force in the first imported edition. */
  validFrom: string | null;
  /** Civil date `YYYY-MM-DD` (exclusive) on which the code was closed; null while current. */
  validTo: string | null;
}

/** A search hit with the names of its ancestors, root first (for "湖北省 › 武汉市 › 洪山区"). */
export interface DivisionMatch extends Division {
  path: string[];
}

export interface DivisionSubtreeCounts {
  /** Current divisions below the node (the node itself not counted). */
  total: number;
  byLevel: Partial<Record<DivisionLevel, number>>;
}

export interface OrganisationRef {
  id: string;
  name: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  uscc: string | null;
  type: string;
  parentId: string | null;
}

/**
 * 'valid', or the reason a stored USCC carries a warning (DOMAIN.md §1.2: warn, do not reject,
 * for registry and seed data; user input with a wrong check character is rejected).
 */
export type UsccStatus = 'valid' | 'invalidCheck' | 'unknownCategory' | 'invalidDivision' | 'invalidOrganizationCode';

export interface Organisation extends OrganisationRef {
  shortName: string | null;
  typeLabel: string;
  usccStatus: UsccStatus | null;
  /** Chinese warning notes for a USCC that is stored with a warning. */
  usccNote: string | null;
  parentName: string | null;
  sortOrder: number;
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic concurrency: an update must name the version it read. */
  version: number;
}

/** Organisation type (机构类型) [practice]: a small code table of this module. */
export interface OrganisationType {
  code: string;
  label: string;
  labelEn: string;
  /** Usual USCC positions 1–2 for this type (DOMAIN.md §1.2.2), e.g. '11' organ, '12' public institution. */
  usccCategory: string | null;
}

export interface OrganisationFilters {
  /** Division code; the list shows organisations in its whole subtree. */
  jurisdictionCode?: string | undefined;
  /** Part of the name or short name. */
  q?: string | undefined;
  type?: string | undefined;
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Fields of an organisation as given by a form, the API or a seed (validated by the commands). */
export interface OrganisationInput {
  name?: unknown;
  shortName?: unknown;
  jurisdictionCode?: unknown;
  uscc?: unknown;
  type?: unknown;
  parentId?: unknown;
  sortOrder?: unknown;
}

/**
 * Where the values come from: typed by a user (a wrong USCC check character is refused) or
 * taken from a registry / seed (accepted with a warning), DOMAIN.md §1.2.
 */
export type InputOrigin = 'userInput' | 'registry';

export type OrganisationRefusal = 'forbidden' | 'invalid' | 'duplicate' | 'not_found' | 'conflict';

export interface OrganisationSaved {
  organisation: Organisation;
  /** Chinese notes that did not block the save (USCC warnings). */
  warnings: string[];
}

export type OrganisationResult = Result<OrganisationSaved, OrganisationRefusal>;

export interface JurisdictionService {
  getDivision(code: string): Promise<Division | null>;
  /** Root first, the division itself last. */
  ancestors(code: string): Promise<Division[]>;
  children(code: string): Promise<Division[]>;
  getOrganisation(id: string): Promise<OrganisationRef | null>;
  getOrganisations(ids: string[]): Promise<Map<string, OrganisationRef>>;

  /** Current top-level divisions (provinces) that were imported. */
  roots(): Promise<Division[]>;
  subtreeCounts(code: string): Promise<DivisionSubtreeCounts>;
  /** Current divisions whose name contains the query, shallow levels first. */
  searchDivisions(query: string, limit?: number): Promise<DivisionMatch[]>;

  organisationTypes(): Promise<OrganisationType[]>;
  /** Organisations the actor may see (scope in SQL: a sysadmin sees all; a clerk sees its own). */
  listOrganisations(actor: Actor, filters: OrganisationFilters, page: PageRequest): Promise<PageOf<Organisation>>;
  /** One organisation, or null when it does not exist or lies outside the actor's scope. */
  viewOrganisation(actor: Actor, id: string): Promise<Organisation | null>;
  /** Options for a "parent organisation" choice (sysadmin forms); at most `limit` rows. */
  organisationChoices(actor: Actor, limit?: number): Promise<OrganisationRef[]>;
  createOrganisation(ctx: RequestContext, input: OrganisationInput, origin?: InputOrigin): Promise<OrganisationResult>;
  updateOrganisation(ctx: RequestContext, id: string, version: number, changes: OrganisationInput): Promise<OrganisationResult>;
}
