import type { Db, Tx } from '../db/database.ts';

export interface AttachmentMeta {
  id: string;
  sha256: string;
  size: number;
  /** Detected from the content; one of the allow-list's types. */
  mediaType: string;
  /** Sanitised: no path components, no control characters. */
  originalName: string;
  ownerAccountId: string;
  createdAt: Date;
}

interface AttachmentRow {
  id: string;
  sha256: string;
  size: number | string;
  media_type: string;
  original_name: string;
  owner_account_id: string;
  created_at: Date;
}

export async function insertAttachment(tx: Tx, a: AttachmentMeta): Promise<void> {
  await tx
    .insertInto('platform.attachment')
    .values({
      id: a.id,
      sha256: a.sha256,
      size: a.size,
      media_type: a.mediaType,
      original_name: a.originalName,
      owner_account_id: a.ownerAccountId,
      created_at: a.createdAt,
    })
    .execute();
}

export async function getAttachmentById(db: Db, id: string): Promise<AttachmentMeta | null> {
  const row: AttachmentRow | undefined = await db
    .selectFrom('platform.attachment')
    .select(['id', 'sha256', 'size', 'media_type', 'original_name', 'owner_account_id', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.media_type,
    originalName: row.original_name,
    ownerAccountId: row.owner_account_id,
    createdAt: row.created_at,
  };
}
