import type { RequestContext, RoleCode } from '../../../platform/auth/actor.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { uniqueViolation } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';
import { canAdministerAccount } from '../policies.ts';
import { loadStaffAccount } from './change-staff-account.ts';
import { checkPositions } from './create-staff-account.ts';

export type PositionChange = { kind: 'add'; organisationId: string; roles: RoleCode[] } | { kind: 'remove'; positionId: string };

/** 岗位调整: add a position (organisation + roles) to a staff account, or remove one (never the last). */
export async function changeStaffPositions(
  deps: IdentityDeps,
  ctx: RequestContext,
  accountId: string,
  change: PositionChange,
): Promise<Result<null, 'forbidden' | 'not_found' | 'invalid' | 'conflict'>> {
  const target = await loadStaffAccount(deps, accountId);
  if (!target) return refuse('not_found', '工作人员账号不存在');
  const after = change.kind === 'add' ? [...target.positions, { organisationId: change.organisationId, roles: change.roles }] : target.positions.filter((p) => p.id !== change.positionId);
  const allowed = canAdministerAccount(deps.permissions, ctx.actor, { id: target.account.id, kind: 'staff', positions: after }, change.kind === 'add' ? 'add-position' : 'remove-position');
  if (!allowed.ok) return refuse('forbidden', allowed.message);
  if (change.kind === 'remove') {
    if (after.length === target.positions.length) return refuse('not_found', '该岗位不存在');
    if (after.length === 0) return refuse('conflict', '不能删除唯一的岗位；如该人员离岗，请停用账号');
  } else {
    const errors: FieldError[] = [];
    await checkPositions(deps, after, errors);
    if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  }
  try {
    await deps.transactor.run(ctx, async (uow) => {
      if (change.kind === 'add') {
        const p = await deps.accounts.insertPosition(uow.tx, { accountId, organisationId: change.organisationId, roles: change.roles });
        await uow.audit({ action: 'account.add-position', objectType: 'account', objectId: accountId, detail: { positionId: p.id, organisationId: p.organisationId, roles: p.roles } });
      } else {
        await deps.accounts.deletePosition(uow.tx, accountId, change.positionId);
        await uow.audit({ action: 'account.remove-position', objectType: 'account', objectId: accountId, detail: { positionId: change.positionId } });
      }
    });
  } catch (e) {
    if (uniqueViolation(e) === null) throw e;
    return refuse('invalid', '该人员在这个单位已有岗位', [{ field: 'organisationId', message: '该人员在这个单位已有岗位，请把角色合并' }]);
  }
  return ok(null);
}
