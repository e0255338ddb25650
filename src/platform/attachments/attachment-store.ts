import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { actorId, type RequestContext } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import { ok, refuse, type Result } from '../errors.ts';
import type { Transactor } from '../unit-of-work.ts';
import { getAttachmentById, insertAttachment, type AttachmentMeta } from './attachment.repository.ts';
import { BlobTooLargeError, type BlobStorage, type StagedBlob } from './blob-storage.ts';
import { sanitizeFileName, fileExtension } from './file-name.ts';
import { ALL_KINDS, claimedKind, detectKind, KINDS, type AttachmentKind } from './media-type.ts';

export type { AttachmentMeta } from './attachment.repository.ts';

/**
 * Uploaded files (附件): `put` streams the content to storage (never holding a database
 * transaction meanwhile), detects its type from the bytes, refuses anything outside the
 * allow-list or not matching its name, and records one row (with an audit entry) per upload.
 */
export interface PutInput {
  /** The name the client sent; sanitised before it is stored. */
  originalName: string;
  /** The client's Content-Type for the file, if any (only a hint, checked against the content). */
  claimedType?: string | null;
  /** Defaults to the acting account (ctx.actor). */
  ownerAccountId?: string;
  /** Who uploads: audit entry and default owner. */
  ctx: RequestContext;
  /** A smaller limit than the store's, for one use. */
  maxBytes?: number;
  /** A subset of the allow-list, for one use (e.g. only images for a photo). */
  allow?: AttachmentKind[];
}

export type PutRefusal = 'empty' | 'too_large' | 'unsupported_type' | 'type_mismatch';

export interface OpenedAttachment {
  meta: AttachmentMeta;
  stream: Readable;
}

export interface AttachmentStore {
  readonly maxBytes: number;
  put(source: Readable | Buffer, input: PutInput): Promise<Result<AttachmentMeta, PutRefusal>>;
  get(id: string): Promise<AttachmentMeta | null>;
  /** Metadata and content; null when either is missing. Access checks are the caller's (see policies.ts). */
  open(id: string): Promise<OpenedAttachment | null>;
}

export interface AttachmentStoreDeps {
  db: Db;
  transactor: Transactor;
  blobs: BlobStorage;
  maxBytes: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} 字节`;
}

function allowedList(allow: AttachmentKind[]): string {
  return allow.map((k) => KINDS[k].label).join('、');
}

export function createAttachmentStore(deps: AttachmentStoreDeps): AttachmentStore {
  const { blobs } = deps;

  async function put(source: Readable | Buffer, input: PutInput): Promise<Result<AttachmentMeta, PutRefusal>> {
    const ownerAccountId = input.ownerAccountId ?? actorId(input.ctx.actor);
    if (!ownerAccountId) throw new Error('an attachment needs an owner: anonymous uploads are not stored');
    const maxBytes = Math.min(input.maxBytes ?? deps.maxBytes, deps.maxBytes);
    const allow = input.allow ?? ALL_KINDS;
    let name = sanitizeFileName(input.originalName);

    let staged: StagedBlob;
    try {
      staged = await blobs.stage(source, maxBytes);
    } catch (error) {
      if (error instanceof BlobTooLargeError) {
        return refuse('too_large', `文件超过 ${formatBytes(maxBytes)} 的大小限制，请压缩或拆分后再上传`);
      }
      throw error;
    }
    let committed = false;
    try {
      if (staged.size === 0) return refuse('empty', `文件“${name}”是空文件，请选择有内容的文件`);
      const detected = await detectKind(staged.path);
      const claim = claimedKind(name, input.claimedType);
      if (claim && claim.kind !== detected.kind) {
        return refuse(
          'type_mismatch',
          `文件“${name}”的内容与其类型不符：按“${claim.claim}”应为${claim.kind ? KINDS[claim.kind].label : '其他类型'}，` +
            `但检测到的实际类型是 ${detected.label}。${detected.kind && allow.includes(detected.kind) ? '请改正扩展名后重新上传。' : `可上传的类型：${allowedList(allow)}。`}`,
        );
      }
      if (!detected.kind || !allow.includes(detected.kind)) {
        return refuse('unsupported_type', `不能上传文件“${name}”：检测到的类型是 ${detected.label}，不在允许范围内。可上传的类型：${allowedList(allow)}。`);
      }
      const kind = KINDS[detected.kind];
      // A name without an extension gets the detected one, so the download opens correctly.
      if (!fileExtension(name)) name = sanitizeFileName(`${name}.${kind.extensions[0]}`);

      await blobs.commit(staged);
      committed = true;
      const meta: AttachmentMeta = {
        id: crypto.randomUUID(),
        sha256: staged.sha256,
        size: staged.size,
        mediaType: kind.mediaType,
        originalName: name,
        ownerAccountId,
        createdAt: new Date(),
      };
      // The blob is in place before the row commits; if the row fails, the orphaned blob is
      // harmless (content-addressed, possibly shared) and left for a future sweep.
      await deps.transactor.run(input.ctx, async (uow) => {
        await insertAttachment(uow.tx, meta);
        await uow.audit({
          action: 'attachment.upload',
          objectType: 'attachment',
          objectId: meta.id,
          detail: { sha256: meta.sha256, size: meta.size, mediaType: meta.mediaType, ownerAccountId },
        });
      });
      return ok(meta);
    } finally {
      if (!committed) await blobs.discard(staged);
    }
  }

  async function get(id: string): Promise<AttachmentMeta | null> {
    if (!UUID.test(id)) return null;
    return getAttachmentById(deps.db, id.toLowerCase());
  }

  async function open(id: string): Promise<OpenedAttachment | null> {
    const meta = await get(id);
    if (!meta) return null;
    const stream = await blobs.open(meta.sha256);
    return stream ? { meta, stream } : null;
  }

  return { maxBytes: deps.maxBytes, put, get, open };
}
