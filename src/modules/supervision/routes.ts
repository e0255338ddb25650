import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listScope, subtreePrefix, type Scope } from '../../platform/auth/scope.ts';
import { formatCivilDate, parseCivilDate } from '../../platform/calendar/civil-date.ts';
import { AppError, refusalError } from '../../platform/errors.ts';
import { setFlash } from '../../platform/http/server.ts';
import type { Platform } from '../../platform/platform.ts';
import { signalledCases, supervisionFigures, type SupervisionFigures } from '../cases/index.ts';
import type { AlertRow, RuleRow } from './alert.repository.ts';
import type { AlertState, AlertStep } from './rules.ts';
import { allowedSteps, canSeeAlert, SUPERVISION_PERMISSIONS, type SupervisionService } from './service.ts';
import { alertDetailPage, alertListPage, dashboardPage, rulesPage, type DashboardView, type FigureView } from './views.ts';

const PAGE_SIZE = 20;
const STATES = ['ALERT', 'NOTICE_SENT', 'RESPONDED', 'VERIFIED', 'CLOSED'] as const;
const STEPS = ['notice', 'respond', 'verify', 'close'] as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const stepParams = { type: 'object', required: ['id', 'step'], properties: { id: { type: 'string', format: 'uuid' }, step: { type: 'string', enum: STEPS } } } as const;
const ruleParams = { type: 'object', required: ['ruleNo'], properties: { ruleNo: { type: 'string', pattern: '^R[0-9]{2}$' } } } as const;
const dashQuery = {
  type: 'object',
  properties: {
    code: { type: 'string', pattern: '^[0-9]{6}$' },
    org: { type: 'string', maxLength: 100 },
    by: { type: 'string', enum: ['org', ''] },
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
  },
} as const;
const listQuery = {
  type: 'object',
  properties: { state: { type: 'string', enum: [...STATES, ''] }, page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } },
} as const;
const stepBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    version: { type: 'integer', minimum: 1 },
    noticeText: { type: 'string', maxLength: 10000 },
    rectifyDueOn: { type: 'string', maxLength: 20 },
    redCard: { type: ['string', 'boolean'] },
    responseText: { type: 'string', maxLength: 10000 },
    result: { type: 'string', maxLength: 5000 },
  },
} as const;
const ruleBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    version: { type: 'integer', minimum: 1 },
    name: { type: 'string', maxLength: 1000 },
    threshold: { type: 'string', maxLength: 1000 },
    recipients: { type: 'string', maxLength: 1000 },
    escalation: { type: 'string', maxLength: 1000 },
    rectifyDays: { type: 'integer' },
    enabled: { type: ['string', 'boolean'] },
  },
} as const;
const alertJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    supervisionNo: { type: 'string' },
    caseId: { type: 'string' },
    caseNo: { type: 'string' },
    content: { type: 'string' },
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    jurisdictionCode: { type: 'string' },
    itemTypeCode: { type: ['string', 'null'] },
    ruleNo: { type: 'string' },
    alertType: { type: 'integer', enum: [1, 2, 9] },
    level: { type: 'string', enum: ['YELLOW', 'RED'] },
    sentAt: { type: 'string', format: 'date-time' },
    state: { type: 'string', enum: STATES },
    stateAt: { type: 'string', format: 'date-time' },
    result: { type: ['string', 'null'] },
    responsibleDepartment: { type: 'string' },
    redCard: { type: 'boolean' },
    noticeText: { type: ['string', 'null'] },
    rectifyDueOn: { type: ['string', 'null'] },
    responseText: { type: ['string', 'null'] },
    escalationLevel: { type: 'integer' },
    escalatedTo: { type: ['string', 'null'] },
    version: { type: 'integer' },
  },
} as const;

export function presentAlert(a: AlertRow) {
  return { ...a, sentAt: a.sentAt.toISOString(), stateAt: a.stateAt.toISOString() };
}
export function presentRule(r: RuleRow) {
  return { ...r, updatedAt: r.updatedAt.toISOString() };
}

export interface SupervisionRouteDeps {
  service: SupervisionService;
  regionName: (code: string) => Promise<string | null>;
}

/** Division code of a subtree prefix: 42 → 420000, 4202 → 420200. */
const codeOf = (prefix: string) => prefix.padEnd(6, '0');

export function supervisionRoutes(platform: Platform, d: SupervisionRouteDeps) {
  const { service } = d;
  const { repo } = service.deps;
  const { permissions } = platform;
  const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);

  async function dashboard(request: FastifyRequest<{ Querystring: { code?: string; org?: string; by?: string; page: number } }>): Promise<DashboardView> {
    const scope = listScope(request.actor);
    if (scope.kind !== 'jurisdiction' && scope.kind !== 'all') throw new AppError('ZW_ERR_FORBIDDEN', '只有监察人员可以查看电子监察');
    const base = scope.kind === 'jurisdiction' ? scope.prefix : '42';
    const { code, org, page } = request.query;
    const byOrg = request.query.by === 'org';
    let prefix = code ? (byOrg ? code : subtreePrefix(code)) : base;
    if (!prefix.startsWith(base)) throw new AppError('ZW_ERR_NOT_FOUND', '该地区不在您的管辖范围内');
    if (prefix.length < base.length) prefix = base;
    const today = service.today();
    const filter = { scope, prefix, ...(org ? { organisationId: org } : {}) };
    const groupByOrg = Boolean(org) || byOrg || prefix.length >= 6;
    const figures = await supervisionFigures(platform.db, { ...filter, groupBy: groupByOrg ? 'organisation' : 'division', childLength: prefix.length + 2 }, today);
    const views: FigureView[] = [];
    for (const f of figures) {
      if (groupByOrg) {
        views.push({ ...f, label: f.organisationName ?? f.key, href: org ? null : `/workbench/supervision/dashboard?code=${codeOf(prefix).slice(0, 6)}${byOrg ? '&by=org' : ''}&org=${encodeURIComponent(f.key)}` });
      } else {
        const childCode = codeOf(f.key);
        const self = subtreePrefix(childCode) === prefix || childCode === codeOf(prefix);
        views.push({ ...f, label: (await d.regionName(childCode)) ?? childCode, href: self ? `/workbench/supervision/dashboard?code=${childCode}&by=org` : `/workbench/supervision/dashboard?code=${childCode}` });
      }
    }
    const path: { label: string; href: string }[] = [];
    for (let len = base.length; len <= Math.min(prefix.length, 6); len += 2) {
      const c = codeOf(prefix.slice(0, len));
      path.push({ label: (await d.regionName(c)) ?? c, href: `/workbench/supervision/dashboard?code=${c}` });
    }
    if (org) path.push({ label: figures[0]?.organisationName ?? org, href: `/workbench/supervision/dashboard?code=${codeOf(prefix)}&org=${encodeURIComponent(org)}` });
    const sum = (k: keyof SupervisionFigures) => figures.reduce((s, f) => s + (typeof f[k] === 'number' ? f[k] : 0), 0);
    const decided = sum('decided');
    const ratings = sum('ratings');
    const total = sum('total');
    const weighted = (k: 'avgHandlingDays' | 'avgScore', w: 'decided' | 'ratings') => {
      const n = figures.reduce((s, f) => s + (f[k] === null ? 0 : f[w]), 0);
      return n === 0 ? null : Math.round((figures.reduce((s, f) => s + (f[k] ?? 0) * f[w], 0) / n) * 100) / 100;
    };
    const cases = await signalledCases(platform.db, { ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, today);
    const disclosure = await repo.disclosureOverdue(scope, prefix);
    const openAlerts = (await repo.listAlerts(scope, { states: ['ALERT', 'NOTICE_SENT', 'RESPONDED', 'VERIFIED'], prefix, ...(org ? { organisationId: org } : {}), limit: 1, offset: 0 })).total;
    return {
      today,
      levelLabel: path.at(-1)?.label ?? prefix,
      path: [{ label: '电子监察', href: '/workbench/supervision/dashboard' }, ...path.slice(1)],
      groupLabel: groupByOrg ? '单位' : prefix.length === 2 ? '市州' : '县市区',
      figures: views,
      totals: {
        open: sum('open'),
        yellow: sum('yellow'),
        red: sum('red'),
        stepOverdue: sum('stepOverdue'),
        onTimeRate: decided === 0 ? null : sum('onTime') / decided,
        onlineRate: total === 0 ? null : sum('online') / total,
        avgHandlingDays: weighted('avgHandlingDays', 'decided'),
        avgScore: ratings === 0 ? null : weighted('avgScore', 'ratings'),
      },
      cases: { ...cases, page, pageSize: PAGE_SIZE, query: { code: code ?? undefined, org: org ?? undefined, by: byOrg ? 'org' : undefined } },
      disclosure: disclosure.filter((x) => !org || x.organisationId === org).map((x) => ({ organisationName: x.organisationName, count: x.count })),
      openAlerts,
    };
  }

  const alertScope = (request: FastifyRequest): Scope => {
    const a = request.actor;
    if (!permissions.has(a, SUPERVISION_PERMISSIONS.view) && !permissions.has(a, SUPERVISION_PERMISSIONS.reply)) throw new AppError('ZW_ERR_FORBIDDEN', '您没有查看监察预警的权限');
    return listScope(a);
  };

  async function loadAlert(request: FastifyRequest, id: string): Promise<AlertRow> {
    const a = await repo.getAlert(id);
    if (!a || !canSeeAlert(service.deps, request.ctx, a)) throw new AppError('ZW_ERR_NOT_FOUND', '监察预警不存在或不在您的管辖范围内');
    return a;
  }

  async function defaultDue(a: AlertRow): Promise<string> {
    const rule = await repo.getRule(a.ruleNo);
    const cal = await service.deps.calendars.calendarFor(a.jurisdictionCode.slice(0, 6));
    return formatCivilDate(cal.addWorkingDays(parseCivilDate(service.today()), rule?.rectifyDays ?? 5).date);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    type DashQ = { Querystring: { code?: string; org?: string; by?: string; page: number } };
    app.get('/workbench/supervision', { config: { access: { permission: SUPERVISION_PERMISSIONS.view } }, schema: { hide: true } }, async (_request, reply) =>
      reply.redirect('/workbench/supervision/dashboard', 302),
    );
    app.get<DashQ>('/workbench/supervision/dashboard', { config: { access: { permission: SUPERVISION_PERMISSIONS.view } }, schema: { hide: true, querystring: dashQuery } }, async (request, reply) =>
      send(reply, dashboardPage(request.page, await dashboard(request), permissions.has(request.actor, SUPERVISION_PERMISSIONS.rules))),
    );
    app.get<DashQ>(
      '/api/supervision/summary',
      { config: { access: { permission: SUPERVISION_PERMISSIONS.view } }, schema: { tags: ['supervision'], summary: '电子监察统计（按辖区、单位下钻）', querystring: dashQuery } },
      async (request) => dashboard(request),
    );

    type ListQ = { Querystring: { state?: AlertState | ''; page: number } };
    const list = async (request: FastifyRequest<ListQ>) => {
      const scope = alertScope(request);
      const { page } = request.query;
      const state = request.query.state || undefined;
      return repo.listAlerts(scope, { ...(state ? { states: [state] } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    };
    app.get<ListQ>('/workbench/supervision/alerts', { config: { access: { permission: SUPERVISION_PERMISSIONS.view } }, schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
      const r = await list(request);
      return send(reply, alertListPage(request.page, { title: '预警与督办', path: '/workbench/supervision/alerts', ...r, page: request.query.page, pageSize: PAGE_SIZE, state: request.query.state || undefined }));
    });
    app.get<ListQ>('/workbench/supervision/notices', { config: { access: { permission: SUPERVISION_PERMISSIONS.reply } }, schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
      const r = await list(request);
      return send(reply, alertListPage(request.page, { title: '本单位收到的监察预警与督办', path: '/workbench/supervision/notices', ...r, page: request.query.page, pageSize: PAGE_SIZE, state: request.query.state || undefined }));
    });
    app.get<ListQ>(
      '/api/supervision/alerts',
      { config: { access: { signedIn: ['staff'] } }, schema: { tags: ['supervision'], summary: '管辖范围内（或本单位）的监察预警与督办', querystring: listQuery } },
      async (request) => {
        const r = await list(request);
        return { total: r.total, page: request.query.page, pageSize: PAGE_SIZE, items: r.rows.map(presentAlert) };
      },
    );

    app.get<{ Params: { id: string } }>('/workbench/supervision/alerts/:id', { config: { access: { signedIn: ['staff'] } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const a = await loadAlert(request, request.params.id);
      return send(reply, alertDetailPage(request.page, a, { steps: allowedSteps(service.deps, request.ctx, a), errors: [], values: {}, defaultDue: await defaultDue(a), canOpenCase: permissions.has(request.actor, 'case.read') }));
    });
    app.get<{ Params: { id: string } }>(
      '/api/supervision/alerts/:id',
      { config: { access: { signedIn: ['staff'] } }, schema: { tags: ['supervision'], params: idParams, response: { 200: alertJson } } },
      async (request) => presentAlert(await loadAlert(request, request.params.id)),
    );

    type StepReq = { Params: { id: string; step: AlertStep }; Body: Record<string, unknown> };
    app.post<StepReq>('/workbench/supervision/alerts/:id/:step', { config: { access: { signedIn: ['staff'] } }, schema: { hide: true, params: stepParams, body: stepBody } }, async (request, reply) => {
      const r = await service.step(request.ctx, request.params.id, request.params.step, request.body);
      if (!r.ok) {
        if (r.reason === 'invalid') {
          const a = await loadAlert(request, request.params.id);
          const values = Object.fromEntries(Object.entries(request.body).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
          return send(reply, alertDetailPage(request.page, a, { steps: allowedSteps(service.deps, request.ctx, a), errors: r.fields ?? [], values, defaultDue: await defaultDue(a), canOpenCase: permissions.has(request.actor, 'case.read') }), 400);
        }
        throw refusalError(r);
      }
      setFlash(reply, { notice: '督办通知已发出', respond: '回告已提交', verify: '核查结果已记录', close: '已办结' }[request.params.step]);
      return reply.redirect(`/workbench/supervision/alerts/${r.value.id}`, 303);
    });
    app.post<StepReq>(
      '/api/supervision/alerts/:id/:step',
      {
        config: { access: { signedIn: ['staff'] } },
        schema: { tags: ['supervision'], summary: '督办、回告、核查、办结', params: stepParams, body: { ...stepBody, required: ['version'] }, response: { 200: alertJson } },
      },
      async (request) => {
        const r = await service.step(request.ctx, request.params.id, request.params.step, request.body);
        if (!r.ok) throw refusalError(r);
        return presentAlert(r.value);
      },
    );

    // 立即检查: run the raising job now (province supervisors; it also runs every 10 minutes).
    app.post('/workbench/supervision/raise', { config: { access: { permission: SUPERVISION_PERMISSIONS.rules } }, schema: { hide: true, body: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } } }, async (_request, reply) => {
      const r = await service.raise();
      setFlash(reply, `检查完成：新增预警 ${r.raised} 条，升级督办 ${r.escalated} 条`);
      return reply.redirect('/workbench/supervision/alerts', 303);
    });
    app.post(
      '/api/supervision/raise',
      { config: { access: { permission: SUPERVISION_PERMISSIONS.rules } }, schema: { tags: ['supervision'], summary: '立即检查办件时限并产生预警（幂等）', response: { 200: { type: 'object', properties: { raised: { type: 'integer' }, escalated: { type: 'integer' } } } } } },
      async () => service.raise(),
    );

    app.get('/workbench/supervision/rules', { config: { access: { permission: SUPERVISION_PERMISSIONS.view } }, schema: { hide: true } }, async (request, reply) =>
      send(reply, rulesPage(request.page, await repo.listRules(), { canEdit: permissions.has(request.actor, SUPERVISION_PERMISSIONS.rules), errors: [] })),
    );
    app.get('/api/supervision/rules', { config: { access: { permission: SUPERVISION_PERMISSIONS.view } }, schema: { tags: ['supervision'], summary: '监察规则' } }, async () => ({
      items: (await repo.listRules()).map(presentRule),
    }));
    type RuleReq = { Params: { ruleNo: string }; Body: Record<string, unknown> };
    app.post<RuleReq>('/workbench/supervision/rules/:ruleNo', { config: { access: { permission: SUPERVISION_PERMISSIONS.rules } }, schema: { hide: true, params: ruleParams, body: ruleBody } }, async (request, reply) => {
      const r = await service.updateRule(request.ctx, request.params.ruleNo, request.body);
      if (!r.ok) {
        if (r.reason === 'invalid') return send(reply, rulesPage(request.page, await repo.listRules(), { canEdit: true, errors: r.fields ?? [], editing: request.params.ruleNo }), 400);
        throw refusalError(r);
      }
      setFlash(reply, '监察规则已保存');
      return reply.redirect('/workbench/supervision/rules', 303);
    });
    app.patch<RuleReq>(
      '/api/supervision/rules/:ruleNo',
      { config: { access: { permission: SUPERVISION_PERMISSIONS.rules } }, schema: { tags: ['supervision'], summary: '修改监察规则', params: ruleParams, body: { ...ruleBody, required: ['version'] } } },
      async (request) => {
        const r = await service.updateRule(request.ctx, request.params.ruleNo, request.body);
        if (!r.ok) throw refusalError(r);
        return presentRule(r.value);
      },
    );
  };
}
