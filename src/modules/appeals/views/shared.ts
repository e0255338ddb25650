import type { FieldError } from '../../../platform/errors.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import type { CategoryRow } from '../ticket.repository.ts';

export interface DivisionOption {
  code: string;
  name: string;
  group: string;
}

export const FIELD_LABELS: Record<string, string> = {
  type: '诉求类型',
  title: '标题',
  description: '诉求内容',
  categoryCode: '诉求分类',
  divisionCode: '事发地（区县）',
  address: '详细地址',
  lon: '经纬度',
  contactName: '联系人',
  contactPhone: '联系电话',
  callerNumber: '来电号码',
  anonymous: '匿名举报',
  attachmentIds: '附件',
  photo: '附件',
  idempotencyKey: '提交编号',
  reason: '理由',
  note: '答复内容',
  leadOrgId: '主办单位',
  coOrgIds: '协办单位',
  emergencyLine: '紧急热线',
  mergeIntoNumber: '合并到工单编号',
  satisfaction: '满意度',
  extensionDays: '延期天数',
  outcome: '处理结果',
  question: '问题',
  answer: '答案',
  keywords: '关键词',
};

export function fieldError(errors: FieldError[], name: string, id = name): SafeHtml {
  const e = errors.find((x) => x.field === name);
  return e ? html`<p class="error" id="f-${id}-error"><span class="visually-hidden">错误：</span>${e.message}</p>` : html``;
}

/**
 * A text input or textarea whose id carries a prefix: a ticket page has several action forms with
 * the same field names, and ids must stay unique (labels, error-summary links, axe).
 */
export function field(o: { form: string; name: string; label: string; value: string; errors: FieldError[]; required?: boolean; rows?: number; type?: 'text' | 'number' }): SafeHtml {
  const id = `${o.form}-${o.name}`;
  const err = o.errors.some((e) => e.field === o.name);
  const described = err ? html` aria-invalid="true" aria-describedby="f-${id}-error"` : html``;
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="f-${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
  ${fieldError(o.errors, o.name, id)}
  ${o.rows ? html`<textarea id="f-${id}" name="${o.name}" rows="${o.rows}"${described}>${o.value}</textarea>` : html`<input id="f-${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value}"${described}>`}
</div>`;
}

export function select(o: { name: string; id?: string; label: string; options: { value: string; label: string; group?: string }[]; value: string | null | undefined; errors: FieldError[]; required?: boolean; empty?: string; hint?: string }): SafeHtml {
  const err = o.errors.some((e) => e.field === o.name);
  const id = o.id ?? o.name;
  const groups = [...new Set(o.options.map((x) => x.group ?? ''))];
  const opt = (x: { value: string; label: string }) => html`<option value="${x.value}"${x.value === o.value ? html` selected` : ''}>${x.label}</option>`;
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="f-${id}">${o.label}${o.required ? html` <span aria-hidden="true">*</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="f-${id}-hint">${o.hint}</p>` : ''}
  ${fieldError(o.errors, o.name, id)}
  <select id="f-${id}" name="${o.name}"${err ? html` aria-invalid="true" aria-describedby="f-${id}-error"` : ''}>
    ${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}
    ${groups.length > 1 || groups[0] ? groups.map((g) => html`<optgroup label="${g}">${o.options.filter((x) => (x.group ?? '') === g).map(opt)}</optgroup>`) : o.options.map(opt)}
  </select>
</div>`;
}

export function categoryOptions(categories: CategoryRow[]): { value: string; label: string; group: string }[] {
  const names = new Map(categories.map((c) => [c.code, c.name]));
  const parents = new Set(categories.map((c) => c.parentCode).filter(Boolean));
  return categories.filter((c) => !parents.has(c.code)).map((c) => ({ value: c.code, label: c.name, group: (c.parentCode && names.get(c.parentCode)) || '其他' }));
}

export function paragraphs(text: string | null): SafeHtml {
  return html`${(text ?? '').split(/\n+/).map((p) => html`<p>${p}</p>`)}`;
}
