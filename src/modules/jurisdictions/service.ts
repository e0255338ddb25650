import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { createOrganisation } from './commands/create-organisation.ts';
import type { OrganisationDeps } from './commands/deps.ts';
import { updateOrganisation } from './commands/update-organisation.ts';
import { DivisionRepository } from './division.repository.ts';
import { OrganisationRepository } from './organisation.repository.ts';
import { canViewOrganisation, organisationScope } from './policies.ts';
import type { Division, InputOrigin, JurisdictionService, Organisation, OrganisationInput, OrganisationRef, OrganisationResult, PageOf } from './types.ts';

export const MAX_PAGE_SIZE = 100;

function toRef(o: Organisation): OrganisationRef {
  return {
    id: o.id,
    name: o.name,
    jurisdictionCode: o.jurisdictionCode,
    jurisdictionName: o.jurisdictionName,
    uscc: o.uscc,
    type: o.type,
    parentId: o.parentId,
  };
}

/**
 * The jurisdictions module's service. Division and organisation *references* (names, codes,
 * the tree) are public reference data and take no actor; organisation lists and details for
 * the workbench take the actor and apply its scope in SQL.
 */
export function createJurisdictionService(platform: Platform): JurisdictionService & { deps: OrganisationDeps } {
  const divisions = new DivisionRepository(platform.db);
  const organisations = new OrganisationRepository(platform.db);
  const deps: OrganisationDeps = { divisions, organisations, permissions: platform.permissions };

  return {
    deps,
    getDivision: (code: string): Promise<Division | null> => divisions.get(code),
    ancestors: (code) => divisions.ancestors(code),
    children: (code) => divisions.children(code),
    roots: () => divisions.roots(),
    subtreeCounts: (code) => divisions.subtreeCounts(code),
    searchDivisions: (query, limit = 20) => divisions.search(query, Math.min(Math.max(limit, 1), 100)),

    async getOrganisation(id) {
      const o = await organisations.getById(id);
      return o ? toRef(o) : null;
    },
    async getOrganisations(ids) {
      const rows = await organisations.getByIds(ids);
      return new Map(rows.map((o) => [o.id, toRef(o)]));
    },
    organisationTypes: () => organisations.types(),

    async listOrganisations(actor: Actor, filters, page): Promise<PageOf<Organisation>> {
      const pageSize = Math.min(Math.max(Math.trunc(page.pageSize) || 20, 1), MAX_PAGE_SIZE);
      const pageNo = Math.max(Math.trunc(page.page) || 1, 1);
      const scope = organisationScope(platform.permissions, actor);
      const { rows, total } = await organisations.list(scope, filters, { limit: pageSize, offset: (pageNo - 1) * pageSize });
      return { items: rows, total, page: pageNo, pageSize };
    },
    async viewOrganisation(actor, id) {
      const o = await organisations.getById(id);
      return o && canViewOrganisation(platform.permissions, actor, o) ? o : null;
    },
    async organisationChoices(actor, limit = 500) {
      const scope = organisationScope(platform.permissions, actor);
      const { rows } = await organisations.list(scope, {}, { limit, offset: 0 });
      return rows.map(toRef);
    },
    createOrganisation: (ctx: RequestContext, input: OrganisationInput, origin: InputOrigin = 'userInput'): Promise<OrganisationResult> =>
      platform.transactor.run(ctx, (uow) => createOrganisation(deps, uow, input, origin)),
    updateOrganisation: (ctx, id, version, changes) => platform.transactor.run(ctx, (uow) => updateOrganisation(deps, uow, id, version, changes)),
  };
}
