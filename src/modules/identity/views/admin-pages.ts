import type { RoleCode } from '../../../platform/auth/actor.ts';
import { ROLE_LABELS } from '../../../platform/auth/permissions.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
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

const CRUMBS = [{ label: '工作台', href: '/workbench' }, { label: '工作人员账号', href: '/workbench/accounts' }];

function positionText(p: StaffRowView['positions'][number]): string {
  return `${p.organisationName}（${p.jurisdictionName}）：${p.roles.map((r) => ROLE_LABELS[r]).join('、')}`;
}

function statusBadges(r: StaffRowView): SafeHtml {
  return html`${r.status === 'active' ? html`<span class="badge ok">正常</span>` : html`<span class="badge bad">已停用</span>`}${r.locked ? html` <span class="badge warn">已锁定</span>` : ''}`;
}

export function staffListPage(page: PageContext, rows: StaffRowView[], p: { q: string; page: number; pageSize: number; total: number }): SafeHtml {
  return workbenchPage(page, {
    title: '工作人员账号',
    crumbs: [CRUMBS[0]!, { label: '工作人员账号' }],
    body: html`<h1>工作人员账号</h1>
<form method="get" action="/workbench/accounts" class="filters">
  <div class="field"><label for="f-q">用户名或姓名</label><input id="f-q" name="q" type="search" maxlength="50"${attr('value', p.q || null)}></div>
  <button type="submit" class="secondary">查询</button>
  <a class="button" href="/workbench/accounts/new">新建账号</a>
</form>
${rows.length === 0
  ? html`<p class="empty">没有符合条件的工作人员账号。</p>`
  : html`<table><caption class="visually-hidden">工作人员账号列表</caption>
<thead><tr><th scope="col">用户名</th><th scope="col">姓名</th><th scope="col">岗位</th><th scope="col">状态</th><th scope="col">动态口令</th></tr></thead>
<tbody>${rows.map(
      (r) => html`<tr><td><a href="/workbench/accounts/${r.id}">${r.loginName}</a></td><td>${maskName(r.displayName)}</td><td>${r.positions.map((x) => html`<div>${positionText(x)}</div>`)}</td><td>${statusBadges(r)}</td><td>${r.totpEnabled ? '已启用' : '未启用'}</td></tr>`,
    )}</tbody></table>
${pager({ path: '/workbench/accounts', query: { q: p.q || undefined }, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

function roleChoices(selected: string[], errors: FieldError[]): SafeHtml {
  const err = errors.find((e) => e.field === 'roles')?.message;
  return html`<fieldset class="field${err ? ' has-error' : ''}" id="f-roles">
  <legend>角色</legend>
  ${err ? html`<p class="error"><span class="visually-hidden">错误：</span>${err}</p>` : ''}
  ${GRANTABLE_ROLES.map(
    (r) => html`<div><input type="checkbox" id="f-role-${r}" name="roles" value="${r}"${attr('checked', selected.includes(r))}> <label for="f-role-${r}">${ROLE_LABELS[r]}</label></div>`,
  )}
</fieldset>`;
}

export function newStaffPage(page: PageContext, values: Record<string, unknown>, errors: FieldError[]): SafeHtml {
  const v = (k: string) => (typeof values[k] === 'string' ? values[k] : '');
  const roles = Array.isArray(values.roles) ? values.roles.filter((x): x is string => typeof x === 'string') : [];
  return workbenchPage(page, {
    title: '新建工作人员账号',
    crumbs: [...CRUMBS, { label: '新建账号' }],
    body: html`<h1>新建工作人员账号</h1>
${errorSummary(errors, STAFF_LABELS)}
<form method="post" action="/workbench/accounts" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'loginName', label: '用户名', hint: '4–32 位，以字母开头', value: v('loginName'), required: true, maxLength: 32, autocomplete: 'off', errors })}
  ${textField({ name: 'displayName', label: '姓名', value: v('displayName'), required: true, maxLength: 30, errors })}
  ${textField({ name: 'organisationId', label: '单位', hint: '单位全称或单位编号', value: v('organisationId'), required: true, maxLength: 100, errors })}
  ${roleChoices(roles, errors)}
  ${textField({ name: 'password', label: '初始密码（选填）', hint: '不填则由系统生成强密码，只显示一次', type: 'password', maxLength: 128, autocomplete: 'new-password', errors })}
  <button type="submit">创建账号</button>
</form>
<p class="muted">系统管理员、安全管理员、安全审计员账号只能通过命令行创建（三员分立）。</p>`,
  });
}

export function staffCreatedPage(page: PageContext, created: { accountId: string; loginName: string; generatedPassword: string | null }): SafeHtml {
  return workbenchPage(page, {
    title: '账号已创建',
    crumbs: [...CRUMBS, { label: '账号已创建' }],
    body: html`<h1>账号已创建</h1>
<p>用户名：<code>${created.loginName}</code></p>
${created.generatedPassword ? html`<p>初始密码：<code>${created.generatedPassword}</code></p><p class="lead"><strong>初始密码只显示这一次</strong>，请通过安全渠道交给本人，并提醒其登录后立即修改。</p>` : ''}
<p><a class="button" href="/workbench/accounts/${created.accountId}">查看账号</a> <a href="/workbench/accounts">返回列表</a></p>`,
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
    crumbs: [...CRUMBS, { label: r.loginName }],
    body: html`<h1>${r.displayName}（${r.loginName}）</h1>
<p>${statusBadges(r)} · 动态口令${r.totpEnabled ? '已启用' : '未启用'} · 创建于 ${formatDateTime(r.createdAt)}</p>
<p>
  ${r.locked ? action('unlock', '解除锁定') : ''}
  ${opts.canChange ? (r.status === 'active' ? action('disable', '停用账号', 'danger') : action('enable', '启用账号')) : ''}
  ${opts.canChange && r.totpEnabled ? action('reset-totp', '重置动态口令') : ''}
</p>
<h2>岗位</h2>
<ul>${r.positions.map(
      (p) =>
        html`<li>${positionText(p)}${opts.canChange && r.positions.length > 1 ? html` <form method="post" action="/workbench/accounts/${r.id}/positions/${p.id}/remove" class="inline-form">${csrfField(page)}<button type="submit" class="link-button">删除</button></form>` : ''}</li>`,
    )}</ul>
${opts.canChange
  ? html`<h2>增加岗位</h2>
${errorSummary(errors, STAFF_LABELS)}
<form method="post" action="/workbench/accounts/${r.id}/positions" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'organisationId', label: '单位', hint: '单位全称或单位编号', value: typeof values.organisationId === 'string' ? values.organisationId : '', required: true, maxLength: 100, errors })}
  ${roleChoices(roles, errors)}
  <button type="submit">增加岗位</button>
</form>`
  : html`<p class="muted">管理员账号只能通过命令行维护（三员分立）。</p>`}`,
  });
}
