import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { OidcClientRow } from '../client.repository.ts';
import { CLIENT_FIELD_LABELS } from '../commands/validate-client.ts';

const LIST_TITLE = '统一身份认证接入';
const LIST_PATH = '/workbench/oidc-clients';
const crumbsTo = (label: string) => [{ label: '工作台', href: '/workbench' }, { label: LIST_TITLE, href: LIST_PATH }, { label }];

function status(c: OidcClientRow): SafeHtml {
  return c.disabledAt ? html`<span class="badge">已停用</span>` : html`<span class="badge ok">启用</span>`;
}

function endpoints(issuer: string): SafeHtml {
  return html`<dl>
  <dt>签发者（issuer）</dt><dd><code>${issuer}</code></dd>
  <dt>服务发现地址</dt><dd><code>${issuer}/.well-known/openid-configuration</code></dd>
</dl>`;
}

export function clientList(page: PageContext, rows: OidcClientRow[], p: { page: number; pageSize: number; total: number; issuer: string }): SafeHtml {
  return workbenchPage(page, {
    title: LIST_TITLE,
    crumbs: [{ label: '工作台', href: '/workbench' }, { label: LIST_TITLE }],
    body: html`<h1>${LIST_TITLE}</h1>
<p>登记后，部门业务系统可通过 OpenID Connect（授权码模式 + PKCE）让工作人员使用政务平台账号登录。</p>
${endpoints(p.issuer)}
<p><a class="button" href="${LIST_PATH}/new">登记接入系统</a></p>
${rows.length === 0
  ? html`<p class="empty">还没有登记的接入系统。</p>`
  : html`<table><caption class="visually-hidden">接入系统列表</caption>
<thead><tr><th scope="col">系统名称</th><th scope="col">所属单位</th><th scope="col">客户端标识（client_id）</th><th scope="col">回调地址</th><th scope="col">授权确认</th><th scope="col">状态</th><th scope="col">登记时间</th><th scope="col"><span class="visually-hidden">操作</span></th></tr></thead>
<tbody>${rows.map(
      (c) => html`<tr>
  <td>${c.name}</td><td>${c.organisationName}</td><td><code>${c.clientId}</code></td>
  <td><ul class="plain">${c.redirectUris.map((u) => html`<li><code>${u}</code></li>`)}</ul></td>
  <td>${c.requireConsent ? '需要用户确认' : '自动授权'}</td><td>${status(c)}</td><td>${formatDateTime(c.createdAt)}</td>
  <td>${c.disabledAt
    ? ''
    : html`<form method="post" action="${LIST_PATH}/${c.clientId}/disable" class="inline-form">${csrfField(page)}<button type="submit" class="danger small" aria-label="停用 ${c.name}">停用</button></form>`}</td>
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
    title: '登记接入系统',
    crumbs: crumbsTo('登记接入系统'),
    body: html`<h1>登记接入系统</h1>
${errorSummary(errors, CLIENT_FIELD_LABELS)}
<form method="post" action="${LIST_PATH}" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'name', label: CLIENT_FIELD_LABELS.name, value: values.name ?? '', required: true, maxLength: 60, hint: '工作人员在授权页面看到的名称，例如“不动产登记业务系统”', errors })}
  ${textField({ name: 'organisationName', label: CLIENT_FIELD_LABELS.organisationName, value: values.organisationName ?? '', required: true, maxLength: 100, hint: '负责该系统的部门', errors })}
  ${textArea({ name: 'redirectUris', label: CLIENT_FIELD_LABELS.redirectUris, value: values.redirectUris ?? '', required: true, rows: 4, hint: '每行一个，最多 10 个；必须使用 https（仅本机开发可使用 http://localhost 或 http://127.0.0.1）', errors })}
  <div class="field${consentError ? ' has-error' : ''}">
    <input type="checkbox" id="f-requireConsent" name="requireConsent" value="1"${attr('checked', values.requireConsent === '1')}>
    <label for="f-requireConsent">${CLIENT_FIELD_LABELS.requireConsent}</label>
    <p class="hint">不勾选时视为本级政府自建系统，工作人员登录时自动授权；勾选后每位工作人员首次登录需确认授权。</p>
  </div>
  <button type="submit">登记并生成密钥</button>
  <a href="${LIST_PATH}">取消</a>
</form>`,
  });
}

/** Shown once, in the answer to the registration: the secret is not stored in plain. */
export function clientCreated(page: PageContext, c: OidcClientRow, secret: string, issuer: string): SafeHtml {
  return workbenchPage(page, {
    title: '接入系统已登记',
    crumbs: crumbsTo(c.name),
    body: html`<h1>“${c.name}”已登记</h1>
<div class="card" role="status">
  <p><strong>请立即复制客户端密钥并通过安全渠道交给该系统的管理员。密钥只显示这一次，关闭本页后无法再次查看。</strong></p>
  <dl>
    <dt>客户端标识（client_id）</dt><dd><code>${c.clientId}</code></dd>
    <dt>客户端密钥（client_secret）</dt><dd><code id="client-secret">${secret}</code></dd>
    <dt>回调地址</dt><dd><ul class="plain">${c.redirectUris.map((u) => html`<li><code>${u}</code></li>`)}</ul></dd>
  </dl>
</div>
<h2>接入参数</h2>
${endpoints(issuer)}
<p>授权码模式，必须使用 PKCE（S256）；令牌端点认证方式 client_secret_basic 或 client_secret_post；可申请的范围：openid、profile（姓名）、organisation（单位、岗位和角色）。</p>
<p><a href="${LIST_PATH}">返回接入系统列表</a></p>`,
  });
}
