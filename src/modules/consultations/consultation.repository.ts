import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Answers, Question } from './questionnaire.ts';

export type ConsultationKind = 'draft' | 'survey';
export type ConsultationStatus = 'draft' | 'published' | 'concluded';
export type Participation = 'real_name' | 'open';
export type CommentStatus = 'pending' | 'approved' | 'hidden';
export type Adoption = 'adopted' | 'partly' | 'not_adopted';
export type TextStatus = 'none' | 'pending' | 'approved' | 'hidden';

interface ConsultationTable {
  id: Generated<string>;
  kind: ConsultationKind;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  title: string;
  summary: string;
  body_html: string;
  questions: Question[];
  attachment_ids: string[];
  opens_at: Date;
  closes_at: Date;
  participation: Participation;
  public_comments: boolean;
  live_results: boolean;
  status: Generated<ConsultationStatus>;
  published_at: Date | null;
  feedback_summary: Generated<string>;
  concluded_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface CommentTable {
  id: Generated<string>;
  consultation_id: string;
  submission_id: string;
  account_id: string | null;
  author_name: string;
  contact: string | null;
  body: string;
  flagged_terms: string[];
  status: Generated<CommentStatus>;
  moderation_reason: string | null;
  moderated_by: string | null;
  moderated_at: Date | null;
  adoption: Adoption | null;
  adoption_reason: string | null;
  created_at: Generated<Date>;
  version: Generated<number>;
}

interface ResponseTable {
  id: Generated<string>;
  consultation_id: string;
  submission_id: string;
  account_id: string | null;
  browser_key: string | null;
  answers: Answers;
  flagged_terms: string[];
  text_status: TextStatus;
  moderation_reason: string | null;
  moderated_by: string | null;
  moderated_at: Date | null;
  created_at: Generated<Date>;
}

interface Tables {
  'consultations.consultation': ConsultationTable;
  'consultations.comment': CommentTable;
  'consultations.response': ResponseTable;
}

export interface ConsultationRow {
  id: string;
  kind: ConsultationKind;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  title: string;
  summary: string;
  bodyHtml: string;
  questions: Question[];
  attachmentIds: string[];
  opensAt: Date;
  closesAt: Date;
  participation: Participation;
  publicComments: boolean;
  liveResults: boolean;
  status: ConsultationStatus;
  publishedAt: Date | null;
  feedbackSummary: string;
  concludedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface CommentRow {
  id: string;
  consultationId: string;
  submissionId: string;
  accountId: string | null;
  authorName: string;
  contact: string | null;
  body: string;
  flaggedTerms: string[];
  status: CommentStatus;
  moderationReason: string | null;
  moderatedAt: Date | null;
  adoption: Adoption | null;
  adoptionReason: string | null;
  createdAt: Date;
  version: number;
}

export interface ResponseRow {
  id: string;
  consultationId: string;
  submissionId: string;
  accountId: string | null;
  browserKey: string | null;
  answers: Answers;
  flaggedTerms: string[];
  textStatus: TextStatus;
  moderationReason: string | null;
  createdAt: Date;
}

function toConsultation(r: Selectable<ConsultationTable>): ConsultationRow {
  return {
    id: r.id,
    kind: r.kind,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    jurisdictionCode: r.jurisdiction_code,
    title: r.title,
    summary: r.summary,
    bodyHtml: r.body_html,
    questions: r.questions,
    attachmentIds: r.attachment_ids,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    participation: r.participation,
    publicComments: r.public_comments,
    liveResults: r.live_results,
    status: r.status,
    publishedAt: r.published_at,
    feedbackSummary: r.feedback_summary,
    concludedAt: r.concluded_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

function toComment(r: Selectable<CommentTable>): CommentRow {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    submissionId: r.submission_id,
    accountId: r.account_id,
    authorName: r.author_name,
    contact: r.contact,
    body: r.body,
    flaggedTerms: r.flagged_terms,
    status: r.status,
    moderationReason: r.moderation_reason,
    moderatedAt: r.moderated_at,
    adoption: r.adoption,
    adoptionReason: r.adoption_reason,
    createdAt: r.created_at,
    version: r.version,
  };
}

function toResponse(r: Selectable<ResponseTable>): ResponseRow {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    submissionId: r.submission_id,
    accountId: r.account_id,
    browserKey: r.browser_key,
    answers: r.answers,
    flaggedTerms: r.flagged_terms,
    textStatus: r.text_status,
    moderationReason: r.moderation_reason,
    createdAt: r.created_at,
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ConsultationFields {
  title: string;
  summary: string;
  bodyHtml: string;
  questions: Question[];
  opensAt: Date;
  closesAt: Date;
  participation: Participation;
  publicComments: boolean;
  liveResults: boolean;
}

export type PublicState = 'open' | 'closed';

export class ConsultationRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Kysely<Tables> {
    return (tx ?? this.db) as Kysely<Tables>;
  }

  async getById(id: string, tx?: Tx, opts: { forUpdate?: boolean } = {}): Promise<ConsultationRow | null> {
    if (!UUID.test(id)) return null;
    let q = this.q(tx).selectFrom('consultations.consultation').selectAll().where('id', '=', id);
    if (opts.forUpdate) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r ? toConsultation(r) : null;
  }

  async insert(tx: Tx, v: ConsultationFields & { kind: ConsultationKind; organisationId: string; organisationName: string; jurisdictionCode: string; createdBy: string }): Promise<ConsultationRow> {
    const r = await this.q(tx)
      .insertInto('consultations.consultation')
      .values({
        kind: v.kind,
        organisation_id: v.organisationId,
        organisation_name: v.organisationName,
        jurisdiction_code: v.jurisdictionCode,
        title: v.title,
        summary: v.summary,
        body_html: v.bodyHtml,
        questions: sql`${JSON.stringify(v.questions)}::jsonb` as unknown as Question[],
        attachment_ids: [],
        opens_at: v.opensAt,
        closes_at: v.closesAt,
        participation: v.participation,
        public_comments: v.publicComments,
        live_results: v.liveResults,
        published_at: null,
        concluded_at: null,
        created_by: v.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toConsultation(r);
  }

  /** Optimistic update: null when the version no longer matches. */
  async update(
    tx: Tx,
    id: string,
    version: number,
    patch: Partial<ConsultationFields> & { status?: ConsultationStatus; publishedAt?: Date; feedbackSummary?: string; concludedAt?: Date; attachmentIds?: string[] },
  ): Promise<ConsultationRow | null> {
    const set: Record<string, unknown> = { updated_at: new Date(), version: version + 1 };
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.summary !== undefined) set.summary = patch.summary;
    if (patch.bodyHtml !== undefined) set.body_html = patch.bodyHtml;
    if (patch.questions !== undefined) set.questions = sql`${JSON.stringify(patch.questions)}::jsonb`;
    if (patch.opensAt !== undefined) set.opens_at = patch.opensAt;
    if (patch.closesAt !== undefined) set.closes_at = patch.closesAt;
    if (patch.participation !== undefined) set.participation = patch.participation;
    if (patch.publicComments !== undefined) set.public_comments = patch.publicComments;
    if (patch.liveResults !== undefined) set.live_results = patch.liveResults;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.publishedAt !== undefined) set.published_at = patch.publishedAt;
    if (patch.feedbackSummary !== undefined) set.feedback_summary = patch.feedbackSummary;
    if (patch.concludedAt !== undefined) set.concluded_at = patch.concludedAt;
    if (patch.attachmentIds !== undefined) set.attachment_ids = patch.attachmentIds;
    const r = await this.q(tx).updateTable('consultations.consultation').set(set).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst();
    return r ? toConsultation(r) : null;
  }

  /** Staff list, filtered by scope in SQL. */
  async listInScope(scope: Scope, opts: { kind?: ConsultationKind; status?: ConsultationStatus; limit: number; offset: number }): Promise<{ rows: ConsultationRow[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.#inScope(scope);
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    if (opts.status) q = q.where('status', '=', opts.status);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toConsultation), total: Number(count.n) };
  }

  /**
   * What waits in the actor's scope (the workbench home's figure): consultations collecting now,
   * those past their closing time whose results are not yet published, and comments to moderate.
   */
  async waitingInScope(scope: Scope, now: Date): Promise<{ open: number; toConclude: number; toModerate: number }> {
    if (scope.kind === 'none') return { open: 0, toConclude: 0, toModerate: 0 };
    const [phases, comments] = await Promise.all([
      this.#inScope(scope)
        .select([
          sql<number>`count(*) FILTER (WHERE status = 'published' AND opens_at <= ${now} AND closes_at > ${now})`.as('open'),
          sql<number>`count(*) FILTER (WHERE status = 'published' AND closes_at <= ${now})`.as('to_conclude'),
        ])
        .executeTakeFirstOrThrow(),
      this.q()
        .selectFrom('consultations.comment')
        .where('status', '=', 'pending')
        .where('consultation_id', 'in', this.#inScope(scope).select('id'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { open: Number(phases.open), toConclude: Number(phases.to_conclude), toModerate: Number(comments.n) };
  }

  /** The consultations of a scope other than 'none' (SQL). */
  #inScope(scope: Exclude<Scope, { kind: 'none' }>) {
    const q = this.q().selectFrom('consultations.consultation');
    if (scope.kind === 'organisation') return q.where('organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') return q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    return q;
  }

  /**
   * Public list: published consultations that have opened, either still open or closed
   * (closed includes concluded), optionally in one jurisdiction subtree.
   */
  async listPublic(opts: { state: PublicState; now: Date; prefix?: string; kind?: ConsultationKind; limit: number; offset: number }): Promise<{ rows: ConsultationRow[]; total: number }> {
    let q = this.q().selectFrom('consultations.consultation').where('status', '<>', 'draft').where('opens_at', '<=', opts.now);
    if (opts.state === 'open') q = q.where('status', '=', 'published').where('closes_at', '>', opts.now);
    else q = q.where((eb) => eb.or([eb('status', '=', 'concluded'), eb('closes_at', '<=', opts.now)]));
    if (opts.prefix) q = q.where('jurisdiction_code', 'like', `${opts.prefix}%`);
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    const order = opts.state === 'open' ? ('asc' as const) : ('desc' as const);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('closes_at', order).orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toConsultation), total: Number(count.n) };
  }

  /** Every published or concluded consultation (search re-feed; a few thousand at most). */
  async listAllPublished(): Promise<ConsultationRow[]> {
    return (await this.q().selectFrom('consultations.consultation').selectAll().where('status', '<>', 'draft').orderBy('published_at').execute()).map(toConsultation);
  }

  async findByTitle(title: string): Promise<ConsultationRow | null> {
    const r = await this.q().selectFrom('consultations.consultation').selectAll().where('title', '=', title).executeTakeFirst();
    return r ? toConsultation(r) : null;
  }

  // ---- comments ----

  /** Inserts unless the submission id or (consultation, account) already exists; null then. */
  async insertComment(
    tx: Tx,
    v: { consultationId: string; submissionId: string; accountId: string | null; authorName: string; contact: string | null; body: string; flaggedTerms: string[]; status: CommentStatus },
  ): Promise<CommentRow | null> {
    const r = await this.q(tx)
      .insertInto('consultations.comment')
      .values({
        consultation_id: v.consultationId,
        submission_id: v.submissionId,
        account_id: v.accountId,
        author_name: v.authorName,
        contact: v.contact,
        body: v.body,
        flagged_terms: v.flaggedTerms,
        status: v.status,
        moderation_reason: null,
        moderated_by: null,
        moderated_at: null,
        adoption: null,
        adoption_reason: null,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    return r ? toComment(r) : null;
  }

  async commentBySubmission(tx: Tx, submissionId: string): Promise<CommentRow | null> {
    const r = await this.q(tx).selectFrom('consultations.comment').selectAll().where('submission_id', '=', submissionId).executeTakeFirst();
    return r ? toComment(r) : null;
  }

  async commentByAccount(consultationId: string, accountId: string, tx?: Tx): Promise<CommentRow | null> {
    const r = await this.q(tx).selectFrom('consultations.comment').selectAll().where('consultation_id', '=', consultationId).where('account_id', '=', accountId).executeTakeFirst();
    return r ? toComment(r) : null;
  }

  async getComment(consultationId: string, id: string, tx?: Tx): Promise<CommentRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('consultations.comment').selectAll().where('consultation_id', '=', consultationId).where('id', '=', id).executeTakeFirst();
    return r ? toComment(r) : null;
  }

  async listComments(consultationId: string, opts: { status?: CommentStatus; limit: number; offset: number }, tx?: Tx): Promise<{ rows: CommentRow[]; total: number }> {
    let q = this.q(tx).selectFrom('consultations.comment').where('consultation_id', '=', consultationId);
    if (opts.status) q = q.where('status', '=', opts.status);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('created_at').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toComment), total: Number(count.n) };
  }

  async commentCounts(consultationId: string): Promise<Record<CommentStatus, number>> {
    const rows = await this.q().selectFrom('consultations.comment').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('consultation_id', '=', consultationId).groupBy('status').execute();
    const out: Record<CommentStatus, number> = { pending: 0, approved: 0, hidden: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  async updateComment(
    tx: Tx,
    id: string,
    version: number,
    patch: { status?: CommentStatus; moderationReason?: string | null; moderatedBy?: string; adoption?: Adoption | null; adoptionReason?: string | null },
  ): Promise<CommentRow | null> {
    const set: Record<string, unknown> = { version: version + 1 };
    if (patch.status !== undefined) {
      set.status = patch.status;
      set.moderated_at = new Date();
      set.moderated_by = patch.moderatedBy ?? null;
    }
    if (patch.moderationReason !== undefined) set.moderation_reason = patch.moderationReason;
    if (patch.adoption !== undefined) set.adoption = patch.adoption;
    if (patch.adoptionReason !== undefined) set.adoption_reason = patch.adoptionReason;
    const r = await this.q(tx).updateTable('consultations.comment').set(set).where('id', '=', id).where('version', '=', version).returningAll().executeTakeFirst();
    return r ? toComment(r) : null;
  }

  // ---- survey responses ----

  async insertResponse(
    tx: Tx,
    v: { consultationId: string; submissionId: string; accountId: string | null; browserKey: string | null; answers: Answers; flaggedTerms: string[]; textStatus: TextStatus },
  ): Promise<ResponseRow | null> {
    const r = await this.q(tx)
      .insertInto('consultations.response')
      .values({
        consultation_id: v.consultationId,
        submission_id: v.submissionId,
        account_id: v.accountId,
        browser_key: v.browserKey,
        answers: sql`${JSON.stringify(v.answers)}::jsonb` as unknown as Answers,
        flagged_terms: v.flaggedTerms,
        text_status: v.textStatus,
        moderation_reason: null,
        moderated_by: null,
        moderated_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    return r ? toResponse(r) : null;
  }

  async responseBySubmission(tx: Tx, submissionId: string): Promise<ResponseRow | null> {
    const r = await this.q(tx).selectFrom('consultations.response').selectAll().where('submission_id', '=', submissionId).executeTakeFirst();
    return r ? toResponse(r) : null;
  }

  async responseByRespondent(consultationId: string, who: { accountId: string | null; browserKey: string | null }, tx?: Tx): Promise<ResponseRow | null> {
    if (!who.accountId && !who.browserKey) return null;
    let q = this.q(tx).selectFrom('consultations.response').selectAll().where('consultation_id', '=', consultationId);
    q = who.accountId ? q.where('account_id', '=', who.accountId) : q.where('browser_key', '=', who.browserKey);
    const r = await q.executeTakeFirst();
    return r ? toResponse(r) : null;
  }

  async getResponse(consultationId: string, id: string, tx?: Tx): Promise<ResponseRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('consultations.response').selectAll().where('consultation_id', '=', consultationId).where('id', '=', id).executeTakeFirst();
    return r ? toResponse(r) : null;
  }

  /** Every response of a survey (results and exports; surveys stay in the thousands). */
  async allResponses(consultationId: string): Promise<ResponseRow[]> {
    return (await this.q().selectFrom('consultations.response').selectAll().where('consultation_id', '=', consultationId).orderBy('created_at').orderBy('id').execute()).map(toResponse);
  }

  async listResponses(consultationId: string, opts: { textStatus?: TextStatus; limit: number; offset: number }): Promise<{ rows: ResponseRow[]; total: number }> {
    let q = this.q().selectFrom('consultations.response').where('consultation_id', '=', consultationId);
    if (opts.textStatus) q = q.where('text_status', '=', opts.textStatus);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('created_at').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toResponse), total: Number(count.n) };
  }

  async moderateResponse(tx: Tx, id: string, expected: TextStatus, v: { textStatus: TextStatus; reason: string | null; moderatedBy: string }): Promise<ResponseRow | null> {
    const r = await this.q(tx)
      .updateTable('consultations.response')
      .set({ text_status: v.textStatus, moderation_reason: v.reason, moderated_by: v.moderatedBy, moderated_at: new Date() })
      .where('id', '=', id)
      .where('text_status', '=', expected)
      .returningAll()
      .executeTakeFirst();
    return r ? toResponse(r) : null;
  }
}
