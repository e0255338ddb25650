import type { ArrangementStatus } from '../../../platform/calendar/index.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { CalendarEntryRow, CalendarYearRow } from '../calendar.repository.ts';
import { KIND_LABEL } from '../commands/add-calendar-entry.ts';
import { NATIONAL } from '../jurisdiction-chain.ts';

export const ENTRY_LABELS = { jurisdictionCode: '适用地区', date: '日期', kind: '类型', name: '名称', source: '依据文号' };
export const YEAR_LABELS = { jurisdictionCode: '适用地区', year: '年份', notice: '依据通知' };

export interface CalendarPageData {
  jurisdiction: { code: string; label: string };
  status: ArrangementStatus;
  /** Years the built-in national data (chinese-days) covers. */
  builtInYears: { first: number; last: number };
  entries: CalendarEntryRow[];
  paging: { page: number; pageSize: number; total: number };
  years: CalendarYearRow[];
  /** Of this year and next, those whose national arrangement is loaded. */
  nationalLoaded: number[];
  canManage: boolean;
  canManageNational: boolean;
  entryForm: { values: Record<string, string | undefined>; errors: FieldError[] };
  yearForm: { values: Record<string, string | undefined>; errors: FieldError[] };
}

function kindSelect(value: string | undefined, errors: FieldError[]): SafeHtml {
  const err = errors.find((e) => e.field === 'kind')?.message;
  const id = 'f-kind';
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="${id}">${ENTRY_LABELS.kind} <span aria-hidden="true">*</span></label>
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">错误：</span>${err}</p>` : ''}
  <select id="${id}" name="kind" required${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', err ? `${id}-error` : null)}>
    <option value="">请选择</option>
    ${(['HOLIDAY', 'MAKEUP_WORKDAY'] as const).map((k) => html`<option value="${k}"${attr('selected', value === k)}>${KIND_LABEL[k]}</option>`)}
  </select>
</div>`;
}

function yearLine(label: string, y: { year: number; loaded: boolean }): SafeHtml {
  return html`<li>${label}（${y.year} 年）：${y.loaded ? html`<span class="badge ok">已载入</span>` : html`<span class="badge warn">未载入</span>`}</li>`;
}

/** What to do about the missing years: the national notice, or this jurisdiction's own arrangement. */
function advice(d: CalendarPageData, missing: number[]): SafeHtml {
  const national = d.jurisdiction.code === NATIONAL;
  const nationalMissing = missing.filter((y) => !d.nationalLoaded.includes(y));
  const localMissing = missing.filter((y) => d.nationalLoaded.includes(y));
  const enterHere = (what: string) =>
    d.canManage
      ? html`请在下方“新增日历条目”中逐日录入${what}（${national ? '适用地区留空表示全国，' : ''}依据文号填写通知文号），全部录入后，在“标记年度安排已载入”中登记该年份。`
      : html`请联系负责该地区日历的系统管理员录入并登记。`;
  const nationalTodo = national
    ? enterHere('放假日期和调休上班日期')
    : d.canManageNational
      ? html`全国放假安排在<a href="/workbench/calendar?jurisdiction=national">全国日历</a>中录入，请前往录入并登记。`
      : html`全国放假安排由省级平台的系统管理员在全国日历中录入，请与其联系。`;
  return html`${nationalMissing.length > 0
    ? html`<p>国务院办公厅通常在每年 11 月前后发布次年的部分节假日安排通知。${nationalMissing.join('、')} 年的通知发布后，${nationalTodo}</p>`
    : ''}
${localMissing.length > 0
  ? html`<p>本地区登记过自己的年度安排，因此每一年都需要登记。${localMissing.join('、')} 年的全国安排已载入，本地区的安排尚未登记：${enterHere('本地区的放假或调休上班调整')}</p>`
  : ''}
<p>在登记之前，涉及未载入年份的期限按周一至周五规则计算，并标记为“暂定”；登记后，相关期限需要重新计算。</p>`;
}

/** DOMAIN.md §1.1.2 admin check, with what to do when a year is missing. */
function statusSection(d: CalendarPageData): SafeHtml {
  const { currentYear, nextYear, ok } = d.status;
  const missing = [currentYear, nextYear].filter((y) => !y.loaded).map((y) => y.year);
  return html`<section class="card" aria-labelledby="status-heading">
  <h2 id="status-heading">年度放假安排载入情况</h2>
  <ul>${yearLine('本年', currentYear)}${yearLine('下一年', nextYear)}</ul>
  ${ok
    ? html`<p>本年和下一年的放假安排均已载入，期限计算不是暂定的。</p>`
    : html`<div role="alert">
  ${!currentYear.loaded ? html`<p><strong>${currentYear.year} 年（本年）的放假安排尚未载入，本年内的期限都是暂定的，请尽快载入。</strong></p>` : ''}
  ${!nextYear.loaded ? html`<p><strong>${nextYear.year} 年的放假安排尚未载入。</strong></p>` : ''}
  ${advice(d, missing)}
</div>`}
  <p class="muted">系统内置的全国放假安排（chinese-days 数据）覆盖 ${d.builtInYears.first}–${d.builtInYears.last} 年；其他年份在本页录入。</p>
</section>`;
}

export function calendarPage(page: PageContext, d: CalendarPageData): SafeHtml {
  const jc = d.jurisdiction.code;
  const entryErrors = d.entryForm.errors;
  const yearErrors = d.yearForm.errors;
  const ev = d.entryForm.values;
  return workbenchPage(page, {
    title: '工作日历',
    crumbs: [{ label: '工作台', href: '/workbench' }, { label: '工作日历' }],
    body: html`<h1>工作日历：${d.jurisdiction.label}</h1>
${errorSummary(entryErrors, ENTRY_LABELS)}
${errorSummary(yearErrors, YEAR_LABELS)}
<form method="get" action="/workbench/calendar" class="filters">
  <div class="field"><label for="f-jurisdiction">地区</label>
  <p class="hint" id="f-jurisdiction-hint">填写 national 查看全国日历，或填写省、市、县行政区划代码</p>
  <input id="f-jurisdiction" name="jurisdiction" value="${jc}" maxlength="12" aria-describedby="f-jurisdiction-hint"></div>
  <button type="submit" class="secondary">查看</button>
</form>
${statusSection(d)}
<section aria-labelledby="entries-heading">
<h2 id="entries-heading">本地区录入的日历条目</h2>
${d.entries.length === 0
  ? html`<p class="empty">${jc === NATIONAL ? '尚未录入内置数据以外的全国放假安排。' : '该地区没有单独设置的放假或调休上班日，使用上级日历。'}</p>`
  : html`<table><caption class="visually-hidden">日历条目列表</caption>
<thead><tr><th scope="col">日期</th><th scope="col">类型</th><th scope="col">名称</th><th scope="col">依据文号</th><th scope="col">录入时间</th></tr></thead>
<tbody>${d.entries.map((e) => html`<tr><td>${e.date}</td><td><span class="${e.kind === 'HOLIDAY' ? 'badge' : 'badge warn'}">${KIND_LABEL[e.kind]}</span></td><td>${e.name}</td><td>${e.source}</td><td>${formatDateTime(e.createdAt)}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/calendar', query: { jurisdiction: jc }, ...d.paging })}`}
${d.years.length > 0
  ? html`<h3>已登记载入的年份</h3><ul>${d.years.map((y) => html`<li>${y.year} 年：${y.source}（${formatDateTime(y.loadedAt)} 登记）</li>`)}</ul>`
  : ''}
</section>
${d.canManage
  ? html`<section class="card" aria-labelledby="add-heading">
<h2 id="add-heading">新增日历条目</h2>
<form method="post" action="/workbench/calendar/entries" class="stack" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'jurisdictionCode', label: ENTRY_LABELS.jurisdictionCode, value: ev.jurisdictionCode ?? (jc === NATIONAL ? '' : jc), hint: '留空表示全国；或填写省、市、县的6位行政区划代码', maxLength: 12, errors: entryErrors })}
  ${textField({ name: 'date', label: ENTRY_LABELS.date, type: 'date', value: ev.date ?? '', hint: '格式：年-月-日，如 2027-10-01', required: true, errors: entryErrors })}
  ${kindSelect(ev.kind, entryErrors)}
  ${textField({ name: 'name', label: ENTRY_LABELS.name, value: ev.name ?? '', hint: '如“国庆节”“国庆节调休”', required: true, maxLength: 40, errors: entryErrors })}
  ${textField({ name: 'source', label: ENTRY_LABELS.source, value: ev.source ?? '', hint: '放假安排通知的文号，如“国办发明电〔2024〕12号”', required: true, maxLength: 100, errors: entryErrors })}
  <button type="submit">保存条目</button>
</form>
</section>
<section class="card" aria-labelledby="year-heading">
<h2 id="year-heading">标记年度安排已载入</h2>
<p>某一年的放假和调休上班日期全部录入后，在此登记，该年的期限计算即不再是暂定的。${jc === NATIONAL ? '' : '地区一旦登记过年度安排，此后每一年都需要登记，否则该地区的期限计算为暂定。'}</p>
<form method="post" action="/workbench/calendar/years" class="stack" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="jurisdictionCode" value="${jc}">
  ${textField({ name: 'year', label: YEAR_LABELS.year, type: 'number', value: d.yearForm.values.year ?? String(d.status.nextYear.loaded ? '' : d.status.nextYear.year), required: true, errors: yearErrors })}
  ${textField({ name: 'notice', label: YEAR_LABELS.notice, value: d.yearForm.values.notice ?? '', hint: '如“国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）”', required: true, maxLength: 100, errors: yearErrors })}
  <button type="submit">登记为已载入</button>
</form>
</section>`
  : html`<p class="muted">您可以查看该地区的日历，但只能维护本辖区及下级地区的工作日历。</p>`}`,
  });
}
