import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDate, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { attr, html, raw, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { GENRES, INTERPRETATION_CATEGORY, THEMES, VALIDITIES, VALIDITY_LABEL } from '../catalog.ts';
import { FIELD_LABELS } from '../commands/validate-publication.ts';
import type { DeadlineState } from '../deadline.ts';
import type { ImportRun } from '../import-run.repository.ts';
import type { PublicationAction } from '../policies.ts';
import type { CategoryRow, OverdueAlert, PublicationEvent, PublicationRow, PublicationStatus } from '../publication.repository.ts';
import { DEADLINE_BADGE, EVENT_LABEL, STATUS_BADGE, STATUS_LABEL } from './labels.ts';

const WB = { label: '工作台', labelEn: 'Workbench', href: '/workbench' };
const crumbsOf = (page: PageContext, ...rest: { label: string; href?: string }[]) => [
  { label: t(page, WB.label, WB.labelEn), href: WB.href },
  { label: t(page, '主动公开', 'Proactive disclosure'), href: '/workbench/disclosure' },
  ...rest,
];

export interface ListedPublication {
  p: PublicationRow;
  deadline: { state: DeadlineState; workingDaysLeft: number };
}

function deadlineText(page: PageContext, d: ListedPublication['deadline'], dueOn: string): string {
  switch (d.state) {
    case 'done':
      return t(page, '已按期处理', 'Done');
    case 'ok':
      return t(page, `${dueOn} 前（剩 ${d.workingDaysLeft} 个工作日）`, `by ${dueOn} (${d.workingDaysLeft} working days left)`);
    case 'warn':
      return t(page, `即将到期：${dueOn}（剩 ${d.workingDaysLeft} 个工作日）`, `Due soon: ${dueOn} (${d.workingDaysLeft} left)`);
    case 'overdue':
      return t(page, `已超期 ${-d.workingDaysLeft} 个工作日（应于 ${dueOn} 前公开）`, `Overdue by ${-d.workingDaysLeft} working days (due ${dueOn})`);
  }
}

export function staffList(
  page: PageContext,
  rows: ListedPublication[],
  p: { page: number; pageSize: number; total: number; status?: PublicationStatus | undefined; q?: string | undefined; canCreate: boolean; canImport: boolean; openAlerts: number },
): SafeHtml {
  const title = t(page, '主动公开管理', 'Proactive disclosure');
  return workbenchPage(page, {
    title,
    crumbs: [{ label: t(page, WB.label, WB.labelEn), href: WB.href }, { label: title }],
    body: html`<h1>${title}</h1>
<p>${p.canCreate ? html`<a class="button" href="/workbench/disclosure/new">${t(page, '起草公开信息', 'Draft a publication')}</a> ` : ''}${p.canImport ? html`<a class="button secondary" href="/workbench/disclosure/import">${t(page, '批量导入', 'Bulk import')}</a> ` : ''}<a href="/workbench/disclosure/alerts">${t(page, `超期预警（${p.openAlerts}）`, `Overdue alerts (${p.openAlerts})`)}</a></p>
<form method="get" action="/workbench/disclosure" class="filters">
  <div class="field"><label for="f-status">${t(page, '状态', 'Status')}</label>
  <select id="f-status" name="status"><option value="">${t(page, '全部', 'All')}</option>${(Object.keys(STATUS_LABEL) as PublicationStatus[]).map((s) => html`<option value="${s}"${attr('selected', s === p.status)}>${t(page, ...STATUS_LABEL[s])}</option>`)}</select></div>
  <div class="field"><label for="f-q">${t(page, '标题包含', 'Title contains')}</label><input id="f-q" name="q" type="search" maxlength="50"${attr('value', p.q ?? null)}></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
</form>
${rows.length === 0
  ? html`<p class="empty">${p.status || p.q ? t(page, '没有符合条件的公开信息。', 'Nothing matches.') : t(page, '您的管辖范围内还没有公开信息。', 'No publications in your scope yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '公开信息列表', 'Publications')}</caption>
<thead><tr><th scope="col">${t(page, '标题', 'Title')}</th><th scope="col">${t(page, '发布机构', 'Organisation')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '公开时限（条例第二十六条）', 'Deadline (Art. 26)')}</th><th scope="col">${t(page, '更新时间', 'Updated')}</th></tr></thead>
<tbody>${rows.map(
      ({ p: r, deadline }) => html`<tr><td><a href="/workbench/disclosure/${r.id}">${r.title}</a></td><td>${r.organisationName}</td><td><span class="${STATUS_BADGE[r.status]}">${t(page, ...STATUS_LABEL[r.status])}</span></td><td><span class="${DEADLINE_BADGE[deadline.state]}">${deadlineText(page, deadline, r.dueOn)}</span></td><td>${formatDateTime(r.updatedAt)}</td></tr>`,
    )}</tbody></table>
${pager({ path: '/workbench/disclosure', query: { status: p.status, q: p.q }, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export function metadataTable(page: PageContext, p: PublicationRow, categoryName: string): SafeHtml {
  return html`<table class="meta"><caption class="visually-hidden">${t(page, '信息属性', 'Metadata')}</caption><tbody>
<tr><th scope="row">${t(page, '索引号', 'Index number')}</th><td>${p.indexNumber ?? t(page, '（发布时生成）', '(assigned on publication)')}</td><th scope="row">${t(page, '主题分类', 'Category')}</th><td>${categoryName}</td></tr>
<tr><th scope="row">${t(page, '发布机构', 'Issued by')}</th><td>${p.issuingBody}</td><th scope="row">${t(page, '文种', 'Genre')}</th><td>${p.genre}</td></tr>
<tr><th scope="row">${t(page, '成文日期', 'Written on')}</th><td>${p.writtenOn}</td><th scope="row">${t(page, '发布日期', 'Published on')}</th><td>${formatDate(p.publishedAt) || '—'}</td></tr>
<tr><th scope="row">${t(page, '文号', 'Document number')}</th><td>${p.docNumber ?? '—'}</td><th scope="row">${t(page, '有效性', 'Validity')}</th><td>${VALIDITY_LABEL[p.validity]}</td></tr>
${p.theme ? html`<tr><th scope="row">${t(page, '主题词', 'Theme')}</th><td colspan="3">${p.theme}</td></tr>` : ''}
</tbody></table>`;
}

export function historyList(page: PageContext, events: PublicationEvent[]): SafeHtml {
  if (events.length === 0) return html``;
  return html`<ol class="history">${events.map(
    (e) => html`<li><time>${formatDateTime(e.at)}</time> ${t(page, ...(EVENT_LABEL[e.event] ?? [e.event, e.event]))}${e.actorName ? html`（${e.actorName}）` : ''}${e.note ? html`：${e.note}` : ''}</li>`,
  )}</ol>`;
}

export function staffDetail(
  page: PageContext,
  p: PublicationRow,
  o: { categoryName: string; actions: PublicationAction[]; events: PublicationEvent[]; related: { interprets: PublicationRow[]; interpretedBy: PublicationRow[] }; deadline: ListedPublication['deadline']; errors?: FieldError[] },
): SafeHtml {
  const has = (a: PublicationAction) => o.actions.includes(a);
  const version = html`${csrfField(page)}<input type="hidden" name="version" value="${p.version}">`;
  const errs = o.errors ?? [];
  return workbenchPage(page, {
    title: p.title,
    crumbs: crumbsOf(page, { label: p.title }),
    body: html`<h1>${p.title}</h1>
${errorSummary(errs, FIELD_LABELS)}
<p><span class="${STATUS_BADGE[p.status]}">${t(page, ...STATUS_LABEL[p.status])}</span> <span class="${DEADLINE_BADGE[o.deadline.state]}">${deadlineText(page, o.deadline, p.dueOn)}</span> <span class="muted">${p.organisationName} · ${t(page, `第 ${p.version} 版`, `Version ${p.version}`)}</span></p>
${metadataTable(page, p, o.categoryName)}
${p.reviewOpinion ? html`<p><strong>${t(page, '保密审查意见：', 'Confidentiality review: ')}</strong>${p.reviewOpinion}${p.reviewedBy ? html`（${p.reviewedBy}，${formatDateTime(p.reviewedAt)}）` : ''}</p>` : ''}
${p.summary ? html`<p class="muted">${p.summary}</p>` : ''}
<article class="card publication-body">${raw(p.bodyHtml)}</article>
${p.attachmentIds.length > 0 ? html`<h2>${t(page, '附件', 'Attachments')}</h2><ul>${p.attachmentIds.map((id, i) => html`<li><a href="/attachments/${id}">${t(page, `附件 ${i + 1}`, `Attachment ${i + 1}`)}</a></li>`)}</ul>` : ''}
${relatedBlock(page, o.related, (r) => `/workbench/disclosure/${r.id}`)}
<div class="actions">
${has('edit') ? html`<p><a class="button secondary" href="/workbench/disclosure/${p.id}/edit">${t(page, '修改草稿', 'Edit draft')}</a></p>` : ''}
${has('submit') ? html`<form method="post" action="/workbench/disclosure/${p.id}/submit" class="inline-form">${version}<button type="submit">${t(page, '提交保密审查', 'Submit for confidentiality review')}</button></form>` : ''}
${has('review') ? html`<form method="post" action="/workbench/disclosure/${p.id}/review" class="stack">${version}
  ${textArea({ name: 'opinion', label: t(page, '保密审查意见', 'Confidentiality review opinion'), hint: t(page, '写明是否涉及国家秘密、工作秘密、商业秘密或个人隐私', 'State whether it contains secrets or personal data'), required: true, rows: 3, errors: errs })}
  <p><button type="submit" name="decision" value="pass">${t(page, '审查通过', 'Pass')}</button> <button type="submit" name="decision" value="return" class="secondary">${t(page, '退回修改', 'Return for changes')}</button></p>
</form>` : ''}
${has('publish') ? html`<form method="post" action="/workbench/disclosure/${p.id}/publish" class="inline-form">${version}<button type="submit">${t(page, '发布', 'Publish')}</button></form>` : ''}
${has('revise') ? html`<p><a class="button secondary" href="/workbench/disclosure/${p.id}/revise">${t(page, '修订', 'Revise')}</a></p>` : ''}
${has('withdraw') ? html`<form method="post" action="/workbench/disclosure/${p.id}/withdraw" class="stack">${version}
  ${textField({ name: 'reason', label: t(page, '撤销原因', 'Reason for withdrawal'), required: true, maxLength: 1000, errors: errs })}
  <button type="submit" class="danger">${t(page, '撤销公开', 'Withdraw')}</button>
</form>` : ''}
${p.status === 'published' ? html`<p><a href="/disclosure/publications/${p.id}">${t(page, '查看公开页面', 'View the public page')}</a>${p.categoryCode !== INTERPRETATION_CATEGORY ? html` · <a href="/workbench/disclosure/new?interprets=${p.id}">${t(page, '为本文件起草政策解读', 'Draft an interpretation of this policy')}</a>` : ''}</p>` : ''}
</div>
<h2>${t(page, '处理记录', 'History')}</h2>
${historyList(page, o.events)}`,
  });
}

export function relatedBlock(page: PageContext, related: { interprets: PublicationRow[]; interpretedBy: PublicationRow[] }, href: (p: PublicationRow) => string): SafeHtml {
  if (related.interprets.length === 0 && related.interpretedBy.length === 0) return html``;
  return html`<section class="related">
${related.interprets.length > 0 ? html`<h2>${t(page, '所解读的政策文件', 'Policy interpreted')}</h2><ul>${related.interprets.map((r) => html`<li><a href="${href(r)}">${r.title}</a></li>`)}</ul>` : ''}
${related.interpretedBy.length > 0 ? html`<h2>${t(page, '相关政策解读', 'Interpretations')}</h2><ul>${related.interpretedBy.map((r) => html`<li><a href="${href(r)}">${r.title}</a></li>`)}</ul>` : ''}
</section>`;
}

export interface FormValues {
  title?: string | undefined;
  docNumber?: string | null | undefined;
  issuingBody?: string | undefined;
  writtenOn?: string | undefined;
  categoryCode?: string | undefined;
  theme?: string | null | undefined;
  genre?: string | undefined;
  validity?: string | undefined;
  summary?: string | null | undefined;
  body?: string | undefined;
  attachmentIds?: string | undefined;
  interpretsId?: string | undefined;
  reason?: string | undefined;
  idempotencyKey?: string | undefined;
}

function select(page: PageContext, name: string, label: string, options: { value: string; label: string }[], value: string | null | undefined, errors: FieldError[], required: boolean): SafeHtml {
  const err = errors.find((e) => e.field === name)?.message;
  return html`<div class="field${err ? ' has-error' : ''}"><label for="f-${name}">${label}${required ? html` <span aria-hidden="true">*</span>` : ''}</label>
${err ? html`<p class="error" id="f-${name}-error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
<select id="f-${name}" name="${name}"${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', err ? `f-${name}-error` : null)}${attr('required', required)}>${required ? html`<option value="">${t(page, '请选择', 'Choose')}</option>` : html`<option value="">—</option>`}${options.map((o) => html`<option value="${o.value}"${attr('selected', o.value === value)}>${o.label}</option>`)}</select></div>`;
}

export function publicationForm(
  page: PageContext,
  o: { mode: 'new' | 'edit' | 'revise'; publication?: PublicationRow; values: FormValues; errors: FieldError[]; categories: CategoryRow[]; interprets?: PublicationRow | null; version?: number },
): SafeHtml {
  const v = o.values;
  const heading = o.mode === 'new' ? t(page, '起草公开信息', 'Draft a publication') : o.mode === 'edit' ? t(page, '修改草稿', 'Edit draft') : t(page, '修订已发布信息', 'Revise a published publication');
  const action = o.mode === 'new' ? '/workbench/disclosure' : o.mode === 'edit' ? `/workbench/disclosure/${o.publication?.id}` : `/workbench/disclosure/${o.publication?.id}/revise`;
  const byCode = new Map(o.categories.map((c) => [c.code, c]));
  const catLabel = (c: CategoryRow) => (c.parentCode ? `${byCode.get(c.parentCode)?.name ?? ''} › ${c.name}` : c.name);
  return workbenchPage(page, {
    title: heading,
    crumbs: crumbsOf(page, { label: heading }),
    body: html`<h1>${heading}</h1>
${errorSummary(o.errors, FIELD_LABELS)}
<form method="post" action="${action}" class="stack" novalidate>
  ${csrfField(page)}
  ${o.mode === 'new' ? html`<input type="hidden" name="idempotencyKey" value="${v.idempotencyKey ?? ''}">` : html`<input type="hidden" name="version" value="${o.version ?? o.publication?.version ?? 1}">`}
  ${o.interprets ? html`<input type="hidden" name="interpretsId" value="${o.interprets.id}"><p>${t(page, '解读的政策文件：', 'Interprets: ')}<strong>${o.interprets.title}</strong></p>` : ''}
  ${textField({ name: 'title', label: t(page, '标题', 'Title'), value: v.title ?? '', required: true, maxLength: 200, errors: o.errors })}
  ${textField({ name: 'docNumber', label: t(page, '文号', 'Document number'), value: v.docNumber ?? '', hint: t(page, '没有文号可不填；格式如 鄂政办发〔2024〕12号', 'Optional, e.g. 鄂政办发〔2024〕12号'), maxLength: 60, errors: o.errors })}
  ${textField({ name: 'issuingBody', label: t(page, '发布机构', 'Issued by'), value: v.issuingBody ?? '', hint: t(page, '不填则为本单位', 'Defaults to your organisation'), maxLength: 100, errors: o.errors })}
  ${textField({ name: 'writtenOn', label: t(page, '成文日期', 'Written on'), type: 'date', value: v.writtenOn ?? '', required: true, hint: t(page, '自成文日期起 20 个工作日内应当公开（条例第二十六条）', 'Publish within 20 working days (Art. 26)'), errors: o.errors })}
  ${select(page, 'categoryCode', t(page, '主题分类（公开目录）', 'Catalog category'), o.categories.map((c) => ({ value: c.code, label: catLabel(c) })), v.categoryCode ?? (o.interprets ? INTERPRETATION_CATEGORY : ''), o.errors, true)}
  ${select(page, 'genre', t(page, '文种', 'Genre'), GENRES.map((g) => ({ value: g, label: g })), v.genre ?? (o.interprets ? '解读' : ''), o.errors, true)}
  ${select(page, 'theme', t(page, '主题词', 'Theme'), THEMES.map((g) => ({ value: g, label: g })), v.theme ?? '', o.errors, false)}
  ${select(page, 'validity', t(page, '有效性', 'Validity'), VALIDITIES.map((x) => ({ value: x, label: VALIDITY_LABEL[x] })), v.validity ?? 'valid', o.errors, true)}
  ${textArea({ name: 'summary', label: t(page, '内容概述', 'Summary'), value: v.summary ?? '', rows: 3, maxLength: 500, errors: o.errors })}
  ${textArea({ name: 'body', label: t(page, '正文', 'Text'), value: v.body ?? '', required: true, rows: 14, hint: t(page, '可直接输入文字（空行分段），也可粘贴 HTML；脚本、样式等不安全内容会被去除', 'Plain text or HTML; unsafe markup is removed'), errors: o.errors })}
  ${textField({ name: 'attachmentIds', label: t(page, '附件编号', 'Attachment ids'), value: v.attachmentIds ?? '', hint: t(page, '先在“附件上传”处上传文件，再把附件编号填在这里，多个用逗号分隔', 'Upload first, then list the ids, comma separated'), errors: o.errors })}
  ${o.mode === 'revise' ? textField({ name: 'reason', label: t(page, '修订说明（将在公开页面显示）', 'Reason for the revision (shown publicly)'), value: v.reason ?? '', required: true, maxLength: 1000, errors: o.errors }) : ''}
  <button type="submit">${o.mode === 'new' ? t(page, '保存草稿', 'Save draft') : o.mode === 'edit' ? t(page, '保存修改', 'Save changes') : t(page, '保存修订并更新公开内容', 'Save the revision')}</button>
  <a href="${o.publication ? `/workbench/disclosure/${o.publication.id}` : '/workbench/disclosure'}" class="button secondary">${t(page, '取消', 'Cancel')}</a>
</form>`,
  });
}

export function alertsPage(page: PageContext, rows: OverdueAlert[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  const title = t(page, '主动公开超期预警', 'Overdue proactive disclosure');
  return workbenchPage(page, {
    title,
    crumbs: crumbsOf(page, { label: title }),
    body: html`<h1>${title}</h1>
<p class="muted">${t(page, '成文后 20 个工作日内未公开的信息（《政府信息公开条例》第二十六条），发布后自动销号。', 'Publications not published within 20 working days of being written (Art. 26); closed on publication.')}</p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '目前没有超期预警。', 'No overdue alerts.')}</p>`
  : html`<table><caption class="visually-hidden">${title}</caption><thead><tr><th scope="col">${t(page, '标题', 'Title')}</th><th scope="col">${t(page, '单位', 'Organisation')}</th><th scope="col">${t(page, '应公开日期', 'Due')}</th><th scope="col">${t(page, '预警时间', 'Raised')}</th><th scope="col">${t(page, '状态', 'State')}</th></tr></thead>
<tbody>${rows.map((a) => html`<tr><td><a href="/workbench/disclosure/${a.publicationId}">${a.title}</a></td><td>${a.organisationName}</td><td>${a.dueOn}</td><td>${formatDateTime(a.raisedAt)}</td><td>${a.resolvedAt ? html`<span class="badge ok">${t(page, '已公开', 'Resolved')}</span>` : html`<span class="badge bad">${t(page, '未处理', 'Open')}</span>`}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/disclosure/alerts', query: {}, ...p })}`}`,
  });
}

export function importPage(page: PageContext, o: { errors: FieldError[] }): SafeHtml {
  const title = t(page, '批量导入公开信息', 'Bulk import');
  return workbenchPage(page, {
    title,
    crumbs: crumbsOf(page, { label: title }),
    body: html`<h1>${title}</h1>
${errorSummary(o.errors, { file: t(page, '数据文件', 'Data file'), attachments: t(page, '附件', 'Attachments') })}
<p>${t(page, '用于把原网站的公开信息迁移到本平台。数据文件为 JSON 或 CSV（UTF-8），每条须有来源编号（sourceId）；同一来源编号只导入一次。附件列写附件文件名，多个用分号分隔，文件一并选择上传。', 'Move an old site’s publications here: JSON or CSV (UTF-8), each row with a sourceId; imported once per source id.')}</p>
<p class="muted">${t(page, 'CSV 表头：sourceId,title,docNumber,issuingBody,writtenOn,publishedAt,indexNumber,category,theme,genre,validity,summary,body,attachments（也可用中文表头：来源编号、标题、文号……）', 'CSV headers: sourceId,title,docNumber,…')}</p>
<form method="post" action="/workbench/disclosure/import?_csrf=${page.csrfToken}" enctype="multipart/form-data" class="stack">
  ${csrfField(page)}
  <div class="field"><label for="f-file">${t(page, '数据文件（JSON 或 CSV）', 'Data file (JSON or CSV)')} <span aria-hidden="true">*</span></label><input id="f-file" name="file" type="file" accept=".json,.csv,application/json,text/csv" required></div>
  <div class="field"><label for="f-attachments">${t(page, '附件文件（可多选）', 'Attachment files')}</label><input id="f-attachments" name="attachments" type="file" multiple></div>
  <button type="submit">${t(page, '开始导入', 'Start import')}</button>
</form>`,
  });
}

export function importProgressPage(page: PageContext, run: ImportRun): SafeHtml {
  const title = t(page, '导入进度', 'Import progress');
  const finished = run.status === 'done' || run.status === 'failed';
  const OUTCOME: Record<string, [string, string, string]> = { created: ['已导入', 'Imported', 'badge ok'], skipped: ['已跳过', 'Skipped', 'badge'], failed: ['失败', 'Failed', 'badge bad'] };
  return workbenchPage(page, {
    title,
    crumbs: crumbsOf(page, { label: t(page, '批量导入', 'Bulk import'), href: '/workbench/disclosure/import' }, { label: title }),
    body: html`<h1>${title}</h1>
<div id="import-progress" data-run="${run.id}" data-finished="${finished ? '1' : '0'}">
<p><label for="import-bar">${t(page, '进度', 'Progress')}</label> <progress id="import-bar" max="${Math.max(run.total, 1)}" value="${run.processed}">${run.processed} / ${run.total}</progress>
<span id="import-count">${run.processed} / ${run.total}</span></p>
<p id="import-summary" role="status">${finished ? t(page, `导入完成：新增 ${run.created} 条，跳过 ${run.skipped} 条，失败 ${run.failed} 条。`, `Done: ${run.created} imported, ${run.skipped} skipped, ${run.failed} failed.`) : t(page, '正在导入……', 'Importing…')}</p>
${finished ? '' : html`<p><a href="/workbench/disclosure/import/${run.id}">${t(page, '刷新进度', 'Refresh')}</a></p>`}
</div>
${run.report.length > 0 ? html`<table><caption>${t(page, '逐条结果', 'Per row')}</caption><thead><tr><th scope="col">${t(page, '行', 'Row')}</th><th scope="col">${t(page, '来源编号', 'Source id')}</th><th scope="col">${t(page, '结果', 'Outcome')}</th><th scope="col">${t(page, '说明', 'Detail')}</th></tr></thead>
<tbody>${run.report.map((r) => html`<tr><td>${r.row}</td><td>${r.sourceId}</td><td><span class="${OUTCOME[r.outcome]![2]}">${t(page, OUTCOME[r.outcome]![0], OUTCOME[r.outcome]![1])}</span></td><td>${r.publicationId ? html`<a href="/workbench/disclosure/${r.publicationId}">${r.message}</a>` : r.message}</td></tr>`)}</tbody></table>` : ''}
<script src="/workbench/disclosure/import-progress.js" defer></script>`,
  });
}

/** Polls the run and updates the bar; the page works without it (refresh link). */
export const IMPORT_PROGRESS_JS = `(() => {
  const box = document.getElementById('import-progress');
  if (!box || box.dataset.finished === '1') return;
  const tick = async () => {
    const r = await fetch('/api/disclosure/imports/' + box.dataset.run, { headers: { accept: 'application/json' } });
    if (!r.ok) return;
    const run = await r.json();
    const bar = document.getElementById('import-bar');
    bar.max = Math.max(run.total, 1); bar.value = run.processed; bar.textContent = run.processed + ' / ' + run.total;
    document.getElementById('import-count').textContent = run.processed + ' / ' + run.total;
    if (run.status === 'done' || run.status === 'failed') { location.reload(); return; }
    setTimeout(tick, 800);
  };
  setTimeout(tick, 500);
})();
`;

export function indexRulesPage(
  page: PageContext,
  o: { rules: { jurisdictionCode: string; jurisdictionName: string; generatorId: string; template: string }[]; generators: { id: string; name: string; template: string }[]; values: { jurisdictionCode?: string; generatorId?: string }; errors: FieldError[] },
): SafeHtml {
  const title = t(page, '索引号规则', 'Index number rules');
  return workbenchPage(page, {
    title,
    crumbs: [{ label: t(page, WB.label, WB.labelEn), href: WB.href }, { label: title }],
    body: html`<h1>${title}</h1>
<p>${t(page, '索引号没有全国统一格式。每个行政区划（及其下级）可以指定一个编号规则；未指定的使用上级的规则，都未指定时使用默认规则“政府信息索引号”（{orgCode}/{yyyy}-{seq:5}）。编号规则在“编号规则”中维护；已发布信息的索引号不会改变。', 'Each jurisdiction (and its subtree) may name a number generator; otherwise the parent’s or the default applies.')}</p>
${o.rules.length === 0
  ? html`<p class="empty">${t(page, '尚未为任何地区指定规则，全部使用默认规则。', 'No rules yet: the default applies everywhere.')}</p>`
  : html`<table><caption class="visually-hidden">${title}</caption><thead><tr><th scope="col">${t(page, '行政区划', 'Jurisdiction')}</th><th scope="col">${t(page, '编号规则', 'Generator')}</th><th scope="col">${t(page, '模板', 'Template')}</th></tr></thead>
<tbody>${o.rules.map((r) => html`<tr><td>${r.jurisdictionName}（${r.jurisdictionCode}）</td><td>${r.generatorId}</td><td><code>${r.template}</code></td></tr>`)}</tbody></table>`}
<h2>${t(page, '指定或更改规则', 'Set a rule')}</h2>
${errorSummary(o.errors, { jurisdictionCode: t(page, '行政区划代码', 'Division code'), generatorId: t(page, '编号规则', 'Generator') })}
<form method="post" action="/workbench/index-numbers" class="stack" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'jurisdictionCode', label: t(page, '行政区划代码', 'Division code'), value: o.values.jurisdictionCode ?? '', required: true, maxLength: 6, hint: t(page, '6 位代码，如 420281（大冶市）', '6 digits, e.g. 420281'), errors: o.errors })}
  ${select(page, 'generatorId', t(page, '编号规则', 'Generator'), o.generators.map((g) => ({ value: g.id, label: `${g.name}：${g.template}` })), o.values.generatorId ?? '', o.errors, true)}
  <button type="submit">${t(page, '保存', 'Save')}</button>
</form>`,
  });
}

export function categoriesPage(page: PageContext, o: { categories: CategoryRow[]; values: Record<string, string | undefined>; errors: FieldError[] }): SafeHtml {
  const title = t(page, '公开目录维护', 'Disclosure catalog');
  const byCode = new Map(o.categories.map((c) => [c.code, c]));
  const labels = { code: t(page, '分类代码', 'Code'), name: t(page, '分类名称', 'Name'), parentCode: t(page, '上级分类', 'Parent'), deadlineDays: t(page, '公开时限（工作日）', 'Period (working days)'), legalBasis: t(page, '时限依据', 'Legal basis') };
  return workbenchPage(page, {
    title,
    crumbs: [{ label: t(page, WB.label, WB.labelEn), href: WB.href }, { label: title }],
    body: html`<h1>${title}</h1>
<table><caption class="visually-hidden">${title}</caption><thead><tr><th scope="col">${labels.code}</th><th scope="col">${labels.name}</th><th scope="col">${labels.parentCode}</th><th scope="col">${labels.deadlineDays}</th></tr></thead>
<tbody>${o.categories.map((c) => html`<tr><td><code>${c.code}</code></td><td>${c.name}</td><td>${c.parentCode ? (byCode.get(c.parentCode)?.name ?? c.parentCode) : '—'}</td><td>${c.deadlineDays ? html`${c.deadlineDays}（${c.legalBasis ?? ''}）` : t(page, '20（条例第二十六条）', '20 (Art. 26)')}</td></tr>`)}</tbody></table>
<h2>${t(page, '新增分类或修改名称、时限', 'Add a category or change one')}</h2>
${errorSummary(o.errors, labels)}
<form method="post" action="/workbench/open-catalog" class="stack" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'code', label: labels.code, value: o.values.code ?? '', required: true, maxLength: 40, hint: t(page, '已有代码则修改该分类；分类不能删除', 'An existing code changes that category'), errors: o.errors })}
  ${textField({ name: 'name', label: labels.name, value: o.values.name ?? '', required: true, maxLength: 40, errors: o.errors })}
  ${select(page, 'parentCode', labels.parentCode, o.categories.filter((c) => !c.parentCode).map((c) => ({ value: c.code, label: c.name })), o.values.parentCode ?? '', o.errors, false)}
  ${textField({ name: 'deadlineDays', label: labels.deadlineDays, value: o.values.deadlineDays ?? '', maxLength: 3, hint: t(page, '不填则为 20 个工作日；法律、法规另有规定时填写', 'Empty: 20 working days'), errors: o.errors })}
  ${textField({ name: 'legalBasis', label: labels.legalBasis, value: o.values.legalBasis ?? '', maxLength: 200, errors: o.errors })}
  <button type="submit">${t(page, '保存', 'Save')}</button>
</form>`,
  });
}
