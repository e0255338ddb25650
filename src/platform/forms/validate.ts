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

/** Length in characters (code points), as the applicant counts them. */
function characters(s: string): number {
  let n = s.length;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A low surrogate after a high one is the second half of one character (as [...s] counts).
    if (c >= 0xdc00 && c <= 0xdfff) {
      const h = s.charCodeAt(i - 1);
      if (h >= 0xd800 && h <= 0xdbff) n -= 1;
    }
  }
  return n;
}

/** A field's pattern as an anchored regular expression, compiled once (null when it does not compile). */
const patterns = new Map<string, RegExp | null>();
function patternOf(source: string): RegExp | null {
  let re = patterns.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${source})$`, 'u');
    } catch {
      re = null;
    }
    if (patterns.size > 1000) patterns.clear(); // definitions are few; never grow without bound
    patterns.set(source, re);
  }
  return re;
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
    // The field's message, if it fails (a variable, not a closure per field: this runs for every field of every submission).
    let message: string | null = null;
    switch (f.type) {
      case 'checkbox': {
        if (!f.options) {
          const on = raw === true || raw === 'true' || raw === 'on' || raw === '1' || (Array.isArray(raw) && raw.includes('on'));
          values[f.name] = on;
          if (f.required && !on) message = `请勾选“${label}”`;
          break;
        }
        const picked = [...new Set(asStrings(raw))];
        const allowed = new Set(f.options.map((o) => o.value));
        const bad = picked.find((p) => !allowed.has(p));
        values[f.name] = picked.filter((p) => allowed.has(p));
        if (bad !== undefined) message = `“${label}”中有不在选项内的值`;
        else if (f.required && picked.length === 0) message = `请至少选择一项“${label}”`;
        break;
      }
      case 'select':
      case 'radio': {
        const v = asText(raw);
        if (v === '') {
          if (f.required) message = `请选择“${label}”`;
          break;
        }
        values[f.name] = v;
        if (!f.options?.some((o) => o.value === v)) message = `“${label}”的选择不在可选范围内`;
        break;
      }
      case 'number': {
        const text = asText(raw);
        if (text === '') {
          if (f.required) message = `请填写“${label}”`;
          break;
        }
        const n = Number(text.replace(/[,，]/g, ''));
        if (!/^-?\d+(\.\d+)?$/.test(text.replace(/[,，]/g, '')) || !Number.isFinite(n)) {
          values[f.name] = text;
          message = `“${label}”应填写数字`;
          break;
        }
        values[f.name] = n;
        if (f.min !== undefined && n < f.min) message = `“${label}”不能小于 ${f.min}`;
        else if (f.max !== undefined && n > f.max) message = `“${label}”不能大于 ${f.max}`;
        break;
      }
      default: {
        let v = asText(raw);
        if (f.type === 'idNumber' || f.type === 'uscc' || f.type === 'mobile') v = v.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
        if (v === '') {
          if (f.required) message = `请填写“${label}”`;
          break;
        }
        values[f.name] = v;
        const length = characters(v);
        const max = f.maxLength ?? DEFAULT_MAX[f.type];
        if (f.minLength !== undefined && length < f.minLength) {
          message = `“${label}”至少需要 ${f.minLength} 个字`;
          break;
        }
        if (max !== undefined && length > max) {
          message = `“${label}”不能超过 ${max} 个字`;
          break;
        }
        if (f.type === 'idNumber') {
          const r = validateCitizenId(v);
          if (r.status !== 'valid') message = `“${label}”有误：${r.message ?? '不是有效的公民身份号码'}`;
          else values[f.name] = r.normalized;
        } else if (f.type === 'uscc') {
          const r = validateUscc(v);
          if (r.status !== 'valid') message = `“${label}”有误：${r.message ?? '不是有效的统一社会信用代码'}`;
          else values[f.name] = r.normalized;
        } else if (f.type === 'mobile') {
          if (!MOBILE.test(v)) message = `“${label}”应为 11 位手机号码，以 1 开头`;
        } else if (f.type === 'email') {
          if (!EMAIL.test(v)) message = `“${label}”不是有效的电子邮箱地址`;
        } else if (f.type === 'date') {
          if (!isValidDate(v)) message = `“${label}”应为有效日期，格式如 2026-01-05`;
        }
        if (message === null && f.pattern) {
          const re = patternOf(f.pattern);
          if (re && !re.test(v)) message = f.patternMessage ? `“${label}”${f.patternMessage}` : `“${label}”的格式不正确`;
        }
      }
    }
    if (message !== null) errors[f.name] = message;
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
