import type { FieldError } from '../../../platform/errors.ts';
import { ROLE_LABELS } from '../../../platform/auth/permissions.ts';
import { errorSummary, textField } from '../../../platform/views/forms.ts';
import { html, raw, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage, type PageOptions } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
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

function revealable(page: PageContext, field: RevealableField, masked: string, shown: { field: RevealableField; value: string } | null): SafeHtml {
  if (shown && shown.field === field) return html`<span class="revealed">${shown.value}</span> <span class="muted">（本次查看已记录）</span>`;
  return html`${masked}
<form method="post" action="/account/reveal" class="inline-form">${csrfField(page)}<input type="hidden" name="field" value="${field}"><button type="submit" class="link-button">显示完整号码</button></form>`;
}

export function profilePage(page: PageContext, p: AccountProfile, shown: { field: RevealableField; value: string } | null = null): SafeHtml {
  const rows: SafeHtml[] = [
    html`<tr><th scope="row">账号类型</th><td>${KIND[p.kind]}</td></tr>`,
    html`<tr><th scope="row">用户名</th><td>${p.loginName}</td></tr>`,
    html`<tr><th scope="row">${p.kind === 'enterprise' ? '企业名称' : '姓名'}</th><td>${p.displayName}</td></tr>`,
    html`<tr><th scope="row">实名等级</th><td>${LEVEL[p.realNameLevel]}</td></tr>`,
  ];
  if (p.person) {
    rows.push(html`<tr><th scope="row">公民身份号码</th><td>${revealable(page, 'idNumber', p.person.idNumberMasked, shown)}</td></tr>`);
    rows.push(html`<tr><th scope="row">手机号码</th><td>${p.person.mobileMasked ? revealable(page, 'mobile', p.person.mobileMasked, shown) : '未绑定'}</td></tr>`);
    rows.push(html`<tr><th scope="row">性别</th><td>${GENDER[p.person.genderCode] ?? ''}</td></tr>`);
    rows.push(html`<tr><th scope="row">出生日期</th><td>${p.person.birthDate}</td></tr>`);
  }
  if (p.enterprise) {
    rows.push(html`<tr><th scope="row">统一社会信用代码</th><td>${p.enterprise.uscc}</td></tr>`);
    rows.push(html`<tr><th scope="row">法定代表人</th><td>${p.enterprise.legalRepName}</td></tr>`);
    rows.push(html`<tr><th scope="row">法定代表人身份证号码</th><td>${revealable(page, 'legalRepIdNumber', p.enterprise.legalRepIdMasked, shown)}</td></tr>`);
  }
  if (p.positions.length > 0) {
    rows.push(
      html`<tr><th scope="row">岗位</th><td><ul>${p.positions.map((x) => html`<li>${x.organisationName}（${x.jurisdictionName}）：${x.roles.map((r) => ROLE_LABELS[r]).join('、')}</li>`)}</ul></td></tr>`,
    );
  }
  return accountShell(page, {
    title: '我的账号',
    crumbs: [{ label: '首页', href: '/' }, { label: '我的账号' }],
    body: html`<h1>我的账号</h1>
<table class="card"><caption class="visually-hidden">账号信息</caption><tbody>${rows}</tbody></table>
<p class="muted">为保护个人信息，号码默认部分隐藏；查看完整号码会记录在审计日志中。</p>
<ul>
  <li><a href="/account/password">修改密码</a></li>
  <li><a href="/account/security">账号安全（动态口令）</a></li>
</ul>`,
  });
}

export const PASSWORD_LABELS = { currentPassword: '当前密码', newPassword: '新密码', newPasswordConfirm: '确认新密码' };

export function changePasswordPage(page: PageContext, errors: FieldError[]): SafeHtml {
  return accountShell(page, {
    title: '修改密码',
    crumbs: [{ label: '我的账号', href: '/account' }, { label: '修改密码' }],
    body: html`<h1>修改密码</h1>
${errorSummary(errors, PASSWORD_LABELS)}
<form method="post" action="/account/password" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'currentPassword', label: '当前密码', type: 'password', required: true, maxLength: 128, autocomplete: 'current-password', errors })}
  ${textField({ name: 'newPassword', label: '新密码', hint: '至少 10 位，包含大写字母、小写字母、数字、符号中的至少 3 类', type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors })}
  ${textField({ name: 'newPasswordConfirm', label: '确认新密码', type: 'password', required: true, maxLength: 128, autocomplete: 'new-password', errors })}
  <button type="submit">修改密码</button>
</form>
<p class="muted">修改后，您在其他设备上的登录会被退出。</p>`,
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
    body = html`<p><span class="badge ok">已启用</span> 登录时需要输入验证器应用中的动态验证码。</p>
<p>剩余可用恢复码：${s.unusedRecoveryCodes} 个。${s.unusedRecoveryCodes <= 3 ? '恢复码不多了，可停用后重新绑定以获得新的恢复码。' : ''}</p>
<h2>停用动态口令</h2>
${errorSummary(errors, labels)}
<form method="post" action="/account/security/totp/disable" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'password', label: '当前密码', type: 'password', required: true, maxLength: 128, autocomplete: 'current-password', errors })}
  <button type="submit" class="danger">停用动态口令</button>
</form>`;
  } else if (s.pending) {
    body = html`<ol>
  <li>在手机上安装支持 TOTP 的验证器应用（如 Google Authenticator、Microsoft Authenticator、FreeOTP）。</li>
  <li>用应用扫描下面的二维码；无法扫码时，手动输入密钥。</li>
  <li>输入应用显示的 6 位验证码，完成绑定。</li>
</ol>
<figure class="card totp-qr" role="img" aria-label="动态口令绑定二维码">${raw(s.pending.qrSvg)}</figure>
<p>密钥（手动输入）：<code>${s.pending.secret.replace(/(.{4})/g, '$1 ').trim()}</code></p>
<details><summary>显示绑定链接（otpauth）</summary><p><code style="overflow-wrap:anywhere">${s.pending.uri}</code></p></details>
${errorSummary(errors, labels)}
<form method="post" action="/account/security/totp/confirm" class="stack card" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'code', label: '验证码', hint: '验证器应用中当前显示的 6 位数字', required: true, maxLength: 10, autocomplete: 'one-time-code', errors })}
  <button type="submit">完成绑定</button>
</form>`;
  } else {
    body = html`<p><span class="badge">未启用</span> 启用后，登录时除密码外还需输入手机验证器应用生成的动态验证码。</p>
<form method="post" action="/account/security/totp" class="inline-form">${csrfField(page)}<button type="submit">开始绑定动态口令</button></form>`;
  }
  return accountShell(page, {
    title: '账号安全',
    crumbs: [{ label: '我的账号', href: '/account' }, { label: '账号安全' }],
    body: html`<h1>账号安全</h1>
${s.mustEnrol ? html`<div class="error-summary" role="alert"><p>您的账号担任管理员角色，须先绑定动态口令（TOTP）才能使用工作台。</p></div>` : ''}
<h2>动态口令（双因素认证）</h2>
${body}
<p><a href="/account/password">修改密码</a></p>`,
  });
}

export function recoveryCodesPage(page: PageContext, codes: string[]): SafeHtml {
  return accountShell(page, {
    title: '恢复码',
    crumbs: [{ label: '我的账号', href: '/account' }, { label: '账号安全', href: '/account/security' }, { label: '恢复码' }],
    body: html`<h1>动态口令已启用</h1>
<p class="lead">请把下面 ${codes.length} 个恢复码抄写或打印后妥善保管。手机丢失时，可用恢复码代替动态验证码登录，每个只能使用一次。<strong>恢复码只显示这一次。</strong></p>
<ul class="card recovery-codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
<p><a class="button" href="/account/security">我已保存恢复码</a></p>`,
  });
}
