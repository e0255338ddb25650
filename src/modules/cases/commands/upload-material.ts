import type { Readable } from 'node:stream';
import type { AttachmentStore } from '../../../platform/attachments/attachment-store.ts';
import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { Transactor } from '../../../platform/unit-of-work.ts';
import type { LibraryItemRow } from '../case.repository.ts';
import type { CaseDeps } from './deps.ts';

export type UploadRefusal = 'forbidden' | 'invalid' | 'empty' | 'too_large' | 'unsupported_type' | 'type_mismatch';

/**
 * 我的材料库: an uploaded file (type checked by its bytes in platform.attachments) goes into the
 * applicant's library, so the same file can be picked for later applications without uploading it again.
 */
export async function uploadMaterial(
  deps: CaseDeps,
  store: AttachmentStore,
  transactor: Transactor,
  ctx: RequestContext,
  input: { source: Readable | Buffer; fileName: string; claimedType?: string | null; label: string },
): Promise<Result<LibraryItemRow, UploadRefusal>> {
  const actor = ctx.actor;
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') return refuse('forbidden', '只有申请人可以上传申请材料');
  const put = await store.put(input.source, { originalName: input.fileName, claimedType: input.claimedType ?? null, ctx });
  if (!put.ok) return put;
  const meta = put.value;
  const label = input.label.trim().slice(0, 100) || meta.originalName;
  return transactor.run(ctx, async (uow) => {
    await deps.cases.addToLibrary(uow.tx, { owner_account_id: actor.accountId, attachment_id: meta.id, label, file_name: meta.originalName, size_bytes: meta.size });
    await uow.audit({ action: 'case.material.library', objectType: 'attachment', objectId: meta.id, detail: { label } });
    const row = await deps.cases.libraryItem(actor.accountId, meta.id, uow.tx);
    return row ? ok(row) : refuse('invalid', '材料保存失败');
  });
}
