// Number templates (DOMAIN.md §1.4): the pure part of the pluggable number generators —
// parsing, formatting, validating, and the key of the counter a sequence resets on. The
// database-backed, gap-free counter (atomic inside the business transaction, never reused)
// keys its rows on (generator id, `sequenceKey(...)`) and renders with `formatNumber`.

import { randomInt } from 'node:crypto';

import { normalizeCode, validateDivisionCode } from './validators.ts';

/** Context fields a template can print. */
export type FieldToken = 'region6' | 'region12' | 'orgCode' | 'uscc' | 'prefix' | 'classCode';
export type DateToken = 'yyyy' | 'yyyyMM' | 'yyyyMMdd';

export type TemplatePart =
  | { kind: 'literal'; text: string }
  | { kind: 'field'; name: FieldToken }
  | { kind: 'date'; pattern: DateToken }
  /** `{seq}`: no padding, no leading zeros; `{seq:N}`: zero-padded to N digits. */
  | { kind: 'seq'; width?: number };

export interface NumberTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

export type NumberTemplateErrorCode =
  | 'empty'
  | 'unknownToken'
  | 'unclosedBrace'
  | 'strayBrace'
  | 'badSeqWidth'
  | 'noSeq'
  | 'multipleSeq';

/** A template that cannot be used; `message` is Chinese, for the administrator who configures it. */
export class NumberTemplateError extends Error {
  override readonly name = 'NumberTemplateError';
  constructor(
    readonly code: NumberTemplateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type ParseTemplateResult =
  | { ok: true; template: NumberTemplate }
  | { ok: false; reason: NumberTemplateErrorCode; message: string };

// `{classCode}` is not in the §1.4 token list but the default resource-code template of the same
// table uses it: classification code (class 1 digit, item 2, entry 3, sub-entry variable, §9.1).
const FIELD_TOKENS: ReadonlySet<string> = new Set<FieldToken>(['region6', 'region12', 'orgCode', 'uscc', 'prefix', 'classCode']);
const DATE_TOKENS: ReadonlySet<string> = new Set<DateToken>(['yyyy', 'yyyyMM', 'yyyyMMdd']);
const MAX_SEQ_WIDTH = 15; // stays within Number.MAX_SAFE_INTEGER

/** Parses a template such as `{prefix}〔{yyyy}〕{seq}号`; every template has exactly one `{seq}` / `{seq:N}`. */
export function parseNumberTemplate(source: string): ParseTemplateResult {
  const failed = (reason: NumberTemplateErrorCode, message: string): ParseTemplateResult => ({ ok: false, reason, message });
  if (source.trim() === '') return failed('empty', '编号模板不能为空');

  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '}') return failed('strayBrace', `编号模板第${i + 1}个字符处有多余的“}”`);
    if (c !== '{') {
      literal += c;
      i++;
      continue;
    }
    const close = source.indexOf('}', i + 1);
    const nextOpen = source.indexOf('{', i + 1);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      return failed('unclosedBrace', `编号模板第${i + 1}个字符处的“{”没有对应的“}”`);
    }
    const token = source.slice(i + 1, close);
    if (literal !== '') {
      parts.push({ kind: 'literal', text: literal });
      literal = '';
    }
    const seq = /^seq(?::(\d+))?$/.exec(token);
    if (FIELD_TOKENS.has(token)) parts.push({ kind: 'field', name: token as FieldToken });
    else if (DATE_TOKENS.has(token)) parts.push({ kind: 'date', pattern: token as DateToken });
    else if (seq) {
      if (seq[1] === undefined) parts.push({ kind: 'seq' });
      else {
        const width = Number(seq[1]);
        if (width < 1 || width > MAX_SEQ_WIDTH) {
          return failed('badSeqWidth', `编号模板中 {seq:N} 的位数应在 1 到 ${MAX_SEQ_WIDTH} 之间，当前为 ${seq[1]}`);
        }
        parts.push({ kind: 'seq', width });
      }
    } else {
      return failed(
        'unknownToken',
        `编号模板含有未知占位符“{${token}}”；可用占位符：{region6} {region12} {orgCode} {uscc} {prefix} {classCode} {yyyy} {yyyyMM} {yyyyMMdd} {seq} {seq:N}`,
      );
    }
    i = close + 1;
  }
  if (literal !== '') parts.push({ kind: 'literal', text: literal });

  const seqCount = parts.filter((p) => p.kind === 'seq').length;
  if (seqCount === 0) return failed('noSeq', '编号模板必须包含一个顺序号占位符 {seq} 或 {seq:N}');
  if (seqCount > 1) return failed('multipleSeq', '编号模板只能包含一个顺序号占位符');
  return { ok: true, template: Object.freeze({ source, parts: Object.freeze(parts) }) };
}

function compile(template: string | NumberTemplate): NumberTemplate {
  if (typeof template !== 'string') return template;
  const parsed = parseNumberTemplate(template);
  if (!parsed.ok) throw new NumberTemplateError(parsed.reason, parsed.message);
  return parsed.template;
}

/** Values a number is rendered from. `date` is the civil date in Asia/Shanghai. */
export interface NumberContext {
  /** Division code (2–12 digits); `{region6}` / `{region12}` print it padded with zeros. */
  region?: string;
  /** Organization code, 9 characters without hyphen, e.g. `000014349`. */
  orgCode?: string;
  uscc?: string;
  /** Organ code word or agency prefix, e.g. `鄂政发`. */
  prefix?: string;
  /** Resource classification code (§9.1). */
  classCode?: string;
  /** Civil date `YYYY-MM-DD` in Asia/Shanghai. */
  date: string;
  /** Positive integer from the counter. */
  seq: number;
}

function isRealDate(yyyy: string, mm: string, dd: string): boolean {
  const [y, m, d] = [Number(yyyy), Number(mm), Number(dd)];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1000 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function checkDate(date: string): { yyyy: string; mm: string; dd: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m && isRealDate(m[1]!, m[2]!, m[3]!)) return { yyyy: m[1]!, mm: m[2]!, dd: m[3]! };
  throw new Error(`number context: date '${date}' is not a civil date YYYY-MM-DD`);
}

const FIELD_FORMATS: Record<FieldToken, RegExp> = {
  region6: /^\d{6}$/,
  region12: /^\d{12}$/,
  orgCode: /^[0-9A-Z]{8}[0-9X]$/,
  uscc: /^[0-9A-HJ-NPQRTUWXY]{18}$/,
  prefix: /^\S(?:.*\S)?$/su,
  classCode: /^\d+$/,
};

function fieldValue(name: FieldToken, ctx: Omit<NumberContext, 'seq'>): string {
  const raw =
    name === 'region6' || name === 'region12' ? ctx.region
    : name === 'orgCode' ? ctx.orgCode
    : name === 'uscc' ? ctx.uscc
    : name === 'prefix' ? ctx.prefix
    : ctx.classCode;
  const missing = name === 'region6' || name === 'region12' ? 'region' : name;
  if (raw === undefined || raw.trim() === '') throw new Error(`number context: '${missing}' is required by {${name}}`);

  let value: string;
  if (name === 'region6' || name === 'region12') {
    const division = validateDivisionCode(raw);
    if (division.status !== 'valid' || !division.details) {
      throw new Error(`number context: region '${raw}' is not a division code`);
    }
    value = division.details.padded12.slice(0, name === 'region6' ? 6 : 12);
  } else if (name === 'orgCode' || name === 'uscc') {
    value = normalizeCode(raw);
  } else {
    value = raw.trim();
  }
  if (!FIELD_FORMATS[name].test(value)) throw new Error(`number context: '${raw}' does not fit {${name}}`);
  return value;
}

/**
 * A number without its sequence: the text printed before and after `{seq}` / `{seq:N}`, and the
 * width N (null for `{seq}`). `before + seq + after` is the number; a statement that takes the
 * sequence from its counter prints it there itself (NumberService.takeAtCommit). Throws like
 * formatNumber on an invalid template or a missing context value.
 */
export interface NumberFrame {
  before: string;
  after: string;
  width: number | null;
  source: string;
}

export function numberFrame(template: string | NumberTemplate, ctx: Omit<NumberContext, 'seq'>): NumberFrame {
  const compiled = compile(template);
  const { yyyy, mm, dd } = checkDate(ctx.date);
  const out = ['', ''];
  let side = 0;
  let width: number | null = null;
  for (const part of compiled.parts) {
    switch (part.kind) {
      case 'literal':
        out[side] += part.text;
        break;
      case 'field':
        out[side] += fieldValue(part.name, ctx);
        break;
      case 'date':
        out[side] += part.pattern === 'yyyy' ? yyyy : part.pattern === 'yyyyMM' ? yyyy + mm : yyyy + mm + dd;
        break;
      case 'seq':
        side = 1;
        width = part.width ?? null;
        break;
    }
  }
  return { before: out[0]!, after: out[1]!, width, source: compiled.source };
}

/**
 * Renders a number, e.g. `{prefix}〔{yyyy}〕{seq}号` with prefix 鄂政发, 2012-… and seq 1 →
 * `鄂政发〔2012〕1号`. Throws on an invalid template, a missing context value, or a sequence that
 * no longer fits `{seq:N}` (a number must never be truncated).
 */
export function formatNumber(template: string | NumberTemplate, ctx: NumberContext): string {
  const frame = numberFrame(template, ctx);
  if (!Number.isSafeInteger(ctx.seq) || ctx.seq < 1) throw new Error(`number context: seq ${ctx.seq} is not a positive integer`);
  const digits = String(ctx.seq);
  if (frame.width !== null && digits.length > frame.width) {
    throw new Error(`sequence ${ctx.seq} overflows {seq:${frame.width}} in template '${frame.source}'`);
  }
  return frame.before + (frame.width === null ? digits : digits.padStart(frame.width, '0')) + frame.after;
}

/** Counter scope (§1.4): whose counter it is, on top of the period the template's date tokens imply. */
export type SequenceScope = 'global' | 'org' | 'org+year' | 'region+day';

export interface SequenceKeyContext {
  /** Owning organisation for `org` scopes: its id, else its USCC or organization code is used. */
  orgId?: string;
  region?: string;
  orgCode?: string;
  uscc?: string;
  prefix?: string;
  classCode?: string;
  /** Civil date `YYYY-MM-DD` in Asia/Shanghai. */
  date: string;
}

type Period = 'none' | 'year' | 'month' | 'day';
const PERIOD_RANK: Record<Period, number> = { none: 0, year: 1, month: 2, day: 3 };

function templatePeriod(template: NumberTemplate): Period {
  let period: Period = 'none';
  for (const part of template.parts) {
    if (part.kind !== 'date') continue;
    const p: Period = part.pattern === 'yyyy' ? 'year' : part.pattern === 'yyyyMM' ? 'month' : 'day';
    if (PERIOD_RANK[p] > PERIOD_RANK[period]) period = p;
  }
  return period;
}

function escapeKeyValue(value: string): string {
  return value.replace(/[%|=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Key of the counter a number's sequence runs on. The sequence resets with the finest date in the
 * template (`{yyyy}` yearly, `{yyyyMM}` monthly, `{yyyyMMdd}` daily) or in the scope (`org+year`
 * yearly, `region+day` daily); the scope adds the organisation or region; and every field the
 * template prints (prefix, codes) is part of the key, so e.g. 鄂政发 and 鄂政办发 count separately.
 * Two numbers with the same key differ only in their sequence. Example:
 * `org=…|prefix=鄂政发|period=2012`.
 */
export function sequenceKey(template: string | NumberTemplate, scope: SequenceScope, ctx: SequenceKeyContext): string {
  const compiled = compile(template);
  const { yyyy, mm, dd } = checkDate(ctx.date);
  const parts: string[] = [];

  if (scope === 'org' || scope === 'org+year') {
    const owner = ctx.orgId ?? ctx.uscc ?? ctx.orgCode;
    if (owner === undefined || owner.trim() === '') {
      throw new Error(`sequence scope '${scope}' needs orgId, uscc or orgCode`);
    }
    parts.push(`org=${escapeKeyValue(owner.trim())}`);
  }
  const printsRegion = compiled.parts.some((p) => p.kind === 'field' && (p.name === 'region6' || p.name === 'region12'));
  if (scope === 'region+day' && !printsRegion) {
    // When the template prints the region, its printed form (below) is the region part of the key,
    // so townships under one county never run separate counters for the same printed number.
    if (ctx.region === undefined || ctx.region.trim() === '') throw new Error(`sequence scope '${scope}' needs region`);
    parts.push(`region=${escapeKeyValue(normalizeCode(ctx.region))}`);
  }

  const seen = new Set<FieldToken>();
  for (const part of compiled.parts) {
    if (part.kind !== 'field' || seen.has(part.name)) continue;
    seen.add(part.name);
    parts.push(`${part.name}=${escapeKeyValue(fieldValue(part.name, ctx))}`);
  }

  const scopePeriod: Period = scope === 'org+year' ? 'year' : scope === 'region+day' ? 'day' : 'none';
  const own = templatePeriod(compiled);
  const period = PERIOD_RANK[scopePeriod] > PERIOD_RANK[own] ? scopePeriod : own;
  if (period === 'year') parts.push(`period=${yyyy}`);
  if (period === 'month') parts.push(`period=${yyyy}-${mm}`);
  if (period === 'day') parts.push(`period=${yyyy}-${mm}-${dd}`);

  return parts.length === 0 ? 'global' : parts.join('|');
}

/**
 * Problems of a (template, scope) pair that would let two counters print the same number: a
 * counter that resets more often than the template's date shows, or an organisation / region
 * scope whose owner the template does not print. Empty when the pair is safe.
 */
export function checkTemplateScope(template: string | NumberTemplate, scope: SequenceScope): string[] {
  const compiled = compile(template);
  const problems: string[] = [];
  const fields = new Set(compiled.parts.flatMap((p) => (p.kind === 'field' ? [p.name] : [])));
  const own = templatePeriod(compiled);
  if (scope === 'org+year' && PERIOD_RANK[own] < PERIOD_RANK.year) {
    problems.push('按年重置的顺序号，模板中须含有年份 {yyyy}、{yyyyMM} 或 {yyyyMMdd}');
  }
  if (scope === 'region+day') {
    if (own !== 'day') problems.push('按日重置的顺序号，模板中须含有日期 {yyyyMMdd}');
    if (!fields.has('region6') && !fields.has('region12')) problems.push('按区划计数的顺序号，模板中须含有区划 {region6} 或 {region12}');
  }
  if ((scope === 'org' || scope === 'org+year') && !fields.has('orgCode') && !fields.has('uscc') && !fields.has('prefix')) {
    problems.push('按机构计数的顺序号，模板中须含有 {orgCode}、{uscc} 或机构专用的 {prefix}');
  }
  return problems;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const FIELD_PATTERNS: Record<FieldToken, string> = {
  region6: '\\d{6}',
  region12: '\\d{12}',
  orgCode: '[0-9A-Z]{8}[0-9X]',
  uscc: '[0-9A-HJ-NPQRTUWXY]{18}',
  prefix: '.+?',
  classCode: '\\d+',
};

const DATE_PATTERNS: Record<DateToken, string> = {
  yyyy: '\\d{4}',
  yyyyMM: '\\d{4}(?:0[1-9]|1[0-2])',
  yyyyMMdd: '\\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])',
};

/** Regular expression that the numbers of a template match (whole string). */
export function numberPattern(template: string | NumberTemplate): RegExp {
  const compiled = compile(template);
  let dateIndex = 0;
  const body = compiled.parts
    .map((part) => {
      switch (part.kind) {
        case 'literal':
          return escapeRegExp(part.text);
        case 'field':
          return `(?:${FIELD_PATTERNS[part.name]})`;
        case 'date':
          return `(?<date${dateIndex++}>${DATE_PATTERNS[part.pattern]})`;
        case 'seq':
          // A sequence starts at 1: `{seq}` has no leading zeros, `{seq:N}` is not all zeros.
          return part.width === undefined ? '[1-9]\\d*' : `(?!0{${part.width}})\\d{${part.width}}`;
      }
    })
    .join('');
  return new RegExp(`^${body}$`, 'su');
}

/** Whether `value` could have been produced by the template (format only; dates must exist). */
export function validateNumber(template: string | NumberTemplate, value: string): boolean {
  const match = numberPattern(template).exec(value);
  if (!match) return false;
  for (const date of Object.values(match.groups ?? {})) {
    if (date === undefined || date.length < 8) continue; // yyyy and yyyyMM are checked by the pattern
    if (!isRealDate(date.slice(0, 4), date.slice(4, 6), date.slice(6, 8))) return false;
  }
  return true;
}

// Document number (发文字号), 党政机关公文处理工作条例 Art. 9 and GB/T 9704-2012 §7.2.4: organ
// code word + full year in 〔〕 + sequence without "第" or leading zeros + 号 [law/standard].
const DOCUMENT_NUMBER = /^.+〔\d{4}〕[1-9]\d*号$/u;

/** Whether a value is a well-formed document number, e.g. `鄂政发〔2012〕1号`. */
export function isValidDocumentNumber(value: string): boolean {
  return DOCUMENT_NUMBER.test(value.trim());
}

/** Query password (查询密码) for progress queries: 6 random digits from a CSPRNG (§1.4, §3.8) [practice]. */
export function randomQueryPassword(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
