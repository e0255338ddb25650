import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { CONTACT_LABEL, VERIFIED_LEVEL, type ContactDetails, type ProfileView } from '../applicant-profile.ts';

const EN: Record<string, string> = {
  name: 'Name',
  idNumber: 'ID number',
  mobile: 'Mobile',
  enterpriseName: 'Organisation',
  uscc: 'Unified social credit code',
  legalRepresentative: 'Legal representative',
  legalRepIdNumber: 'Legal representative’s ID number',
  email: 'Email',
  address: 'Contact address',
  contactPerson: 'Contact person',
  contactPhone: 'Contact phone',
  domicile: 'Registered address',
};
const HINT: Partial<Record<keyof ContactDetails, [string, string]>> = {
  contactPhone: ['手机号码或带区号的固定电话', 'A mobile or a landline with area code'],
  address: ['办理结果邮寄、联系您时使用', 'Used to post results and contact you'],
};
const AUTOCOMPLETE: Partial<Record<keyof ContactDetails, string>> = { email: 'email', address: 'street-address', contactPhone: 'tel', contactPerson: 'name' };

/** 我的资料: real-name data read-only (masked), the contact details editable; applications are prefilled from both. */
export function myProfilePage(page: PageContext, p: ProfileView, o: { values?: ContactDetails; errors?: FieldError[] } = {}): SafeHtml {
  const errors = o.errors ?? [];
  const values = o.values ?? p.contact;
  const labels = Object.fromEntries(p.editable.map((k) => [k, CONTACT_LABEL[k]]));
  return portalPage(page, {
    title: t(page, '我的资料', 'My details'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我的空间', 'My space'), href: '/account' }, { label: t(page, '我的资料', 'My details') }],
    body: html`<h1>${t(page, '我的资料', 'My details')}</h1>
<p>${t(page, '在线申请时，表单会自动填入这里的资料，不必重复填写。', 'Application forms are filled in from these details, so you need not type them again.')}</p>
${errorSummary(errors, labels)}
<section class="card" aria-labelledby="identity-title">
<h2 id="identity-title">${p.realNameLevel >= VERIFIED_LEVEL ? t(page, '实名信息（已核验，不可修改）', 'Verified identity (cannot be changed)') : t(page, '注册信息', 'Registration details')}</h2>
<dl class="facts">${p.identity.map((r) => html`<dt>${t(page, r.label, EN[r.key] ?? r.label)}</dt><dd>${r.value || t(page, '未填写', 'Not given')}</dd>`)}</dl>
<p class="muted">${t(page, '号码已部分隐藏；可在“我的账号”中查看完整号码（会记录在审计日志中）。', 'Numbers are partly hidden; you can show them in full on your account page (this is logged).')}</p>
</section>
<form method="post" action="/account/profile" class="card stack" novalidate>
${csrfField(page)}<input type="hidden" name="version" value="${p.version}">
<h2>${t(page, '联系信息', 'Contact details')}</h2>
${p.editable.map((k) => {
  const hint = HINT[k];
  return textField({
    name: k,
    label: t(page, CONTACT_LABEL[k], EN[k] ?? k),
    value: values[k] ?? '',
    maxLength: k === 'address' || k === 'domicile' ? 200 : k === 'email' ? 100 : k === 'contactPhone' ? 20 : 30,
    type: k === 'email' ? 'email' : k === 'contactPhone' ? 'tel' : 'text',
    errors,
    ...(AUTOCOMPLETE[k] ? { autocomplete: AUTOCOMPLETE[k] } : {}),
    ...(hint ? { hint: t(page, hint[0], hint[1]) } : {}),
  });
})}
${p.updatedAt ? html`<p class="muted">${t(page, `上次保存：${formatDateTime(new Date(p.updatedAt))}`, `Last saved ${formatDateTime(new Date(p.updatedAt))}`)}</p>` : ''}
<button type="submit">${t(page, '保存资料', 'Save')}</button>
</form>`,
  });
}
