import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { ORGANISATION_FIELD_LABELS } from '../commands/validate-organisation.ts';
import type { Organisation, OrganisationFilters, OrganisationRef, OrganisationType, PageOf, UsccStatus } from '../types.ts';
import { USCC_STATUS_LABELS } from '../uscc-check.ts';

const LIST_PATH = '/workbench/organisations';
function listCrumbs(page: PageContext): { label: string; href: string }[] {
  return [
    { label: t(page, '工作台', 'Workbench'), href: '/workbench' },
    { label: t(page, '组织机构', 'Organisations'), href: LIST_PATH },
  ];
}

const FIELD_LABELS_EN: Record<string, string> = {
  name: 'Organisation name',
  shortName: 'Short name',
  jurisdictionCode: 'Administrative division',
  uscc: 'Unified social credit code',
  type: 'Organisation type',
  parentId: 'Parent organisation',
  sortOrder: 'Sort order',
};

function fieldLabel(page: PageContext, name: string): string {
  return t(page, ORGANISATION_FIELD_LABELS[name]!, FIELD_LABELS_EN[name] ?? name);
}

const USCC_STATUS_LABELS_EN: Record<UsccStatus, string> = {
  valid: 'Check passed',
  invalidCheck: 'Check digit does not match (source data)',
  unknownCategory: 'Registration authority and category combination not listed',
  invalidDivision: 'Characters 3–8 are not a valid division code',
  invalidOrganizationCode: 'Entity code fails the organisation code check',
};

function selectField(page: PageContext, o: {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  empty?: string;
  required?: boolean;
  hint?: string;
  errors?: FieldError[];
}): SafeHtml {
  const id = `f-${o.name}`;
  const err = o.errors?.find((e) => e.field === o.name)?.message;
  const describedBy = [o.hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
  <select id="${id}" name="${o.name}"${attr('required', o.required ?? false)}${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', describedBy || null)}>
    ${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}
    ${o.options.map((x) => html`<option value="${x.value}"${attr('selected', x.value === o.value)}>${x.label}</option>`)}
  </select>
</div>`;
}

function usccBadge(page: PageContext, status: UsccStatus | null): SafeHtml {
  if (status === null) return html`<span class="muted">${t(page, '未登记', 'Not recorded')}</span>`;
  const label = t(page, USCC_STATUS_LABELS[status], USCC_STATUS_LABELS_EN[status]);
  return status === 'valid' ? html`<span class="badge ok">${label}</span>` : html`<span class="badge warn">${label}</span>`;
}

export interface OrganisationListView {
  result: PageOf<Organisation>;
  filters: OrganisationFilters;
  types: OrganisationType[];
  canManage: boolean;
  /** Name of the jurisdiction filter, when it is a known division. */
  jurisdictionName: string | null;
}

export function organisationListPage(page: PageContext, v: OrganisationListView): SafeHtml {
  const f = v.filters;
  const filtered = Boolean(f.jurisdictionCode || f.q || f.type);
  const rows = v.result.items;
  return workbenchPage(page, {
    title: t(page, '组织机构', 'Organisations'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '组织机构', 'Organisations') }],
    body: html`<h1>${t(page, '组织机构', 'Organisations')}</h1>
<form method="get" action="${LIST_PATH}" class="filters">
  ${textField({ name: 'jurisdiction', label: t(page, '行政区划代码（含下级）', 'Division code (including lower levels)'), value: f.jurisdictionCode ?? '', maxLength: 12, hint: v.jurisdictionName ? t(page, `当前：${v.jurisdictionName}及其下级`, `Now: ${v.jurisdictionName} and below`) : t(page, '如 420100 武汉市', 'For example 420100 (Wuhan)') })}
  ${textField({ name: 'q', label: t(page, '名称', 'Name'), value: f.q ?? '', maxLength: 50 })}
  ${selectField(page, { name: 'type', label: t(page, '机构类型', 'Organisation type'), value: f.type ?? '', empty: t(page, '全部', 'All'), options: v.types.map((ty) => ({ value: ty.code, label: ty.label })) })}
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
  ${filtered ? html`<a href="${LIST_PATH}">${t(page, '清除筛选', 'Clear filters')}</a>` : ''}
  ${v.canManage ? html`<a class="button" href="${LIST_PATH}/new">${t(page, '新建机构', 'New organisation')}</a>` : ''}
</form>
${rows.length === 0
  ? html`<p class="empty">${filtered ? t(page, '没有符合筛选条件的机构。', 'No organisations match the filters.') : t(page, '您的管辖范围内还没有组织机构。', 'There are no organisations in your jurisdiction yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '组织机构列表', 'Organisations')}</caption>
<thead><tr><th scope="col">${t(page, '名称', 'Name')}</th><th scope="col">${t(page, '类型', 'Type')}</th><th scope="col">${t(page, '所属区划', 'Division')}</th><th scope="col">${t(page, '统一社会信用代码', 'Unified social credit code')}</th><th scope="col">${t(page, '上级机构', 'Parent organisation')}</th></tr></thead>
<tbody>${rows.map(
      (o) => html`<tr><td><a href="${LIST_PATH}/${o.id}">${o.name}</a>${o.shortName ? html` <span class="muted">（${o.shortName}）</span>` : ''}</td>
<td>${o.typeLabel}</td><td>${o.jurisdictionName} <span class="muted">${o.jurisdictionCode}</span></td>
<td>${o.uscc ? html`<code>${o.uscc}</code> ` : ''}${o.usccStatus && o.usccStatus !== 'valid' ? usccBadge(page, o.usccStatus) : ''}</td>
<td>${o.parentName ?? ''}</td></tr>`,
    )}</tbody></table>
${pager({ path: LIST_PATH, query: { jurisdiction: f.jurisdictionCode, q: f.q, type: f.type }, page: v.result.page, pageSize: v.result.pageSize, total: v.result.total })}`}`,
  });
}

export function organisationDetailPage(page: PageContext, o: Organisation, canManage: boolean): SafeHtml {
  return workbenchPage(page, {
    title: o.name,
    crumbs: [...listCrumbs(page), { label: o.name }],
    body: html`<article class="card">
  <h1>${o.name}</h1>
  <dl class="facts">
    <dt>${t(page, '简称', 'Short name')}</dt><dd>${o.shortName ?? '—'}</dd>
    <dt>${t(page, '机构类型', 'Organisation type')}</dt><dd>${o.typeLabel}</dd>
    <dt>${t(page, '所属行政区划', 'Administrative division')}</dt><dd><a href="/jurisdictions/${o.jurisdictionCode}">${o.jurisdictionName}</a> <span class="muted">${o.jurisdictionCode}</span></dd>
    <dt>${t(page, '统一社会信用代码', 'Unified social credit code')}</dt><dd>${o.uscc ? html`<code>${o.uscc}</code> ` : ''}${usccBadge(page, o.usccStatus)}${o.usccNote ? html`<p class="hint">${o.usccNote}</p>` : ''}</dd>
    <dt>${t(page, '上级机构', 'Parent organisation')}</dt><dd>${o.parentId ? html`<a href="${LIST_PATH}/${o.parentId}">${o.parentName ?? ''}</a>` : '—'}</dd>
    <dt>${t(page, '排序号', 'Sort order')}</dt><dd>${o.sortOrder}</dd>
    <dt>${t(page, '更新时间', 'Updated')}</dt><dd>${formatDateTime(o.updatedAt)} · ${t(page, `第 ${o.version} 版`, `version ${o.version}`)}</dd>
  </dl>
</article>
${canManage ? html`<p><a class="button secondary" href="${LIST_PATH}/${o.id}/edit">${t(page, '修改', 'Edit')}</a></p>` : ''}`,
  });
}

export interface OrganisationFormView {
  /** Absent for a new organisation. */
  organisation?: Organisation;
  values: Record<string, string>;
  errors: FieldError[];
  /** A refusal that is not about one field (e.g. the version conflict). */
  message?: string;
  types: OrganisationType[];
  parents: OrganisationRef[];
}

export function organisationFormPage(page: PageContext, v: OrganisationFormView): SafeHtml {
  const o = v.organisation;
  const title = o ? t(page, `修改：${o.name}`, `Edit: ${o.name}`) : t(page, '新建机构', 'New organisation');
  const errors = v.errors;
  const val = (k: string) => v.values[k] ?? '';
  const parents = v.parents.filter((p) => p.id !== o?.id);
  return workbenchPage(page, {
    title,
    crumbs: [...listCrumbs(page), ...(o ? [{ label: o.name, href: `${LIST_PATH}/${o.id}` }] : []), { label: o ? t(page, '修改', 'Edit') : t(page, '新建机构', 'New organisation') }],
    body: html`<h1>${title}</h1>
${v.message
  ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>${t(page, '未能保存', 'Not saved')}</h2><p>${v.message}</p>${o ? html`<p><a href="${LIST_PATH}/${o.id}">${t(page, '查看最新内容', 'See the latest version')}</a></p>` : ''}</div>`
  : errorSummary(errors, ORGANISATION_FIELD_LABELS)}
<form method="post" action="${o ? `${LIST_PATH}/${o.id}` : LIST_PATH}" class="stack" novalidate>
  ${csrfField(page)}
  ${o ? html`<input type="hidden" name="version" value="${val('version') || String(o.version)}">` : ''}
  ${textField({ name: 'name', label: fieldLabel(page, 'name'), value: val('name'), required: true, maxLength: 100, errors })}
  ${textField({ name: 'shortName', label: fieldLabel(page, 'shortName'), value: val('shortName'), maxLength: 50, errors })}
  ${textField({ name: 'jurisdictionCode', label: fieldLabel(page, 'jurisdictionCode'), value: val('jurisdictionCode'), required: true, maxLength: 12, hint: t(page, '行政区划代码，如 420000 湖北省、420100 武汉市、420102 江岸区、420102002 大智街道；可在“行政区划”页面查询', 'Division code, for example 420000 (Hubei), 420100 (Wuhan), 420102 (Jiang’an District), 420102002 (Dazhi Subdistrict). Look codes up on the “Regions” page'), errors })}
  ${selectField(page, { name: 'type', label: fieldLabel(page, 'type'), value: val('type'), required: true, empty: t(page, '请选择', 'Choose'), options: v.types.map((ty) => ({ value: ty.code, label: ty.label })), errors })}
  ${textField({ name: 'uscc', label: fieldLabel(page, 'uscc'), value: val('uscc'), maxLength: 24, hint: t(page, '18位，可不填；校验位错误的代码不能保存，机构类别未收录等情况只作提示', '18 characters, optional. A code with a wrong check digit cannot be saved; other problems, such as an unlisted category, are only flagged'), errors })}
  ${selectField(page, { name: 'parentId', label: fieldLabel(page, 'parentId'), value: val('parentId'), empty: t(page, '（无）', '(none)'), options: parents.map((p) => ({ value: p.id, label: `${p.name}（${p.jurisdictionName}）` })), errors })}
  ${textField({ name: 'sortOrder', label: fieldLabel(page, 'sortOrder'), value: val('sortOrder'), type: 'number', maxLength: 4, hint: t(page, '同一区划内按排序号从小到大显示', 'Lower numbers are listed first within a division'), errors })}
  <button type="submit">${t(page, '保存', 'Save')}</button> <a href="${o ? `${LIST_PATH}/${o.id}` : LIST_PATH}">${t(page, '取消', 'Cancel')}</a>
</form>`,
  });
}

/** Form values of an existing organisation. */
export function formValuesOf(o: Organisation): Record<string, string> {
  return {
    name: o.name,
    shortName: o.shortName ?? '',
    jurisdictionCode: o.jurisdictionCode,
    type: o.type,
    uscc: o.uscc ?? '',
    parentId: o.parentId ?? '',
    sortOrder: String(o.sortOrder),
    version: String(o.version),
  };
}
