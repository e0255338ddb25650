import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';

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

function passwordHint(page: PageContext): string {
  return t(
    page,
    '至少 10 位，包含大写字母、小写字母、数字、符号中的至少 3 类；不能包含用户名、身份证号码或手机号码',
    'At least 10 characters, using at least 3 of: capital letters, small letters, numbers, symbols. Must not contain your username, ID number or mobile number',
  );
}

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
    title: t(page, '登录', 'Sign in'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '登录', 'Sign in') }],
    body: html`<h1>${t(page, '登录', 'Sign in')}</h1>
${alert(state.message)}
${errorSummary(e, LOGIN_LABELS)}
<form method="post" action="/login" class="stack card" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="next" value="${state.next}">
  ${textField({ name: 'login', label: t(page, '账号', 'Account'), hint: t(page, '用户名、手机号码或身份证号码；法人用户填写统一社会信用代码', 'Username, mobile number or citizen ID number. Organisations: unified social credit code'), value: value(state, 'login'), required: true, maxLength: 64, autocomplete: 'username', errors: e })}
  ${textField({ name: 'password', label: t(page, '密码', 'Password'), type: 'password', required: true, maxLength: 128, autocomplete: 'current-password', errors: e })}
  <button type="submit">${t(page, '登录', 'Sign in')}</button>
</form>
<p><a href="/password/reset">${t(page, '忘记密码？', 'Forgotten your password?')}</a> · ${t(page, '还没有账号？', 'No account yet?')}<a href="/register">${t(page, '个人注册', 'Register as an individual')}</a> · <a href="/register/enterprise">${t(page, '法人注册', 'Register an organisation')}</a></p>`,
  });
}

export function totpPage(page: PageContext, state: FormState): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: t(page, '动态口令验证', 'Two-step verification'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '登录', 'Sign in'), href: '/login' }, { label: t(page, '动态口令验证', 'Two-step verification') }],
    body: html`<h1>${t(page, '动态口令验证', 'Two-step verification')}</h1>
<p class="lead">${t(page, '您的账号已启用动态口令。请打开验证器应用，输入当前显示的 6 位数字；手机不在身边时，可输入一个恢复码（每个只能用一次）。', 'Your account uses two-step verification. Open your authenticator app and enter the 6-digit code it shows. If you do not have your phone, enter a recovery code (each can be used once).')}</p>
${alert(state.message)}
${errorSummary(e, LOGIN_LABELS)}
<form method="post" action="/login/totp" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'code', label: t(page, '动态验证码或恢复码', 'Two-step verification code or recovery code'), hint: t(page, '例如 123456，或恢复码 abcde-23456', 'For example 123456, or recovery code abcde-23456'), required: true, maxLength: 20, autocomplete: 'one-time-code', errors: e })}
  <button type="submit">${t(page, '验证并登录', 'Verify and sign in')}</button>
</form>
<form method="post" action="/logout" class="inline-form">${csrfField(page)}<button type="submit" class="link-button">${t(page, '取消，重新登录', 'Cancel and sign in again')}</button></form>`,
  });
}

export function registerCitizenPage(page: PageContext, state: FormState): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: t(page, '个人用户注册', 'Register as an individual'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '个人用户注册', 'Register as an individual') }],
    body: html`<h1>${t(page, '个人用户注册', 'Register as an individual')}</h1>
<p>${t(page, '注册后可在线办事、查询办件进度。法人用户请', 'Register to apply for services online and track your applications. Organisations should ')}<a href="/register/enterprise">${t(page, '在此注册', 'register here')}</a>${t(page, '。', '.')}</p>
${alert(state.message)}
${errorSummary(e, CITIZEN_LABELS)}
<form method="post" action="/register" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'name', label: t(page, '姓名', 'Full name'), hint: t(page, '与身份证上的姓名一致', 'As shown on your ID card'), value: value(state, 'name'), required: true, maxLength: 30, autocomplete: 'name', errors: e })}
  ${textField({ name: 'idNumber', label: t(page, '公民身份号码', 'Citizen ID number'), hint: t(page, '18 位，最后一位可能是 X', '18 characters; the last may be X'), value: value(state, 'idNumber'), required: true, maxLength: 24, autocomplete: 'off', errors: e })}
  ${textField({ name: 'mobile', label: t(page, '手机号码', 'Mobile number'), hint: t(page, '用于找回密码和接收办件通知', 'Used to reset your password and to notify you about applications'), type: 'tel', value: value(state, 'mobile'), required: true, maxLength: 20, autocomplete: 'tel', errors: e })}
  ${textField({ name: 'loginName', label: t(page, '用户名（选填）', 'Username (optional)'), hint: t(page, '4–32 位，以字母开头；不填时系统会分配一个，您也可以用手机号码或身份证号码登录', '4–32 characters, starting with a letter. If left blank we will assign one; you can also sign in with your mobile or ID number'), value: value(state, 'loginName'), maxLength: 32, autocomplete: 'username', errors: e })}
  ${textField({ name: 'password', label: t(page, '密码', 'Password'), hint: passwordHint(page), type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  ${textField({ name: 'passwordConfirm', label: t(page, '确认密码', 'Confirm password'), type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  <button type="submit">${t(page, '注册', 'Register')}</button>
</form>
<p>${t(page, '已有账号？', 'Already registered?')}<a href="/login">${t(page, '直接登录', 'Sign in')}</a></p>`,
  });
}

export function registerEnterprisePage(page: PageContext, state: FormState): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: t(page, '法人用户注册', 'Register an organisation'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '法人用户注册', 'Register an organisation') }],
    body: html`<h1>${t(page, '法人用户注册', 'Register an organisation')}</h1>
<p>${t(page, '企业、社会组织等法人用户以统一社会信用代码作为登录账号。个人用户请', 'Companies, social organisations and other legal persons sign in with their unified social credit code. Individuals should ')}<a href="/register">${t(page, '在此注册', 'register here')}</a>${t(page, '。', '.')}</p>
${alert(state.message)}
${errorSummary(e, ENTERPRISE_LABELS)}
<form method="post" action="/register/enterprise" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'uscc', label: t(page, '统一社会信用代码', 'Unified social credit code'), hint: t(page, '18 位，见营业执照', '18 characters, shown on the business licence'), value: value(state, 'uscc'), required: true, maxLength: 24, autocomplete: 'off', errors: e })}
  ${textField({ name: 'enterpriseName', label: t(page, '企业名称', 'Organisation name'), value: value(state, 'enterpriseName'), required: true, maxLength: 100, autocomplete: 'organization', errors: e })}
  ${textField({ name: 'legalRepName', label: t(page, '法定代表人姓名', 'Legal representative’s name'), value: value(state, 'legalRepName'), required: true, maxLength: 30, errors: e })}
  ${textField({ name: 'legalRepIdNumber', label: t(page, '法定代表人身份证号码', 'Legal representative’s ID number'), value: value(state, 'legalRepIdNumber'), required: true, maxLength: 24, autocomplete: 'off', errors: e })}
  ${textField({ name: 'password', label: t(page, '密码', 'Password'), hint: passwordHint(page), type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  ${textField({ name: 'passwordConfirm', label: t(page, '确认密码', 'Confirm password'), type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  <button type="submit">${t(page, '注册', 'Register')}</button>
</form>`,
  });
}

export function resetRequestPage(page: PageContext, state: FormState): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: t(page, '找回密码', 'Reset your password'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '登录', 'Sign in'), href: '/login' }, { label: t(page, '找回密码', 'Reset your password') }],
    body: html`<h1>${t(page, '找回密码', 'Reset your password')}</h1>
<p>${t(page, '填写账号后，我们会向账号绑定的手机号码发送验证码，15 分钟内有效。工作人员和法人用户请联系管理员重置。', 'Enter your account and we will text a code to the mobile number linked to it. The code is valid for 15 minutes. Staff and organisation users should ask an administrator to reset their password.')}</p>
${errorSummary(e, RESET_LABELS)}
<form method="post" action="/password/reset" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'login', label: t(page, '账号', 'Account'), hint: t(page, '用户名、手机号码或身份证号码', 'Username, mobile number or citizen ID number'), value: value(state, 'login'), required: true, maxLength: 64, autocomplete: 'username', errors: e })}
  <button type="submit">${t(page, '发送验证码', 'Send code')}</button>
</form>`,
  });
}

export function resetConfirmPage(page: PageContext, state: FormState & { ticket: string }): SafeHtml {
  const e = state.errors;
  return portalPage(page, {
    title: t(page, '设置新密码', 'Set a new password'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '找回密码', 'Reset your password'), href: '/password/reset' }, { label: t(page, '设置新密码', 'Set a new password') }],
    body: html`<h1>${t(page, '设置新密码', 'Set a new password')}</h1>
<p class="lead">${t(page, '如果该账号已注册并绑定了手机号码，验证码已发送，15 分钟内有效。没有收到？可稍后', 'If the account exists and has a mobile number, we have sent a code, valid for 15 minutes. Not received it? You can ')}<a href="/password/reset">${t(page, '重新获取', 'request a new code')}</a>${t(page, '。', ' later.')}</p>
${errorSummary(e, RESET_LABELS)}
<form method="post" action="/password/reset/confirm" class="stack card" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="ticket" value="${state.ticket}">
  ${textField({ name: 'code', label: t(page, '短信验证码', 'Text message code'), value: value(state, 'code'), required: true, maxLength: 10, autocomplete: 'one-time-code', errors: e })}
  ${textField({ name: 'newPassword', label: t(page, '新密码', 'New password'), hint: passwordHint(page), type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  ${textField({ name: 'newPasswordConfirm', label: t(page, '确认新密码', 'Confirm new password'), type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors: e })}
  <button type="submit">${t(page, '设置新密码', 'Set new password')}</button>
</form>`,
  });
}
