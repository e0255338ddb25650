import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, pager, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { RuleEntry } from '../classifier/dispatch-advisor.ts';
import { select, type DivisionOption } from '../views/shared.ts';
import type { AdminCategory, AdminCentre, AdminRule } from './catalogue-admin.repository.ts';

export const ADMIN_FIELD_LABELS: Record<string, string> = {
  parentCode: '上级分类',
  code: '分类代码',
  name: '名称',
  categoryCode: '诉求分类',
  divisionCode: '行政区划',
  organisationId: '主办单位 / 工作机构',
  coOrgIds: '协办单位',
  kind: '类型',
  hotline: '热线号码',
  dutyMobile: '值班手机',
  dutyEmail: '值班邮箱',
  version: '版本',
};

const crumbs = (page: PageContext, ...rest: { label: string; href?: string }[]) => [
  { label: t(page, '工作台', 'Workbench'), href: '/workbench' },
  { label: t(page, '诉求工单', 'Appeals'), href: '/workbench/appeals' },
  ...rest,
];
const catalogueCrumb = (page: PageContext) => ({ label: t(page, '派单目录', 'Dispatch catalogue'), href: '/workbench/appeals/catalogue' });
const v = (values: Record<string, unknown>, k: string): string => {
  const x = values[k];
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : '';
};
const many = (values: Record<string, unknown>, k: string): string[] => {
  const x = values[k];
  return Array.isArray(x) ? x.map(String) : typeof x === 'string' && x ? [x] : [];
};

/** Leaves (no children) of the active tree, grouped by their parent (for rule and 试一试 selects). */
export function leafOptions(categories: AdminCategory[]): { value: string; label: string; group: string }[] {
  const names = new Map(categories.map((c) => [c.code, c.name]));
  return categories.filter((c) => c.active && !categories.some((k) => k.parentCode === c.code && k.active)).map((c) => ({ value: c.code, label: `${c.code} ${c.name}`, group: (c.parentCode && names.get(c.parentCode)) || '一级分类' }));
}

function usage(page: PageContext, c: AdminCategory): string {
  const parts = [c.rules > 0 ? `${c.rules} ${t(page, '条规则', 'rules')}` : '', c.tickets > 0 ? `${c.tickets} ${t(page, '件工单', 'tickets')}` : '', c.kbEntries > 0 ? `${c.kbEntries} ${t(page, '条知识', 'KB entries')}` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join('，') : t(page, '未使用', 'unused');
}

export interface TryResult {
  categoryCode: string;
  divisionCode: string;
  rule: RuleEntry | null;
  chain: string[];
}

export function cataloguePage(
  page: PageContext,
  o: { categories: AdminCategory[]; divisions: DivisionOption[]; values: Record<string, unknown>; errors: FieldError[]; tryValues: Record<string, string>; tryResult: TryResult | null; tryErrors: FieldError[]; canEdit: boolean },
): SafeHtml {
  const byParent = (code: string | null) => o.categories.filter((c) => c.parentCode === code);
  const node = (c: AdminCategory): SafeHtml => {
    const kids = byParent(c.code);
    return html`<li>${o.canEdit ? html`<a href="/workbench/appeals/catalogue/categories/${c.code}">${c.code} ${c.name}</a>` : html`${c.code} ${c.name}`}${c.active ? '' : html` <span class="badge">${t(page, '已停用', 'Disabled')}</span>`} <span class="muted">（${usage(page, c)}）</span>${kids.length > 0 ? html`<ul>${kids.map(node)}</ul>` : ''}</li>`;
  };
  const roots = byParent(null);
  const parents = o.categories.filter((c) => c.active && c.rules === 0 && c.tickets === 0 && c.code.length < 8).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }));
  const r = o.tryResult;
  return workbenchPage(page, {
    title: t(page, '派单目录', 'Dispatch catalogue'),
    crumbs: crumbs(page, { label: t(page, '派单目录', 'Dispatch catalogue') }),
    body: html`<h1>${t(page, '派单目录', 'Dispatch catalogue')}</h1>
${o.canEdit
  ? html`<p><a href="/workbench/appeals/catalogue/rules">${t(page, '派单规则（分类 × 区划 → 主办单位）', 'Dispatch rules')}</a></p>`
  : html`<p class="notice">${t(page, '派单目录由 12345 热线中心负责人维护；您可以查看分类，并用“试一试”查询某类诉求派给哪个单位。', 'The catalogue is maintained by hotline centre heads; you can view it and try which rule applies.')}</p>`}
<section aria-labelledby="tree-h"><h2 id="tree-h">${t(page, '分类树', 'Category tree')}</h2>
${roots.length === 0 ? html`<p class="empty">${t(page, '目录中还没有分类，请在下方新增一级分类。', 'No categories yet.')}</p>` : html`<ul class="tree">${roots.map(node)}</ul>`}
</section>
${o.canEdit ? html`<section aria-labelledby="add-h"><h2 id="add-h">${t(page, '新增分类', 'Add a category')}</h2>
${errorSummary(o.errors, ADMIN_FIELD_LABELS)}
<form method="post" action="/workbench/appeals/catalogue/categories" class="stack" novalidate>
  ${csrfField(page)}
  ${select({ name: 'parentCode', label: t(page, '上级分类', 'Parent'), options: parents, value: v(o.values, 'parentCode'), errors: o.errors, empty: t(page, '（一级分类）', '(top level)'), hint: t(page, '已有派单规则或工单的分类不能再添加下级分类', 'Categories with rules or tickets cannot get children') })}
  ${textField({ name: 'code', label: t(page, '分类代码（上级代码加两位数字）', 'Code'), value: v(o.values, 'code'), required: true, maxLength: 8, errors: o.errors })}
  ${textField({ name: 'name', label: t(page, '分类名称', 'Name'), value: v(o.values, 'name'), required: true, maxLength: 40, errors: o.errors })}
  <button type="submit">${t(page, '新增', 'Add')}</button>
</form></section>` : ''}
<section aria-labelledby="try-h"><h2 id="try-h">${t(page, '试一试：哪条规则适用？', 'Try: which rule applies?')}</h2>
${errorSummary(o.tryErrors, ADMIN_FIELD_LABELS)}
<form method="get" action="/workbench/appeals/catalogue" class="stack" novalidate>
  ${select({ name: 'categoryCode', label: t(page, '诉求分类', 'Category'), options: leafOptions(o.categories), value: o.tryValues.categoryCode, errors: o.tryErrors, required: true, empty: t(page, '请选择', 'Choose') })}
  ${select({ name: 'divisionCode', label: t(page, '事发地（区县）', 'Division'), options: o.divisions.map((d) => ({ value: d.code, label: `${d.name}（${d.code}）`, group: d.group })), value: o.tryValues.divisionCode, errors: o.tryErrors, required: true, empty: t(page, '请选择', 'Choose') })}
  <button type="submit">${t(page, '查看适用规则', 'Check')}</button>
</form>
${r
  ? html`<div class="card" role="status" id="try-result">${r.rule
      ? html`<p>${t(page, '适用规则', 'Applies')}：<strong>${r.rule.categoryCode} × ${r.rule.divisionCode}</strong> → ${t(page, '主办', 'lead')} <strong>${r.rule.organisationName}</strong>${(r.rule.coOrgNames ?? []).length > 0 ? html`，${t(page, '协办', 'co-handling')} ${(r.rule.coOrgNames ?? []).join('、')}` : ''}</p>
<p class="muted">${t(page, '查找顺序（最具体的区划优先）', 'Lookup order (most specific first)')}：${r.chain.join(' → ')}${r.rule.divisionCode !== r.divisionCode ? html`；${t(page, '本区划没有专门规则，沿用上级区划', 'inherited from a higher division')} ${r.rule.divisionCode}` : ''}</p>`
      : html`<p>${t(page, '没有适用的规则：派单员需人工选择主办单位。', 'No rule applies: the dispatcher chooses.')}</p><p class="muted">${t(page, '已查找', 'Looked up')}：${r.chain.join(' → ')}</p>`}</div>`
  : ''}
</section>`,
  });
}

export function categoryPage(page: PageContext, o: { category: AdminCategory; parentName: string | null; values: Record<string, unknown>; errors: FieldError[] }): SafeHtml {
  const c = o.category;
  return workbenchPage(page, {
    title: `${c.code} ${c.name}`,
    crumbs: crumbs(page, catalogueCrumb(page), { label: c.name }),
    body: html`<h1>${c.code} ${c.name}</h1>
<dl class="facts"><dt>${t(page, '上级分类', 'Parent')}</dt><dd>${o.parentName ?? t(page, '（一级分类）', '(top level)')}</dd>
<dt>${t(page, '状态', 'Status')}</dt><dd>${c.active ? t(page, '启用', 'Active') : t(page, '已停用', 'Disabled')}</dd>
<dt>${t(page, '使用情况', 'Use')}</dt><dd>${usage(page, c)}</dd></dl>
${errorSummary(o.errors, ADMIN_FIELD_LABELS)}
<form method="post" action="/workbench/appeals/catalogue/categories/${c.code}/rename" class="stack" novalidate>
  ${csrfField(page)}<input type="hidden" name="version" value="${c.version}">
  ${textField({ name: 'name', label: t(page, '新名称', 'New name'), value: v(o.values, 'name') || c.name, required: true, maxLength: 40, errors: o.errors })}
  <button type="submit">${t(page, '改名', 'Rename')}</button>
</form>
<form method="post" action="/workbench/appeals/catalogue/categories/${c.code}/${c.active ? 'disable' : 'enable'}" class="stack" novalidate>
  ${csrfField(page)}<input type="hidden" name="version" value="${c.version}">
  <p class="hint">${c.active ? t(page, '停用后不再出现在受理表单和派单建议中；已有工单和规则保留。分类从不删除。', 'Disabled categories leave forms and suggestions; tickets and rules stay. Categories are never deleted.') : t(page, '重新启用后恢复使用。', 'Enable to use again.')}</p>
  <button type="submit"${c.active ? html` class="danger"` : ''}>${c.active ? t(page, '停用', 'Disable') : t(page, '启用', 'Enable')}</button>
</form>`,
  });
}

export function rulesPage(page: PageContext, o: { rows: AdminRule[]; total: number; page: number; pageSize: number; categoryCode: string; categories: AdminCategory[]; scopeName: string }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '派单规则', 'Dispatch rules'),
    crumbs: crumbs(page, catalogueCrumb(page), { label: t(page, '派单规则', 'Rules') }),
    body: html`<h1>${t(page, '派单规则', 'Dispatch rules')}</h1>
<p class="muted">${t(page, '末级分类 × 区划 → 主办单位（可加协办单位）；派单建议取最具体的区划（乡镇 → 区县 → 市 → 省）。管辖范围：', 'Leaf category × division → lead unit; the most specific division wins. Scope: ')}${o.scopeName}</p>
<p><a class="button" href="/workbench/appeals/catalogue/rules/new">${t(page, '新增规则', 'New rule')}</a></p>
<form method="get" action="/workbench/appeals/catalogue/rules" class="inline">
  ${select({ name: 'categoryCode', id: 'filter-categoryCode', label: t(page, '按分类筛选', 'Filter by category'), options: leafOptions(o.categories), value: o.categoryCode, errors: [], empty: t(page, '全部', 'All') })}
  <button type="submit">${t(page, '筛选', 'Filter')}</button>
</form>
${o.rows.length === 0
  ? html`<p class="empty">${t(page, '没有符合条件的派单规则。', 'No rules.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '派单规则', 'Rules')}</caption><thead><tr><th scope="col">${t(page, '分类', 'Category')}</th><th scope="col">${t(page, '区划', 'Division')}</th><th scope="col">${t(page, '主办单位', 'Lead unit')}</th><th scope="col">${t(page, '协办单位', 'Co-handling')}</th></tr></thead>
<tbody>${o.rows.map((r) => html`<tr><td><a href="/workbench/appeals/catalogue/rules/${r.categoryCode}/${r.divisionCode}">${r.categoryCode} ${r.categoryName}</a></td><td>${r.divisionCode}</td><td>${r.organisationName}</td><td>${r.coOrgNames.join('、') || '—'}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/appeals/catalogue/rules', query: { categoryCode: o.categoryCode || undefined }, page: o.page, pageSize: o.pageSize, total: o.total })}`}`,
  });
}

export function ruleFormPage(
  page: PageContext,
  o: { rule: AdminRule | null; values: Record<string, unknown>; errors: FieldError[]; categories: AdminCategory[]; divisions: DivisionOption[]; organisations: { id: string; name: string }[] },
): SafeHtml {
  const r = o.rule;
  const title = r ? `${t(page, '派单规则', 'Rule')} ${r.categoryCode} ${r.categoryName} × ${r.divisionCode}` : t(page, '新增派单规则', 'New rule');
  const orgOptions = o.organisations.map((x) => ({ value: x.id, label: x.name }));
  const chosenCo = many(o.values, 'coOrgIds');
  const coErr = o.errors.some((e) => e.field === 'coOrgIds');
  const coError = o.errors.find((e) => e.field === 'coOrgIds');
  return workbenchPage(page, {
    title,
    crumbs: crumbs(page, catalogueCrumb(page), { label: t(page, '派单规则', 'Rules'), href: '/workbench/appeals/catalogue/rules' }, { label: r ? r.categoryName : t(page, '新增', 'New') }),
    body: html`<h1>${title}</h1>
${errorSummary(o.errors, ADMIN_FIELD_LABELS)}
<form method="post" action="${r ? `/workbench/appeals/catalogue/rules/${r.categoryCode}/${r.divisionCode}` : '/workbench/appeals/catalogue/rules'}" class="stack" novalidate>
  ${csrfField(page)}${r ? html`<input type="hidden" name="version" value="${r.version}">` : ''}
  ${r
    ? ''
    : html`${select({ name: 'categoryCode', label: t(page, '诉求分类（末级）', 'Category (leaf)'), options: leafOptions(o.categories), value: v(o.values, 'categoryCode'), errors: o.errors, required: true, empty: t(page, '请选择', 'Choose') })}
  ${textField({ name: 'divisionCode', label: t(page, '行政区划代码（6 位区县或 9 位乡镇街道）', 'Division code'), value: v(o.values, 'divisionCode'), required: true, maxLength: 9, errors: o.errors })}`}
  ${select({ name: 'organisationId', label: t(page, '主办单位', 'Lead unit'), options: orgOptions, value: v(o.values, 'organisationId'), errors: o.errors, required: true, empty: t(page, '请选择', 'Choose') })}
  <div class="field${coErr ? ' has-error' : ''}"><label for="f-coOrgIds">${t(page, '协办单位（可多选，最多 5 个）', 'Co-handling units (up to 5)')}</label>
  ${coError ? html`<p class="error" id="f-coOrgIds-error"><span class="visually-hidden">错误：</span>${coError.message}</p>` : ''}
  <select id="f-coOrgIds" name="coOrgIds" multiple size="6"${coErr ? html` aria-invalid="true" aria-describedby="f-coOrgIds-error"` : ''}>${orgOptions.map((x) => html`<option value="${x.value}"${chosenCo.includes(x.value) ? html` selected` : ''}>${x.label}</option>`)}</select></div>
  <button type="submit">${t(page, '保存', 'Save')}</button>
</form>
${r
  ? html`<form method="post" action="/workbench/appeals/catalogue/rules/${r.categoryCode}/${r.divisionCode}/delete" class="stack" novalidate>
  ${csrfField(page)}<input type="hidden" name="version" value="${r.version}">
  <p class="hint">${t(page, '删除后，该分类在此区划沿用上级区划的规则。', 'After deletion the higher division’s rule applies.')}</p>
  <button type="submit" class="danger">${t(page, '删除规则', 'Delete rule')}</button>
</form>`
  : ''}`,
  });
}

const KIND_LABEL: Record<AdminCentre['kind'], string> = { hotline: '12345 热线', petition: '信访部门' };

export function centresPage(page: PageContext, o: { rows: AdminCentre[]; total: number; page: number; pageSize: number }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '热线中心', 'Centres'),
    crumbs: crumbs(page, { label: t(page, '热线中心', 'Centres') }),
    body: html`<h1>${t(page, '热线中心与信访部门', 'Hotline centres and petition departments')}</h1>
<p class="muted">${t(page, '中心的工作人员在其区划及下级区划内受理和派单；超期通知抄送中心，并发送到值班手机和邮箱。', 'Centre staff dispatch within their division subtree; overdue notices go to the centre and its duty phone and email.')}</p>
<p><a class="button" href="/workbench/appeals/centres/new">${t(page, '新增中心', 'New centre')}</a></p>
${o.rows.length === 0
  ? html`<p class="empty">${t(page, '还没有登记热线中心。', 'No centres yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '热线中心', 'Centres')}</caption><thead><tr><th scope="col">${t(page, '名称', 'Name')}</th><th scope="col">${t(page, '类型', 'Kind')}</th><th scope="col">${t(page, '管辖区划', 'Division')}</th><th scope="col">${t(page, '热线号码', 'Number')}</th><th scope="col">${t(page, '工作机构', 'Organisation')}</th></tr></thead>
<tbody>${o.rows.map((c) => html`<tr><td><a href="/workbench/appeals/centres/${c.id}">${c.name}</a></td><td>${KIND_LABEL[c.kind]}</td><td>${c.divisionCode}</td><td>${c.hotline || '—'}</td><td>${c.organisationName}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/appeals/centres', query: {}, page: o.page, pageSize: o.pageSize, total: o.total })}`}`,
  });
}

export function centreFormPage(page: PageContext, o: { centre: AdminCentre | null; values: Record<string, unknown>; errors: FieldError[]; organisations: { id: string; name: string; group: string }[] }): SafeHtml {
  const c = o.centre;
  const title = c ? c.name : t(page, '新增热线中心', 'New centre');
  return workbenchPage(page, {
    title,
    crumbs: crumbs(page, { label: t(page, '热线中心', 'Centres'), href: '/workbench/appeals/centres' }, { label: title }),
    body: html`<h1>${title}</h1>
${errorSummary(o.errors, ADMIN_FIELD_LABELS)}
<form method="post" action="${c ? `/workbench/appeals/centres/${c.id}` : '/workbench/appeals/centres'}" class="stack" novalidate>
  ${csrfField(page)}${c ? html`<input type="hidden" name="version" value="${c.version}">` : ''}
  ${textField({ name: 'name', label: t(page, '中心名称', 'Name'), value: v(o.values, 'name'), required: true, maxLength: 40, errors: o.errors })}
  ${select({ name: 'kind', label: t(page, '类型', 'Kind'), options: [{ value: 'hotline', label: KIND_LABEL.hotline }, { value: 'petition', label: KIND_LABEL.petition }], value: v(o.values, 'kind'), errors: o.errors, required: true, empty: t(page, '请选择', 'Choose') })}
  ${textField({ name: 'divisionCode', label: t(page, '管辖区划代码（6 位，含全部下级区划）', 'Division code (6 digits, with its subtree)'), value: v(o.values, 'divisionCode'), required: true, maxLength: 6, errors: o.errors })}
  ${textField({ name: 'hotline', label: t(page, '热线号码', 'Hotline number'), value: v(o.values, 'hotline'), required: true, maxLength: 20, errors: o.errors })}
  ${select({ name: 'organisationId', label: t(page, '工作机构（其工作人员负责受理派单）', 'Staff organisation'), options: o.organisations.map((x) => ({ value: x.id, label: x.name, group: x.group })), value: v(o.values, 'organisationId'), errors: o.errors, required: true, empty: t(page, '请选择', 'Choose') })}
  ${textField({ name: 'dutyMobile', label: t(page, '值班手机（接收超期短信，可不填）', 'Duty mobile (optional)'), value: v(o.values, 'dutyMobile'), maxLength: 20, errors: o.errors })}
  ${textField({ name: 'dutyEmail', label: t(page, '值班邮箱（接收超期邮件，可不填）', 'Duty email (optional)'), value: v(o.values, 'dutyEmail'), maxLength: 100, errors: o.errors })}
  <button type="submit">${t(page, '保存', 'Save')}</button>
</form>`,
  });
}
