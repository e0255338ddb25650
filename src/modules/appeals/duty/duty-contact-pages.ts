import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { DutyContact } from './duty-contact.repository.ts';

export const DUTY_FIELD_LABELS: Record<string, string> = { dutyMobile: '值班手机', dutyEmail: '值班邮箱', version: '版本' };

const crumbs = (page: PageContext, ...rest: { label: string; href?: string }[]) => [
  { label: t(page, '工作台', 'Workbench'), href: '/workbench' },
  { label: t(page, '诉求工单', 'Appeals'), href: '/workbench/appeals' },
  ...rest,
];
const v = (values: Record<string, unknown>, k: string): string => {
  const x = values[k];
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : '';
};
/** Contact data is personal: lists show it masked; the form (for the unit's own head) shows it in full. */
const maskMobile = (m: string) => (m ? `${m.slice(0, 3)}****${m.slice(-4)}` : '—');
const maskEmail = (e: string) => {
  if (!e) return '—';
  const [name = '', domain = ''] = e.split('@');
  return `${name.slice(0, 1)}***@${domain}`;
};

export function dutyContactsPage(page: PageContext, o: { rows: DutyContact[]; total: number; page: number; pageSize: number; centreName: string | null }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '值班联系方式', 'Duty contacts'),
    crumbs: crumbs(page, { label: t(page, '值班联系方式', 'Duty contacts') }),
    body: html`<h1>${t(page, '承办单位值班联系方式', 'Duty contacts of handling units')}</h1>
<p class="muted">${t(page, '工单超期时，超期通知除站内消息外，还以短信和邮件发送到单位的值班手机和值班邮箱。', 'When a ticket is overdue, the notice also goes by SMS and email to the unit’s duty mobile and email.')}
${o.centreName ? t(page, `您可以维护“${o.centreName}”管辖范围内各单位的值班联系方式。`, ` You may edit the units under ${o.centreName}.`) : t(page, '您可以维护本单位的值班联系方式。', ' You may edit your own unit’s contacts.')}</p>
${o.rows.length === 0
  ? html`<p class="empty">${t(page, '没有可维护的单位。', 'No units to edit.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '值班联系方式', 'Duty contacts')}</caption><thead><tr><th scope="col">${t(page, '单位', 'Unit')}</th><th scope="col">${t(page, '值班手机', 'Duty mobile')}</th><th scope="col">${t(page, '值班邮箱', 'Duty email')}</th><th scope="col">${t(page, '更新时间', 'Updated')}</th></tr></thead>
<tbody>${o.rows.map((c) => html`<tr><td><a href="/workbench/appeals/duty-contacts/${c.organisationId}">${c.organisationName}</a></td><td>${maskMobile(c.dutyMobile)}</td><td>${maskEmail(c.dutyEmail)}</td><td>${c.updatedAt ? formatDateTime(c.updatedAt) : t(page, '未登记', 'Not recorded')}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/appeals/duty-contacts', query: {}, page: o.page, pageSize: o.pageSize, total: o.total })}`}`,
  });
}

export function dutyContactFormPage(page: PageContext, o: { contact: DutyContact; values: Record<string, unknown>; errors: FieldError[]; status?: string }): SafeHtml {
  const c = o.contact;
  return workbenchPage(page, {
    title: `${c.organisationName} · ${t(page, '值班联系方式', 'Duty contacts')}`,
    crumbs: crumbs(page, { label: t(page, '值班联系方式', 'Duty contacts'), href: '/workbench/appeals/duty-contacts' }, { label: c.organisationName }),
    body: html`<h1>${c.organisationName}</h1>
${o.status ? html`<p class="error" role="alert">${o.status}</p>` : ''}
${errorSummary(o.errors, DUTY_FIELD_LABELS)}
<form method="post" action="/workbench/appeals/duty-contacts/${c.organisationId}" class="stack" novalidate>
  ${csrfField(page)}<input type="hidden" name="version" value="${c.version}">
  ${textField({ name: 'dutyMobile', label: t(page, '值班手机（接收超期短信）', 'Duty mobile (overdue SMS)'), value: v(o.values, 'dutyMobile'), maxLength: 20, errors: o.errors })}
  ${textField({ name: 'dutyEmail', label: t(page, '值班邮箱（接收超期邮件）', 'Duty email (overdue email)'), value: v(o.values, 'dutyEmail'), maxLength: 100, errors: o.errors })}
  <p class="hint">${t(page, '至少填写一项。', 'Fill in at least one.')}${c.updatedAt ? t(page, `上次更新：${formatDateTime(c.updatedAt)}`, ` Last updated ${formatDateTime(c.updatedAt)}`) : ''}</p>
  <button type="submit">${t(page, '保存', 'Save')}</button>
</form>`,
  });
}
