import type { FastifyReply, FastifyRequest } from 'fastify';
import type { errorResponseBuilderContext } from '@fastify/rate-limit';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import type { CommentRow, ConsultationRow, ResponseRow } from '../consultation.repository.ts';
import { publicAuthor } from '../views/shared.ts';

export const PAGE_SIZE = 20;

export const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);

/** Per-address limit on submissions (anonymous surveys are one per browser cookie; this bounds cookie-clearing). */
export const SUBMIT_RATE_LIMIT = {
  max: 20,
  timeWindow: '1 minute',
  errorResponseBuilder: (_request: FastifyRequest, context: errorResponseBuilderContext) =>
    new AppError('ZW_ERR_RATE_LIMITED', `提交过于频繁，请 ${Math.max(1, Math.ceil(context.ttl / 1000))} 秒后再试`, [], { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
};

/** Submission refusals → the error registry. */
export function submitError(r: { reason: string; message: string; fields?: FieldError[] }): AppError {
  switch (r.reason) {
    case 'closed':
      return new AppError('ZW_ERR_CONSULTATION_CLOSED', r.message);
    case 'forbidden':
      return new AppError('ZW_ERR_CONSULTATION_REAL_NAME', r.message);
    case 'unauthenticated':
      return new AppError('ZW_ERR_UNAUTHENTICATED', r.message);
    case 'mismatch':
      return new AppError('ZW_ERR_IDEMPOTENCY_MISMATCH', r.message);
    default:
      return refusalError(r);
  }
}

/** The survey cookie: one response per browser for open surveys answered without signing in. */
export const BROWSER_COOKIE = 'zw_svy';

export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
export const childParams = (child: string) =>
  ({ type: 'object', required: ['id', child], properties: { id: { type: 'string', format: 'uuid' }, [child]: { type: 'string', format: 'uuid' } } }) as const;

const questionJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string', enum: ['single', 'multiple', 'rating', 'text'] },
    title: { type: 'string' },
    required: { type: 'boolean' },
    options: { type: 'array', items: { type: 'string' } },
    min: { type: 'integer' },
    max: { type: 'integer' },
  },
} as const;

export const consultationJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['draft', 'survey'] },
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    jurisdictionCode: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    bodyHtml: { type: 'string', description: '经 sanitize-html 白名单清理的正文' },
    questions: { type: 'array', items: questionJson },
    attachmentIds: { type: 'array', items: { type: 'string' } },
    opensAt: { type: 'string', format: 'date-time' },
    closesAt: { type: 'string', format: 'date-time' },
    participation: { type: 'string', enum: ['real_name', 'open'] },
    publicComments: { type: 'boolean' },
    liveResults: { type: 'boolean' },
    status: { type: 'string', enum: ['draft', 'published', 'concluded'] },
    phase: { type: 'string', enum: ['draft', 'scheduled', 'open', 'closed', 'concluded'] },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
    feedbackSummary: { type: 'string' },
    concludedAt: { type: ['string', 'null'], format: 'date-time' },
    version: { type: 'integer' },
  },
} as const;

export function presentConsultation(c: ConsultationRow, phase: string) {
  return {
    id: c.id,
    kind: c.kind,
    organisationId: c.organisationId,
    organisationName: c.organisationName,
    jurisdictionCode: c.jurisdictionCode,
    title: c.title,
    summary: c.summary,
    bodyHtml: c.bodyHtml,
    questions: c.questions,
    attachmentIds: c.attachmentIds,
    opensAt: c.opensAt.toISOString(),
    closesAt: c.closesAt.toISOString(),
    participation: c.participation,
    publicComments: c.publicComments,
    liveResults: c.liveResults,
    status: c.status,
    phase,
    publishedAt: c.publishedAt?.toISOString() ?? null,
    feedbackSummary: c.feedbackSummary,
    concludedAt: c.concludedAt?.toISOString() ?? null,
    version: c.version,
  };
}

export const publicCommentJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    author: { type: 'string' },
    body: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    adoption: { type: ['string', 'null'], enum: ['adopted', 'partly', 'not_adopted', null] },
    adoptionReason: { type: ['string', 'null'] },
  },
} as const;

/** What the public sees of a comment: masked author, no contact, no account. */
export function presentPublicComment(x: CommentRow, withAdoption: boolean) {
  return {
    id: x.id,
    author: publicAuthor(x),
    body: x.body,
    createdAt: x.createdAt.toISOString(),
    adoption: withAdoption ? x.adoption : null,
    adoptionReason: withAdoption ? x.adoptionReason : null,
  };
}

export const staffCommentJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    authorName: { type: 'string' },
    anonymous: { type: 'boolean' },
    contactMasked: { type: ['string', 'null'] },
    body: { type: 'string' },
    flaggedTerms: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: ['pending', 'approved', 'hidden'] },
    moderationReason: { type: ['string', 'null'] },
    adoption: { type: ['string', 'null'] },
    adoptionReason: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
} as const;

export function presentStaffComment(x: CommentRow, maskContact: (c: string | null) => string | null) {
  return {
    id: x.id,
    authorName: x.authorName,
    anonymous: x.accountId === null,
    contactMasked: maskContact(x.contact),
    body: x.body,
    flaggedTerms: x.flaggedTerms,
    status: x.status,
    moderationReason: x.moderationReason,
    adoption: x.adoption,
    adoptionReason: x.adoptionReason,
    createdAt: x.createdAt.toISOString(),
    version: x.version,
  };
}

export const receiptJson = {
  type: 'object',
  properties: { id: { type: 'string' }, consultationId: { type: 'string' }, status: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, replay: { type: 'boolean' } },
} as const;

export function presentReceipt(x: CommentRow | ResponseRow, replay: boolean) {
  return { id: x.id, consultationId: x.consultationId, status: 'status' in x ? x.status : x.textStatus, createdAt: x.createdAt.toISOString(), replay };
}

export const resultsJson = {
  type: 'object',
  properties: {
    responses: { type: 'integer' },
    questions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          question: questionJson,
          answered: { type: 'integer' },
          counts: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' }, count: { type: 'integer' }, percent: { type: 'number' } } } },
          average: { type: ['number', 'null'] },
          texts: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;
