import type { FieldError } from '../../../platform/errors.ts';
import { renderFormFields } from '../../../platform/forms/render.ts';
import type { FormDefinition } from '../../../platform/forms/definition.ts';
import { errorSummary, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { ItemRow, VersionRow } from '../catalog.repository.ts';
import { ELEMENT_LABELS, materialsToLines, stepsToLines } from '../elements-input.ts';
import type { CatalogAction } from '../policies.ts';
import type { QualityIssue } from '../quality-rules.ts';
import {
  EXERCISE_LEVELS,
  HANDLING_FORMS,
  IMPLEMENTER_NATURES,
  ITEM_STATUS_LABEL,
  ITEM_TYPES,
  LEGAL_PERSON_THEMES,
  NATURAL_PERSON_THEMES,
  SERVICE_OBJECTS,
  VERSION_STATUS_LABEL,
  type ItemElements,
  type ItemStatus,
  type VersionStatus,
} from '../types.ts';
import { legalLimitText, promisedLimitText } from './format.ts';

const wbCrumbs = (page: PageContext) => [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '事项管理', 'Service items'), href: '/workbench/catalog' }];
const BADGE: Record<string, string> = { draft: 'badge warn', in_review: 'badge warn', published: 'badge ok', superseded: 'badge', withdrawn: 'badge', suspended: 'badge warn', cancelled: 'badge' };

export function staffItemList(
  page: PageContext,
  rows: (ItemRow & { openStatus: VersionStatus | null })[],
  p: { page: number; pageSize: number; total: number; status?: ItemStatus | undefined; q?: string | undefined; canCreate: boolean; canReview: boolean },
): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '事项管理', 'Service items'),
    crumbs: [wbCrumbs(page)[0]!, { label: t(page, '事项管理', 'Service items') }],
    body: html`<h1>${t(page, '事项管理（实施清单）', 'Service items')}</h1>
<form method="get" action="/workbench/catalog" class="filters">
  <div class="field"><label for="f-q">${t(page, '名称或实施编码', 'Name or code')}</label><input id="f-q" name="q" type="search" maxlength="100" value="${p.q ?? ''}"></div>
  <div class="field"><label for="f-status">${t(page, '状态', 'Status')}</label>
  <select id="f-status" name="status"><option value="">${t(page, '全部', 'All')}</option>${(['draft', 'published', 'suspended', 'cancelled'] as const).map((s) => html`<option value="${s}"${s === p.status ? html` selected` : ''}>${ITEM_STATUS_LABEL[s]}</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
</form>
<p>${p.canCreate ? html`<a class="button" href="/workbench/catalog/new">${t(page, '新建事项', 'New item')}</a> <a class="button secondary" href="/workbench/catalog/import">${t(page, '从 Excel 导入', 'Import from Excel')}</a> ` : ''}<a class="button secondary" href="/api/catalog/export.xlsx">${t(page, '导出 Excel', 'Export to Excel')}</a>${p.canReview ? html` <a class="button secondary" href="/workbench/catalog/life-events">${t(page, '“一件事”管理', 'Life events')}</a>` : ''}</p>
${rows.length === 0
  ? html`<p class="empty">${p.status || p.q ? t(page, '没有符合条件的事项。', 'No items match.') : t(page, '您的管辖范围内还没有事项。', 'There are no items in your scope yet.')}</p>`
  : html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '事项列表', 'Items')}</caption>
<thead><tr><th scope="col">${t(page, '事项名称', 'Item')}</th><th scope="col">${t(page, '实施编码', 'Code')}</th><th scope="col">${t(page, '实施主体', 'Organisation')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '在编版本', 'Open version')}</th><th scope="col">${t(page, '更新时间', 'Updated')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><a href="/workbench/catalog/${r.id}">${r.name}</a></td><td>${r.implementationCode}</td><td>${r.organisationName}</td><td><span class="${BADGE[r.status] ?? 'badge'}">${ITEM_STATUS_LABEL[r.status]}</span></td><td>${r.openStatus ? VERSION_STATUS_LABEL[r.openStatus] : '—'}</td><td>${formatDateTime(r.updatedAt)}</td></tr>`)}</tbody></table></div>
${pager({ path: '/workbench/catalog', query: { status: p.status, q: p.q }, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export function issueList(page: PageContext, issues: QualityIssue[], heading: string): SafeHtml {
  if (issues.length === 0) return html``;
  return html`<div class="error-summary" role="status" aria-labelledby="qi-h"><h2 id="qi-h">${heading}</h2>
<ul>${issues.map((i) => html`<li>${i.rule === 'R' ? '' : `【${i.rule}】`}${ELEMENT_LABELS[i.field.replace(/\[.*$/, '')] ?? i.field}：${i.message}</li>`)}</ul>
<p>${t(page, '以上问题在保存时仅作提示，但提交审核和发布时必须全部改正。', 'These warnings do not stop saving, but they block submitting and publishing.')}</p></div>`;
}

export function staffItemDetail(
  page: PageContext,
  item: ItemRow,
  o: { open: VersionRow | null; published: VersionRow | null; versions: VersionRow[]; actions: CatalogAction[]; refusal?: { message: string; fields: FieldError[] } | undefined },
): SafeHtml {
  const shown = o.open ?? o.published;
  const e = shown?.elements;
  const lockFor = (a: CatalogAction) => (a === 'submit' || a === 'review' ? (o.open?.lockVersion ?? 0) : item.version);
  const button = (action: CatalogAction, path: string, label: string, cls = '', withComment = false) =>
    o.actions.includes(action)
      ? html`<form method="post" action="/workbench/catalog/${item.id}/${path}" class="inline-form">${csrfField(page)}<input type="hidden" name="version" value="${lockFor(action)}">${withComment ? html`<label for="c-${path}">${t(page, '意见', 'Comment')}</label> <input id="c-${path}" name="comment" maxlength="1000"> ` : ''}<button type="submit"${attr('class', cls || null)}>${label}</button></form> `
      : '';
  return workbenchPage(page, {
    title: item.name,
    crumbs: [...wbCrumbs(page), { label: item.name }],
    body: html`<h1>${item.name}</h1>
<p><span class="${BADGE[item.status] ?? 'badge'}">${ITEM_STATUS_LABEL[item.status]}</span> <span class="muted">${item.implementationCode} · ${item.organisationName} · ${t(page, '更新于', 'Updated')} ${formatDateTime(item.updatedAt)}</span>
${item.status === 'published' ? html` · <a href="/services/${item.id}">${t(page, '查看办事指南', 'View guide')}</a>` : ''}</p>
${o.refusal ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>${o.refusal.message}</h2><ul>${o.refusal.fields.map((f) => html`<li>${ELEMENT_LABELS[f.field.replace(/\[.*$/, '')] ?? f.field}：${f.message}</li>`)}</ul></div>` : ''}
${o.open
  ? html`<section class="card" aria-labelledby="open-h"><h2 id="open-h">${t(page, `在编版本：第 ${o.open.versionNo} 版`, `Open version ${o.open.versionNo}`)} <span class="${BADGE[o.open.status] ?? 'badge'}">${VERSION_STATUS_LABEL[o.open.status]}</span></h2>
${o.open.reviewComment ? html`<p>${t(page, '审核意见：', 'Review comment: ')}${o.open.reviewComment}</p>` : ''}
${o.open.issues.length === 0 ? html`<p>${t(page, '质量检查已通过。', 'Quality checks passed.')}</p>` : issueList(page, o.open.issues, t(page, `质量检查发现 ${o.open.issues.length} 处问题`, `${o.open.issues.length} quality findings`))}
</section>`
  : ''}
<p>${o.actions.includes('edit') ? html`<a class="button secondary" href="/workbench/catalog/${item.id}/edit">${t(page, '编辑事项要素', 'Edit elements')}</a> <a class="button secondary" href="/workbench/catalog/${item.id}/form">${t(page, '编辑申请表单', 'Edit form')}</a> ` : ''}
${button('submit', 'submit', t(page, '提交审核', 'Submit for review'))}
${button('review', 'approve', t(page, '审核通过并发布', 'Approve and publish'), '', true)}
${button('review', 'reject', t(page, '退回修改', 'Return'), 'secondary', true)}
${button('new_version', 'new-version', t(page, '起草新版本', 'Draft a new version'), 'secondary')}
${button('suspend', 'suspend', t(page, '暂停办理', 'Suspend'), 'secondary', true)}
${button('resume', 'resume', t(page, '恢复办理', 'Resume'), 'secondary')}
${button('cancel', 'cancel', t(page, '取消事项', 'Cancel item'), 'danger', true)}</p>
${o.actions.includes('edit') && o.open
  ? html`<form method="post" action="/workbench/catalog/${item.id}/files?_csrf=${encodeURIComponent(page.csrfToken)}" enctype="multipart/form-data" class="card stack">
<h2>${t(page, '上传审批结果样本、空白表格或示范文本', 'Upload a result sample, blank form or filled sample')}</h2>
<input type="hidden" name="lockVersion" value="${o.open.lockVersion}">
<div class="field"><label for="f-target">${t(page, '文件用途', 'Purpose')}</label><select id="f-target" name="target"><option value="result">${t(page, '审批结果样本', 'Result sample')}</option>${o.open.elements.materials.map((m) => html`<option value="blank:${m.code}">${m.name}：空白表格</option><option value="sample:${m.code}">${m.name}：示范文本</option>`)}</select></div>
<div class="field"><label for="f-file">${t(page, '文件（PDF、OFD、Word、Excel 或图片）', 'File')}</label><input id="f-file" name="file" type="file" required></div>
<button type="submit" class="secondary">${t(page, '上传', 'Upload')}</button>
</form>`
  : ''}
${e
  ? html`<section class="card" aria-labelledby="sum-h"><h2 id="sum-h">${t(page, '要素摘要', 'Summary')}</h2><table><caption class="visually-hidden">${t(page, '要素摘要', 'Summary')}</caption><tbody>
<tr><th scope="row">事项类型</th><td>${ITEM_TYPES[e.itemType] ?? e.itemType}</td></tr>
<tr><th scope="row">法定办结时限</th><td>${legalLimitText(e)}</td></tr>
<tr><th scope="row">承诺办结时限</th><td>${promisedLimitText(e)}</td></tr>
<tr><th scope="row">申请材料</th><td>${e.materials.length} 项</td></tr>
<tr><th scope="row">表单字段</th><td>${shown?.form.fields.length ?? 0} 个</td></tr>
<tr><th scope="row">咨询电话 / 监督电话</th><td>${e.consultationPhone} / ${e.supervisionPhone}</td></tr>
</tbody></table></section>`
  : ''}
<section aria-labelledby="ver-h"><h2 id="ver-h">${t(page, '版本历史', 'Versions')}</h2>
<table><caption class="visually-hidden">${t(page, '版本历史', 'Versions')}</caption><thead><tr><th scope="col">版本</th><th scope="col">状态</th><th scope="col">发布时间</th><th scope="col">更新时间</th></tr></thead>
<tbody>${o.versions.map((v) => html`<tr><td><a href="/workbench/catalog/${item.id}/versions/${v.id}">第 ${v.versionNo} 版</a></td><td>${VERSION_STATUS_LABEL[v.status]}</td><td>${formatDateTime(v.publishedAt)}</td><td>${formatDateTime(v.updatedAt)}</td></tr>`)}</tbody></table></section>`,
  });
}

export function versionView(page: PageContext, item: ItemRow, v: VersionRow): SafeHtml {
  return workbenchPage(page, {
    title: `${item.name} 第 ${v.versionNo} 版`,
    crumbs: [...wbCrumbs(page), { label: item.name, href: `/workbench/catalog/${item.id}` }, { label: `第 ${v.versionNo} 版` }],
    body: html`<h1>${item.name}：第 ${v.versionNo} 版 <span class="${BADGE[v.status] ?? 'badge'}">${VERSION_STATUS_LABEL[v.status]}</span></h1>
<h2>${t(page, '事项要素', 'Elements')}</h2>
<pre class="card">${JSON.stringify(v.elements, null, 2)}</pre>
<h2>${t(page, '申请表单预览', 'Form preview')}</h2>
<div class="card">${v.form.fields.length ? renderFormFields(v.form, {}, {}, page) : html`<p class="empty">${t(page, '尚未定义申请表单。', 'No form yet.')}</p>`}</div>`,
  });
}

type Values = Record<string, unknown>;

/** Flat page values from elements (the edit form's initial state). */
export function formValuesOf(e: ItemElements, code = ''): Values {
  return {
    ...e,
    implementationCode: code,
    legalLimitN: e.legalLimit?.n ?? '',
    legalLimitUnit: e.legalLimit?.unit ?? 'G',
    promisedLimitN: e.promisedLimit?.n ?? '',
    promisedLimitUnit: e.promisedLimit?.unit ?? '1',
    themesNaturalPerson: e.themes.naturalPerson,
    themesLegalPerson: e.themes.legalPerson,
    materialsText: materialsToLines(e.materials),
    processStepsText: stepsToLines(e.processSteps),
    feesText: e.fees.map((f) => [f.name, f.standard, f.basis].join(' | ')).join('\n'),
  };
}

const s = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(s) : typeof v === 'string' && v ? [v] : []);
const on = (v: unknown) => v === true || v === 'on' || v === 'true';

function selectField(page: PageContext, name: string, label: string, options: Record<string, string>, value: string, errors: FieldError[], hint?: string): SafeHtml {
  const err = errors.find((e) => e.field === name)?.message;
  const id = `f-${name}`;
  const describedBy = [hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || null;
  return html`<div class="field${err ? ' has-error' : ''}"><label for="${id}">${label}</label>${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
<select id="${id}" name="${name}"${attr('aria-describedby', describedBy)}${attr('aria-invalid', err ? 'true' : null)}>${Object.entries(options).map(([k, v]) => html`<option value="${k}"${k === value ? html` selected` : ''}>${v}</option>`)}</select></div>`;
}

function checkboxes(page: PageContext, name: string, label: string, options: Record<string, string>, values: string[], errors: FieldError[]): SafeHtml {
  const err = errors.find((e) => e.field === name || e.field === name.replace(/NaturalPerson|LegalPerson/, ''))?.message;
  return html`<fieldset class="field${err ? ' has-error' : ''}" id="f-${name}"><legend>${label}</legend>${err ? html`<p class="error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
${Object.entries(options).map(([k, v], i) => html`<div class="choice"><input type="checkbox" id="f-${name}-${i}" name="${name}" value="${k}"${attr('checked', values.includes(k))}> <label for="f-${name}-${i}">${v}</label></div>`)}</fieldset>`;
}

function checkbox(name: string, label: string, checked: boolean): SafeHtml {
  return html`<div class="field choice"><input type="checkbox" id="f-${name}" name="${name}" value="on"${attr('checked', checked)}> <label for="f-${name}">${label}</label></div>`;
}

/** Create / edit page for the elements (works without JavaScript; lists as one line per entry). */
export function itemEditor(
  page: PageContext,
  o: { item?: ItemRow; lockVersion?: number; values: Values; errors: FieldError[]; issues?: QualityIssue[] },
): SafeHtml {
  const v = o.values;
  const errs = o.errors;
  const tf = (name: string, opts: { required?: boolean; maxLength?: number; hint?: string; type?: 'text' | 'number' | 'tel' } = {}) =>
    textField({ name, label: ELEMENT_LABELS[name] ?? name, value: s(v[name]), errors: errs, ...(opts.required ? { required: true } : {}), ...(opts.maxLength ? { maxLength: opts.maxLength } : {}), ...(opts.hint ? { hint: opts.hint } : {}), ...(opts.type ? { type: opts.type } : {}) });
  const ta = (name: string, opts: { required?: boolean; hint?: string; rows?: number } = {}) =>
    textArea({ name, label: ELEMENT_LABELS[name] ?? name, value: s(v[name]), errors: errs, ...(opts.required ? { required: true } : {}), ...(opts.hint ? { hint: opts.hint } : {}), rows: opts.rows ?? 4 });
  const editing = Boolean(o.item);
  const action = editing ? `/workbench/catalog/${o.item?.id}` : '/workbench/catalog';
  const title = editing ? t(page, `编辑事项：${o.item?.name ?? ''}`, 'Edit item') : t(page, '新建事项', 'New item');
  return workbenchPage(page, {
    title,
    crumbs: [...wbCrumbs(page), ...(o.item ? [{ label: o.item.name, href: `/workbench/catalog/${o.item.id}` }] : []), { label: editing ? t(page, '编辑', 'Edit') : t(page, '新建', 'New') }],
    body: html`<h1>${title}</h1>
${errorSummary(errs, ELEMENT_LABELS)}
${o.issues ? issueList(page, o.issues, t(page, `质量检查发现 ${o.issues.length} 处问题`, `${o.issues.length} quality findings`)) : ''}
<form method="post" action="${action}" class="stack" novalidate>
${csrfField(page)}
${editing ? html`<input type="hidden" name="lockVersion" value="${o.lockVersion ?? 1}">` : ''}
<fieldset class="card"><legend>${t(page, '基本信息', 'Identity')}</legend>
${editing ? '' : tf('implementationCode', { required: true, maxLength: 24, hint: t(page, '1 至 24 位数字或大写字母，如 420102010010010001', 'Up to 24 digits or capital letters') })}
${tf('name', { required: true, maxLength: 200 })}
${tf('basicCode', { required: true, maxLength: 10, hint: t(page, '省级事项目录中的基本编码', 'Basic code from the province catalog') })}
${selectField(page, 'itemType', '事项类型', ITEM_TYPES, s(v.itemType) || '01', errs)}
${selectField(page, 'exerciseLevel', '行使层级', EXERCISE_LEVELS, s(v.exerciseLevel) || '4', errs)}
${selectField(page, 'implementerNature', '实施主体性质', IMPLEMENTER_NATURES, s(v.implementerNature) || '1', errs)}
${ta('legalBasis', { required: true, hint: t(page, '法律法规名称及条款', 'Laws and articles') })}
${tf('contentExercised', { maxLength: 1000 })}
${tf('coImplementers', { maxLength: 500 })}
</fieldset>
<fieldset class="card"><legend>${t(page, '办理时限', 'Time limits')}</legend>
${textField({ name: 'legalLimitN', label: '法定办结时限', value: s(v.legalLimitN), errors: errs.filter((x) => x.field === 'legalLimit').map((x) => ({ ...x, field: 'legalLimitN' })), hint: t(page, '填数字；法律法规未规定的留空', 'A number; empty when the law sets none') })}
${selectField(page, 'legalLimitUnit', '法定时限单位', { G: '工作日', Z: '自然日' }, s(v.legalLimitUnit) || 'G', errs)}
${tf('legalLimitNote', { maxLength: 500 })}
${textField({ name: 'promisedLimitN', label: '承诺办结时限', value: s(v.promisedLimitN), errors: [...errs.filter((x) => x.field === 'promisedLimit').map((x) => ({ ...x, field: 'promisedLimitN' }))], hint: t(page, '即办件留空或填 0', 'Empty or 0 for instant items') })}
${selectField(page, 'promisedLimitUnit', '承诺时限单位', { '1': '工作日', '2': '自然日', '3': '小时', '4': '分钟', '5': '月' }, s(v.promisedLimitUnit) || '1', errs)}
${tf('promisedLimitNote', { maxLength: 500 })}
${selectField(page, 'caseType', '办件类型', { promised: '承诺件', instant: '即办件' }, s(v.caseType) || 'promised', errs)}
${selectField(page, 'reviewType', '审查类型', { review_then_approve: '前审后批', immediate: '即审即办' }, s(v.reviewType) || 'review_then_approve', errs)}
</fieldset>
<fieldset class="card"><legend>${t(page, '受理条件和办理流程', 'Conditions and process')}</legend>
${ta('acceptanceConditions', { rows: 6 })}
${textArea({ name: 'processStepsText', label: '办理流程', value: s(v.processStepsText), errors: errs.filter((x) => x.field.startsWith('processSteps')).map((x) => ({ ...x, field: 'processStepsText' })), hint: t(page, '每行一个环节：环节名称 | 时限 | 单位（工作日/自然日/小时）| 说明', 'One step per line: name | limit | unit | note'), rows: 5 })}
${tf('intermediaryServices', { maxLength: 1000 })}
${tf('quantityLimit', { maxLength: 500 })}
${tf('specialProcedures', { maxLength: 1000 })}
</fieldset>
<fieldset class="card"><legend>${t(page, '审批结果和收费', 'Result and fees')}</legend>
${tf('resultName', { maxLength: 200 })}
${selectField(page, 'resultType', '审批结果类型', { '': '（无）', approval: '审批办结（批复、批文）', certificate: '出证办结（证、证书）', document: '出文办结（文）' }, s(v.resultType), errs)}
${tf('resultSampleAttachmentId', { hint: t(page, '审批结果样本的附件编号（在事项详情页上传后自动填写）', 'Attachment id of the result sample') })}
${checkbox('feeCharged', '收费', on(v.feeCharged))}
${textArea({ name: 'feesText', label: '收费项目', value: s(v.feesText), errors: errs, hint: t(page, '每行一项：名称 | 收费标准 | 收费依据', 'One per line: name | standard | basis'), rows: 3 })}
${tf('feeBasis', { maxLength: 1000 })}
</fieldset>
<fieldset class="card"><legend>${t(page, '服务对象和主题', 'Audience')}</legend>
${checkboxes(page, 'serviceObjects', '服务对象', SERVICE_OBJECTS, list(v.serviceObjects), errs)}
${checkboxes(page, 'themesNaturalPerson', '自然人主题', Object.fromEntries(NATURAL_PERSON_THEMES.map((x) => [x, x])), list(v.themesNaturalPerson), errs)}
${checkboxes(page, 'themesLegalPerson', '法人主题', Object.fromEntries(LEGAL_PERSON_THEMES.map((x) => [x, x])), list(v.themesLegalPerson), errs)}
</fieldset>
<fieldset class="card"><legend>${t(page, '办理渠道', 'Channels')}</legend>
${checkboxes(page, 'handlingForms', '办理形式', HANDLING_FORMS, list(v.handlingForms), errs)}
${checkbox('online', '可以网上办理', on(v.online))}
${checkbox('bookingSupported', '支持预约办理', on(v.bookingSupported))}
${checkbox('onlinePaymentSupported', '支持网上支付', on(v.onlinePaymentSupported))}
${checkbox('courierSupported', '支持物流快递', on(v.courierSupported))}
${selectField(page, 'onlineDepth', '网上办理深度', { '': '未开通', I: 'Ⅰ级', II: 'Ⅱ级', III: 'Ⅲ级', IV: 'Ⅳ级（全程网办）' }, s(v.onlineDepth), errs)}
${tf('visitCount', { maxLength: 2, hint: t(page, '0 表示零跑动', '0 means no visit') })}
${tf('visitReason', { maxLength: 500 })}
</fieldset>
<fieldset class="card"><legend>${t(page, '地点、时间和咨询监督', 'Where and contacts')}</legend>
${tf('location', { maxLength: 500, hint: t(page, '精确到窗口或房间号', 'Down to the window or room number') })}
${tf('officeHours', { maxLength: 200, hint: t(page, '如：周一至周五（法定节假日除外）9:00—17:00', 'e.g. working days 9:00–17:00') })}
${tf('consultationMethod', { maxLength: 500 })}
${tf('consultationPhone', { maxLength: 40, type: 'tel', hint: t(page, '带区号，如 027-82345678', 'With area code') })}
${tf('supervisionPhone', { maxLength: 40, type: 'tel', hint: t(page, '带区号，且不能与咨询电话相同', 'With area code, different from the consultation phone') })}
${ta('faq')}
</fieldset>
<fieldset class="card"><legend>${t(page, '申请材料', 'Materials')}</legend>
${textArea({ name: 'materialsText', label: '申请材料清单', value: s(v.materialsText), errors: errs.filter((x) => x.field.startsWith('materials')).map((x) => ({ ...x, field: 'materialsText' })), hint: t(page, '每行一项：材料名称 | 是否必需（是/否）| 形式（纸质/电子/纸质和电子）| 原件份数 | 复印件份数 | 来源（申请人自备/政府部门核发/其他）| 说明 | 共享获取（是/否）', 'One per line: name | required | form | originals | copies | source | note | from sharing'), rows: 8 })}
</fieldset>
<button type="submit">${editing ? t(page, '保存草稿', 'Save draft') : t(page, '创建草稿', 'Create draft')}</button>
<a href="${o.item ? `/workbench/catalog/${o.item.id}` : '/workbench/catalog'}" class="button secondary">${t(page, '取消', 'Cancel')}</a>
</form>`,
  });
}

/** Form editor: JSON definition + rendered preview (preview posts back without saving; no JavaScript needed). */
export function formEditor(
  page: PageContext,
  item: ItemRow,
  o: { lockVersion: number; json: string; preview: FormDefinition | null; errors: FieldError[]; current?: FormDefinition; fieldValues?: Record<string, string>; fieldErrors?: FieldError[] },
): SafeHtml {
  return workbenchPage(page, {
    title: t(page, `申请表单：${item.name}`, 'Application form'),
    crumbs: [...wbCrumbs(page), { label: item.name, href: `/workbench/catalog/${item.id}` }, { label: t(page, '申请表单', 'Form') }],
    body: html`<h1>${t(page, `申请表单：${item.name}`, `Application form: ${item.name}`)}</h1>
${errorSummary(o.errors, { formJson: '表单定义' })}
<form method="post" action="/workbench/catalog/${item.id}/form" class="stack" novalidate>
${csrfField(page)}<input type="hidden" name="lockVersion" value="${o.lockVersion}">
${textArea({ name: 'formJson', label: t(page, '表单定义（JSON）', 'Form definition (JSON)'), value: o.json, rows: 24, errors: o.errors.length ? [{ field: 'formJson', message: o.errors.map((e) => e.message).join('；') }] : [], hint: t(page, '字段类型：text、textarea、number、date、select、radio、checkbox、idNumber、mobile、uscc、email、address；可设 required、options、showIf、prefill 等', 'Field types: text, textarea, number, date, select, radio, checkbox, idNumber, mobile, uscc, email, address') })}
<button type="submit" name="intent" value="preview" class="secondary">${t(page, '预览', 'Preview')}</button>
<button type="submit" name="intent" value="save">${t(page, '保存表单', 'Save form')}</button>
</form>
<section class="card" aria-labelledby="pv-h"><h2 id="pv-h">${t(page, '预览', 'Preview')}</h2>
${o.preview && o.preview.fields.length > 0 ? html`<div inert>${renderFormFields(o.preview, {}, {}, page)}</div>` : html`<p class="empty">${t(page, '表单还没有字段。', 'The form has no fields yet.')}</p>`}
</section>
${o.current ? fieldByField(page, item, o.lockVersion, o.current, o.fieldValues ?? {}, o.fieldErrors ?? []) : ''}`,
  });
}

const FIELD_TYPE_LABELS: Record<string, string> = {
  text: '单行文字',
  textarea: '多行文字',
  number: '数字',
  date: '日期',
  select: '下拉选择',
  radio: '单选',
  checkbox: '多选/勾选',
  idNumber: '身份证号码',
  mobile: '手机号码',
  uscc: '统一社会信用代码',
  email: '电子邮箱',
  address: '地址',
};
const PREFILL_LABELS: Record<string, string> = {
  '': '（不预填）',
  'applicant.name': '申请人姓名',
  'applicant.idNumber': '申请人身份证号码',
  'applicant.mobile': '申请人手机号码',
  'applicant.email': '申请人电子邮箱',
  'enterprise.name': '企业名称',
  'enterprise.uscc': '企业统一社会信用代码',
  'enterprise.legalRepresentative': '企业法定代表人',
};
const FIELD_FORM_LABELS = { fieldName: '字段名', fieldLabel: '显示名称', fieldType: '类型', fieldOptions: '选项', fieldHelp: '填写说明', showIfField: '显示条件字段', showIfEquals: '显示条件取值', fieldPrefill: '预填来源' };

/** The field-by-field editor: add a field, move one up, remove one — plain forms, no JavaScript. */
function fieldByField(page: PageContext, item: ItemRow, lockVersion: number, def: FormDefinition, v: Record<string, string>, errors: FieldError[]): SafeHtml {
  const op = (name: string, what: 'up' | 'remove', label: string, cls = 'secondary') =>
    html`<form method="post" action="/workbench/catalog/${item.id}/form/fields" class="inline-form">${csrfField(page)}<input type="hidden" name="lockVersion" value="${lockVersion}"><input type="hidden" name="op" value="${what}"><input type="hidden" name="name" value="${name}"><button type="submit" class="${cls}">${label}</button></form>`;
  const select = (name: string, label: string, options: Record<string, string>) =>
    html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${Object.entries(options).map(([k, l]) => html`<option value="${k}"${v[name] === k ? html` selected` : ''}>${l}</option>`)}</select></div>`;
  return html`<section class="card" aria-labelledby="fbf-h"><h2 id="fbf-h">${t(page, '逐个编辑字段', 'Edit field by field')}</h2>
${def.fields.length === 0
  ? html`<p class="empty">${t(page, '表单还没有字段。', 'No fields yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '表单字段', 'Fields')}</caption><thead><tr><th scope="col">显示名称</th><th scope="col">字段名</th><th scope="col">类型</th><th scope="col">必填</th><th scope="col">操作</th></tr></thead>
<tbody>${def.fields.map((f, i) => html`<tr><td>${f.label}</td><td><code>${f.name}</code></td><td>${FIELD_TYPE_LABELS[f.type] ?? f.type}${f.showIf ? html`<br><span class="muted">仅当 ${f.showIf.field} 为 ${Array.isArray(f.showIf.equals) ? f.showIf.equals.join('、') : f.showIf.equals}</span>` : ''}</td><td>${f.required ? '是' : '否'}</td><td>${i > 0 ? op(f.name, 'up', `上移“${f.label}”`) : ''} ${op(f.name, 'remove', `删除“${f.label}”`, 'danger')}</td></tr>`)}</tbody></table>`}
<h3>${t(page, '添加字段', 'Add a field')}</h3>
${errorSummary(errors, FIELD_FORM_LABELS)}
<form method="post" action="/workbench/catalog/${item.id}/form/fields" class="stack" novalidate>
${csrfField(page)}<input type="hidden" name="lockVersion" value="${lockVersion}"><input type="hidden" name="op" value="add">
${textField({ name: 'fieldLabel', label: FIELD_FORM_LABELS.fieldLabel, value: v.fieldLabel ?? '', required: true, maxLength: 100, errors })}
${textField({ name: 'fieldName', label: FIELD_FORM_LABELS.fieldName, value: v.fieldName ?? '', required: true, maxLength: 64, hint: t(page, '英文字母开头，只含字母、数字和下划线，如 shopName', 'Letters, digits, underscore'), errors })}
${select('fieldType', FIELD_FORM_LABELS.fieldType, FIELD_TYPE_LABELS)}
<div class="field choice"><input type="checkbox" id="f-fieldRequired" name="fieldRequired" value="on"${attr('checked', v.fieldRequired === 'on')}> <label for="f-fieldRequired">${t(page, '必填', 'Required')}</label></div>
${textArea({ name: 'fieldOptions', label: FIELD_FORM_LABELS.fieldOptions, value: v.fieldOptions ?? '', rows: 3, hint: t(page, '下拉、单选、多选时填写，每行一个：取值 | 显示名称', 'One per line: value | label'), errors })}
${textField({ name: 'fieldHelp', label: FIELD_FORM_LABELS.fieldHelp, value: v.fieldHelp ?? '', maxLength: 500, errors })}
${select('showIfField', FIELD_FORM_LABELS.showIfField, { '': '（始终显示）', ...Object.fromEntries(def.fields.map((f) => [f.name, f.label])) })}
${textField({ name: 'showIfEquals', label: FIELD_FORM_LABELS.showIfEquals, value: v.showIfEquals ?? '', maxLength: 200, hint: t(page, '条件字段等于这些取值之一时显示，多个取值用逗号分隔', 'Comma-separated values'), errors })}
${select('fieldPrefill', FIELD_FORM_LABELS.fieldPrefill, PREFILL_LABELS)}
<button type="submit">${t(page, '添加字段', 'Add field')}</button>
</form></section>`;
}
