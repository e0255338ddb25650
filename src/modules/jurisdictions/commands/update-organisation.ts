import { normalizeCode } from '../../../platform/codes/validators.ts';
import { ok, refuse } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { OrganisationFields } from '../organisation.repository.ts';
import { canManageOrganisations } from '../policies.ts';
import type { OrganisationInput, OrganisationResult } from '../types.ts';
import { checkUscc } from '../uscc-check.ts';
import { checkDuplicates, checkReferences } from './check-organisation.ts';
import type { OrganisationDeps } from './deps.ts';
import { readOrganisationInput } from './validate-organisation.ts';

/**
 * The sysadmin changes an organisation. Optimistic concurrency: the caller names the version
 * it read; a stale version is refused as 'conflict' (409 ZW_ERR_CONFLICT) and nothing is written.
 * Only the given fields change; a changed USCC counts as user input and must be valid.
 */
export async function updateOrganisation(
  deps: OrganisationDeps,
  uow: UnitOfWork,
  id: string,
  version: number,
  changes: OrganisationInput,
): Promise<OrganisationResult> {
  if (!canManageOrganisations(deps.permissions, uow.ctx.actor)) {
    return refuse('forbidden', '您当前的岗位不能管理组织机构');
  }
  const current = await deps.organisations.getById(id, uow.tx);
  if (!current) return refuse('not_found', '机构不存在');
  if (current.version !== version) {
    return refuse('conflict', `该机构已被他人修改（当前为第 ${current.version} 版，您编辑的是第 ${version} 版），请刷新后重新修改`);
  }
  const { value, errors } = readOrganisationInput(changes, false);

  const next: OrganisationFields = {
    name: value.name ?? current.name,
    shortName: value.shortName !== undefined ? value.shortName : current.shortName,
    jurisdictionCode: value.jurisdictionCode ?? current.jurisdictionCode,
    type: value.type ?? current.type,
    parentId: value.parentId !== undefined ? value.parentId : current.parentId,
    sortOrder: value.sortOrder ?? current.sortOrder,
    uscc: current.uscc,
    usccStatus: current.usccStatus,
    usccNote: current.usccNote,
  };
  const warnings: string[] = [];
  if (value.uscc !== undefined) {
    if (value.uscc === null) {
      Object.assign(next, { uscc: null, usccStatus: null, usccNote: null });
    } else if (normalizeCode(value.uscc) !== current.uscc) {
      // An unchanged code keeps its stored status (a registry code with a warning stays editable).
      const c = checkUscc(value.uscc, 'userInput');
      if (!c.ok) errors.push({ field: 'uscc', message: c.message });
      else {
        Object.assign(next, { uscc: c.uscc, usccStatus: c.status, usccNote: c.notes.length > 0 ? c.notes.join('；') : null });
        warnings.push(...c.notes);
      }
    }
  }
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  const changed = (Object.keys(next) as (keyof OrganisationFields)[]).filter((k) => next[k] !== current[k]);
  if (changed.length === 0) return ok({ organisation: current, warnings });

  const refErrors = await checkReferences(
    deps,
    uow.tx,
    {
      jurisdictionCode: changed.includes('jurisdictionCode') ? next.jurisdictionCode : undefined,
      type: changed.includes('type') ? next.type : undefined,
      parentId: changed.includes('parentId') ? next.parentId : undefined,
    },
    id,
  );
  if (refErrors.length > 0) return refuse('invalid', '请修改标记的内容', refErrors);
  const dupErrors = await checkDuplicates(deps, uow.tx, next, id);
  if (dupErrors.length > 0) return refuse('duplicate', '机构已存在', dupErrors);

  if (!(await deps.organisations.update(uow.tx, id, version, next))) {
    return refuse('conflict', '该机构已被他人修改，请刷新后重新修改');
  }
  const diff = Object.fromEntries(changed.filter((k) => k !== 'usccNote').map((k) => [k, { from: current[k], to: next[k] }]));
  await uow.audit({
    action: 'organisation.update',
    objectType: 'organisation',
    objectId: id,
    detail: { fromVersion: version, toVersion: version + 1, changes: diff },
  });
  const organisation = await deps.organisations.getById(id, uow.tx);
  return ok({ organisation: organisation!, warnings });
}
