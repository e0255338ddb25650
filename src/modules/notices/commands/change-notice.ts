import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { canNotice, inStaffScope, type NoticeAction } from '../policies.ts';
import type { NoticeRow } from '../notice.repository.ts';
import type { NoticeDeps } from './create-notice.ts';
import { validateNoticeInput } from './validate-notice.ts';
import { feedNoticeToSearch } from '../search-document.ts';

export type ChangeRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict';

export type NoticeChange =
  | { kind: 'edit'; title?: unknown; body?: unknown }
  | { kind: 'publish' }
  | { kind: 'withdraw' };

/**
 * Edit, publish or withdraw a notice, with optimistic versioning: the caller sends the
 * version it saw; a stale version is a conflict, never a silent overwrite.
 */
export async function changeNotice(
  deps: NoticeDeps,
  uow: UnitOfWork,
  id: string,
  version: number,
  change: NoticeChange,
): Promise<Result<NoticeRow, ChangeRefusal>> {
  const notice = await deps.notices.getById(id, uow.tx);
  const actor = uow.ctx.actor;
  // Out-of-scope records answer "not found", so their existence does not leak.
  if (!notice || !inStaffScope(deps.permissions, actor, notice)) {
    await uow.audit({ action: `notice.${change.kind}`, objectType: 'notice', objectId: id, outcome: 'denied' });
    return refuse('not_found', '通知公告不存在或不在您的管辖范围内');
  }
  const action: NoticeAction = change.kind;
  if (!canNotice(deps.permissions, actor, action, notice)) {
    await uow.audit({ action: `notice.${change.kind}`, objectType: 'notice', objectId: id, outcome: 'denied' });
    return refuse('forbidden', change.kind === 'edit' ? '此通知公告当前不能修改' : change.kind === 'publish' ? '只有草稿可以发布，且需要部门负责人权限' : '只有已发布的通知公告可以撤回');
  }
  if (notice.version !== version) return refuse('conflict', '该通知公告已被他人修改，请刷新后重试');
  let updated: NoticeRow | null;
  switch (change.kind) {
    case 'edit': {
      const { value, errors } = validateNoticeInput(change);
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      updated = await deps.notices.update(uow.tx, id, version, value);
      break;
    }
    case 'publish':
      updated = await deps.notices.update(uow.tx, id, version, { status: 'published', publishedAt: new Date() });
      break;
    case 'withdraw':
      updated = await deps.notices.update(uow.tx, id, version, { status: 'withdrawn' });
      break;
  }
  if (!updated) return refuse('conflict', '该通知公告已被他人修改，请刷新后重试');
  if (change.kind !== 'edit' || updated.status === 'published') await feedNoticeToSearch(deps.search, uow, updated);
  await uow.audit({ action: `notice.${change.kind}`, objectType: 'notice', objectId: id, detail: { version: updated.version } });
  return ok(updated);
}
