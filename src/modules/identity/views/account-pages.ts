import type { FieldError } from '../../../platform/errors.ts';
import { ROLE_LABELS } from '../../../platform/auth/permissions.ts';
import { errorSummary, textField } from '../../../platform/views/forms.ts';
import { html, raw, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage, type PageOptions } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { RevealableField } from '../commands/reveal-personal-data.ts';
import type { AccountProfile } from '../presenters.ts';

/** Staff see their account pages in the workbench shell, everyone else in the portal. */
export function accountShell(page: PageContext, opts: PageOptions): SafeHtml {
  return page.actor.kind === 'staff' ? workbenchPage(page, opts) : portalPage(page, opts);
}

const GENDER: Record<string, string> = { '0': '未知', '1': '男', '2': '女', '9': '未说明' };
const LEVEL: Record<number, string> = {
  0: 'L0 未实名',
  1: 'L1 手机号已验证',
  2: 'L2 身份信息已核验',
  3: 'L3 真人核验',
  4: 'L4 现场核验或数字证书',
};
const KIND: Record<string, string> = { citizen: '个人用户', enterprise: '法人用户', staff: '工作人员' };
const GENDER_EN: Record<string, string> = { '0': 'Unknown', '1': 'Male', '2': 'Female', '9': 'Not stated' };
const LEVEL_EN: Record<number, string> = {
  0: 'L0 Not verified',
  1: 'L1 Mobile number verified',
  2: 'L2 Identity details checked',
  3: 'L3 Verified in person (biometric)',
  4: 'L4 Verified at a service counter or by digital certificate',
};
const KIND_EN: Record<string, string> = { citizen: 'Individual', enterprise: 'Organisation', staff: 'Staff' };

function revealable(page: PageContext, field: RevealableField, masked: string, shown: { field: RevealableField; value: string } | null): SafeHtml {
  if (shown && shown.field === field) return html`<span class="revealed">${shown.value}</span> <span class="muted">${t(page, '（本次查看已记录）', '(this viewing has been logged)')}</span>`;
  return html`${masked}
<form method="post" action="/account/reveal" class="inline-form">${csrfField(page)}<input type="hidden" name="field" value="${field}"><button type="submit" class="link-button">${t(page, '显示完整号码', 'Show full number')}</button></form>`;
}

export function profilePage(page: PageContext, p: AccountProfile, shown: { field: RevealableField; value: string } | null = null): SafeHtml {
  const rows: SafeHtml[] = [
    html`<tr><th scope="row">${t(page, '账号类型', 'Account type')}</th><td>${t(page, KIND[p.kind] ?? p.kind, KIND_EN[p.kind] ?? p.kind)}</td></tr>`,
    html`<tr><th scope="row">${t(page, '用户名', 'Username')}</th><td>${p.loginName}</td></tr>`,
    html`<tr><th scope="row">${p.kind === 'enterprise' ? t(page, '企业名称', 'Organisation name') : t(page, '姓名', 'Name')}</th><td>${p.displayName}</td></tr>`,
    html`<tr><th scope="row">${t(page, '实名等级', 'Identity assurance level')}</th><td>${t(page, LEVEL[p.realNameLevel] ?? '', LEVEL_EN[p.realNameLevel] ?? '')}</td></tr>`,
  ];
  if (p.person) {
    rows.push(html`<tr><th scope="row">${t(page, '公民身份号码', 'Citizen ID number')}</th><td>${revealable(page, 'idNumber', p.person.idNumberMasked, shown)}</td></tr>`);
    rows.push(html`<tr><th scope="row">${t(page, '手机号码', 'Mobile number')}</th><td>${p.person.mobileMasked ? revealable(page, 'mobile', p.person.mobileMasked, shown) : t(page, '未绑定', 'Not linked')}</td></tr>`);
    rows.push(html`<tr><th scope="row">${t(page, '性别', 'Sex')}</th><td>${t(page, GENDER[p.person.genderCode] ?? '', GENDER_EN[p.person.genderCode] ?? '')}</td></tr>`);
    rows.push(html`<tr><th scope="row">${t(page, '出生日期', 'Date of birth')}</th><td>${p.person.birthDate}</td></tr>`);
  }
  if (p.enterprise) {
    rows.push(html`<tr><th scope="row">${t(page, '统一社会信用代码', 'Unified social credit code')}</th><td>${p.enterprise.uscc}</td></tr>`);
    rows.push(html`<tr><th scope="row">${t(page, '法定代表人', 'Legal representative')}</th><td>${p.enterprise.legalRepName}</td></tr>`);
    rows.push(html`<tr><th scope="row">${t(page, '法定代表人身份证号码', 'Legal representative’s ID number')}</th><td>${revealable(page, 'legalRepIdNumber', p.enterprise.legalRepIdMasked, shown)}</td></tr>`);
  }
  if (p.positions.length > 0) {
    rows.push(
      html`<tr><th scope="row">${t(page, '岗位', 'Positions')}</th><td><ul>${p.positions.map((x) => html`<li>${x.organisationName}（${x.jurisdictionName}）：${x.roles.map((r) => ROLE_LABELS[r]).join('、')}</li>`)}</ul></td></tr>`,
    );
  }
  return accountShell(page, {
    title: t(page, '我的账号', 'Your account'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我的账号', 'Your account') }],
    body: html`<h1>${t(page, '我的账号', 'Your account')}</h1>
<table class="card"><caption class="visually-hidden">${t(page, '账号信息', 'Account details')}</caption><tbody>${rows}</tbody></table>
<p class="muted">${t(page, '为保护个人信息，号码默认部分隐藏；查看完整号码会记录在审计日志中。', 'To protect your personal data, numbers are partly hidden. Viewing a full number is recorded in the audit trail.')}</p>
${p.kind === 'staff' ? '' : html`<h2>${t(page, '我的办事', 'My services')}</h2>
<ul>
  <li><a href="/account/profile">${t(page, '我的资料', 'My details')}</a></li>
  <li><a href="/account/cases">${t(page, '我的办件', 'My cases')}</a></li>
  <li><a href="/account/drafts">${t(page, '我的草稿', 'My drafts')}</a></li>
  <li><a href="/account/materials">${t(page, '我的材料库', 'My documents')}</a></li>
  <li><a href="/appeals/mine">${t(page, '我的诉求', 'My appeals')}</a></li>
  <li><a href="/account/disclosure-requests">${t(page, '我的政府信息公开申请', 'My information requests')}</a></li>
  <li><a href="/account/inbox">${t(page, '站内消息', 'Messages')}</a></li>
</ul>`}
<h2>${t(page, '账号设置', 'Account settings')}</h2>
<ul>
  <li><a href="/account/password">${t(page, '修改密码', 'Change password')}</a></li>
  <li><a href="/account/security">${t(page, '账号安全（动态口令）', 'Account security (two-step verification)')}</a></li>
</ul>`,
  });
}

export const PASSWORD_LABELS = { currentPassword: '当前密码', newPassword: '新密码', newPasswordConfirm: '确认新密码' };

export function changePasswordPage(page: PageContext, errors: FieldError[]): SafeHtml {
  return accountShell(page, {
    title: t(page, '修改密码', 'Change password'),
    crumbs: [{ label: t(page, '我的账号', 'Your account'), href: '/account' }, { label: t(page, '修改密码', 'Change password') }],
    body: html`<h1>${t(page, '修改密码', 'Change password')}</h1>
${errorSummary(errors, PASSWORD_LABELS)}
<form method="post" action="/account/password" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'currentPassword', label: t(page, '当前密码', 'Current password'), type: 'password', required: true, maxLength: 128, autocomplete: 'current-password', errors })}
  ${textField({ name: 'newPassword', label: t(page, '新密码', 'New password'), hint: t(page, '至少 10 位，包含大写字母、小写字母、数字、符号中的至少 3 类', 'At least 10 characters, using at least 3 of: capital letters, small letters, numbers, symbols'), type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors })}
  ${textField({ name: 'newPasswordConfirm', label: t(page, '确认新密码', 'Confirm new password'), type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors })}
  <button type="submit">${t(page, '修改密码', 'Change password')}</button>
</form>
<p class="muted">${t(page, '修改后，您在其他设备上的登录会被退出。', 'After the change you will be signed out on your other devices.')}</p>`,
  });
}

export interface SecurityState {
  totpEnabled: boolean;
  /** Enrolment started: the secret to copy, its URI and QR code. */
  pending: { secret: string; uri: string; qrSvg: string } | null;
  unusedRecoveryCodes: number;
  mustEnrol: boolean;
}

export function securityPage(page: PageContext, s: SecurityState, errors: FieldError[] = []): SafeHtml {
  const labels = { code: '验证码', password: '密码' };
  let body: SafeHtml;
  if (s.totpEnabled) {
    body = html`<p><span class="badge ok">${t(page, '已启用', 'On')}</span> ${t(page, '登录时需要输入验证器应用中的动态验证码。', 'When you sign in you need to enter a code from your authenticator app.')}</p>
<p>${t(page, `剩余可用恢复码：${s.unusedRecoveryCodes} 个。`, `Recovery codes left: ${s.unusedRecoveryCodes}. `)}${s.unusedRecoveryCodes <= 3 ? t(page, '恢复码不多了，可停用后重新绑定以获得新的恢复码。', 'You are running low. Turn two-step verification off and set it up again to get new recovery codes.') : ''}</p>
<h2>${t(page, '停用动态口令', 'Turn off two-step verification')}</h2>
${errorSummary(errors, labels)}
<form method="post" action="/account/security/totp/disable" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'password', label: t(page, '当前密码', 'Current password'), type: 'password', required: true, maxLength: 128, autocomplete: 'current-password', errors })}
  <button type="submit" class="danger">${t(page, '停用动态口令', 'Turn off two-step verification')}</button>
</form>`;
  } else if (s.pending) {
    body = html`<ol>
  <li>${t(page, '在手机上安装支持 TOTP 的验证器应用（如 Google Authenticator、Microsoft Authenticator、FreeOTP）。', 'Install an authenticator app that supports TOTP on your phone (for example Google Authenticator, Microsoft Authenticator or FreeOTP).')}</li>
  <li>${t(page, '用应用扫描下面的二维码；无法扫码时，手动输入密钥。', 'Scan the QR code below with the app. If you cannot scan it, enter the key by hand.')}</li>
  <li>${t(page, '输入应用显示的 6 位验证码，完成绑定。', 'Enter the 6-digit code the app shows to finish.')}</li>
</ol>
<figure class="card totp-qr" role="img" aria-label="${t(page, '动态口令绑定二维码', 'QR code for setting up two-step verification')}">${raw(s.pending.qrSvg)}</figure>
<p>${t(page, '密钥（手动输入）：', 'Key (to enter by hand): ')}<code>${s.pending.secret.replace(/(.{4})/g, '$1 ').trim()}</code></p>
<details><summary>${t(page, '显示绑定链接（otpauth）', 'Show set-up link (otpauth)')}</summary><p><code style="overflow-wrap:anywhere">${s.pending.uri}</code></p></details>
${errorSummary(errors, labels)}
<form method="post" action="/account/security/totp/confirm" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'code', label: t(page, '验证码', 'Verification code'), hint: t(page, '验证器应用中当前显示的 6 位数字', 'The 6-digit number your authenticator app is showing now'), required: true, maxLength: 10, autocomplete: 'one-time-code', errors })}
  <button type="submit">${t(page, '完成绑定', 'Finish set-up')}</button>
</form>`;
  } else {
    body = html`<p><span class="badge">${t(page, '未启用', 'Off')}</span> ${t(page, '启用后，登录时除密码外还需输入手机验证器应用生成的动态验证码。', 'When on, you will need a code from an authenticator app on your phone as well as your password to sign in.')}</p>
<form method="post" action="/account/security/totp" class="inline-form">${csrfField(page)}<button type="submit">${t(page, '开始绑定动态口令', 'Set up two-step verification')}</button></form>`;
  }
  return accountShell(page, {
    title: t(page, '账号安全', 'Account security'),
    crumbs: [{ label: t(page, '我的账号', 'Your account'), href: '/account' }, { label: t(page, '账号安全', 'Account security') }],
    body: html`<h1>${t(page, '账号安全', 'Account security')}</h1>
${s.mustEnrol ? html`<div class="error-summary" role="alert"><p>${t(page, '您的账号担任管理员角色，须先绑定动态口令（TOTP）才能使用工作台。', 'Your account has an administrator role. Set up two-step verification (TOTP) before using the workbench.')}</p></div>` : ''}
<h2>${t(page, '动态口令（双因素认证）', 'Two-step verification (2FA)')}</h2>
${body}
<p><a href="/account/password">${t(page, '修改密码', 'Change password')}</a></p>`,
  });
}

export function recoveryCodesPage(page: PageContext, codes: string[]): SafeHtml {
  return accountShell(page, {
    title: t(page, '恢复码', 'Recovery codes'),
    crumbs: [{ label: t(page, '我的账号', 'Your account'), href: '/account' }, { label: t(page, '账号安全', 'Account security'), href: '/account/security' }, { label: t(page, '恢复码', 'Recovery codes') }],
    body: html`<h1>${t(page, '动态口令已启用', 'Two-step verification is on')}</h1>
<p class="lead">${t(page, `请把下面 ${codes.length} 个恢复码抄写或打印后妥善保管。手机丢失时，可用恢复码代替动态验证码登录，每个只能使用一次。`, `Write down or print these ${codes.length} recovery codes and keep them safe. If you lose your phone, you can sign in with a recovery code instead of a verification code. Each code works once. `)}<strong>${t(page, '恢复码只显示这一次。', 'You will only see these codes once.')}</strong></p>
<ul class="card recovery-codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
<p><a class="button" href="/account/security">${t(page, '我已保存恢复码', 'I have saved my recovery codes')}</a></p>`,
  });
}
