import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { AppError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { html } from '../../../platform/views/html.ts';
import { workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { VersionRow } from '../catalog.repository.ts';
import type { CatalogDeps } from '../commands/deps.ts';
import { importCatalog, type ImportReport } from '../commands/import-catalog.ts';
import { exportCatalog, readCatalogWorkbook, type ImportProblem } from '../excel.ts';

const MAX_BYTES = 10 * 1024 * 1024;

function importPage(page: PageContext, o: { problems?: ImportProblem[]; report?: ImportReport; message?: string }) {
  return workbenchPage(page, {
    title: t(page, '从 Excel 导入事项', 'Import items'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '事项管理', 'Service items'), href: '/workbench/catalog' }, { label: t(page, '导入', 'Import') }],
    body: html`<h1>${t(page, '从 Excel 导入事项', 'Import items from Excel')}</h1>
${o.problems && o.problems.length > 0
  ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>${o.message ?? t(page, `文件有 ${o.problems.length} 处问题，整个文件未导入`, `${o.problems.length} problems; nothing was imported`)}</h2>
<table><caption class="visually-hidden">${t(page, '导入问题', 'Problems')}</caption><thead><tr><th scope="col">行</th><th scope="col">列</th><th scope="col">原因</th></tr></thead>
<tbody>${o.problems.map((p) => html`<tr><td>${p.row || '—'}</td><td>${p.column || '—'}</td><td>${p.reason}</td></tr>`)}</tbody></table></div>`
  : ''}
${o.report ? html`<p class="flash" role="status">${t(page, `导入完成：新建 ${o.report.created} 个草稿，更新 ${o.report.updated} 个草稿。`, `Imported: ${o.report.created} created, ${o.report.updated} updated.`)}</p>` : ''}
<p>${t(page, '请使用“导出 Excel”得到的文件作为模板：每行一个实施清单事项，按实施编码新建或更新草稿。导入的事项都是草稿，仍需提交审核和发布。', 'Use an exported file as the template: one row per item, created or updated as drafts by implementation code.')}</p>
<form method="post" action="/workbench/catalog/import?_csrf=${encodeURIComponent(page.csrfToken)}" enctype="multipart/form-data" class="stack">
  <div class="field"><label for="f-file">${t(page, 'Excel 文件（.xlsx）', 'Excel file (.xlsx)')}</label><input id="f-file" name="file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required></div>
  <button type="submit">${t(page, '导入', 'Import')}</button> <a class="button secondary" href="/workbench/catalog">${t(page, '返回', 'Back')}</a>
</form>`,
  });
}

/** Excel export of the actor's scope and import into drafts (all or nothing, with a per-row report). */
export function transferRoutes(platform: Platform, deps: CatalogDeps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const exportHandler = async (request: FastifyRequest, reply: FastifyReply) => {
      const items = await deps.catalog.itemsInScope(listScope(request.actor));
      const rows: { item: (typeof items)[number]; version: VersionRow }[] = [];
      for (const item of items) {
        const v = (await deps.catalog.openVersion(item.id)) ?? (item.publishedVersionId ? await deps.catalog.getVersion(item.publishedVersionId) : null);
        if (v) rows.push({ item, version: v });
      }
      const buf = await exportCatalog(rows);
      await platform.transactor.auditOnly(request.ctx, { action: 'catalog.export', objectType: 'service_item', detail: { items: rows.length } });
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('事项实施清单.xlsx')}`)
        .send(buf);
    };
    app.get('/api/catalog/export.xlsx', { config: { access: { permission: 'catalog.read' } }, schema: { tags: ['catalog'], summary: '导出管辖范围内的事项（Excel，要素版式）' } }, exportHandler);

    app.get('/workbench/catalog/import', { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true } }, async (request, reply) =>
      reply.type('text/html; charset=utf-8').send(importPage(request.page, {}).value),
    );
    const readUpload = async (request: FastifyRequest): Promise<Buffer> => {
      const part = await request.file({ limits: { fileSize: MAX_BYTES + 1, files: 1 } });
      if (!part) throw new AppError('ZW_ERR_VALIDATION', '请选择要导入的 Excel 文件', [{ field: 'file', message: '请选择要导入的 Excel 文件' }]);
      const buf = await part.toBuffer();
      if (buf.length > MAX_BYTES) throw new AppError('ZW_ERR_PAYLOAD_TOO_LARGE', '导入文件不能超过 10 MB');
      return buf;
    };
    const run = async (request: FastifyRequest) => {
      const { rows, problems } = await readCatalogWorkbook(await readUpload(request));
      if (problems.length > 0) return { ok: false as const, problems, message: undefined };
      const r = await importCatalog(deps, platform.transactor, request.ctx, rows);
      if (r.ok) return { ok: true as const, report: r.value };
      if (r.reason === 'forbidden') throw new AppError('ZW_ERR_FORBIDDEN', r.message);
      const f = r.fields?.[0];
      return { ok: false as const, message: r.message, problems: [{ row: Number(f?.field.replace('row', '') ?? 0), column: f?.message.split('：')[0] ?? '', reason: f?.message.split('：').slice(1).join('：') || (f?.message ?? r.message) }] };
    };
    const csrfQuery = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } as const;
    app.post('/workbench/catalog/import', { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true, querystring: csrfQuery } }, async (request, reply) => {
      const r = await run(request);
      return reply
        .status(r.ok ? 200 : 400)
        .type('text/html; charset=utf-8')
        .send(importPage(request.page, r.ok ? { report: r.report } : { problems: r.problems, ...(r.message ? { message: r.message } : {}) }).value);
    });
    app.post('/api/catalog/import', { config: { access: { permission: 'catalog.edit' } }, schema: { tags: ['catalog'], summary: '从 Excel 导入事项草稿（按实施编码新建或更新；有任何问题则整个文件不导入）', querystring: csrfQuery } }, async (request) => {
      const r = await run(request);
      if (r.ok) return r.report;
      throw new AppError(
        'ZW_ERR_VALIDATION',
        r.message ?? `文件有 ${r.problems.length} 处问题，整个文件未导入`,
        r.problems.map((p) => ({ field: `row${p.row}${p.column ? `.${p.column}` : ''}`, message: `第 ${p.row} 行${p.column ? `“${p.column}”` : ''}：${p.reason}` })),
      );
    });
  };
}
