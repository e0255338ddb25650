import type { FastifyInstance, FastifyReply } from 'fastify';
import { subtreePrefix } from '../../../platform/auth/scope.ts';
import { AppError, refusalError, unwrap, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { errorSummary, textArea, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import type { LifeEventRow } from '../catalog.repository.ts';
import type { CatalogDeps } from '../commands/deps.ts';
import { saveLifeEvent, type LifeEventInput } from '../commands/save-life-event.ts';

const LABELS = { code: '编号', name: '名称', description: '说明', audience: '面向对象', itemCodes: '包含的事项', status: '状态' };
const STATUS: Record<LifeEventRow['status'], string> = { draft: '草稿', published: '已发布', withdrawn: '已撤回' };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const crumbs = (page: PageContext) => [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '事项管理', 'Service items'), href: '/workbench/catalog' }, { label: t(page, '一件事', 'Life events'), href: '/workbench/catalog/life-events' }];

function listPage(page: PageContext, rows: LifeEventRow[]): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '“一件事”管理', 'Life events'),
    crumbs: [...crumbs(page).slice(0, 2), { label: t(page, '一件事', 'Life events') }],
    body: html`<h1>${t(page, '“一件事”管理', 'Life events')}</h1>
<p><a class="button" href="/workbench/catalog/life-events/new">${t(page, '定义“一件事”', 'New life event')}</a></p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '您的管辖范围内还没有定义“一件事”。', 'No life events in your jurisdiction yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '“一件事”列表', 'Life events')}</caption><thead><tr><th scope="col">编号</th><th scope="col">名称</th><th scope="col">事项数</th><th scope="col">状态</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.code}</td><td><a href="/workbench/catalog/life-events/${r.id}">${r.name}</a></td><td>${r.itemIds.length}</td><td>${STATUS[r.status]}</td></tr>`)}</tbody></table>`}`,
  });
}

function formPage(page: PageContext, o: { row?: LifeEventRow; values: Record<string, string>; errors: FieldError[] }): SafeHtml {
  const v = o.values;
  const editing = Boolean(o.row);
  const sel = (name: string, label: string, options: Record<string, string>) =>
    html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${Object.entries(options).map(([k, l]) => html`<option value="${k}"${v[name] === k ? html` selected` : ''}>${l}</option>`)}</select></div>`;
  return workbenchPage(page, {
    title: editing ? t(page, `修改“一件事”：${o.row?.name ?? ''}`, 'Edit life event') : t(page, '定义“一件事”', 'New life event'),
    crumbs: [...crumbs(page), { label: editing ? (o.row?.name ?? '') : t(page, '新建', 'New') }],
    body: html`<h1>${editing ? t(page, `修改“一件事”：${o.row?.name ?? ''}`, 'Edit life event') : t(page, '定义“一件事”', 'New life event')}</h1>
${errorSummary(o.errors, LABELS)}
<form method="post" action="${editing ? `/workbench/catalog/life-events/${o.row?.id}` : '/workbench/catalog/life-events'}" class="stack" novalidate>
${csrfField(page)}${editing ? html`<input type="hidden" name="version" value="${o.row?.version ?? 1}">` : ''}
${editing ? html`<p>${t(page, '编号：', 'Code: ')}${o.row?.code}</p>` : textField({ name: 'code', label: LABELS.code, value: v.code ?? '', required: true, maxLength: 30, hint: t(page, '如 JA-KBCYD', 'e.g. JA-KBCYD'), errors: o.errors })}
${textField({ name: 'name', label: LABELS.name, value: v.name ?? '', required: true, maxLength: 100, errors: o.errors })}
${textArea({ name: 'description', label: LABELS.description, value: v.description ?? '', rows: 3, errors: o.errors })}
${sel('audience', LABELS.audience, { enterprise: '企业（法人）', person: '个人' })}
${textArea({ name: 'itemCodes', label: LABELS.itemCodes, value: v.itemCodes ?? '', required: true, rows: 5, hint: t(page, '每行一个已发布事项的实施编码，按办理顺序排列；申请人只填一张合并后的表单', 'One implementation code per line'), errors: o.errors })}
${editing ? sel('status', LABELS.status, STATUS) : ''}
<button type="submit">${t(page, '保存', 'Save')}</button> <a class="button secondary" href="/workbench/catalog/life-events">${t(page, '取消', 'Cancel')}</a>
</form>`,
  });
}

/** Workbench definition of 一件事 bundles (HTML and JSON), scoped to the reviewer's jurisdiction subtree. */
export function lifeEventRoutes(platform: Platform, deps: CatalogDeps) {
  const send = (reply: FastifyReply, markup: SafeHtml, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);
  const prefixOf = (actor: Actor) => (actor.kind === 'staff' ? subtreePrefix(actor.position.jurisdictionCode) : '\u0000');
  const load = async (actor: Actor, id: string) => {
    const row = await deps.catalog.getLifeEvent(id);
    if (!row || !row.jurisdictionCode.startsWith(prefixOf(actor))) throw new AppError('ZW_ERR_NOT_FOUND', '该“一件事”不存在或不在您的管辖范围内');
    return row;
  };
  const valuesOf = async (row: LifeEventRow) => {
    const codes = await deps.catalog.itemCodes(row.itemIds);
    return { code: row.code, name: row.name, description: row.description, audience: row.audience, status: row.status, itemCodes: row.itemIds.map((id) => codes.get(id)?.code ?? '').join('\n') };
  };
  const body = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } as const;
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/workbench/catalog/life-events', { config: { access: { permission: 'catalog.review' } }, schema: { hide: true } }, async (request, reply) =>
      send(reply, listPage(request.page, await deps.catalog.listLifeEventsIn(prefixOf(request.actor)))),
    );
    app.get('/workbench/catalog/life-events/new', { config: { access: { permission: 'catalog.review' } }, schema: { hide: true } }, async (request, reply) =>
      send(reply, formPage(request.page, { values: { audience: 'enterprise' }, errors: [] })),
    );
    app.post<{ Body: Record<string, string> }>('/workbench/catalog/life-events', { config: { access: { permission: 'catalog.review' } }, schema: { hide: true, body } }, async (request, reply) => {
      const r = await platform.transactor.run(request.ctx, (uow) => saveLifeEvent(deps, uow, null, 0, request.body));
      if (!r.ok) {
        if (r.reason === 'invalid' || r.reason === 'duplicate') return send(reply, formPage(request.page, { values: request.body, errors: r.fields ?? [] }), r.reason === 'duplicate' ? 409 : 400);
        throw refusalError(r);
      }
      setFlash(reply, '“一件事”已保存');
      return reply.redirect(`/workbench/catalog/life-events/${r.value.id}`, 303);
    });
    app.get<{ Params: { id: string } }>('/workbench/catalog/life-events/:id', { config: { access: { permission: 'catalog.review' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const row = await load(request.actor, request.params.id);
      return send(reply, formPage(request.page, { row, values: await valuesOf(row), errors: [] }));
    });
    app.post<{ Params: { id: string }; Body: Record<string, string> }>('/workbench/catalog/life-events/:id', { config: { access: { permission: 'catalog.review' } }, schema: { hide: true, params: idParams, body } }, async (request, reply) => {
      const row = await load(request.actor, request.params.id);
      const r = await platform.transactor.run(request.ctx, (uow) => saveLifeEvent(deps, uow, row.id, Number(request.body.version ?? 0), request.body));
      if (!r.ok) {
        if (r.reason === 'invalid') return send(reply, formPage(request.page, { row, values: request.body, errors: r.fields ?? [] }), 400);
        throw refusalError(r);
      }
      setFlash(reply, '“一件事”已保存');
      return reply.redirect(`/workbench/catalog/life-events/${row.id}`, 303);
    });
    const apiBody = {
      type: 'object',
      additionalProperties: false,
      properties: {
        code: { type: 'string', maxLength: 30 },
        name: { type: 'string', maxLength: 200 },
        description: { type: 'string', maxLength: 4000 },
        audience: { type: 'string', enum: ['person', 'enterprise'] },
        itemCodes: { type: 'array', items: { type: 'string', maxLength: 24 }, maxItems: 50 },
        status: { type: 'string', enum: ['draft', 'published', 'withdrawn'] },
        version: { type: 'integer', minimum: 0 },
      },
    } as const;
    app.post<{ Body: LifeEventInput }>('/api/catalog/life-events', { config: { access: { permission: 'catalog.review' } }, schema: { tags: ['catalog'], summary: '定义“一件事”（两个以上已发布事项，一表申请）', body: { ...apiBody, required: ['code', 'name', 'itemCodes'] } } }, async (request, reply) => {
      const row = unwrap(await platform.transactor.run(request.ctx, (uow) => saveLifeEvent(deps, uow, null, 0, request.body)));
      return reply.status(201).send(row);
    });
    app.patch<{ Params: { id: string }; Body: LifeEventInput & { version: number } }>(
      '/api/catalog/life-events/:id',
      { config: { access: { permission: 'catalog.review' } }, schema: { tags: ['catalog'], summary: '修改“一件事”（过期的 version 返回 409）', params: idParams, body: { ...apiBody, required: ['version', 'name', 'itemCodes'] } } },
      async (request) => {
        const row = await load(request.actor, request.params.id);
        return unwrap(await platform.transactor.run(request.ctx, (uow) => saveLifeEvent(deps, uow, row.id, request.body.version, request.body)));
      },
    );
  };
}
