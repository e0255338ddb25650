import type { FieldError } from '../errors.ts';

/**
 * Forms as data (表单定义): an application form is a JSON document stored with the item
 * version it belongs to, validated here, rendered by `render.ts`, and published as JSON
 * Schema 2020-12 (`json-schema.ts`, the GovStack eForms shape).
 */
export const FIELD_TYPES = ['text', 'textarea', 'number', 'date', 'select', 'radio', 'checkbox', 'idNumber', 'mobile', 'uscc', 'email', 'address'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Where a field's initial value comes from in the applicant's account ("no datum asked twice"). */
export const PREFILL_SOURCES = [
  'applicant.name',
  'applicant.idNumber',
  'applicant.mobile',
  'applicant.email',
  'enterprise.name',
  'enterprise.uscc',
  'enterprise.legalRepresentative',
] as const;
export type PrefillSource = (typeof PREFILL_SOURCES)[number];

export interface FormOption {
  value: string;
  label: string;
}

export interface FormField {
  /** Machine name: letters, digits and `_`, starting with a letter; unique in the form. */
  name: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** select / radio (one value) and checkbox (several values; a checkbox without options is one yes/no box). */
  options?: FormOption[];
  minLength?: number;
  maxLength?: number;
  /** number: bounds of the value; date: not used. */
  min?: number;
  max?: number;
  /** A regular expression (ECMAScript, anchored by the validator) the text must match. */
  pattern?: string;
  /** Chinese message shown when `pattern` does not match. */
  patternMessage?: string;
  help?: string;
  /** Shown (and validated) only when another field, earlier in the form, has one of these values. */
  showIf?: { field: string; equals: string | string[] };
  prefill?: PrefillSource;
}

export interface FormDefinition {
  version: 1;
  fields: FormField[];
}

const fieldMaps = new WeakMap<FormDefinition, ReadonlyMap<string, FormField>>();

/**
 * The definition's fields by name, the first of a name as `fields.find` finds it. Kept per
 * definition object (items and their forms are cached), for code that looks fields up for every
 * value of every submission.
 */
export function fieldsByName(def: FormDefinition): ReadonlyMap<string, FormField> {
  let map = fieldMaps.get(def);
  if (!map) {
    const byName = new Map<string, FormField>();
    for (const f of def.fields) if (!byName.has(f.name)) byName.set(f.name, f);
    fieldMaps.set(def, (map = byName));
  }
  return map;
}

export type FormValue = string | number | boolean | string[];
export type FormValues = Record<string, FormValue>;

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const WITH_OPTIONS: ReadonlySet<FieldType> = new Set(['select', 'radio', 'checkbox']);
const TEXTUAL: ReadonlySet<FieldType> = new Set(['text', 'textarea', 'address', 'email']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Checks a form definition (the workbench form editor, the Excel import, the API). Unknown
 * input in; either the typed definition or Chinese reasons naming the path (`fields[2].options`).
 */
export function validateFormDefinition(raw: unknown): { ok: true; definition: FormDefinition } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  if (!isRecord(raw)) return { ok: false, errors: [{ field: 'form', message: '表单定义应为一个 JSON 对象' }] };
  if (raw.version !== 1) err('version', '表单定义版本应为 1');
  if (!Array.isArray(raw.fields)) {
    err('fields', '表单定义应包含字段列表 fields');
    return { ok: false, errors };
  }
  if (raw.fields.length > 200) err('fields', '一个表单最多 200 个字段');
  const seen = new Map<string, FormField>();
  const fields: FormField[] = [];
  raw.fields.forEach((f: unknown, i: number) => {
    const at = `fields[${i}]`;
    if (!isRecord(f)) {
      err(at, `第 ${i + 1} 个字段应为对象`);
      return;
    }
    const name = typeof f.name === 'string' ? f.name : '';
    const label = typeof f.label === 'string' ? f.label.trim() : '';
    const type = f.type as FieldType;
    const where = `第 ${i + 1} 个字段${label ? `“${label}”` : ''}`;
    if (!NAME.test(name)) err(`${at}.name`, `${where}的字段名应以字母开头，只含字母、数字和下划线，不超过 64 位`);
    else if (seen.has(name)) err(`${at}.name`, `${where}的字段名“${name}”与前面的字段重复`);
    if (!label) err(`${at}.label`, `${where}缺少显示名称`);
    else if ([...label].length > 100) err(`${at}.label`, `${where}的显示名称不能超过 100 个字`);
    if (!FIELD_TYPES.includes(type)) err(`${at}.type`, `${where}的类型“${String(f.type)}”不受支持`);
    if (f.required !== undefined && typeof f.required !== 'boolean') err(`${at}.required`, `${where}的“必填”应为 true 或 false`);
    if (f.options !== undefined || WITH_OPTIONS.has(type)) {
      if (f.options === undefined) {
        if (type !== 'checkbox') err(`${at}.options`, `${where}是选择题，需要至少一个选项`);
      } else if (!WITH_OPTIONS.has(type)) {
        err(`${at}.options`, `${where}的类型不使用选项`);
      } else if (!Array.isArray(f.options) || f.options.length === 0) {
        err(`${at}.options`, `${where}需要至少一个选项`);
      } else {
        const values = new Set<string>();
        f.options.forEach((o: unknown, j: number) => {
          if (!isRecord(o) || typeof o.value !== 'string' || o.value === '' || typeof o.label !== 'string' || o.label.trim() === '') {
            err(`${at}.options[${j}]`, `${where}的第 ${j + 1} 个选项需要取值和显示名称`);
          } else if (values.has(o.value)) {
            err(`${at}.options[${j}]`, `${where}的选项取值“${o.value}”重复`);
          } else values.add(o.value);
        });
      }
    }
    for (const k of ['minLength', 'maxLength'] as const) {
      if (f[k] !== undefined && (!isInt(f[k]) || f[k] < 0)) err(`${at}.${k}`, `${where}的${k === 'minLength' ? '最少字数' : '最多字数'}应为非负整数`);
    }
    if (isInt(f.minLength) && isInt(f.maxLength) && f.minLength > f.maxLength) err(`${at}.minLength`, `${where}的最少字数大于最多字数`);
    for (const k of ['min', 'max'] as const) {
      if (f[k] !== undefined && (typeof f[k] !== 'number' || !Number.isFinite(f[k]))) err(`${at}.${k}`, `${where}的${k === 'min' ? '最小值' : '最大值'}应为数字`);
      else if (f[k] !== undefined && type !== 'number') err(`${at}.${k}`, `${where}不是数字字段，不能设置${k === 'min' ? '最小值' : '最大值'}`);
    }
    if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) err(`${at}.min`, `${where}的最小值大于最大值`);
    if (f.pattern !== undefined) {
      if (typeof f.pattern !== 'string' || f.pattern === '') err(`${at}.pattern`, `${where}的格式规则应为正则表达式文本`);
      else if (!TEXTUAL.has(type)) err(`${at}.pattern`, `${where}的类型不能设置格式规则`);
      else {
        try {
          new RegExp(f.pattern, 'u');
        } catch {
          err(`${at}.pattern`, `${where}的格式规则不是有效的正则表达式`);
        }
      }
    }
    if (f.patternMessage !== undefined && typeof f.patternMessage !== 'string') err(`${at}.patternMessage`, `${where}的格式提示应为文本`);
    if (f.help !== undefined && (typeof f.help !== 'string' || [...f.help].length > 500)) err(`${at}.help`, `${where}的填写说明应为不超过 500 字的文本`);
    if (f.showIf !== undefined) {
      const s = f.showIf;
      if (!isRecord(s) || typeof s.field !== 'string') err(`${at}.showIf`, `${where}的显示条件需要指明依据的字段`);
      else if (!seen.has(s.field)) err(`${at}.showIf`, `${where}的显示条件只能依据它前面的字段，找不到“${s.field}”`);
      else {
        const eq = s.equals;
        const list = Array.isArray(eq) ? eq : [eq];
        if (list.length === 0 || !list.every((v) => typeof v === 'string')) err(`${at}.showIf`, `${where}的显示条件需要一个或几个取值`);
      }
    }
    if (f.prefill !== undefined && !PREFILL_SOURCES.includes(f.prefill as PrefillSource)) err(`${at}.prefill`, `${where}的预填来源“${typeof f.prefill === 'string' ? f.prefill : '?'}”不受支持`);
    const field = f as unknown as FormField;
    if (NAME.test(name) && !seen.has(name)) seen.set(name, field);
    fields.push(field);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, definition: { version: 1, fields: fields.map(cleanField) } };
}

/** Keeps only the known keys, so stored definitions stay tidy. */
function cleanField(f: FormField): FormField {
  const out: FormField = { name: f.name, label: f.label.trim(), type: f.type };
  if (f.required) out.required = true;
  if (f.options) out.options = f.options.map((o) => ({ value: o.value, label: o.label.trim() }));
  for (const k of ['minLength', 'maxLength', 'min', 'max'] as const) if (f[k] !== undefined) out[k] = f[k];
  if (f.pattern) out.pattern = f.pattern;
  if (f.patternMessage) out.patternMessage = f.patternMessage;
  if (f.help) out.help = f.help;
  if (f.showIf) out.showIf = { field: f.showIf.field, equals: f.showIf.equals };
  if (f.prefill) out.prefill = f.prefill;
  return out;
}

/** Field labels by name (for errorSummary). */
export function formLabels(def: FormDefinition): Record<string, string> {
  return Object.fromEntries(def.fields.map((f) => [f.name, f.label]));
}

/** The per-field error record as the FieldError list the error summary and problem+json use. */
export function formErrorList(errors: Record<string, string>): FieldError[] {
  return Object.entries(errors).map(([field, message]) => ({ field, message }));
}

/**
 * One form from several (life events, 一件事): fields are de-duplicated by name, the first
 * definition's field wins, and a field becomes required when any source requires it.
 */
export function mergeForms(defs: FormDefinition[]): FormDefinition {
  const byName = new Map<string, FormField>();
  for (const def of defs) {
    for (const f of def.fields) {
      const existing = byName.get(f.name);
      if (!existing) byName.set(f.name, { ...f });
      else if (f.required && !existing.required && !existing.showIf) existing.required = true;
    }
  }
  return { version: 1, fields: [...byName.values()] };
}
