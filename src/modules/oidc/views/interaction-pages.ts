import { html, raw, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, messagePage, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';

const TITLE = '统一身份认证';
const TITLE_EN = 'Single sign-on';

/** What each scope lets the department system learn, in plain words. */
export const SCOPE_LABELS: Record<string, string> = {
  openid: '确认您的工作人员身份（一个不含个人信息的唯一标识）',
  profile: '您的姓名和登录名',
  organisation: '您所在的单位、岗位和角色',
};
const SCOPE_LABELS_EN: Record<string, string> = {
  openid: 'Confirm that you are a member of staff (a unique identifier with no personal data)',
  profile: 'Your name and username',
  organisation: 'Your organisation, positions and roles',
};

function abortForm(page: PageContext, uid: string, label: string): SafeHtml {
  return html`<form method="post" action="/oidc/interaction/${uid}/abort" class="inline-form">${csrfField(page)}<button type="submit" class="secondary">${label}</button></form>`;
}

/** Asked only of systems registered as requiring the staff member's confirmation. */
export function consentPage(page: PageContext, o: { uid: string; clientName: string; organisationName: string; scopes: string[] }): SafeHtml {
  const scopes = o.scopes.length > 0 ? o.scopes : ['openid'];
  return portalPage(page, {
    title: t(page, `${TITLE}：确认授权`, `${TITLE_EN}: confirm access`),
    body: html`<section class="card">
  <h1>${t(page, `授权“${o.clientName}”使用您的政务平台账号登录`, `Allow “${o.clientName}” to sign you in with your government platform account`)}</h1>
  <p class="lead">${t(page, `“${o.clientName}”（${o.organisationName}）请求获取以下信息：`, `“${o.clientName}” (${o.organisationName}) is asking for:`)}</p>
  <ul>${scopes.map((s) => html`<li>${t(page, SCOPE_LABELS[s] ?? s, SCOPE_LABELS_EN[s] ?? s)}</li>`)}</ul>
  <p>${t(page, '同意后，您将以当前账号登录该系统。该系统不会获得您的密码。', 'If you agree, you will be signed in to that system with your current account. It will not receive your password.')}</p>
  <form method="post" action="/oidc/interaction/${o.uid}/confirm" class="inline-form">${csrfField(page)}<button type="submit">${t(page, '同意并登录', 'Agree and sign in')}</button></form>
  ${abortForm(page, o.uid, t(page, '不同意，返回该系统', 'Do not agree, go back'))}
</section>`,
  });
}

/** Shown for an instant while the browser moves on to the department system (Refresh header). */
export function continuePage(page: PageContext, o: { clientName: string; returnTo: string }): SafeHtml {
  return portalPage(page, {
    title: t(page, `${TITLE}：正在登录`, `${TITLE_EN}: signing in`),
    body: html`<section class="message-page">
  <h1>${t(page, `正在登录“${o.clientName}”`, `Signing in to “${o.clientName}”`)}</h1>
  <p class="lead">${t(page, '页面没有自动跳转时，请点击：', 'If nothing happens, select: ')}<a href="${o.returnTo}">${t(page, '继续登录', 'Continue')}</a></p>
</section>`,
  });
}

/** Citizens and enterprises cannot sign in to department systems. */
export function notStaffPage(page: PageContext, o: { uid: string; clientName: string }): SafeHtml {
  return messagePage(page, {
    title: t(page, '仅限政府工作人员使用', 'For government staff only'),
    status: 403,
    message: t(
      page,
      `“${o.clientName}”是政府部门的内部业务系统，只能使用政府工作人员账号登录。您当前登录的是个人或法人账号，不能用于登录该系统。`,
      `“${o.clientName}” is an internal government system and only accepts staff accounts. You are signed in with an individual or organisation account, which cannot be used for it.`,
    ),
    detail: html`<p>${t(page, '如果您是政府工作人员，请退出当前账号后使用工作人员账号登录。', 'If you are a member of government staff, sign out and sign in again with your staff account.')}</p>
<p>${abortForm(page, o.uid, t(page, '返回该系统', 'Go back to that system'))}</p>`,
  });
}

export function interactionExpiredPage(page: PageContext): SafeHtml {
  return messagePage(page, {
    title: t(page, '登录请求已失效', 'Sign-in request expired'),
    status: 400,
    message: t(page, '这次登录请求已超时或已经完成。请回到您要使用的业务系统，重新点击“使用政务平台账号登录”。', 'This sign-in request has timed out or was already completed. Go back to the system you want to use and sign in again.'),
  });
}

export function clientUnavailablePage(page: PageContext): SafeHtml {
  return messagePage(page, {
    title: t(page, '接入系统不可用', 'System not available'),
    status: 400,
    message: t(page, '发起登录的业务系统未在政务平台登记或已被停用，请联系该系统的管理员。', 'The system that asked you to sign in is not registered with the platform or has been disabled. Contact its administrator.'),
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
const PROVIDER_ERRORS_EN: Record<string, string> = {
  invalid_request: 'The sign-in request is not valid. Contact the administrator of the system that sent you here.',
  invalid_client: 'The system that asked you to sign in is not registered with the platform or has been disabled.',
  invalid_redirect_uri: 'The return address in the sign-in request is not registered. To protect your account, sign-in has been stopped.',
  unauthorized_client: 'This system may not use this way of signing in.',
  unsupported_response_type: 'This system used an unsupported way of signing in.',
  invalid_scope: 'This system asked for information that is not available.',
  access_denied: 'Sign-in cancelled.',
  server_error: 'Something went wrong with single sign-on. Try again later.',
};

/** oidc-provider's error page (renderError) in the portal shell. */
export function providerErrorPage(page: PageContext, out: { error?: unknown; error_description?: unknown }): SafeHtml {
  const code = typeof out.error === 'string' ? out.error : 'server_error';
  const description = typeof out.error_description === 'string' ? out.error_description : '';
  return messagePage(page, {
    title: t(page, `${TITLE}出错`, `${TITLE_EN} error`),
    status: code === 'server_error' ? 500 : 400,
    message: t(
      page,
      PROVIDER_ERRORS[code] ?? '登录请求无法完成，请回到业务系统重新发起登录。',
      PROVIDER_ERRORS_EN[code] ?? 'The sign-in request could not be completed. Go back to the system and try again.',
    ),
    detail: html`<details><summary>${t(page, '技术信息（供系统管理员排查）', 'Technical details (for administrators)')}</summary><p><code>${code}</code> ${description}</p></details>`,
  });
}

/** RP-initiated logout: oidc-provider's own form (with its xsrf token) in our shell. */
export function logoutPage(page: PageContext, providerForm: string): SafeHtml {
  return portalPage(page, {
    title: t(page, `${TITLE}：退出`, `${TITLE_EN}: sign out`),
    body: html`<section class="card">
  <h1>${t(page, '退出统一身份认证', 'Sign out of single sign-on')}</h1>
  <p>${t(page, '是否退出已通过政务平台登录的业务系统？', 'Sign out of the systems you signed in to with your platform account?')}</p>
  ${raw(providerForm)}
  <button type="submit" form="op.logoutForm" value="yes" name="logout">${t(page, '退出', 'Sign out')}</button>
  <button type="submit" form="op.logoutForm" class="secondary">${t(page, '不退出', 'Stay signed in')}</button>
</section>`,
  });
}

export function logoutDonePage(page: PageContext, clientName: string | undefined): SafeHtml {
  return portalPage(page, {
    title: t(page, `${TITLE}：已退出`, `${TITLE_EN}: signed out`),
    body: html`<section class="message-page">
  <h1>${t(page, '已退出', 'Signed out')}</h1>
  <p class="lead">${clientName ? t(page, `您已退出“${clientName}”的统一身份认证登录。`, `You have signed out of “${clientName}”.`) : t(page, '您已退出统一身份认证登录。', 'You have signed out of single sign-on.')}</p>
  <p><a href="/">${t(page, '返回首页', 'Back to home')}</a></p>
</section>`,
  });
}
