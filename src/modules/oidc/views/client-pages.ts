import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { OidcClientRow } from '../client.repository.ts';
import { CLIENT_FIELD_LABELS } from '../commands/validate-client.ts';

const LIST_TITLE = '统一身份认证接入';
const LIST_TITLE_EN = 'Single sign-on clients';
const LIST_PATH = '/workbench/oidc-clients';
const listTitle = (page: PageContext) => t(page, LIST_TITLE, LIST_TITLE_EN);
const crumbsTo = (page: PageContext, label: string) => [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: listTitle(page), href: LIST_PATH }, { label }];

function status(page: PageContext, c: OidcClientRow): SafeHtml {
  return c.disabledAt ? html`<span class="badge">${t(page, '已停用', 'Disabled')}</span>` : html`<span class="badge ok">${t(page, '启用', 'Enabled')}</span>`;
}

function endpoints(page: PageContext, issuer: string): SafeHtml {
  return html`<dl class="facts">
  <dt>${t(page, '签发者（issuer）', 'Issuer')}</dt><dd><code>${issuer}</code></dd>
  <dt>${t(page, '服务发现地址', 'Discovery document')}</dt><dd><code>${issuer}/.well-known/openid-configuration</code></dd>
</dl>`;
}

export function clientList(page: PageContext, rows: OidcClientRow[], p: { page: number; pageSize: number; total: number; issuer: string }): SafeHtml {
  return workbenchPage(page, {
    title: listTitle(page),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: listTitle(page) }],
    body: html`<h1>${listTitle(page)}</h1>
<p>${t(page, '登记后，部门业务系统可通过 OpenID Connect（授权码模式 + PKCE）让工作人员使用政务平台账号登录。', 'Once registered, a department system can let staff sign in with their platform account using OpenID Connect (authorization code flow with PKCE).')}</p>
${endpoints(page, p.issuer)}
<p><a class="button" href="${LIST_PATH}/new">${t(page, '登记接入系统', 'Register a system')}</a></p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '还没有登记的接入系统。', 'No systems registered yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '接入系统列表', 'Registered systems')}</caption>
<thead><tr><th scope="col">${t(page, '系统名称', 'System name')}</th><th scope="col">${t(page, '所属单位', 'Organisation')}</th><th scope="col">${t(page, '客户端标识（client_id）', 'Client id (client_id)')}</th><th scope="col">${t(page, '回调地址', 'Redirect URIs')}</th><th scope="col">${t(page, '授权确认', 'Consent')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '登记时间', 'Registered')}</th><th scope="col"><span class="visually-hidden">${t(page, '操作', 'Actions')}</span></th></tr></thead>
<tbody>${rows.map(
      (c) => html`<tr>
  <td>${c.name}</td><td>${c.organisationName}</td><td><code>${c.clientId}</code></td>
  <td><ul class="plain">${c.redirectUris.map((u) => html`<li><code>${u}</code></li>`)}</ul></td>
  <td>${c.requireConsent ? t(page, '需要用户确认', 'Asks the user') : t(page, '自动授权', 'Automatic')}</td><td>${status(page, c)}</td><td>${formatDateTime(c.createdAt)}</td>
  <td>${c.disabledAt
    ? ''
    : html`<form method="post" action="${LIST_PATH}/${c.clientId}/disable" class="inline-form">${csrfField(page)}<button type="submit" class="danger small" aria-label="${t(page, `停用 ${c.name}`, `Disable ${c.name}`)}">${t(page, '停用', 'Disable')}</button></form>`}</td>
</tr>`,
    )}</tbody></table>
${pager({ path: LIST_PATH, query: {}, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export interface ClientFormValues {
  name?: string;
  organisationName?: string;
  redirectUris?: string;
  requireConsent?: string;
}

export function clientForm(page: PageContext, o: { values: ClientFormValues; errors: FieldError[] }): SafeHtml {
  const { values, errors } = o;
  const consentError = errors.find((e) => e.field === 'requireConsent');
  return workbenchPage(page, {
    title: t(page, '登记接入系统', 'Register a system'),
    crumbs: crumbsTo(page, t(page, '登记接入系统', 'Register a system')),
    body: html`<h1>${t(page, '登记接入系统', 'Register a system')}</h1>
${errorSummary(errors, CLIENT_FIELD_LABELS)}
<form method="post" action="${LIST_PATH}" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'name', label: t(page, CLIENT_FIELD_LABELS.name, 'System name'), value: values.name ?? '', required: true, maxLength: 60, hint: t(page, '工作人员在授权页面看到的名称，例如“不动产登记业务系统”', 'The name staff see on the consent page, for example “不动产登记业务系统”'), errors })}
  ${textField({ name: 'organisationName', label: t(page, CLIENT_FIELD_LABELS.organisationName, 'Organisation'), value: values.organisationName ?? '', required: true, maxLength: 100, hint: t(page, '负责该系统的部门', 'The department responsible for the system'), errors })}
  ${textArea({ name: 'redirectUris', label: t(page, CLIENT_FIELD_LABELS.redirectUris, 'Redirect URIs'), value: values.redirectUris ?? '', required: true, rows: 4, hint: t(page, '每行一个，最多 10 个；必须使用 https（仅本机开发可使用 http://localhost 或 http://127.0.0.1）', 'One per line, up to 10. Must use https (http://localhost or http://127.0.0.1 only for local development)'), errors })}
  <div class="field${consentError ? ' has-error' : ''}">
    <input type="checkbox" id="f-requireConsent" name="requireConsent" value="1"${attr('checked', values.requireConsent === '1')}>
    <label for="f-requireConsent">${t(page, CLIENT_FIELD_LABELS.requireConsent, 'Ask users to confirm access')}</label>
    <p class="hint">${t(page, '不勾选时视为本级政府自建系统，工作人员登录时自动授权；勾选后每位工作人员首次登录需确认授权。', 'Leave unticked for this government’s own systems: staff are signed in without a prompt. If ticked, each member of staff confirms access the first time they sign in.')}</p>
  </div>
  <button type="submit">${t(page, '登记并生成密钥', 'Register and create secret')}</button>
  <a href="${LIST_PATH}">${t(page, '取消', 'Cancel')}</a>
</form>`,
  });
}

/** Shown once, in the answer to the registration: the secret is not stored in plain. */
export function clientCreated(page: PageContext, c: OidcClientRow, secret: string, issuer: string): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '接入系统已登记', 'System registered'),
    crumbs: crumbsTo(page, c.name),
    body: html`<h1>${t(page, `“${c.name}”已登记`, `“${c.name}” is registered`)}</h1>
<div class="card" role="status">
  <p><strong>${t(page, '请立即复制客户端密钥并通过安全渠道交给该系统的管理员。密钥只显示这一次，关闭本页后无法再次查看。', 'Copy the client secret now and give it to the system’s administrator by a secure route. It is shown only once and cannot be viewed again after you leave this page.')}</strong></p>
  <dl class="facts">
    <dt>${t(page, '客户端标识（client_id）', 'Client id (client_id)')}</dt><dd><code>${c.clientId}</code></dd>
    <dt>${t(page, '客户端密钥（client_secret）', 'Client secret (client_secret)')}</dt><dd><code id="client-secret">${secret}</code></dd>
    <dt>${t(page, '回调地址', 'Redirect URIs')}</dt><dd><ul class="plain">${c.redirectUris.map((u) => html`<li><code>${u}</code></li>`)}</ul></dd>
  </dl>
</div>
<h2>${t(page, '接入参数', 'Connection details')}</h2>
${endpoints(page, issuer)}
<p>${t(page, '授权码模式，必须使用 PKCE（S256）；令牌端点认证方式 client_secret_basic 或 client_secret_post；可申请的范围：openid、profile（姓名）、organisation（单位、岗位和角色）。', 'Authorization code flow with PKCE (S256) required; token endpoint authentication client_secret_basic or client_secret_post; scopes: openid, profile (name), organisation (organisation, positions and roles).')}</p>
<p><a href="${LIST_PATH}">${t(page, '返回接入系统列表', 'Back to registered systems')}</a></p>`,
  });
}
