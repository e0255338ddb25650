import { civilDayAt, endOfCivilDay, formatCivilDate, shiftDays, SHANGHAI_OFFSET_MS } from '../calendar/civil-date.ts';
import type { FieldError } from '../errors.ts';
import { attr, html, type SafeHtml } from './html.ts';

/** GOV.UK-style error summary: names every refused field and links to it. */
export function errorSummary(errors: FieldError[], labels: Record<string, string> = {}): SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1">
  <h2>提交的内容有 ${errors.length} 处需要修改</h2>
  <ul>${errors.map((e) => html`<li><a href="#f-${e.field}">${labels[e.field] ?? e.field}：${e.message}</a></li>`)}</ul>
</div>`;
}

function fieldError(errors: FieldError[], name: string): string | undefined {
  return errors.find((e) => e.field === name)?.message;
}

export interface FieldOptions {
  name: string;
  label: string;
  value?: string | null;
  hint?: string;
  type?: 'text' | 'password' | 'email' | 'tel' | 'number' | 'date';
  required?: boolean;
  maxLength?: number;
  autocomplete?: string;
  errors?: FieldError[];
}

export function textField(o: FieldOptions): SafeHtml {
  const err = fieldError(o.errors ?? [], o.name);
  const id = `f-${o.name}`;
  const describedBy = [o.hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">错误：</span>${err}</p>` : ''}
  <input id="${id}" name="${o.name}" type="${o.type ?? 'text'}"${attr('value', o.type === 'password' ? null : (o.value ?? null))}${attr('required', o.required ?? false)}${attr('maxlength', o.maxLength ?? null)}${attr('autocomplete', o.autocomplete ?? null)}${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', describedBy || null)}>
</div>`;
}

export function textArea(o: Omit<FieldOptions, 'type' | 'autocomplete'> & { rows?: number }): SafeHtml {
  const err = fieldError(o.errors ?? [], o.name);
  const id = `f-${o.name}`;
  const describedBy = [o.hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">错误：</span>${err}</p>` : ''}
  <textarea id="${id}" name="${o.name}" rows="${o.rows ?? 8}"${attr('required', o.required ?? false)}${attr('maxlength', o.maxLength ?? null)}${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', describedBy || null)}>${o.value ?? ''}</textarea>
</div>`;
}

/** Previous/next links for offset pagination, keeping the other query parameters. */
export function pager(opts: { path: string; query: Record<string, string | undefined>; page: number; pageSize: number; total: number }): SafeHtml {
  const pages = Math.max(1, Math.ceil(opts.total / opts.pageSize));
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v) params.set(k, v);
    params.set('page', String(p));
    return `${opts.path}?${params.toString()}`;
  };
  return html`<nav class="pager" aria-label="分页">
  ${opts.page > 1 ? html`<a href="${link(opts.page - 1)}" rel="prev">上一页</a>` : ''}
  <span>第 ${opts.page} / ${pages} 页，共 ${opts.total} 条</span>
  ${opts.page < pages ? html`<a href="${link(opts.page + 1)}" rel="next">下一页</a>` : ''}
</nav>`;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Asia/Shanghai wall-clock display of an instant, 'YYYY-MM-DD HH:mm'. China has kept UTC+8 without
 * daylight saving since 1991, so this is arithmetic — an Intl formatter costs several times more,
 * and this runs for every timeline row of every progress query.
 */
export function formatDateTime(d: Date | null | undefined): string {
  if (!d) return '';
  const t = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`;
}

/**
 * A deadline: like formatDateTime, except that one falling at midnight — the end of a day
 * (endOfCivilDay), as day-counted limits are stored — is shown as that day at 24:00 ('2026-11-30 24:00', the usual
 * notation for 截止 times), not as the next day at 00:00.
 */
export function formatDeadline(d: Date | null | undefined): string {
  if (!d) return '';
  const dayBefore = shiftDays(civilDayAt(d), -1);
  return d.getTime() === endOfCivilDay(dayBefore) ? `${formatCivilDate(dayBefore)} 24:00` : formatDateTime(d);
}

export function formatDate(d: Date | null | undefined): string {
  return formatDateTime(d).slice(0, 10);
}
