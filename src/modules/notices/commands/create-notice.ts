import { refuse, ok, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { SearchIndexWriter } from '../../../platform/search/contract.ts';
import type { NoticeRepository, NoticeRow } from '../notice.repository.ts';
import { validateNoticeInput } from './validate-notice.ts';

export interface NoticeDeps {
  notices: NoticeRepository;
  permissions: PermissionRegistry;
  /** The one search box: published notices are put in it, withdrawn ones removed. */
  search: SearchIndexWriter;
}

/** A clerk drafts a notice for their own organisation and jurisdiction. */
export async function createNotice(
  deps: NoticeDeps,
  uow: UnitOfWork,
  input: { title?: unknown; body?: unknown },
): Promise<Result<NoticeRow, 'forbidden' | 'invalid'>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'staff' || !deps.permissions.has(actor, 'notice.write')) {
    return refuse('forbidden', '您当前的岗位不能起草通知公告');
  }
  const { value, errors } = validateNoticeInput(input);
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const notice = await deps.notices.insert(uow.tx, {
    organisationId: actor.position.organisationId,
    organisationName: actor.position.organisationName,
    jurisdictionCode: actor.position.jurisdictionCode,
    title: value.title,
    body: value.body,
    createdBy: actor.accountId,
  });
  await uow.audit({ action: 'notice.create', objectType: 'notice', objectId: notice.id, detail: { title: notice.title } });
  return ok(notice);
}
