import { validateCitizenId, validateUscc } from '../codes/validators.ts';
import type { FormDefinition, FormField, FormValue, FormValues, PrefillSource } from './definition.ts';

export type FormValidation = { ok: true; values: FormValues } | { ok: false; values: FormValues; errors: Record<string, string> };

const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_MAX: Partial<Record<FormField['type'], number>> = { text: 200, textarea: 5000, address: 200, email: 254 };

function asStrings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  return [];
}

function asText(v: unknown): string {
  if (typeof v === 'string') return v.replace(/\r\n/g, '\n').trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0].trim();
  return '';
}

/** Whether a field is shown given the values accepted so far (fields earlier in the form). */
export function isFieldShown(field: FormField, values: FormValues, shown: ReadonlySet<string>): boolean {
  if (!field.showIf) return true;
  if (!shown.has(field.showIf.field)) return false;
  const wanted = Array.isArray(field.showIf.equals) ? field.showIf.equals : [field.showIf.equals];
  const have = values[field.showIf.field];
  const got = Array.isArray(have) ? have : have === undefined ? [] : [String(have)];
  return got.some((g) => wanted.includes(g));
}

function isValidDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Validates submitted data (form-urlencoded strings or JSON) against a definition. Values are
 * normalised (trimmed text, numbers as numbers, ID numbers and USCC upper-cased, checkbox
 * lists as arrays). Fields hidden by their condition are dropped, not validated. Unknown
 * input keys are ignored. Errors are Chinese, one per field.
 */
export function validateForm(def: FormDefinition, input: Record<string, unknown>): FormValidation {
  const values: FormValues = {};
  const errors: Record<string, string> = {};
  const shown = new Set<string>();
  for (const f of def.fields) {
    if (!isFieldShown(f, values, shown)) continue;
    shown.add(f.name);
    const raw = input[f.name];
    const label = f.label;
    const fail = (message: string) => {
      errors[f.name] = message;
    };
    switch (f.type) {
      case 'checkbox': {
        if (!f.options) {
          const on = raw === true || raw === 'true' || raw === 'on' || raw === '1' || (Array.isArray(raw) && raw.includes('on'));
          values[f.name] = on;
          if (f.required && !on) fail(`请勾选“${label}”`);
          break;
        }
        const picked = [...new Set(asStrings(raw))];
        const allowed = new Set(f.options.map((o) => o.value));
        const bad = picked.find((p) => !allowed.has(p));
        values[f.name] = picked.filter((p) => allowed.has(p));
        if (bad !== undefined) fail(`“${label}”中有不在选项内的值`);
        else if (f.required && picked.length === 0) fail(`请至少选择一项“${label}”`);
        break;
      }
      case 'select':
      case 'radio': {
        const v = asText(raw);
        if (v === '') {
          if (f.required) fail(`请选择“${label}”`);
          break;
        }
        values[f.name] = v;
        if (!f.options?.some((o) => o.value === v)) fail(`“${label}”的选择不在可选范围内`);
        break;
      }
      case 'number': {
        const text = asText(raw);
        if (text === '') {
          if (f.required) fail(`请填写“${label}”`);
          break;
        }
        const n = Number(text.replace(/[,，]/g, ''));
        if (!/^-?\d+(\.\d+)?$/.test(text.replace(/[,，]/g, '')) || !Number.isFinite(n)) {
          values[f.name] = text;
          fail(`“${label}”应填写数字`);
          break;
        }
        values[f.name] = n;
        if (f.min !== undefined && n < f.min) fail(`“${label}”不能小于 ${f.min}`);
        else if (f.max !== undefined && n > f.max) fail(`“${label}”不能大于 ${f.max}`);
        break;
      }
      default: {
        let v = asText(raw);
        if (f.type === 'idNumber' || f.type === 'uscc' || f.type === 'mobile') v = v.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
        if (v === '') {
          if (f.required) fail(`请填写“${label}”`);
          break;
        }
        values[f.name] = v;
        const length = [...v].length;
        const max = f.maxLength ?? DEFAULT_MAX[f.type];
        if (f.minLength !== undefined && length < f.minLength) {
          fail(`“${label}”至少需要 ${f.minLength} 个字`);
          break;
        }
        if (max !== undefined && length > max) {
          fail(`“${label}”不能超过 ${max} 个字`);
          break;
        }
        if (f.type === 'idNumber') {
          const r = validateCitizenId(v);
          if (r.status !== 'valid') fail(`“${label}”有误：${r.message ?? '不是有效的公民身份号码'}`);
          else values[f.name] = r.normalized;
        } else if (f.type === 'uscc') {
          const r = validateUscc(v);
          if (r.status !== 'valid') fail(`“${label}”有误：${r.message ?? '不是有效的统一社会信用代码'}`);
          else values[f.name] = r.normalized;
        } else if (f.type === 'mobile') {
          if (!MOBILE.test(v)) fail(`“${label}”应为 11 位手机号码，以 1 开头`);
        } else if (f.type === 'email') {
          if (!EMAIL.test(v)) fail(`“${label}”不是有效的电子邮箱地址`);
        } else if (f.type === 'date') {
          if (!isValidDate(v)) fail(`“${label}”应为有效日期，格式如 2026-01-05`);
        }
        if (!errors[f.name] && f.pattern) {
          let re: RegExp | null = null;
          try {
            re = new RegExp(`^(?:${f.pattern})$`, 'u');
          } catch {
            re = null;
          }
          if (re && !re.test(v)) fail(f.patternMessage ? `“${label}”${f.patternMessage}` : `“${label}”的格式不正确`);
        }
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, values, errors } : { ok: true, values };
}

/** What the applicant's account knows (identity module profile, enterprise record). */
export interface PrefillProfile {
  applicant?: { name?: string | null; idNumber?: string | null; mobile?: string | null; email?: string | null };
  enterprise?: { name?: string | null; uscc?: string | null; legalRepresentative?: string | null };
}

function profileValue(profile: PrefillProfile, source: PrefillSource): string | null | undefined {
  const [group, key] = source.split('.') as [keyof PrefillProfile, string];
  const bag = profile[group] as Record<string, string | null | undefined> | undefined;
  return bag?.[key];
}

/** Initial values from the applicant's account, for fields that declare a `prefill` source. */
export function prefillValues(def: FormDefinition, profile: PrefillProfile): FormValues {
  const out: FormValues = {};
  for (const f of def.fields) {
    if (!f.prefill) continue;
    const v = profileValue(profile, f.prefill);
    if (typeof v === 'string' && v !== '') out[f.name] = v;
  }
  return out;
}

/** A value as the text shown in a receipt or case view (options by label). */
export function displayValue(field: FormField, value: FormValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? '是' : '否';
  const label = (v: string) => field.options?.find((o) => o.value === v)?.label ?? v;
  if (Array.isArray(value)) return value.map(label).join('、');
  return label(String(value));
}
