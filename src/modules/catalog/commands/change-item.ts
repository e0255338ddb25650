import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { ItemRow, VersionRow } from '../catalog.repository.ts';
import { namePinyin } from '../pinyin.ts';
import { canCatalog, inCatalogScope, type CatalogAction } from '../policies.ts';
import { checkQuality } from '../quality-rules.ts';
import { forgetItemsOnCommit, indexPublished, unindex, type CatalogDeps } from './deps.ts';

export type ItemChange =
  | { kind: 'submit' }
  | { kind: 'approve'; comment?: string }
  | { kind: 'reject'; comment?: string }
  | { kind: 'new_version' }
  | { kind: 'suspend'; comment?: string }
  | { kind: 'resume' }
  | { kind: 'cancel'; comment?: string };

export type ChangeRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict';

const DENIED: Record<ItemChange['kind'], string> = {
  submit: '只有草稿可以提交审核，且需要事项编制权限',
  approve: '只有待审核的版本可以审核发布，且需要事项审核权限',
  reject: '只有待审核的版本可以退回，且需要事项审核权限',
  new_version: '只有已发布、暂停的事项且没有在编版本时，才能起草新版本',
  suspend: '只有已发布的事项可以暂停，且需要事项审核权限',
  resume: '只有已暂停的事项可以恢复，且需要事项审核权限',
  cancel: '只有已发布或已暂停的事项可以取消，且需要事项审核权限',
};

const ACTION: Record<ItemChange['kind'], CatalogAction> = {
  submit: 'submit',
  approve: 'review',
  reject: 'review',
  new_version: 'new_version',
  suspend: 'suspend',
  resume: 'resume',
  cancel: 'cancel',
};

/**
 * The item lifecycle (DOMAIN.md §2.4): DRAFT → (submit) IN_REVIEW → (approve) PUBLISHED or
 * (reject) back to DRAFT; a new version is drafted while the old one stays published;
 * PUBLISHED ⇄ SUSPENDED; CANCELLED is final. The §2.5 quality rules block submit and
 * approve. `version` is the lock version of the open version for submit/approve/reject and
 * the item's version for the others: stale → conflict.
 */
export async function changeItem(deps: CatalogDeps, uow: UnitOfWork, itemId: string, version: number, change: ItemChange): Promise<Result<{ item: ItemRow; version: VersionRow | null }, ChangeRefusal>> {
  const actor = uow.ctx.actor;
  forgetItemsOnCommit(deps, uow);
  const item = await deps.catalog.getItemForUpdate(uow.tx, itemId);
  const auditDenied = () => uow.audit({ action: `catalog.${change.kind}`, objectType: 'service_item', objectId: itemId, outcome: 'denied' });
  if (!item || !inCatalogScope(deps.permissions, actor, item)) {
    await auditDenied();
    return refuse('not_found', '事项不存在或不在您的管辖范围内');
  }
  const open = await deps.catalog.openVersion(item.id, uow.tx);
  if (!canCatalog(deps.permissions, actor, ACTION[change.kind], item, open)) {
    await auditDenied();
    return refuse('forbidden', DENIED[change.kind]);
  }
  const onOpen = change.kind === 'submit' || change.kind === 'approve' || change.kind === 'reject';
  if (onOpen ? open?.lockVersion !== version : item.version !== version) return refuse('conflict', '该事项已被他人修改，请刷新页面后重试');
  const by = actor.kind === 'staff' ? actor.accountId : actor.kind === 'system' ? `system:${actor.name}` : 'unknown';
  const comment = 'comment' in change && typeof change.comment === 'string' ? change.comment.trim().slice(0, 1000) : '';
  const conflict = () => refuse('conflict', '该事项已被他人修改，请刷新页面后重试');

  switch (change.kind) {
    case 'submit':
    case 'approve': {
      if (!open) return conflict();
      const issues = checkQuality(open.elements);
      if (issues.length > 0) {
        return refuse('invalid', `事项要素未通过质量检查（${issues.length} 处），${change.kind === 'submit' ? '不能提交审核' : '不能发布'}`, issues.map((i) => ({ field: i.field, message: `${i.rule === 'R' ? '' : `【${i.rule}】`}${i.message}` })));
      }
      if (change.kind === 'submit') {
        const v = await deps.catalog.updateVersion(uow.tx, open.id, version, { status: 'in_review', issues, submittedBy: by, submittedAt: new Date(), reviewComment: '' });
        if (!v) return conflict();
        const updated = await deps.catalog.updateItem(uow.tx, item.id, {});
        await uow.audit({ action: 'catalog.submit', objectType: 'service_item', objectId: item.id, detail: { versionId: v.id, versionNo: v.versionNo } });
        return ok({ item: updated, version: v });
      }
      const now = new Date();
      const v = await deps.catalog.updateVersion(uow.tx, open.id, version, { status: 'published', issues, reviewedBy: by, publishedAt: now, reviewComment: comment });
      if (!v) return conflict();
      if (item.publishedVersionId) await deps.catalog.setVersionStatus(uow.tx, item.publishedVersionId, 'superseded');
      const e = v.elements;
      const py = namePinyin(e.name);
      const updated = await deps.catalog.updateItem(uow.tx, item.id, {
        status: item.status === 'suspended' ? 'suspended' : 'published',
        publishedVersionId: v.id,
        publishedAt: now,
        name: e.name,
        namePinyin: py.full,
        nameInitials: py.initials,
        basicCode: e.basicCode,
        itemType: e.itemType,
        exerciseLevel: e.exerciseLevel,
        themes: [...e.themes.naturalPerson, ...e.themes.legalPerson],
      });
      if (updated.status === 'published') await indexPublished(deps, uow, updated, e);
      await uow.audit({ action: 'catalog.publish', objectType: 'service_item', objectId: item.id, detail: { versionId: v.id, versionNo: v.versionNo, replaced: item.publishedVersionId } });
      return ok({ item: updated, version: v });
    }
    case 'reject': {
      if (!open) return conflict();
      if (!comment) return refuse('invalid', '退回时请写明退回理由', [{ field: 'comment', message: '请填写退回理由' }]);
      const v = await deps.catalog.updateVersion(uow.tx, open.id, version, { status: 'draft', reviewedBy: by, reviewComment: comment });
      if (!v) return conflict();
      const updated = await deps.catalog.updateItem(uow.tx, item.id, {});
      await uow.audit({ action: 'catalog.reject', objectType: 'service_item', objectId: item.id, detail: { versionId: v.id, versionNo: v.versionNo } });
      return ok({ item: updated, version: v });
    }
    case 'new_version': {
      const base = item.publishedVersionId ? await deps.catalog.getVersion(item.publishedVersionId, uow.tx) : null;
      if (!base) return conflict();
      const no = (await deps.catalog.maxVersionNo(uow.tx, item.id)) + 1;
      const v = await deps.catalog.insertVersion(uow.tx, { itemId: item.id, versionNo: no, elements: base.elements, form: base.form, issues: checkQuality(base.elements), createdBy: by });
      const updated = await deps.catalog.updateItem(uow.tx, item.id, {});
      await uow.audit({ action: 'catalog.new_version', objectType: 'service_item', objectId: item.id, detail: { versionId: v.id, versionNo: no, from: base.id } });
      return ok({ item: updated, version: v });
    }
    case 'suspend':
    case 'cancel': {
      const updated = await deps.catalog.updateItem(uow.tx, item.id, { status: change.kind === 'suspend' ? 'suspended' : 'cancelled' });
      if (change.kind === 'cancel' && open) await deps.catalog.setVersionStatus(uow.tx, open.id, 'withdrawn');
      await unindex(deps, uow, item.id);
      await uow.audit({ action: `catalog.${change.kind}`, objectType: 'service_item', objectId: item.id, detail: { comment } });
      return ok({ item: updated, version: null });
    }
    case 'resume': {
      const updated = await deps.catalog.updateItem(uow.tx, item.id, { status: 'published' });
      const v = updated.publishedVersionId ? await deps.catalog.getVersion(updated.publishedVersionId, uow.tx) : null;
      if (v) await indexPublished(deps, uow, updated, v.elements);
      await uow.audit({ action: 'catalog.resume', objectType: 'service_item', objectId: item.id });
      return ok({ item: updated, version: null });
    }
  }
}
