import { ok, refuse } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { canManageOrganisations } from '../policies.ts';
import type { InputOrigin, OrganisationInput, OrganisationResult, UsccStatus } from '../types.ts';
import { checkUscc } from '../uscc-check.ts';
import { checkDuplicates, checkReferences } from './check-organisation.ts';
import type { OrganisationDeps } from './deps.ts';
import { readOrganisationInput } from './validate-organisation.ts';

/**
 * The sysadmin adds an organisation (department) to the tree. A USCC typed in the form must
 * be valid; one from a registry or seed (`origin: 'registry'`) is kept with a warning when
 * only its check character fails (DOMAIN.md §1.2). Row and audit entry in one transaction.
 */
export async function createOrganisation(
  deps: OrganisationDeps,
  uow: UnitOfWork,
  input: OrganisationInput,
  origin: InputOrigin = 'userInput',
): Promise<OrganisationResult> {
  if (!canManageOrganisations(deps.permissions, uow.ctx.actor)) {
    return refuse('forbidden', '您当前的岗位不能管理组织机构');
  }
  const { value, errors } = readOrganisationInput(input, true);
  let usccFields: { uscc: string | null; usccStatus: UsccStatus | null; usccNote: string | null } = { uscc: null, usccStatus: null, usccNote: null };
  const warnings: string[] = [];
  if (value.uscc) {
    const c = checkUscc(value.uscc, origin);
    if (!c.ok) errors.push({ field: 'uscc', message: c.message });
    else {
      usccFields = { uscc: c.uscc, usccStatus: c.status, usccNote: c.notes.length > 0 ? c.notes.join('；') : null };
      warnings.push(...c.notes);
    }
  }
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  const refErrors = await checkReferences(deps, uow.tx, value);
  if (refErrors.length > 0) return refuse('invalid', '请修改标记的内容', refErrors);
  const fields = {
    name: value.name!,
    shortName: value.shortName ?? null,
    jurisdictionCode: value.jurisdictionCode!,
    type: value.type!,
    parentId: value.parentId ?? null,
    sortOrder: value.sortOrder ?? 0,
    ...usccFields,
  };
  const dupErrors = await checkDuplicates(deps, uow.tx, fields);
  if (dupErrors.length > 0) return refuse('duplicate', '机构已存在', dupErrors);

  const id = await deps.organisations.insert(uow.tx, fields);
  await uow.audit({
    action: 'organisation.create',
    objectType: 'organisation',
    objectId: id,
    detail: { name: fields.name, jurisdictionCode: fields.jurisdictionCode, type: fields.type, usccStatus: fields.usccStatus, origin },
  });
  const organisation = await deps.organisations.getById(id, uow.tx);
  return ok({ organisation: organisation!, warnings });
}
