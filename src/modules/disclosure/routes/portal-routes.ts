import type { FastifyInstance } from 'fastify';
import { subtreePrefix } from '../../../platform/auth/scope.ts';
import { AppError } from '../../../platform/errors.ts';
import type { CategoryRow, PublicationRow } from '../publication.repository.ts';
import { publicationPath } from '../service.ts';
import { rssFeed, sitemap } from '../views/feeds.ts';
import { portalListing, publicDetail, type DivisionRef } from '../views/portal-pages.ts';
import { idParams, PAGE_SIZE, sendHtml, type RouteDeps } from './shared.ts';

const DIVISION = { type: 'string', pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' } as const;
const listQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    category: { type: 'string', maxLength: 40 },
    org: { type: 'string', maxLength: 80 },
    year: { type: 'integer', minimum: 1949, maximum: 2100 },
  },
} as const;
type ListQuery = { page: number; category?: string; org?: string; year?: number };

/** A category and its sub-categories (the tree is two levels deep). */
export function categoryCodes(categories: CategoryRow[], code: string): string[] {
  return [code, ...categories.filter((c) => c.parentCode === code).map((c) => c.code)];
}

export function portalRoutes(deps: RouteDeps) {
  const { publications, divisions } = deps;

  async function listing(division: DivisionRef | null, query: ListQuery) {
    const prefix = division ? subtreePrefix(division.code) : undefined;
    const categories = await publications.categories();
    const category = query.category ? (categories.find((c) => c.code === query.category) ?? null) : null;
    const organisationId = query.org || undefined;
    const filters = { ...(prefix ? { prefix } : {}), ...(category ? { categoryCodes: categoryCodes(categories, category.code) } : {}), ...(organisationId ? { organisationId } : {}), ...(query.year ? { year: query.year } : {}) };
    const { rows, total } = await publications.listPublished(filters, { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE });
    return { prefix, categories, category, organisationId, rows, total };
  }

  async function division(code: string): Promise<DivisionRef> {
    const d = await divisions.getDivision(code);
    if (!d) throw new AppError('ZW_ERR_NOT_FOUND', '没有这个行政区划');
    return d;
  }

  return async function routes(app: FastifyInstance): Promise<void> {

    app.get<{ Querystring: ListQuery }>('/disclosure', { config: { access: { public: true } }, schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
      const l = await listing(null, request.query);
      return sendHtml(
        reply,
        portalListing(request.page, {
          division: null,
          ancestors: [],
          children: await divisions.roots().then(async (roots) => (await Promise.all(roots.map(async (r) => [r, ...(await divisions.children(r.code))]))).flat()),
          categories: l.categories,
          counts: await publications.countsByCategory(undefined),
          organisations: await publications.publishingOrganisations(undefined),
          category: l.category,
          organisationId: l.organisationId,
          rows: l.rows,
          page: request.query.page,
          pageSize: PAGE_SIZE,
          total: l.total,
        }),
      );
    });

    app.get<{ Params: { code: string }; Querystring: ListQuery }>(
      '/disclosure/:code',
      { config: { access: { public: true } }, schema: { hide: true, params: { type: 'object', required: ['code'], properties: { code: DIVISION } }, querystring: listQuery } },
      async (request, reply) => {
        const d = await division(request.params.code);
        const l = await listing(d, request.query);
        const ancestors = (await divisions.ancestors(d.code)).filter((a) => a.code !== d.code);
        return sendHtml(
          reply,
          portalListing(request.page, {
            division: d,
            ancestors,
            children: await divisions.children(d.code),
            categories: l.categories,
            counts: await publications.countsByCategory(l.prefix),
            organisations: await publications.publishingOrganisations(l.prefix),
            category: l.category,
            organisationId: l.organisationId,
            rows: l.rows,
            page: request.query.page,
            pageSize: PAGE_SIZE,
            total: l.total,
          }),
        );
      },
    );

    app.get<{ Params: { id: string } }>('/disclosure/publications/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const p = await publications.getById(request.params.id);
      // Never-published drafts do not exist for the public; withdrawn ones show the withdrawal.
      if (!p || (p.status !== 'published' && p.status !== 'withdrawn') || !p.indexNumber) throw new AppError('ZW_ERR_NOT_FOUND', '该公开信息不存在');
      const categories = await publications.categories();
      const related = await publications.related(p.id);
      const onlyPublished = (rows: PublicationRow[]) => rows.filter((r) => r.status === 'published');
      return sendHtml(
        reply,
        publicDetail(request.page, p, {
          categoryName: categories.find((c) => c.code === p.categoryCode)?.name ?? p.categoryCode,
          division: await divisions.getDivision(p.jurisdictionCode),
          related: { interprets: onlyPublished(related.interprets), interpretedBy: onlyPublished(related.interpretedBy) },
          events: await publications.events(p.id, { publicOnly: true }),
        }),
      );
    });

    app.get<{ Params: { id: string; attachmentId: string } }>(
      '/disclosure/publications/:id/attachments/:attachmentId',
      { config: { access: { public: true } }, schema: { hide: true, params: { type: 'object', required: ['id', 'attachmentId'], properties: { id: { type: 'string', format: 'uuid' }, attachmentId: { type: 'string', format: 'uuid' } } } } },
      async (request, reply) => {
        const p = await publications.getById(request.params.id);
        // Only the attachments of a published publication are public.
        if (!p || p.status !== 'published' || !p.attachmentIds.includes(request.params.attachmentId)) throw new AppError('ZW_ERR_NOT_FOUND', '附件不存在');
        const opened = await deps.attachments.open(request.params.attachmentId);
        if (!opened) throw new AppError('ZW_ERR_NOT_FOUND', '附件不存在');
        return reply
          .type(opened.meta.mediaType)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(opened.meta.originalName)}`)
          .header('x-content-type-options', 'nosniff')
          .send(opened.stream);
      },
    );

    // ---- feeds and sitemap ----
    const feed = async (code: string | null, categoryCode: string | undefined) => {
      const d = code ? await division(code) : null;
      const categories = await publications.categories();
      const category = categoryCode ? categories.find((c) => c.code === categoryCode) : undefined;
      if (categoryCode && !category) throw new AppError('ZW_ERR_NOT_FOUND', '没有这个目录分类');
      const prefix = d ? subtreePrefix(d.code) : undefined;
      const { rows } = await publications.listPublished({ ...(prefix ? { prefix } : {}), ...(category ? { categoryCodes: categoryCodes(categories, category.code) } : {}) }, { limit: 50, offset: 0 });
      const where = d?.name ?? '全省';
      const path = d ? `/disclosure/${d.code}` : '/disclosure';
      return rssFeed({
        title: `${where}政府信息公开${category ? `·${category.name}` : ''}`,
        link: `${deps.publicUrl}${path}${category ? `?category=${category.code}` : ''}`,
        selfUrl: `${deps.publicUrl}${path}/feed.xml${category ? `?category=${category.code}` : ''}`,
        description: `${where}主动公开的政府信息`,
        items: rows,
        itemUrl: (p) => `${deps.publicUrl}${publicationPath(p)}`,
      });
    };
    const feedQuery = { type: 'object', properties: { category: { type: 'string', maxLength: 40 } } } as const;
    app.get<{ Querystring: { category?: string } }>('/disclosure/feed.xml', { config: { access: { public: true } }, schema: { hide: true, querystring: feedQuery } }, async (request, reply) =>
      reply.type('application/rss+xml; charset=utf-8').send(await feed(null, request.query.category)),
    );
    app.get<{ Params: { code: string }; Querystring: { category?: string } }>(
      '/disclosure/:code/feed.xml',
      { config: { access: { public: true } }, schema: { hide: true, params: { type: 'object', required: ['code'], properties: { code: DIVISION } }, querystring: feedQuery } },
      async (request, reply) => reply.type('application/rss+xml; charset=utf-8').send(await feed(request.params.code, request.query.category)),
    );
    app.get('/disclosure/sitemap.xml', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) => {
      const entries = await publications.sitemapEntries(49_000);
      const roots = await divisions.roots();
      const portals = [{ loc: `${deps.publicUrl}/disclosure`, lastmod: null }, ...roots.map((r) => ({ loc: `${deps.publicUrl}/disclosure/${r.code}`, lastmod: null }))];
      return reply.type('application/xml; charset=utf-8').send(sitemap([...portals, ...entries.map((e) => ({ loc: `${deps.publicUrl}/disclosure/publications/${e.id}`, lastmod: e.updatedAt }))]));
    });
  };
}
