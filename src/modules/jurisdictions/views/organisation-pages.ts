import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
import { ORGANISATION_FIELD_LABELS } from '../commands/validate-organisation.ts';
import type { Organisation, OrganisationFilters, OrganisationRef, OrganisationType, PageOf, UsccStatus } from '../types.ts';
import { USCC_STATUS_LABELS } from '../uscc-check.ts';

const LIST_PATH = '/workbench/organisations';
const LIST_CRUMBS = [
  { label: '工作台', href: '/workbench' },
  { label: '组织机构', href: LIST_PATH },
];

function selectField(o: {
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
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">错误：</span>${err}</p>` : ''}
  <select id="${id}" name="${o.name}"${attr('required', o.required ?? false)}${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', describedBy || null)}>
    ${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}
    ${o.options.map((x) => html`<option value="${x.value}"${attr('selected', x.value === o.value)}>${x.label}</option>`)}
  </select>
</div>`;
}

function usccBadge(status: UsccStatus | null): SafeHtml {
  if (status === null) return html`<span class="muted">未登记</span>`;
  return status === 'valid'
    ? html`<span class="badge ok">${USCC_STATUS_LABELS.valid}</span>`
    : html`<span class="badge warn">${USCC_STATUS_LABELS[status]}</span>`;
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
    title: '组织机构',
    crumbs: [{ label: '工作台', href: '/workbench' }, { label: '组织机构' }],
    body: html`<h1>组织机构</h1>
<form method="get" action="${LIST_PATH}" class="filters">
  ${textField({ name: 'jurisdiction', label: '行政区划代码（含下级）', value: f.jurisdictionCode ?? '', maxLength: 12, hint: v.jurisdictionName ? `当前：${v.jurisdictionName}及其下级` : '如 420100 武汉市' })}
  ${textField({ name: 'q', label: '名称', value: f.q ?? '', maxLength: 50 })}
  ${selectField({ name: 'type', label: '机构类型', value: f.type ?? '', empty: '全部', options: v.types.map((t) => ({ value: t.code, label: t.label })) })}
  <button type="submit" class="secondary">筛选</button>
  ${filtered ? html`<a href="${LIST_PATH}">清除筛选</a>` : ''}
  ${v.canManage ? html`<a class="button" href="${LIST_PATH}/new">新建机构</a>` : ''}
</form>
${rows.length === 0
  ? html`<p class="empty">${filtered ? '没有符合筛选条件的机构。' : '您的管辖范围内还没有组织机构。'}</p>`
  : html`<table><caption class="visually-hidden">组织机构列表</caption>
<thead><tr><th scope="col">名称</th><th scope="col">类型</th><th scope="col">所属区划</th><th scope="col">统一社会信用代码</th><th scope="col">上级机构</th></tr></thead>
<tbody>${rows.map(
      (o) => html`<tr><td><a href="${LIST_PATH}/${o.id}">${o.name}</a>${o.shortName ? html` <span class="muted">（${o.shortName}）</span>` : ''}</td>
<td>${o.typeLabel}</td><td>${o.jurisdictionName} <span class="muted">${o.jurisdictionCode}</span></td>
<td>${o.uscc ? html`<code>${o.uscc}</code> ` : ''}${o.usccStatus && o.usccStatus !== 'valid' ? usccBadge(o.usccStatus) : ''}</td>
<td>${o.parentName ?? ''}</td></tr>`,
    )}</tbody></table>
${pager({ path: LIST_PATH, query: { jurisdiction: f.jurisdictionCode, q: f.q, type: f.type }, page: v.result.page, pageSize: v.result.pageSize, total: v.result.total })}`}`,
  });
}

export function organisationDetailPage(page: PageContext, o: Organisation, canManage: boolean): SafeHtml {
  return workbenchPage(page, {
    title: o.name,
    crumbs: [...LIST_CRUMBS, { label: o.name }],
    body: html`<article class="card">
  <h1>${o.name}</h1>
  <dl>
    <dt>简称</dt><dd>${o.shortName ?? '—'}</dd>
    <dt>机构类型</dt><dd>${o.typeLabel}</dd>
    <dt>所属行政区划</dt><dd><a href="/jurisdictions/${o.jurisdictionCode}">${o.jurisdictionName}</a> <span class="muted">${o.jurisdictionCode}</span></dd>
    <dt>统一社会信用代码</dt><dd>${o.uscc ? html`<code>${o.uscc}</code> ` : ''}${usccBadge(o.usccStatus)}${o.usccNote ? html`<p class="hint">${o.usccNote}</p>` : ''}</dd>
    <dt>上级机构</dt><dd>${o.parentId ? html`<a href="${LIST_PATH}/${o.parentId}">${o.parentName ?? ''}</a>` : '—'}</dd>
    <dt>排序号</dt><dd>${o.sortOrder}</dd>
    <dt>更新时间</dt><dd>${formatDateTime(o.updatedAt)} · 第 ${o.version} 版</dd>
  </dl>
</article>
${canManage ? html`<p><a class="button secondary" href="${LIST_PATH}/${o.id}/edit">修改</a></p>` : ''}`,
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
  const title = o ? `修改：${o.name}` : '新建机构';
  const errors = v.errors;
  const val = (k: string) => v.values[k] ?? '';
  const parents = v.parents.filter((p) => p.id !== o?.id);
  return workbenchPage(page, {
    title,
    crumbs: [...LIST_CRUMBS, ...(o ? [{ label: o.name, href: `${LIST_PATH}/${o.id}` }] : []), { label: o ? '修改' : '新建机构' }],
    body: html`<h1>${title}</h1>
${v.message
  ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>未能保存</h2><p>${v.message}</p>${o ? html`<p><a href="${LIST_PATH}/${o.id}">查看最新内容</a></p>` : ''}</div>`
  : errorSummary(errors, ORGANISATION_FIELD_LABELS)}
<form method="post" action="${o ? `${LIST_PATH}/${o.id}` : LIST_PATH}" class="stack" novalidate>
  ${csrfField(page)}
  ${o ? html`<input type="hidden" name="version" value="${val('version') || String(o.version)}">` : ''}
  ${textField({ name: 'name', label: ORGANISATION_FIELD_LABELS.name!, value: val('name'), required: true, maxLength: 100, errors })}
  ${textField({ name: 'shortName', label: ORGANISATION_FIELD_LABELS.shortName!, value: val('shortName'), maxLength: 50, errors })}
  ${textField({ name: 'jurisdictionCode', label: ORGANISATION_FIELD_LABELS.jurisdictionCode!, value: val('jurisdictionCode'), required: true, maxLength: 12, hint: '行政区划代码，如 420000 湖北省、420100 武汉市、420102 江岸区、420102002 大智街道；可在“行政区划”页面查询', errors })}
  ${selectField({ name: 'type', label: ORGANISATION_FIELD_LABELS.type!, value: val('type'), required: true, empty: '请选择', options: v.types.map((t) => ({ value: t.code, label: t.label })), errors })}
  ${textField({ name: 'uscc', label: ORGANISATION_FIELD_LABELS.uscc!, value: val('uscc'), maxLength: 24, hint: '18位，可不填；校验位错误的代码不能保存，机构类别未收录等情况只作提示', errors })}
  ${selectField({ name: 'parentId', label: ORGANISATION_FIELD_LABELS.parentId!, value: val('parentId'), empty: '（无）', options: parents.map((p) => ({ value: p.id, label: `${p.name}（${p.jurisdictionName}）` })), errors })}
  ${textField({ name: 'sortOrder', label: ORGANISATION_FIELD_LABELS.sortOrder!, value: val('sortOrder'), type: 'number', maxLength: 4, hint: '同一区划内按排序号从小到大显示', errors })}
  <button type="submit">保存</button> <a href="${o ? `${LIST_PATH}/${o.id}` : LIST_PATH}">取消</a>
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
