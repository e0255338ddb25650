import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';

/** Field names → Chinese labels, for the error summary of each form. */
export const LOGIN_LABELS = { login: '账号', password: '密码', code: '动态验证码' };
export const CITIZEN_LABELS = {
  name: '姓名',
  idNumber: '公民身份号码',
  mobile: '手机号码',
  loginName: '用户名',
  password: '密码',
  passwordConfirm: '确认密码',
};
export const ENTERPRISE_LABELS = {
  uscc: '统一社会信用代码',
  enterpriseName: '企业名称',
  legalRepName: '法定代表人姓名',
  legalRepIdNumber: '法定代表人身份证号码',
  password: '密码',
  passwordConfirm: '确认密码',
};
export const RESET_LABELS = { login: '账号', code: '短信验证码', newPassword: '新密码', newPasswordConfirm: '确认新密码' };

export interface FormState {
  values: Record<string, unknown>;
  errors: FieldError[];
  /** A refusal that belongs to no single field (e.g. locked account). */
  message?: string | null;
}

const PASSWORD_HINT = '至少 10 位，包含大写字母、小写字母、数字、符号中的至少 3 类；不能包含用户名、身份证号码或手机号码';

function value(state: FormState, name: string): string {
  const v = state.values[name];
  return typeof v === 'string' ? v : '';
}

function alert(message: string | null | undefined): SafeHtml {
  return message ? html`<div class="error-summary" role="alert"><p>${message}</p></div>` : html``;
}

export function loginPage(page: PageContext, state: FormState & { next: string }): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: '登录',
    crumbs: [{ label: '首页', href: '/' }, { label: '登录' }],
    body: html`<h1>登录</h1>
${alert(state.message)}
${errorSummary(e, LOGIN_LABELS)}
<form method="post" action="/login" class="stack card" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="next" value="${state.next}">
  ${textField({ name: 'login', label: '账号', hint: '用户名、手机号码或身份证号码；法人用户填写统一社会信用代码', value: value(state, 'login'), required: true, maxLength: 64, autocomplete: 'username', errors: e })}
  ${textField({ name: 'password', label: '密码', type: 'password', required: true, maxLength: 128, autocomplete: 'current-password', errors: e })}
  <button type="submit">登录</button>
</form>
<p><a href="/password/reset">忘记密码？</a> · 还没有账号？<a href="/register">个人注册</a> · <a href="/register/enterprise">法人注册</a></p>`,
  });
}

export function totpPage(page: PageContext, state: FormState): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: '动态口令验证',
    crumbs: [{ label: '首页', href: '/' }, { label: '登录', href: '/login' }, { label: '动态口令验证' }],
    body: html`<h1>动态口令验证</h1>
<p class="lead">您的账号已启用动态口令。请打开验证器应用，输入当前显示的 6 位数字；手机不在身边时，可输入一个恢复码（每个只能用一次）。</p>
${alert(state.message)}
${errorSummary(e, LOGIN_LABELS)}
<form method="post" action="/login/totp" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'code', label: '动态验证码或恢复码', hint: '例如 123456，或恢复码 abcde-23456', required: true, maxLength: 20, autocomplete: 'one-time-code', errors: e })}
  <button type="submit">验证并登录</button>
</form>
<form method="post" action="/logout" class="inline-form">${csrfField(page)}<button type="submit" class="link-button">取消，重新登录</button></form>`,
  });
}

export function registerCitizenPage(page: PageContext, state: FormState): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: '个人用户注册',
    crumbs: [{ label: '首页', href: '/' }, { label: '个人用户注册' }],
    body: html`<h1>个人用户注册</h1>
<p>注册后可在线办事、查询办件进度。法人用户请<a href="/register/enterprise">在此注册</a>。</p>
${alert(state.message)}
${errorSummary(e, CITIZEN_LABELS)}
<form method="post" action="/register" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'name', label: '姓名', hint: '与身份证上的姓名一致', value: value(state, 'name'), required: true, maxLength: 30, autocomplete: 'name', errors: e })}
  ${textField({ name: 'idNumber', label: '公民身份号码', hint: '18 位，最后一位可能是 X', value: value(state, 'idNumber'), required: true, maxLength: 24, autocomplete: 'off', errors: e })}
  ${textField({ name: 'mobile', label: '手机号码', hint: '用于找回密码和接收办件通知', type: 'tel', value: value(state, 'mobile'), required: true, maxLength: 20, autocomplete: 'tel', errors: e })}
  ${textField({ name: 'loginName', label: '用户名（选填）', hint: '4–32 位，以字母开头；不填时系统会分配一个，您也可以用手机号码或身份证号码登录', value: value(state, 'loginName'), maxLength: 32, autocomplete: 'username', errors: e })}
  ${textField({ name: 'password', label: '密码', hint: PASSWORD_HINT, type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  ${textField({ name: 'passwordConfirm', label: '确认密码', type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  <button type="submit">注册</button>
</form>
<p>已有账号？<a href="/login">直接登录</a></p>`,
  });
}

export function registerEnterprisePage(page: PageContext, state: FormState): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: '法人用户注册',
    crumbs: [{ label: '首页', href: '/' }, { label: '法人用户注册' }],
    body: html`<h1>法人用户注册</h1>
<p>企业、社会组织等法人用户以统一社会信用代码作为登录账号。个人用户请<a href="/register">在此注册</a>。</p>
${alert(state.message)}
${errorSummary(e, ENTERPRISE_LABELS)}
<form method="post" action="/register/enterprise" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'uscc', label: '统一社会信用代码', hint: '18 位，见营业执照', value: value(state, 'uscc'), required: true, maxLength: 24, autocomplete: 'off', errors: e })}
  ${textField({ name: 'enterpriseName', label: '企业名称', value: value(state, 'enterpriseName'), required: true, maxLength: 100, autocomplete: 'organization', errors: e })}
  ${textField({ name: 'legalRepName', label: '法定代表人姓名', value: value(state, 'legalRepName'), required: true, maxLength: 30, errors: e })}
  ${textField({ name: 'legalRepIdNumber', label: '法定代表人身份证号码', value: value(state, 'legalRepIdNumber'), required: true, maxLength: 24, autocomplete: 'off', errors: e })}
  ${textField({ name: 'password', label: '密码', hint: PASSWORD_HINT, type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  ${textField({ name: 'passwordConfirm', label: '确认密码', type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  <button type="submit">注册</button>
</form>`,
  });
}

export function resetRequestPage(page: PageContext, state: FormState): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: '找回密码',
    crumbs: [{ label: '首页', href: '/' }, { label: '登录', href: '/login' }, { label: '找回密码' }],
    body: html`<h1>找回密码</h1>
<p>填写账号后，我们会向账号绑定的手机号码发送验证码，15 分钟内有效。工作人员和法人用户请联系管理员重置。</p>
${errorSummary(e, RESET_LABELS)}
<form method="post" action="/password/reset" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'login', label: '账号', hint: '用户名、手机号码或身份证号码', value: value(state, 'login'), required: true, maxLength: 64, autocomplete: 'username', errors: e })}
  <button type="submit">发送验证码</button>
</form>`,
  });
}

export function resetConfirmPage(page: PageContext, state: FormState & { ticket: string }): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: '设置新密码',
    crumbs: [{ label: '首页', href: '/' }, { label: '找回密码', href: '/password/reset' }, { label: '设置新密码' }],
    body: html`<h1>设置新密码</h1>
<p class="lead">如果该账号已注册并绑定了手机号码，验证码已发送，15 分钟内有效。没有收到？可稍后<a href="/password/reset">重新获取</a>。</p>
${errorSummary(e, RESET_LABELS)}
<form method="post" action="/password/reset/confirm" class="stack card" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="ticket" value="${state.ticket}">
  ${textField({ name: 'code', label: '短信验证码', value: value(state, 'code'), required: true, maxLength: 10, autocomplete: 'one-time-code', errors: e })}
  ${textField({ name: 'newPassword', label: '新密码', hint: PASSWORD_HINT, type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  ${textField({ name: 'newPasswordConfirm', label: '确认新密码', type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  <button type="submit">设置新密码</button>
</form>`,
  });
}
