import type { FieldError } from '../../../platform/errors.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { type ClockStatus, type ClockView, chineseDate } from '../domain/request-machine.ts';

function fieldError(errors: FieldError[], name: string): string | undefined {
  return errors.find((e) => e.field === name)?.message;
}

/** A labelled <select> in the platform's field markup (error and hint linked by aria-describedby). */
export function selectField(o: { name: string; label: string; options: { value: string; label: string }[]; value?: string | null; required?: boolean; hint?: string; errors?: FieldError[]; placeholder?: string }): SafeHtml {
  const err = fieldError(o.errors ?? [], o.name);
  const id = `f-${o.name}`;
  const describedBy = [o.hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">错误：</span>${err}</p>` : ''}
  <select id="${id}" name="${o.name}"${attr('required', o.required ?? false)}${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', describedBy || null)}>
    ${o.placeholder !== undefined ? html`<option value="">${o.placeholder}</option>` : ''}
    ${o.options.map((x) => html`<option value="${x.value}"${attr('selected', x.value === (o.value ?? ''))}>${x.label}</option>`)}
  </select>
</div>`;
}

/** Radio buttons in a fieldset (works without JavaScript; the legend names the question). */
export function radioField(o: { name: string; legend: string; options: { value: string; label: string }[]; value?: string | null; required?: boolean; errors?: FieldError[] }): SafeHtml {
  const err = fieldError(o.errors ?? [], o.name);
  const id = `f-${o.name}`;
  return html`<fieldset class="field${err ? ' has-error' : ''}" id="${id}"${attr('aria-describedby', err ? `${id}-error` : null)}>
  <legend>${o.legend}${o.required ? html` <span aria-hidden="true">*</span>` : ''}</legend>
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">错误：</span>${err}</p>` : ''}
  ${o.options.map((x, i) => html`<label class="choice"><input type="radio" name="${o.name}" value="${x.value}"${attr('id', i === 0 ? `${id}-first` : null)}${attr('checked', x.value === (o.value ?? ''))}> ${x.label}</label> `)}
</fieldset>`;
}

const BADGE: Record<ClockStatus, string> = { running: 'badge ok', warn: 'badge warn', overdue: 'badge bad', paused: 'badge' };

/** One clock as a badge: green running, yellow due soon, red overdue, grey paused. */
export function clockBadge(c: ClockView): SafeHtml {
  if (c.status === 'paused') return html`<span class="${BADGE.paused}">${c.label}：已暂停计算</span>`;
  const left = c.remaining ?? 0;
  const text = left < 0 ? `已超期 ${-left} 个工作日` : left === 0 ? '今天到期' : `剩余 ${left} 个工作日`;
  return html`<span class="${BADGE[c.status]}">${c.label}：${c.dueOn ? chineseDate(c.dueOn) : ''}（${text}）</span>`;
}

export function clockList(clocks: ClockView[]): SafeHtml {
  if (clocks.length === 0) return html``;
  return html`<ul class="clocks">${clocks.map((c) => html`<li>${clockBadge(c)}</li>`)}</ul>`;
}
