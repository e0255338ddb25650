import type { RoleCode } from '../../../platform/auth/actor.ts';
import { ROLE_LABELS } from '../../../platform/auth/permissions.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { maskName } from '../../../platform/codes/validators.ts';

/** Business roles the security administrator grants on the web; administrator roles only via the CLI. */
export const GRANTABLE_ROLES: RoleCode[] = ['clerk', 'org_head', 'jurisdiction_supervisor', 'province_supervisor'];
export const STAFF_LABELS = { loginName: '用户名', displayName: '姓名', organisationId: '单位', roles: '角色', password: '初始密码' };

export interface StaffRowView {
  id: string;
  loginName: string;
  displayName: string;
  status: 'active' | 'disabled';
  locked: boolean;
  totpEnabled: boolean;
  createdAt: Date;
  positions: { id: string; organisationName: string; jurisdictionName: string; roles: RoleCode[] }[];
}

const ROLE_LABELS_EN: Record<RoleCode, string> = {
  clerk: 'Clerk',
  org_head: 'Head of organisation',
  jurisdiction_supervisor: 'Jurisdiction supervisor',
  province_supervisor: 'Provincial supervisor',
  sysadmin: 'System administrator',
  secadmin: 'Security administrator',
  auditadmin: 'Security auditor',
};

function roleLabel(page: PageContext, r: RoleCode): string {
  return t(page, ROLE_LABELS[r], ROLE_LABELS_EN[r]);
}

function crumbs(page: PageContext): { label: string; href: string }[] {
  return [
    { label: t(page, '工作台', 'Workbench'), href: '/workbench' },
    { label: t(page, '工作人员账号', 'Staff accounts'), href: '/workbench/accounts' },
  ];
}

function positionText(page: PageContext, p: StaffRowView['positions'][number]): string {
  return page.lang === 'en'
    ? `${p.organisationName} (${p.jurisdictionName}): ${p.roles.map((r) => roleLabel(page, r)).join(', ')}`
    : `${p.organisationName}（${p.jurisdictionName}）：${p.roles.map((r) => ROLE_LABELS[r]).join('、')}`;
}

function statusBadges(page: PageContext, r: StaffRowView): SafeHtml {
  return html`${r.status === 'active' ? html`<span class="badge ok">${t(page, '正常', 'Active')}</span>` : html`<span class="badge bad">${t(page, '已停用', 'Disabled')}</span>`}${r.locked ? html` <span class="badge warn">${t(page, '已锁定', 'Locked')}</span>` : ''}`;
}

export function staffListPage(page: PageContext, rows: StaffRowView[], p: { q: string; page: number; pageSize: number; total: number }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '工作人员账号', 'Staff accounts'),
    crumbs: [crumbs(page)[0]!, { label: t(page, '工作人员账号', 'Staff accounts') }],
    body: html`<h1>${t(page, '工作人员账号', 'Staff accounts')}</h1>
<form method="get" action="/workbench/accounts" class="filters">
  <div class="field"><label for="f-q">${t(page, '用户名或姓名', 'Username or name')}</label><input id="f-q" name="q" type="search" maxlength="50"${attr('value', p.q || null)}></div>
  <button type="submit" class="secondary">${t(page, '查询', 'Search')}</button>
  <a class="button" href="/workbench/accounts/new">${t(page, '新建账号', 'New account')}</a>
</form>
${rows.length === 0
  ? html`<p class="empty">${t(page, '没有符合条件的工作人员账号。', 'No staff accounts match.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '工作人员账号列表', 'Staff accounts')}</caption>
<thead><tr><th scope="col">${t(page, '用户名', 'Username')}</th><th scope="col">${t(page, '姓名', 'Name')}</th><th scope="col">${t(page, '岗位', 'Positions')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '动态口令', 'Two-step verification')}</th></tr></thead>
<tbody>${rows.map(
      (r) => html`<tr><td><a href="/workbench/accounts/${r.id}">${r.loginName}</a></td><td>${maskName(r.displayName)}</td><td>${r.positions.map((x) => html`<div>${positionText(page, x)}</div>`)}</td><td>${statusBadges(page, r)}</td><td>${r.totpEnabled ? t(page, '已启用', 'On') : t(page, '未启用', 'Off')}</td></tr>`,
    )}</tbody></table>
${pager({ path: '/workbench/accounts', query: { q: p.q || undefined }, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

function roleChoices(page: PageContext, selected: string[], errors: FieldError[]): SafeHtml {
  const err = errors.find((e) => e.field === 'roles')?.message;
  return html`<fieldset class="field${err ? ' has-error' : ''}" id="f-roles">
  <legend>${t(page, '角色', 'Roles')}</legend>
  ${err ? html`<p class="error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
  ${GRANTABLE_ROLES.map(
    (r) => html`<div><input type="checkbox" id="f-role-${r}" name="roles" value="${r}"${attr('checked', selected.includes(r))}> <label for="f-role-${r}">${roleLabel(page, r)}</label></div>`,
  )}
</fieldset>`;
}

export function newStaffPage(page: PageContext, values: Record<string, unknown>, errors: FieldError[]): SafeHtml {
  const v = (k: string) => (typeof values[k] === 'string' ? values[k] : '');
  const roles = Array.isArray(values.roles) ? values.roles.filter((x): x is string => typeof x === 'string') : [];
  return workbenchPage(page, {
    title: t(page, '新建工作人员账号', 'New staff account'),
    crumbs: [...crumbs(page), { label: t(page, '新建账号', 'New account') }],
    body: html`<h1>${t(page, '新建工作人员账号', 'New staff account')}</h1>
${errorSummary(errors, STAFF_LABELS)}
<form method="post" action="/workbench/accounts" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'loginName', label: t(page, '用户名', 'Username'), hint: t(page, '4–32 位，以字母开头', '4–32 characters, starting with a letter'), value: v('loginName'), required: true, maxLength: 32, autocomplete: 'off', errors })}
  ${textField({ name: 'displayName', label: t(page, '姓名', 'Name'), value: v('displayName'), required: true, maxLength: 30, errors })}
  ${textField({ name: 'organisationId', label: t(page, '单位', 'Organisation'), hint: t(page, '单位全称或单位编号', 'Full name or id of the organisation'), value: v('organisationId'), required: true, maxLength: 100, errors })}
  ${roleChoices(page, roles, errors)}
  ${textField({ name: 'password', label: t(page, '初始密码（选填）', 'Initial password (optional)'), hint: t(page, '不填则由系统生成强密码，只显示一次', 'Leave blank to generate a strong password, shown only once'), type: 'password', maxLength: 128, autocomplete: 'new-password', errors })}
  <button type="submit">${t(page, '创建账号', 'Create account')}</button>
</form>
<p class="muted">${t(page, '系统管理员、安全管理员、安全审计员账号只能通过命令行创建（三员分立）。', 'System administrator, security administrator and security auditor accounts can only be created from the command line (separation of duties).')}</p>`,
  });
}

export function staffCreatedPage(page: PageContext, created: { accountId: string; loginName: string; generatedPassword: string | null }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '账号已创建', 'Account created'),
    crumbs: [...crumbs(page), { label: t(page, '账号已创建', 'Account created') }],
    body: html`<h1>${t(page, '账号已创建', 'Account created')}</h1>
<p>${t(page, '用户名：', 'Username: ')}<code>${created.loginName}</code></p>
${created.generatedPassword ? html`<p>${t(page, '初始密码：', 'Initial password: ')}<code>${created.generatedPassword}</code></p><p class="lead"><strong>${t(page, '初始密码只显示这一次', 'This password is shown only once')}</strong>${t(page, '，请通过安全渠道交给本人，并提醒其登录后立即修改。', '. Give it to the person by a secure route and ask them to change it when they first sign in.')}</p>` : ''}
<p><a class="button" href="/workbench/accounts/${created.accountId}">${t(page, '查看账号', 'View account')}</a> <a href="/workbench/accounts">${t(page, '返回列表', 'Back to list')}</a></p>`,
  });
}

export function staffDetailPage(page: PageContext, r: StaffRowView, opts: { canChange: boolean; values?: Record<string, unknown>; errors?: FieldError[] }): SafeHtml {
  const errors = opts.errors ?? [];
  const values = opts.values ?? {};
  const action = (path: string, label: string, cls = 'secondary') =>
    html`<form method="post" action="/workbench/accounts/${r.id}/${path}" class="inline-form">${csrfField(page)}<button type="submit" class="${cls}">${label}</button></form>`;
  const roles = Array.isArray(values.roles) ? values.roles.filter((x): x is string => typeof x === 'string') : [];
  return workbenchPage(page, {
    title: r.loginName,
    crumbs: [...crumbs(page), { label: r.loginName }],
    body: html`<h1>${r.displayName}（${r.loginName}）</h1>
<p>${statusBadges(page, r)} · ${t(page, '动态口令', 'Two-step verification ')}${r.totpEnabled ? t(page, '已启用', 'on') : t(page, '未启用', 'off')} · ${t(page, '创建于', 'Created')} ${formatDateTime(r.createdAt)}</p>
<p>
  ${r.locked ? action('unlock', t(page, '解除锁定', 'Unlock')) : ''}
  ${opts.canChange ? (r.status === 'active' ? action('disable', t(page, '停用账号', 'Disable account'), 'danger') : action('enable', t(page, '启用账号', 'Enable account'))) : ''}
  ${opts.canChange && r.totpEnabled ? action('reset-totp', t(page, '重置动态口令', 'Reset two-step verification')) : ''}
</p>
<h2>${t(page, '岗位', 'Positions')}</h2>
<ul>${r.positions.map(
      (p) =>
        html`<li>${positionText(page, p)}${opts.canChange && r.positions.length > 1 ? html` <form method="post" action="/workbench/accounts/${r.id}/positions/${p.id}/remove" class="inline-form">${csrfField(page)}<button type="submit" class="link-button">${t(page, '删除', 'Remove')}</button></form>` : ''}</li>`,
    )}</ul>
${opts.canChange
  ? html`<h2>${t(page, '增加岗位', 'Add a position')}</h2>
${errorSummary(errors, STAFF_LABELS)}
<form method="post" action="/workbench/accounts/${r.id}/positions" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'organisationId', label: t(page, '单位', 'Organisation'), hint: t(page, '单位全称或单位编号', 'Full name or id of the organisation'), value: typeof values.organisationId === 'string' ? values.organisationId : '', required: true, maxLength: 100, errors })}
  ${roleChoices(page, roles, errors)}
  <button type="submit">${t(page, '增加岗位', 'Add position')}</button>
</form>`
  : html`<p class="muted">${t(page, '管理员账号只能通过命令行维护（三员分立）。', 'Administrator accounts can only be managed from the command line (separation of duties).')}</p>`}`,
  });
}
