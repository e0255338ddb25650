import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorId, type ActorKind } from '../auth/actor.ts';
import { AppError } from '../errors.ts';
import type { AttachmentMeta } from './attachment.repository.ts';
import type { AttachmentStore, PutRefusal } from './attachment-store.ts';
import { contentDisposition } from './file-name.ts';
import { KINDS, kindOfMediaType, servedContentType } from './media-type.ts';
import { canReadAttachment, type StoragePolicy } from './policies.ts';

export interface AttachmentRouteOptions {
  store: AttachmentStore;
  /** Who besides the owner may read through /attachments/:id. */
  policy?: StoragePolicy;
}

const SIGNED_IN: ActorKind[] = ['citizen', 'enterprise', 'staff'];
/** Per account (not per address: a whole government office may share one NAT address). */
const UPLOAD_RATE_LIMIT = { max: 60, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => actorId(request.actor) ?? request.ip };

const REFUSAL_CODES = {
  empty: 'ZW_ERR_VALIDATION',
  too_large: 'ZW_ERR_PAYLOAD_TOO_LARGE',
  unsupported_type: 'ZW_ERR_UNSUPPORTED_MEDIA',
  type_mismatch: 'ZW_ERR_UNSUPPORTED_MEDIA',
} as const satisfies Record<PutRefusal, string>;

export function presentAttachment(a: AttachmentMeta): Record<string, unknown> {
  return {
    id: a.id,
    name: a.originalName,
    mediaType: a.mediaType,
    size: a.size,
    sha256: a.sha256,
    createdAt: a.createdAt.toISOString(),
    url: `/attachments/${a.id}`,
  };
}

const attachmentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    mediaType: { type: 'string' },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    url: { type: 'string' },
  },
  required: ['id', 'name', 'mediaType', 'size', 'sha256', 'createdAt', 'url'],
} as const;

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
} as const;

/** Content and metadata, if the actor may read them; otherwise 404 (existence is not revealed). */
async function readable(request: FastifyRequest, opts: AttachmentRouteOptions, id: string): Promise<AttachmentMeta> {
  const meta = await opts.store.get(id);
  if (!meta || !(await canReadAttachment(request.actor, meta, opts.policy))) {
    throw new AppError('ZW_ERR_NOT_FOUND', '附件不存在，或您无权查看');
  }
  return meta;
}

/**
 * POST /api/attachments (multipart, one file in any field), GET /api/attachments/:id
 * (metadata) and GET /attachments/:id (the file). Uploads carry the CSRF token in the
 * X-CSRF-Token header or the `_csrf` query parameter (multipart bodies are streamed, not
 * parsed before the check).
 */
export async function attachmentRoutes(app: FastifyInstance, opts: AttachmentRouteOptions): Promise<void> {
  app.post(
    '/api/attachments',
    {
      config: { access: { signedIn: SIGNED_IN }, rateLimit: UPLOAD_RATE_LIMIT },
      schema: {
        summary: '上传附件',
        description: `multipart/form-data，一个文件。类型按文件内容识别，允许：${Object.values(KINDS)
          .map((k) => k.label)
          .join('、')}。`,
        tags: ['attachments'],
        // For the OpenAPI description: the multipart body is streamed to the store, not
        // parsed before the handler, so the validator only ever sees null here.
        body: {
          content: {
            'multipart/form-data': {
              schema: {
                type: ['object', 'null'],
                properties: { file: { type: 'string', contentMediaType: 'application/octet-stream', description: '要上传的文件（一个）' } },
              },
            },
          },
        },
        querystring: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } },
        response: { 201: attachmentSchema },
      },
    },
    async (request, reply) => {
      // One byte more than allowed reaches the store, so it (not the parser's silent
      // truncation) decides "too large".
      const part = await request.file({ limits: { fileSize: opts.store.maxBytes + 1, files: 1 } });
      if (!part) throw new AppError('ZW_ERR_VALIDATION', '请选择要上传的文件', [{ field: 'file', message: '请选择要上传的文件' }]);
      const result = await opts.store.put(part.file, { originalName: part.filename, claimedType: part.mimetype, ctx: request.ctx });
      if (!result.ok) {
        throw new AppError(REFUSAL_CODES[result.reason], result.message, result.reason === 'empty' ? [{ field: part.fieldname, message: result.message }] : [], {
          reason: result.reason,
        });
      }
      return reply.status(201).send(presentAttachment(result.value));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/attachments/:id',
    {
      config: { access: { signedIn: SIGNED_IN } },
      schema: { summary: '附件信息', tags: ['attachments'], params: idParams, response: { 200: attachmentSchema } },
    },
    async (request) => presentAttachment(await readable(request, opts, request.params.id)),
  );

  app.get<{ Params: { id: string }; Querystring: { download?: '1' } }>(
    '/attachments/:id',
    {
      config: { access: { signedIn: SIGNED_IN } },
      schema: {
        summary: '下载附件',
        tags: ['attachments'],
        params: idParams,
        querystring: { type: 'object', properties: { download: { type: 'string', enum: ['1'] } } },
      },
    },
    async (request, reply) => {
      const meta = await readable(request, opts, request.params.id);
      const opened = await opts.store.open(meta.id);
      if (!opened) throw new AppError('ZW_ERR_NOT_FOUND', '附件内容已不存在');
      return sendAttachment(reply, opened.meta, opened.stream, request.query.download === '1' ? 'attachment' : undefined);
    },
  );
}

/**
 * Serves stored content safely: the stored (detected) type, nosniff, a download unless the
 * type is an image or PDF, and a sandboxing CSP so nothing in the file can script our origin.
 */
export function sendAttachment(reply: FastifyReply, meta: AttachmentMeta, stream: NodeJS.ReadableStream, disposition?: 'inline' | 'attachment'): FastifyReply {
  const kind = kindOfMediaType(meta.mediaType);
  const inline = disposition ? disposition === 'inline' : kind !== null && KINDS[kind].inline;
  reply
    .header('content-type', servedContentType(meta.mediaType))
    .header('content-length', String(meta.size))
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', meta.originalName))
    .header('cache-control', 'private, max-age=300')
    .header('etag', `"${meta.sha256}"`);
  // Browsers' PDF viewers refuse to run under a sandbox CSP; everything else gets one.
  if (kind !== 'pdf') reply.header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
  return reply.send(stream);
}
