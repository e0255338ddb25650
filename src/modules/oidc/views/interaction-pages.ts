import { html, raw, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, messagePage, portalPage } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';

const TITLE = '统一身份认证';

/** What each scope lets the department system learn, in plain words. */
export const SCOPE_LABELS: Record<string, string> = {
  openid: '确认您的工作人员身份（一个不含个人信息的唯一标识）',
  profile: '您的姓名和登录名',
  organisation: '您所在的单位、岗位和角色',
};

function abortForm(page: PageContext, uid: string, label: string): SafeHtml {
  return html`<form method="post" action="/oidc/interaction/${uid}/abort" class="inline-form">${csrfField(page)}<button type="submit" class="secondary">${label}</button></form>`;
}

/** Asked only of systems registered as requiring the staff member's confirmation. */
export function consentPage(page: PageContext, o: { uid: string; clientName: string; organisationName: string; scopes: string[] }): SafeHtml {
  const scopes = o.scopes.length > 0 ? o.scopes : ['openid'];
  return portalPage(page, {
    title: `${TITLE}：确认授权`,
    body: html`<section class="card">
  <h1>授权“${o.clientName}”使用您的政务平台账号登录</h1>
  <p class="lead">“${o.clientName}”（${o.organisationName}）请求获取以下信息：</p>
  <ul>${scopes.map((s) => html`<li>${SCOPE_LABELS[s] ?? s}</li>`)}</ul>
  <p>同意后，您将以当前账号登录该系统。该系统不会获得您的密码。</p>
  <form method="post" action="/oidc/interaction/${o.uid}/confirm" class="inline-form">${csrfField(page)}<button type="submit">同意并登录</button></form>
  ${abortForm(page, o.uid, '不同意，返回该系统')}
</section>`,
  });
}

/** Shown for an instant while the browser moves on to the department system (Refresh header). */
export function continuePage(page: PageContext, o: { clientName: string; returnTo: string }): SafeHtml {
  return portalPage(page, {
    title: `${TITLE}：正在登录`,
    body: html`<section class="message-page">
  <h1>正在登录“${o.clientName}”</h1>
  <p class="lead">页面没有自动跳转时，请点击：<a href="${o.returnTo}">继续登录</a></p>
</section>`,
  });
}

/** Citizens and enterprises cannot sign in to department systems. */
export function notStaffPage(page: PageContext, o: { uid: string; clientName: string }): SafeHtml {
  return messagePage(page, {
    title: '仅限政府工作人员使用',
    status: 403,
    message: `“${o.clientName}”是政府部门的内部业务系统，只能使用政府工作人员账号登录。您当前登录的是个人或法人账号，不能用于登录该系统。`,
    detail: html`<p>如果您是政府工作人员，请退出当前账号后使用工作人员账号登录。</p>
<p>${abortForm(page, o.uid, '返回该系统')}</p>`,
  });
}

export function interactionExpiredPage(page: PageContext): SafeHtml {
  return messagePage(page, {
    title: '登录请求已失效',
    status: 400,
    message: '这次登录请求已超时或已经完成。请回到您要使用的业务系统，重新点击“使用政务平台账号登录”。',
  });
}

export function clientUnavailablePage(page: PageContext): SafeHtml {
  return messagePage(page, {
    title: '接入系统不可用',
    status: 400,
    message: '发起登录的业务系统未在政务平台登记或已被停用，请联系该系统的管理员。',
  });
}

const PROVIDER_ERRORS: Record<string, string> = {
  invalid_request: '登录请求的参数不正确，请联系发起登录的业务系统的管理员。',
  invalid_client: '发起登录的业务系统未在政务平台登记或已被停用。',
  invalid_redirect_uri: '登录请求中的回调地址未在政务平台登记，为保护您的账号，登录已中止。',
  unauthorized_client: '该业务系统无权使用这种登录方式。',
  unsupported_response_type: '该业务系统使用了不支持的登录方式。',
  invalid_scope: '该业务系统请求了不支持的信息范围。',
  access_denied: '登录已取消。',
  server_error: '统一身份认证服务出现内部错误，请稍后重试。',
};

/** oidc-provider's error page (renderError) in the portal shell. */
export function providerErrorPage(page: PageContext, out: { error?: unknown; error_description?: unknown }): SafeHtml {
  const code = typeof out.error === 'string' ? out.error : 'server_error';
  const description = typeof out.error_description === 'string' ? out.error_description : '';
  return messagePage(page, {
    title: `${TITLE}出错`,
    status: code === 'server_error' ? 500 : 400,
    message: PROVIDER_ERRORS[code] ?? '登录请求无法完成，请回到业务系统重新发起登录。',
    detail: html`<details><summary>技术信息（供系统管理员排查）</summary><p><code>${code}</code> ${description}</p></details>`,
  });
}

/** RP-initiated logout: oidc-provider's own form (with its xsrf token) in our shell. */
export function logoutPage(page: PageContext, providerForm: string): SafeHtml {
  return portalPage(page, {
    title: `${TITLE}：退出`,
    body: html`<section class="card">
  <h1>退出统一身份认证</h1>
  <p>是否退出已通过政务平台登录的业务系统？</p>
  ${raw(providerForm)}
  <button type="submit" form="op.logoutForm" value="yes" name="logout">退出</button>
  <button type="submit" form="op.logoutForm" class="secondary">不退出</button>
</section>`,
  });
}

export function logoutDonePage(page: PageContext, clientName: string | undefined): SafeHtml {
  return portalPage(page, {
    title: `${TITLE}：已退出`,
    body: html`<section class="message-page">
  <h1>已退出</h1>
  <p class="lead">${clientName ? `您已退出“${clientName}”的统一身份认证登录。` : '您已退出统一身份认证登录。'}</p>
  <p><a href="/">返回首页</a></p>
</section>`,
  });
}
