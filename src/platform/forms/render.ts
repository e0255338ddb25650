import { attr, html, type SafeHtml } from '../views/html.ts';
import { t, type PageContext } from '../views/page-context.ts';
import type { FormDefinition, FormField, FormValue, FormValues } from './definition.ts';

const INPUT_TYPE: Partial<Record<FormField['type'], string>> = { number: 'text', date: 'date', email: 'email', mobile: 'tel' };
const AUTOCOMPLETE: Partial<Record<FormField['type'], string>> = { mobile: 'tel', email: 'email', address: 'street-address' };
const PREFILL_AUTOCOMPLETE: Record<string, string> = { 'applicant.name': 'name', 'enterprise.name': 'organization' };

function asList(v: FormValue | undefined): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  return [String(v)];
}

function conditionText(page: PageContext, def: FormDefinition, f: FormField): string {
  if (!f.showIf) return '';
  const src = def.fields.find((x) => x.name === f.showIf?.field);
  const wanted = Array.isArray(f.showIf.equals) ? f.showIf.equals : [f.showIf.equals];
  const labels = wanted.map((w) => src?.options?.find((o) => o.value === w)?.label ?? w);
  return t(page, `仅当“${src?.label ?? f.showIf.field}”为“${labels.join('”或“')}”时填写`, `Only when "${src?.label ?? f.showIf.field}" is ${labels.join(' or ')}`);
}

/**
 * The fields of a form as accessible HTML (labels, hints and errors tied with
 * aria-describedby, ids `f-<name>` so the error summary links work). Conditional fields are
 * always rendered (the page works without JavaScript) with a hint saying when they apply and
 * `data-show-if` for progressive enhancement; the server drops them when their condition is off.
 */
export function renderFormFields(def: FormDefinition, values: FormValues, errors: Record<string, string>, page: PageContext): SafeHtml {
  return html`${def.fields.map((f) => renderField(def, f, values[f.name], errors[f.name], page))}`;
}

function renderField(def: FormDefinition, f: FormField, value: FormValue | undefined, err: string | undefined, page: PageContext): SafeHtml {
  const id = `f-${f.name}`;
  const cond = conditionText(page, def, f);
  const hint = [f.help ?? '', cond].filter(Boolean).join(' ');
  const describedBy = [hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || null;
  const required = f.required ? html` <span aria-hidden="true">*</span><span class="visually-hidden">${t(page, '（必填）', ' (required)')}</span>` : '';
  const hintHtml = hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : '';
  const errHtml = err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : '';
  const showIf = f.showIf ? html`${attr('data-show-if', f.showIf.field)}${attr('data-show-if-equals', (Array.isArray(f.showIf.equals) ? f.showIf.equals : [f.showIf.equals]).join('|'))}` : '';
  const cls = `field${err ? ' has-error' : ''}`;
  const invalid = attr('aria-invalid', err ? 'true' : null);
  const aria = attr('aria-describedby', describedBy);
  const req = attr('required', f.required && !f.showIf ? true : null);

  if (f.type === 'radio' || (f.type === 'checkbox' && f.options)) {
    const picked = asList(value);
    const inputType = f.type === 'radio' ? 'radio' : 'checkbox';
    return html`<fieldset class="${cls}" id="${id}"${showIf}${aria}>
  <legend>${f.label}${required}</legend>
  ${hintHtml}${errHtml}
  ${(f.options ?? []).map((o, i) => html`<div class="choice"><input type="${inputType}" id="${id}-${i}" name="${f.name}" value="${o.value}"${attr('checked', picked.includes(o.value))}${invalid}> <label for="${id}-${i}">${o.label}</label></div>`)}
</fieldset>`;
  }
  if (f.type === 'checkbox') {
    return html`<div class="${cls} choice"${showIf}>
  ${hintHtml}${errHtml}
  <input type="checkbox" id="${id}" name="${f.name}" value="on"${attr('checked', value === true)}${req}${invalid}${aria}> <label for="${id}">${f.label}${required}</label>
</div>`;
  }
  const label = html`<label for="${id}">${f.label}${required}</label>`;
  if (f.type === 'select') {
    const v = asList(value)[0] ?? '';
    return html`<div class="${cls}"${showIf}>
  ${label}${hintHtml}${errHtml}
  <select id="${id}" name="${f.name}"${req}${invalid}${aria}><option value="">${t(page, '请选择', 'Choose')}</option>${(f.options ?? []).map((o) => html`<option value="${o.value}"${attr('selected', o.value === v)}>${o.label}</option>`)}</select>
</div>`;
  }
  const text = value === undefined ? '' : Array.isArray(value) ? value.join('、') : String(value);
  if (f.type === 'textarea') {
    return html`<div class="${cls}"${showIf}>
  ${label}${hintHtml}${errHtml}
  <textarea id="${id}" name="${f.name}" rows="5"${req}${attr('maxlength', f.maxLength ?? null)}${invalid}${aria}>${text}</textarea>
</div>`;
  }
  const autocomplete = (f.prefill ? PREFILL_AUTOCOMPLETE[f.prefill] : undefined) ?? AUTOCOMPLETE[f.type] ?? null;
  return html`<div class="${cls}"${showIf}>
  ${label}${hintHtml}${errHtml}
  <input id="${id}" name="${f.name}" type="${INPUT_TYPE[f.type] ?? 'text'}"${attr('value', text)}${req}${attr('maxlength', f.maxLength ?? null)}${attr('inputmode', f.type === 'number' ? 'decimal' : null)}${attr('autocomplete', autocomplete)}${invalid}${aria}>
</div>`;
}
