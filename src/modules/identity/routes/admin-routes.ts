import type { FastifyInstance } from 'fastify';
import type { RoleCode } from '../../../platform/auth/actor.ts';
import { AppError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { StaffListItem } from '../account.repository.ts';
import { changeStaffAccount, loadStaffAccount, type StaffAccountChange } from '../commands/change-staff-account.ts';
import { changeStaffPositions } from '../commands/change-staff-positions.ts';
import { createStaffAccountCommand } from '../commands/create-staff-account.ts';
import type { IdentityDeps } from '../deps.ts';
import { resolveOrganisation } from '../organisations.ts';
import { ACCOUNT_ADMIN, canAdministerAccount } from '../policies.ts';
import { newStaffPage, staffCreatedPage, staffDetailPage, staffListPage, type StaffRowView } from '../views/admin-pages.ts';
import { identityError, noStore, sendPage, statusFor } from './http.ts';

const PAGE_SIZE = 30;
const access = { permission: ACCOUNT_ADMIN } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const staffForm = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    loginName: { type: 'string', maxLength: 64 },
    displayName: { type: 'string', maxLength: 60 },
    organisationId: { type: 'string', maxLength: 200 },
    // one ticked box arrives as a string, several as an array
    roles: { anyOf: [{ type: 'string', maxLength: 40 }, { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 40 } }] },
    password: { type: 'string', maxLength: 200 },
  },
} as const;
type StaffForm = { loginName?: string; displayName?: string; organisationId?: string; roles?: string | string[]; password?: string };

/**
 * 工作人员账号管理 (security administrator, permission 'account.admin', kind 'security').
 * Accounts are not business data: the list is province-wide, names masked; no business
 * record and no audit entry is reachable from here (三员分立).
 */
export function adminRoutes(deps: IdentityDeps) {
  async function view(rows: StaffListItem[]): Promise<StaffRowView[]> {
    const orgs = await deps.organisations.getOrganisations([...new Set(rows.flatMap((r) => r.positions.map((p) => p.organisationId)))]);
    const now = deps.now();
    return rows.map((r) => ({
      id: r.id,
      loginName: r.loginName,
      displayName: r.displayName,
      status: r.status,
      locked: r.lockedUntil !== null && r.lockedUntil > now,
      totpEnabled: r.totpEnabled,
      createdAt: r.createdAt,
      positions: r.positions.map((p) => ({
        id: p.id,
        organisationName: orgs.get(p.organisationId)?.name ?? `（未知单位 ${p.organisationId}）`,
        jurisdictionName: orgs.get(p.organisationId)?.jurisdictionName ?? '',
        roles: p.roles,
      })),
    }));
  }

  async function detail(id: string): Promise<{ row: StaffRowView; positions: { roles: RoleCode[] }[] }> {
    const target = await loadStaffAccount(deps, id);
    if (!target) throw new AppError('ZW_ERR_NOT_FOUND', '工作人员账号不存在');
    const a = target.account;
    const [row] = await view([
      {
        id: a.id,
        loginName: a.loginName,
        displayName: a.displayName,
        status: a.status,
        lockedUntil: a.lockedUntil,
        totpEnabled: a.totpEnabled,
        createdAt: a.createdAt,
        positions: target.positions,
      },
    ]);
    return { row: row!, positions: target.positions };
  }

  /** The organisation field takes an id or a name; an unknown one becomes a field error. */
  async function organisationId(input: string | undefined, errors: FieldError[]): Promise<string> {
    const match = await resolveOrganisation(deps.organisations, input ?? '');
    if (!match.ok) {
      errors.push({ field: 'organisationId', message: match.message });
      return '';
    }
    return match.organisation.id;
  }

  function roles(input: string | string[] | undefined): RoleCode[] {
    return (input === undefined ? [] : Array.isArray(input) ? input : [input]) as RoleCode[];
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { q?: string; page: number } }>(
      '/workbench/accounts',
      {
        config: { access },
        schema: { hide: true, querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 50 }, page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } },
      },
      async (request, reply) => {
        const q = request.query.q?.trim() ?? '';
        const { rows, total } = await deps.accounts.listStaff({ q: q || undefined, limit: PAGE_SIZE, offset: (request.query.page - 1) * PAGE_SIZE });
        return sendPage(reply, staffListPage(request.page, await view(rows), { q, page: request.query.page, pageSize: PAGE_SIZE, total }));
      },
    );

    app.get('/workbench/accounts/new', { config: { access }, schema: { hide: true } }, async (request, reply) => sendPage(reply, newStaffPage(request.page, {}, [])));

    app.post<{ Body: StaffForm }>('/workbench/accounts', { config: { access }, schema: { hide: true, body: staffForm } }, async (request, reply) => {
      const b = request.body;
      const errors: FieldError[] = [];
      const orgId = await organisationId(b.organisationId, errors);
      const r = await createStaffAccountCommand(deps, request.ctx, {
        loginName: b.loginName ?? '',
        displayName: b.displayName ?? '',
        password: b.password || null,
        positions: orgId ? [{ organisationId: orgId, roles: roles(b.roles) }] : [],
      });
      if (!r.ok || errors.length > 0) {
        if (r.ok || r.reason === 'invalid' || r.reason === 'duplicate') {
          // The unresolved organisation is reported once, in the user's words.
          const fields = [...errors, ...(r.ok ? [] : (r.fields ?? []).filter((f) => !(errors.length > 0 && f.field === 'organisationId')))];
          const { password: _p, ...values } = b;
          return sendPage(reply, newStaffPage(request.page, { ...values, roles: roles(b.roles) }, fields), r.ok ? 400 : statusFor(r.reason));
        }
        throw identityError(r);
      }
      noStore(reply);
      return sendPage(reply, staffCreatedPage(request.page, r.value), 201);
    });

    app.get<{ Params: { id: string } }>('/workbench/accounts/:id', { config: { access }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const d = await detail(request.params.id);
      const canChange = canAdministerAccount(deps.permissions, request.actor, { id: d.row.id, kind: 'staff', positions: d.positions }, 'disable').ok;
      return sendPage(reply, staffDetailPage(request.page, d.row, { canChange }));
    });

    const change = (path: string, kind: StaffAccountChange) =>
      app.post<{ Params: { id: string } }>(`/workbench/accounts/:id/${path}`, { config: { access }, schema: { hide: true, params: idParams } }, async (request, reply) => {
        const r = await changeStaffAccount(deps, request.ctx, request.params.id, kind);
        if (!r.ok) throw identityError(r);
        setFlash(reply, r.value.message);
        return reply.redirect(`/workbench/accounts/${request.params.id}`, 303);
      });
    change('disable', 'disable');
    change('enable', 'enable');
    change('unlock', 'unlock');
    change('reset-totp', 'reset-totp');

    app.post<{ Params: { id: string }; Body: StaffForm }>(
      '/workbench/accounts/:id/positions',
      { config: { access }, schema: { hide: true, params: idParams, body: staffForm } },
      async (request, reply) => {
        const errors: FieldError[] = [];
        const orgId = await organisationId(request.body.organisationId, errors);
        const r = orgId
          ? await changeStaffPositions(deps, request.ctx, request.params.id, { kind: 'add', organisationId: orgId, roles: roles(request.body.roles) })
          : ({ ok: false, reason: 'invalid', message: '请修改标记的内容', fields: errors } as const);
        if (!r.ok) {
          if (r.reason === 'invalid') {
            const d = await detail(request.params.id);
            return sendPage(reply, staffDetailPage(request.page, d.row, { canChange: true, values: { ...request.body, roles: roles(request.body.roles) }, errors: r.fields ?? [] }), 400);
          }
          throw identityError(r);
        }
        setFlash(reply, '岗位已增加');
        return reply.redirect(`/workbench/accounts/${request.params.id}`, 303);
      },
    );

    app.post<{ Params: { id: string; positionId: string } }>(
      '/workbench/accounts/:id/positions/:positionId/remove',
      {
        config: { access },
        schema: { hide: true, params: { type: 'object', required: ['id', 'positionId'], properties: { id: { type: 'string', format: 'uuid' }, positionId: { type: 'string', format: 'uuid' } } } },
      },
      async (request, reply) => {
        const r = await changeStaffPositions(deps, request.ctx, request.params.id, { kind: 'remove', positionId: request.params.positionId });
        if (!r.ok) throw identityError(r);
        setFlash(reply, '岗位已删除');
        return reply.redirect(`/workbench/accounts/${request.params.id}`, 303);
      },
    );
  };
}
