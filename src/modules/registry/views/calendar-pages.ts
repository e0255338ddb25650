import type { ArrangementStatus } from '../../../platform/calendar/index.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { CalendarEntryRow, CalendarYearRow } from '../calendar.repository.ts';
import { KIND_LABEL } from '../commands/add-calendar-entry.ts';
import { NATIONAL } from '../jurisdiction-chain.ts';

export const ENTRY_LABELS = { jurisdictionCode: '适用地区', date: '日期', kind: '类型', name: '名称', source: '依据文号' };
export const YEAR_LABELS = { jurisdictionCode: '适用地区', year: '年份', notice: '依据通知' };
const KIND_LABEL_EN = { HOLIDAY: 'Day off', MAKEUP_WORKDAY: 'Make-up working day' } as const;

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

function kindSelect(page: PageContext, value: string | undefined, errors: FieldError[]): SafeHtml {
  const err = errors.find((e) => e.field === 'kind')?.message;
  const id = 'f-kind';
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="${id}">${t(page, ENTRY_LABELS.kind, 'Type')} <span aria-hidden="true">*</span></label>
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
  <select id="${id}" name="kind" required${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', err ? `${id}-error` : null)}>
    <option value="">${t(page, '请选择', 'Choose')}</option>
    ${(['HOLIDAY', 'MAKEUP_WORKDAY'] as const).map((k) => html`<option value="${k}"${attr('selected', value === k)}>${t(page, KIND_LABEL[k], KIND_LABEL_EN[k])}</option>`)}
  </select>
</div>`;
}

function yearLine(page: PageContext, label: string, y: { year: number; loaded: boolean }): SafeHtml {
  return html`<li>${t(page, `${label}（${y.year} 年）：`, `${label} (${y.year}): `)}${y.loaded ? html`<span class="badge ok">${t(page, '已载入', 'Loaded')}</span>` : html`<span class="badge warn">${t(page, '未载入', 'Not loaded')}</span>`}</li>`;
}

/** What to do about the missing years: the national notice, or this jurisdiction's own arrangement. */
function advice(page: PageContext, d: CalendarPageData, missing: number[]): SafeHtml {
  const national = d.jurisdiction.code === NATIONAL;
  const nationalMissing = missing.filter((y) => !d.nationalLoaded.includes(y));
  const localMissing = missing.filter((y) => d.nationalLoaded.includes(y));
  const enterHere = (what: string, whatEn: string) =>
    d.canManage
      ? page.lang === 'en'
        ? html`Enter the ${whatEn} day by day under “Add a calendar entry” below (${national ? 'leave Applies to blank for national; ' : ''}put the notice number in Document number). When all are entered, record the year under “Mark a year as loaded”.`
        : html`请在下方“新增日历条目”中逐日录入${what}（${national ? '适用地区留空表示全国，' : ''}依据文号填写通知文号），全部录入后，在“标记年度安排已载入”中登记该年份。`
      : html`${t(page, '请联系负责该地区日历的系统管理员录入并登记。', 'Ask the system administrator responsible for this region’s calendar to enter and record them.')}`;
  const nationalTodo = national
    ? enterHere('放假日期和调休上班日期', 'days off and make-up working days')
    : d.canManageNational
      ? html`${t(page, '全国放假安排在', 'National arrangements are entered in the ')}<a href="/workbench/calendar?jurisdiction=national">${t(page, '全国日历', 'national calendar')}</a>${t(page, '中录入，请前往录入并登记。', '; go there to enter and record them.')}`
      : html`${t(page, '全国放假安排由省级平台的系统管理员在全国日历中录入，请与其联系。', 'National arrangements are entered in the national calendar by the provincial platform’s system administrator; please contact them.')}`;
  return html`${nationalMissing.length > 0
    ? html`<p>${t(page, `国务院办公厅通常在每年 11 月前后发布次年的部分节假日安排通知。${nationalMissing.join('、')} 年的通知发布后，`, `The General Office of the State Council usually publishes next year’s holiday notice around November. Once the notice for ${nationalMissing.join(', ')} is out: `)}${nationalTodo}</p>`
    : ''}
${localMissing.length > 0
  ? html`<p>${t(page, `本地区登记过自己的年度安排，因此每一年都需要登记。${localMissing.join('、')} 年的全国安排已载入，本地区的安排尚未登记：`, `This region has recorded its own annual arrangements before, so every year must be recorded. National arrangements for ${localMissing.join(', ')} are loaded, but this region’s are not: `)}${enterHere('本地区的放假或调休上班调整', 'local days off or make-up working days')}</p>`
  : ''}
<p>${t(page, '在登记之前，涉及未载入年份的期限按周一至周五规则计算，并标记为“暂定”；登记后，相关期限需要重新计算。', 'Until then, deadlines in years not loaded are counted Monday to Friday and marked “provisional”; once recorded, those deadlines need recalculating.')}</p>`;
}

/** DOMAIN.md §1.1.2 admin check, with what to do when a year is missing. */
function statusSection(page: PageContext, d: CalendarPageData): SafeHtml {
  const { currentYear, nextYear, ok } = d.status;
  const missing = [currentYear, nextYear].filter((y) => !y.loaded).map((y) => y.year);
  return html`<section class="card" aria-labelledby="status-heading">
  <h2 id="status-heading">${t(page, '年度放假安排载入情况', 'Annual holiday arrangements loaded')}</h2>
  <ul>${yearLine(page, t(page, '本年', 'This year'), currentYear)}${yearLine(page, t(page, '下一年', 'Next year'), nextYear)}</ul>
  ${ok
    ? html`<p>${t(page, '本年和下一年的放假安排均已载入，期限计算不是暂定的。', 'Holiday arrangements for this year and next are loaded; deadlines are not provisional.')}</p>`
    : html`<div role="alert">
  ${!currentYear.loaded ? html`<p><strong>${t(page, `${currentYear.year} 年（本年）的放假安排尚未载入，本年内的期限都是暂定的，请尽快载入。`, `Holiday arrangements for ${currentYear.year} (this year) are not loaded, so all deadlines this year are provisional. Load them as soon as possible.`)}</strong></p>` : ''}
  ${!nextYear.loaded ? html`<p><strong>${t(page, `${nextYear.year} 年的放假安排尚未载入。`, `Holiday arrangements for ${nextYear.year} are not loaded.`)}</strong></p>` : ''}
  ${advice(page, d, missing)}
</div>`}
  <p class="muted">${t(page, `系统内置的全国放假安排（chinese-days 数据）覆盖 ${d.builtInYears.first}–${d.builtInYears.last} 年；其他年份在本页录入。`, `Built-in national arrangements (chinese-days data) cover ${d.builtInYears.first}–${d.builtInYears.last}; enter other years on this page.`)}</p>
</section>`;
}

export function calendarPage(page: PageContext, d: CalendarPageData): SafeHtml {
  const jc = d.jurisdiction.code;
  const entryErrors = d.entryForm.errors;
  const yearErrors = d.yearForm.errors;
  const ev = d.entryForm.values;
  return workbenchPage(page, {
    title: t(page, '工作日历', 'Working calendar'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '工作日历', 'Working calendar') }],
    body: html`<h1>${t(page, '工作日历：', 'Working calendar: ')}${d.jurisdiction.label}</h1>
${errorSummary(entryErrors, ENTRY_LABELS)}
${errorSummary(yearErrors, YEAR_LABELS)}
<form method="get" action="/workbench/calendar" class="filters">
  <div class="field"><label for="f-jurisdiction">${t(page, '地区', 'Region')}</label>
  <p class="hint" id="f-jurisdiction-hint">${t(page, '填写 national 查看全国日历，或填写省、市、县行政区划代码', 'Enter national for the national calendar, or a province, city or county division code')}</p>
  <input id="f-jurisdiction" name="jurisdiction" value="${jc}" maxlength="12" aria-describedby="f-jurisdiction-hint"></div>
  <button type="submit" class="secondary">${t(page, '查看', 'View')}</button>
</form>
${statusSection(page, d)}
<section aria-labelledby="entries-heading">
<h2 id="entries-heading">${t(page, '本地区录入的日历条目', 'Calendar entries for this region')}</h2>
${d.entries.length === 0
  ? html`<p class="empty">${jc === NATIONAL ? t(page, '尚未录入内置数据以外的全国放假安排。', 'No national arrangements have been entered beyond the built-in data.') : t(page, '该地区没有单独设置的放假或调休上班日，使用上级日历。', 'This region has no days off or make-up working days of its own; it uses the calendar of the level above.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '日历条目列表', 'Calendar entries')}</caption>
<thead><tr><th scope="col">${t(page, '日期', 'Date')}</th><th scope="col">${t(page, '类型', 'Type')}</th><th scope="col">${t(page, '名称', 'Name')}</th><th scope="col">${t(page, '依据文号', 'Document number')}</th><th scope="col">${t(page, '录入时间', 'Entered')}</th></tr></thead>
<tbody>${d.entries.map((e) => html`<tr><td>${e.date}</td><td><span class="${e.kind === 'HOLIDAY' ? 'badge' : 'badge warn'}">${t(page, KIND_LABEL[e.kind], KIND_LABEL_EN[e.kind])}</span></td><td>${e.name}</td><td>${e.source}</td><td>${formatDateTime(e.createdAt)}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/calendar', query: { jurisdiction: jc }, ...d.paging })}`}
${d.years.length > 0
  ? html`<h3>${t(page, '已登记载入的年份', 'Years recorded as loaded')}</h3><ul>${d.years.map((y) => html`<li>${t(page, `${y.year} 年：`, `${y.year}: `)}${y.source}${t(page, `（${formatDateTime(y.loadedAt)} 登记）`, ` (recorded ${formatDateTime(y.loadedAt)})`)}</li>`)}</ul>`
  : ''}
</section>
${d.canManage
  ? html`<section class="card" aria-labelledby="add-heading">
<h2 id="add-heading">${t(page, '新增日历条目', 'Add a calendar entry')}</h2>
<form method="post" action="/workbench/calendar/entries" class="stack" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'jurisdictionCode', label: t(page, ENTRY_LABELS.jurisdictionCode, 'Applies to'), value: ev.jurisdictionCode ?? (jc === NATIONAL ? '' : jc), hint: t(page, '留空表示全国；或填写省、市、县的6位行政区划代码', 'Leave blank for national, or enter a 6-digit province, city or county division code'), maxLength: 12, errors: entryErrors })}
  ${textField({ name: 'date', label: t(page, ENTRY_LABELS.date, 'Date'), type: 'date', value: ev.date ?? '', hint: t(page, '格式：年-月-日，如 2027-10-01', 'Year-month-day, for example 2027-10-01'), required: true, errors: entryErrors })}
  ${kindSelect(page, ev.kind, entryErrors)}
  ${textField({ name: 'name', label: t(page, ENTRY_LABELS.name, 'Name'), value: ev.name ?? '', hint: t(page, '如“国庆节”“国庆节调休”', 'For example “国庆节” or “国庆节调休”'), required: true, maxLength: 40, errors: entryErrors })}
  ${textField({ name: 'source', label: t(page, ENTRY_LABELS.source, 'Document number'), value: ev.source ?? '', hint: t(page, '放假安排通知的文号，如“国办发明电〔2024〕12号”', 'Number of the holiday notice, for example “国办发明电〔2024〕12号”'), required: true, maxLength: 100, errors: entryErrors })}
  <button type="submit">${t(page, '保存条目', 'Save entry')}</button>
</form>
</section>
<section class="card" aria-labelledby="year-heading">
<h2 id="year-heading">${t(page, '标记年度安排已载入', 'Mark a year as loaded')}</h2>
<p>${t(page, '某一年的放假和调休上班日期全部录入后，在此登记，该年的期限计算即不再是暂定的。', 'Once every day off and make-up working day of a year is entered, record it here so that deadlines in that year are no longer provisional.')}${jc === NATIONAL ? '' : t(page, '地区一旦登记过年度安排，此后每一年都需要登记，否则该地区的期限计算为暂定。', ' Once a region records a year, it must record every later year too, or its deadlines are provisional.')}</p>
<form method="post" action="/workbench/calendar/years" class="stack" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="jurisdictionCode" value="${jc}">
  ${textField({ name: 'year', label: t(page, YEAR_LABELS.year, 'Year'), type: 'number', value: d.yearForm.values.year ?? String(d.status.nextYear.loaded ? '' : d.status.nextYear.year), required: true, errors: yearErrors })}
  ${textField({ name: 'notice', label: t(page, YEAR_LABELS.notice, 'Notice'), value: d.yearForm.values.notice ?? '', hint: t(page, '如“国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）”', 'For example “国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）”'), required: true, maxLength: 100, errors: yearErrors })}
  <button type="submit">${t(page, '登记为已载入', 'Record as loaded')}</button>
</form>
</section>`
  : html`<p class="muted">${t(page, '您可以查看该地区的日历，但只能维护本辖区及下级地区的工作日历。', 'You can view this region’s calendar, but you can only maintain calendars for your own jurisdiction and the regions below it.')}</p>`}`,
  });
}
