import type { FieldError } from '../../../platform/errors.ts';
import { renderFormFields, type FormValues } from '../../../platform/forms/index.ts';
import { errorSummary, formatDateTime } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { BundleRow } from '../bundle.repository.ts';
import type { CaseRecord, LibraryItemRow } from '../case.repository.ts';
import type { BundleCase, BundleMaterial } from '../commands/submit-life-event.ts';
import { bundleProgress } from '../life-event-service.ts';
import type { ApplicationLifeEvent } from '../ports.ts';
import type { LockedField } from '../prefill.ts';
import { lockedFieldsBlock } from './draft-pages.ts';
import { applicantBadge, civil, stateBadge } from './shared.ts';

const home = (page: PageContext) => ({ label: t(page, '首页', 'Home'), href: '/' });
const mine = (page: PageContext) => ({ label: t(page, '我的办件', 'My cases'), href: '/account/cases' });

function fieldErrors(errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field, e.message]));
}

/** The departments a life event goes to, each with its items (in the life event's order). */
export function departments(le: ApplicationLifeEvent): { name: string; items: string[] }[] {
  const out: { name: string; items: string[] }[] = [];
  for (const item of le.items) {
    const d = out.find((x) => x.name === item.organisationName);
    if (d) d.items.push(item.name);
    else out.push({ name: item.organisationName, items: [item.name] });
  }
  return out;
}

function materialPicker(page: PageContext, m: BundleMaterial, library: LibraryItemRow[], chosen: string | undefined, err: string | undefined): SafeHtml {
  const id = `f-material-${m.key}`;
  const usedBy = m.uses.map((u) => u.itemName).join('、');
  return html`<fieldset class="field${err ? ' has-error' : ''}" id="${id}">
  <legend>${m.name}${m.required ? html` <span aria-hidden="true">*</span><span class="visually-hidden">${t(page, '（必交）', ' (required)')}</span>` : html` <span class="muted">${t(page, '（选交）', '(optional)')}</span>`}</legend>
  <p class="hint" id="${id}-hint">${m.uses.length > 1 ? t(page, `${usedBy}共用，上传一次即可`, `Shared by ${usedBy}: upload once`) : t(page, `用于${usedBy}`, `For ${usedBy}`)}</p>
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
  <label for="file-${m.key}">${t(page, '上传文件', 'Upload a file')}</label>
  <input type="file" id="file-${m.key}" name="file-${m.key}" accept=".pdf,.jpg,.jpeg,.png,.ofd,.docx"${attr('aria-describedby', err ? `${id}-hint ${id}-error` : `${id}-hint`)}>
  ${library.length > 0
    ? html`<label for="pick-${m.key}">${t(page, '或从“我的材料库”选择', 'Or pick from my material library')}</label>
  <select id="pick-${m.key}" name="pick-${m.key}"><option value="">${t(page, '不选择', 'None')}</option>${library.map((l) => html`<option value="${l.attachment_id}"${chosen === l.attachment_id ? html` selected` : ''}>${l.label}（${l.file_name}）</option>`)}</select>`
    : ''}
</fieldset>`;
}

export function lifeEventApplyPage(
  page: PageContext,
  o: {
    lifeEvent: ApplicationLifeEvent;
    materials: BundleMaterial[];
    values: FormValues;
    errors: FieldError[];
    library: LibraryItemRow[];
    chosen: Record<string, string>;
    token: string;
    /** Real-name-verified fields (the profile's prefill): shown read-only, not as inputs. */
    locked?: Record<string, LockedField>;
  },
): SafeHtml {
  const le = o.lifeEvent;
  const errs = fieldErrors(o.errors);
  const locked = o.locked ?? {};
  const editable = { ...le.form, fields: le.form.fields.filter((f) => !locked[f.name]) };
  const labels: Record<string, string> = Object.fromEntries([
    ...le.form.fields.map((f): [string, string] => [f.name, f.label]),
    ...o.materials.map((m): [string, string] => [`material-${m.key}`, m.name]),
    ['idempotencyKey', t(page, '提交标识', 'Submission token')],
  ]);
  return portalPage(page, {
    title: t(page, `一件事申请：${le.name}`, `Apply: ${le.name}`),
    crumbs: [home(page), { label: t(page, '一件事一次办', 'Life events'), href: '/life-events' }, { label: le.name, href: `/life-events/${le.id}` }, { label: t(page, '在线申请', 'Apply') }],
    body: html`<h1>${t(page, '一件事一次办', 'Apply once')}：${le.name}</h1>
${le.description ? html`<p class="lead">${le.description}</p>` : ''}
${errorSummary(o.errors, labels)}
<section class="card" aria-labelledby="le-depts">
  <h2 id="le-depts">${t(page, `本次申请将同时分送 ${departments(le).length} 个部门办理`, `This application goes to ${departments(le).length} departments`)}</h2>
  <ul>${departments(le).map((d) => html`<li><strong>${d.name}</strong>：${d.items.join('、')}</li>`)}</ul>
  <p class="hint">${t(page, '每个事项生成一个办件编号和查询密码，各部门分别办理，您可以在“我的办件”中统一查看进度。', 'Each item becomes a case with its own number; follow them together under My cases.')}</p>
</section>
<form method="post" action="/life-events/${le.id}/apply?_csrf=${encodeURIComponent(page.csrfToken)}" enctype="multipart/form-data" class="stack" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="token" value="${o.token}">
  <h2>${t(page, '申请信息（一表填报）', 'Application (one form)')}</h2>
  ${lockedFieldsBlock(page, locked)}
  ${renderFormFields(editable, o.values, errs, page)}
  <h2>${t(page, '申请材料', 'Materials')}</h2>
  <p class="hint">${t(page, '几个事项都需要的材料只需上传一次。支持 PDF、JPG、PNG、OFD、DOCX，文件类型按内容识别；上传过的文件会保存到“我的材料库”。', 'A material needed by several items is uploaded once. PDF, JPG, PNG, OFD or DOCX.')}</p>
  ${o.materials.length === 0 ? html`<p class="empty">${t(page, '本“一件事”无需上传材料。', 'No materials to upload.')}</p>` : ''}
  ${o.materials.map((m) => materialPicker(page, m, o.library, o.chosen[m.key], errs[`material-${m.key}`]))}
  <button type="submit">${t(page, '一次提交', 'Submit all')}</button>
</form>`,
  });
}

function caseRows(page: PageContext, cases: { record: CaseRecord; queryPassword?: string }[], withPassword: boolean): SafeHtml {
  return html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '本次申请的办件', 'Cases of this application')}</caption>
<thead><tr><th scope="col">${t(page, '办件编号', 'Case number')}</th><th scope="col">${t(page, '事项', 'Service')}</th><th scope="col">${t(page, '办理部门', 'Department')}</th>${withPassword ? html`<th scope="col">${t(page, '查询密码', 'Query password')}</th>` : ''}<th scope="col">${t(page, '状态', 'Status')}</th></tr></thead>
<tbody>${cases.map(
    (c) => html`<tr><td><a href="/account/cases/${c.record.id}">${c.record.case_no}</a></td><td>${c.record.item_name}</td><td>${c.record.organisation_name}</td>${withPassword ? html`<td><strong class="query-password">${c.queryPassword ?? ''}</strong></td>` : ''}<td>${applicantBadge(page, c.record)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function bundleReceiptPage(page: PageContext, o: { bundle: BundleRow; cases: BundleCase[] }): SafeHtml {
  const b = o.bundle;
  const progress = bundleProgress(o.cases.map((c) => c.record));
  const first = o.cases[0]?.record;
  return portalPage(page, {
    title: t(page, '“一件事”申请已提交', 'Application submitted'),
    crumbs: [home(page), mine(page), { label: t(page, '申请回执', 'Receipt') }],
    body: html`<div class="card">
<h1>${t(page, '“一件事”申请已提交', 'Application submitted')}</h1>
<dl class="facts">
  <dt>${t(page, '申请编号', 'Application number')}</dt><dd><strong id="bundle-no">${b.bundle_no}</strong></dd>
  <dt>${t(page, '一件事', 'Life event')}</dt><dd>${b.life_event_name}</dd>
  <dt>${t(page, '提交时间', 'Submitted')}</dt><dd>${formatDateTime(b.created_at)}</dd>
  <dt>${t(page, '办理情况', 'Progress')}</dt><dd id="bundle-progress">${t(page, progress.label, `${progress.finished} of ${progress.total} finished`)}</dd>
  ${first?.due_on ? html`<dt>${t(page, '预审期限', 'Pre-review by')}</dt><dd>${t(page, `${civil(first.due_on)} 前各部门告知是否受理或需要补正`, `By ${civil(first.due_on)}`)}</dd>` : ''}
</dl>
<h2>${t(page, `已分送 ${o.cases.length} 个事项`, `${o.cases.length} cases filed`)}</h2>
<p class="hint">${t(page, '每个办件有自己的办件编号和查询密码，凭二者可在“办件查询”中查看进度，请妥善保管。', 'Each case has its own number and query password.')}</p>
${caseRows(page, o.cases, true)}
<p><a class="button" href="/account/life-events/${b.id}">${t(page, '查看办理进度', 'Follow progress')}</a> <a class="button secondary" href="/account/cases">${t(page, '我的办件', 'My cases')}</a></p>
</div>`,
  });
}

export function bundleDetailPage(page: PageContext, o: { bundle: BundleRow; cases: CaseRecord[] }): SafeHtml {
  const b = o.bundle;
  const progress = bundleProgress(o.cases);
  return portalPage(page, {
    title: `${b.life_event_name} ${b.bundle_no}`,
    crumbs: [home(page), mine(page), { label: b.bundle_no }],
    body: html`<h1>${b.life_event_name}</h1>
<div class="card"><dl class="facts">
  <dt>${t(page, '申请编号', 'Application number')}</dt><dd>${b.bundle_no}</dd>
  <dt>${t(page, '提交时间', 'Submitted')}</dt><dd>${formatDateTime(b.created_at)}</dd>
  <dt>${t(page, '办理情况', 'Progress')}</dt><dd id="bundle-progress">${t(page, progress.label, `${progress.finished} of ${progress.total} finished`)}</dd>
</dl>
<p><a href="/account/life-events/${b.id}/receipt">${t(page, '查看申请回执（含查询密码）', 'Receipt with query passwords')}</a></p></div>
<h2>${t(page, '各事项办理进度', 'Cases')}</h2>
<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '各事项办理进度', 'Cases')}</caption>
<thead><tr><th scope="col">${t(page, '事项', 'Service')}</th><th scope="col">${t(page, '办理部门', 'Department')}</th><th scope="col">${t(page, '办件编号', 'Case number')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '更新时间', 'Updated')}</th><th scope="col">${t(page, '办理过程', 'Timeline')}</th></tr></thead>
<tbody>${o.cases.map(
      (c) => html`<tr><td>${c.item_name}</td><td>${c.organisation_name}</td><td>${c.case_no}</td><td>${applicantBadge(page, c)}</td><td>${formatDateTime(c.updated_at)}</td><td><a href="/account/cases/${c.id}">${t(page, `查看${c.item_name}的办理过程`, `Timeline of ${c.item_name}`)}</a></td></tr>`,
    )}</tbody></table></div>`,
  });
}

/** 我的办件: the applicant's life-event applications, each as one group (shown above the case list). */
export function myBundlesSection(page: PageContext, rows: (BundleRow & { cases: CaseRecord[] })[], total: number): SafeHtml {
  if (rows.length === 0) return html``;
  return html`<section aria-labelledby="my-bundles"><h2 id="my-bundles">${t(page, '“一件事”联办', 'Life events')}</h2>
<ul class="stack">${rows.map((b) => {
    const p = bundleProgress(b.cases);
    return html`<li class="card"><h3><a href="/account/life-events/${b.id}">${b.life_event_name}</a> <span class="muted">${b.bundle_no}</span></h3>
<p>${t(page, p.label, `${p.finished} of ${p.total} finished`)} · ${formatDateTime(b.created_at)}</p>
<ul>${b.cases.map((c) => html`<li>${c.item_name}（${c.organisation_name}）：${applicantBadge(page, c)}</li>`)}</ul></li>`;
  })}</ul>
${total > rows.length ? html`<p class="muted">${t(page, `仅显示最近 ${rows.length} 件，共 ${total} 件`, `Latest ${rows.length} of ${total}`)}</p>` : ''}</section>
<h2>${t(page, '全部办件', 'All cases')}</h2>`;
}

/** Staff case page: the case is one of a 一件事 bundle; the other departments' cases by item and state (no applicant data). */
export function staffBundleCard(page: PageContext, found: { bundle: BundleRow; cases: CaseRecord[] } | null, currentId: string): SafeHtml {
  if (!found) return html``;
  const { bundle, cases } = found;
  const p = bundleProgress(cases);
  return html`<div class="card" id="bundle"><h2>${t(page, '“一件事”联办', 'Life event')}</h2>
<p>${t(page, `本件属于“${bundle.life_event_name}”（申请编号 ${bundle.bundle_no}），共 ${cases.length} 个事项并联办理；${p.label}。`, `Part of ${bundle.life_event_name} (${bundle.bundle_no}): ${p.finished} of ${p.total} finished.`)}</p>
<ul>${cases.map((c) => html`<li>${c.item_name}（${c.organisation_name}）：${stateBadge(page, c)}${c.id === currentId ? html` <span class="muted">${t(page, '（本件）', '(this case)')}</span>` : ''}</li>`)}</ul></div>`;
}
