import { describe, expect, it } from 'vitest';

import {
  NumberTemplateError,
  checkTemplateScope,
  formatNumber,
  isValidDocumentNumber,
  numberPattern,
  parseNumberTemplate,
  randomQueryPassword,
  sequenceKey,
  validateNumber,
} from './number-template.ts';

// Default templates of DOMAIN.md §1.4.
const CASE_NUMBER = '{region6}{yyyyMMdd}{seq:6}';
const ACCEPTANCE_DOCUMENT = '{prefix}{yyyy}{seq:5}';
const DOCUMENT_NUMBER = '{prefix}〔{yyyy}〕{seq}号';
const COPY_NUMBER = '{seq:6}';
const INDEX_NUMBER = '{orgCode}/{yyyy}-{seq:5}';
const RESOURCE_CODE = '{classCode}/{seq}';
const TICKET_NUMBER = '{yyyyMMdd}{seq:6}';

describe('parseNumberTemplate', () => {
  it('splits tokens and literals, including Chinese literals', () => {
    const r = parseNumberTemplate(DOCUMENT_NUMBER);
    expect(r.ok && r.template.parts).toEqual([
      { kind: 'field', name: 'prefix' },
      { kind: 'literal', text: '〔' },
      { kind: 'date', pattern: 'yyyy' },
      { kind: 'literal', text: '〕' },
      { kind: 'seq' },
      { kind: 'literal', text: '号' },
    ]);
  });

  it.each([CASE_NUMBER, ACCEPTANCE_DOCUMENT, DOCUMENT_NUMBER, COPY_NUMBER, INDEX_NUMBER, RESOURCE_CODE, TICKET_NUMBER])(
    'accepts the default template %s',
    (template) => {
      expect(parseNumberTemplate(template).ok).toBe(true);
    },
  );

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['{region}{seq}', 'unknownToken'],
    ['{YYYY}{seq}', 'unknownToken'],
    ['{seq:}', 'unknownToken'],
    ['{seq:x}', 'unknownToken'],
    ['{seq:0}', 'badSeqWidth'],
    ['{seq:16}', 'badSeqWidth'],
    ['{prefix{seq}', 'unclosedBrace'],
    ['{prefix}{seq', 'unclosedBrace'],
    ['{prefix}}{seq}', 'strayBrace'],
    ['{prefix}〔{yyyy}〕号', 'noSeq'],
    ['{seq}-{seq:3}', 'multipleSeq'],
  ] as const)('rejects %j (%s) with a Chinese message', (template, reason) => {
    const r = parseNumberTemplate(template);
    expect(r).toMatchObject({ ok: false, reason });
    expect(!r.ok && r.message).toMatch(/\p{Script=Han}/u);
  });

  it('names the unknown token in the message', () => {
    const r = parseNumberTemplate('{region}{seq}');
    expect(!r.ok && r.message).toContain('{region}');
  });

  it('the other functions throw NumberTemplateError on an invalid template', () => {
    expect(() => formatNumber('{bogus}{seq}', { date: '2025-01-01', seq: 1 })).toThrow(NumberTemplateError);
    expect(() => validateNumber('{bogus}{seq}', 'x1')).toThrow(NumberTemplateError);
    expect(() => sequenceKey('{bogus}{seq}', 'global', { date: '2025-01-01' })).toThrow(NumberTemplateError);
  });
});

describe('formatNumber — DOMAIN.md §1.4 defaults', () => {
  it('document number: 鄂政发〔2012〕1号', () => {
    expect(formatNumber(DOCUMENT_NUMBER, { prefix: '鄂政发', date: '2012-04-13', seq: 1 })).toBe('鄂政发〔2012〕1号');
    expect(formatNumber(DOCUMENT_NUMBER, { prefix: '鄂政发', date: '2012-12-31', seq: 125 })).toBe('鄂政发〔2012〕125号');
  });

  it('case number: region6 + yyyyMMdd + 6-digit sequence, within an..50', () => {
    const n = formatNumber(CASE_NUMBER, { region: '420100', date: '2025-09-29', seq: 1 });
    expect(n).toBe('42010020250929000001');
    expect(n.length).toBeLessThanOrEqual(50);
    // A 12-digit region prints its first 6 digits; {region12} pads a 6-digit one.
    expect(formatNumber(CASE_NUMBER, { region: '420102001001', date: '2025-09-29', seq: 42 })).toBe('42010220250929000042');
    expect(formatNumber('{region12}-{seq}', { region: '420100', date: '2025-09-29', seq: 7 })).toBe('420100000000-7');
  });

  it('index number: State Council example 000014349/2024-00037 (§7.4)', () => {
    expect(formatNumber(INDEX_NUMBER, { orgCode: '00001434-9', date: '2024-06-01', seq: 37 })).toBe('000014349/2024-00037');
  });

  it('index number with USCC and year-month: county example 11341702486344515H/202110-00013 (§7.4)', () => {
    expect(formatNumber('{uscc}/{yyyyMM}-{seq:5}', { uscc: '11341702486344515H', date: '2021-10-08', seq: 13 })).toBe(
      '11341702486344515H/202110-00013',
    );
  });

  it('acceptance document, copy, resource and ticket numbers', () => {
    expect(formatNumber(ACCEPTANCE_DOCUMENT, { prefix: '武政受', date: '2025-03-02', seq: 12 })).toBe('武政受202500012');
    expect(formatNumber(COPY_NUMBER, { date: '2025-03-02', seq: 3 })).toBe('000003');
    expect(formatNumber(RESOURCE_CODE, { classCode: '101001', date: '2025-03-02', seq: 27 })).toBe('101001/27');
    expect(formatNumber(TICKET_NUMBER, { date: '2025-03-02', seq: 99 })).toBe('20250302000099');
  });

  it('refuses a sequence that overflows {seq:N} instead of truncating it', () => {
    expect(formatNumber(COPY_NUMBER, { date: '2025-03-02', seq: 999_999 })).toBe('999999');
    expect(() => formatNumber(COPY_NUMBER, { date: '2025-03-02', seq: 1_000_000 })).toThrow(/overflow/);
  });

  it.each([
    [{ date: '2025-03-02', seq: 0 }, /positive integer/],
    [{ date: '2025-03-02', seq: 1.5 }, /positive integer/],
    [{ date: '2025-02-29', seq: 1 }, /civil date/],
    [{ date: '20250302', seq: 1 }, /civil date/],
  ])('refuses a bad context %j', (ctx, message) => {
    expect(() => formatNumber(COPY_NUMBER, ctx)).toThrow(message);
  });

  it('refuses missing or malformed fields', () => {
    expect(() => formatNumber(DOCUMENT_NUMBER, { date: '2012-01-01', seq: 1 })).toThrow(/prefix/);
    expect(() => formatNumber(CASE_NUMBER, { date: '2025-01-01', seq: 1 })).toThrow(/region/);
    expect(() => formatNumber(CASE_NUMBER, { region: '420010', date: '2025-01-01', seq: 1 })).toThrow(/division code/);
    expect(() => formatNumber(INDEX_NUMBER, { orgCode: '1016237', date: '2025-01-01', seq: 1 })).toThrow(/orgCode/);
    expect(() => formatNumber('{uscc}-{seq}', { uscc: '9111000010162374IK', date: '2025-01-01', seq: 1 })).toThrow(/uscc/);
    expect(() => formatNumber(RESOURCE_CODE, { classCode: '1A', date: '2025-01-01', seq: 1 })).toThrow(/classCode/);
  });
});

describe('sequenceKey', () => {
  it('a template with {yyyy} resets yearly', () => {
    const ctx = { prefix: '鄂政发', orgId: 'org-1' };
    const a = sequenceKey(DOCUMENT_NUMBER, 'org', { ...ctx, date: '2012-01-05' });
    const b = sequenceKey(DOCUMENT_NUMBER, 'org', { ...ctx, date: '2012-12-31' });
    const c = sequenceKey(DOCUMENT_NUMBER, 'org', { ...ctx, date: '2013-01-01' });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a).toBe('org=org-1|prefix=鄂政发|period=2012');
  });

  it('a template with {yyyyMMdd} resets daily', () => {
    const ctx = { region: '420100' };
    const a = sequenceKey(CASE_NUMBER, 'region+day', { ...ctx, date: '2025-09-29' });
    const b = sequenceKey(CASE_NUMBER, 'region+day', { ...ctx, date: '2025-09-30' });
    expect(a).not.toBe(b);
    expect(a).toBe('region6=420100|period=2025-09-29');
    expect(sequenceKey(TICKET_NUMBER, 'global', { date: '2025-09-29' })).toBe('period=2025-09-29');
  });

  it('a template with {yyyyMM} resets monthly', () => {
    const key = (date: string) => sequenceKey('{uscc}/{yyyyMM}-{seq:5}', 'org', { uscc: '11341702486344515H', date });
    expect(key('2021-10-01')).toBe(key('2021-10-31'));
    expect(key('2021-10-31')).not.toBe(key('2021-11-01'));
  });

  it('a template without a date never resets', () => {
    expect(sequenceKey(COPY_NUMBER, 'global', { date: '2025-01-01' })).toBe('global');
    expect(sequenceKey(COPY_NUMBER, 'global', { date: '2030-06-30' })).toBe('global');
  });

  it('the scope adds the organisation, and org+year a yearly reset', () => {
    const k1 = sequenceKey(ACCEPTANCE_DOCUMENT, 'org+year', { orgId: 'a', prefix: '受', date: '2025-01-01' });
    const k2 = sequenceKey(ACCEPTANCE_DOCUMENT, 'org+year', { orgId: 'b', prefix: '受', date: '2025-01-01' });
    expect(k1).not.toBe(k2);
    const copy = (date: string) => sequenceKey(COPY_NUMBER, 'org+year', { uscc: '11341702486344515H', date });
    expect(copy('2025-01-01')).toBe('org=11341702486344515H|period=2025');
    expect(copy('2025-12-31')).toBe(copy('2025-01-01'));
    expect(copy('2026-01-01')).not.toBe(copy('2025-12-31'));
  });

  it('region+day without a printed region keys on the region itself', () => {
    expect(sequenceKey(TICKET_NUMBER, 'region+day', { region: '420100', date: '2025-09-29' })).toBe(
      'region=420100|period=2025-09-29',
    );
  });

  it('printed fields are part of the key: each organ code word counts separately', () => {
    const base = { orgId: 'hubei', date: '2012-03-01' };
    expect(sequenceKey(DOCUMENT_NUMBER, 'org', { ...base, prefix: '鄂政发' })).not.toBe(
      sequenceKey(DOCUMENT_NUMBER, 'org', { ...base, prefix: '鄂政办发' }),
    );
  });

  it('escapes separators inside values', () => {
    expect(sequenceKey(DOCUMENT_NUMBER, 'global', { prefix: 'a|b=c', date: '2012-03-01' })).toBe(
      'prefix=a%7Cb%3Dc|period=2012',
    );
  });

  it('refuses a scope whose owner is missing from the context', () => {
    expect(() => sequenceKey(INDEX_NUMBER, 'org', { date: '2024-01-01', orgCode: '' })).toThrow();
    expect(() => sequenceKey(TICKET_NUMBER, 'region+day', { date: '2024-01-01' })).toThrow(/region/);
  });
});

describe('checkTemplateScope', () => {
  it('accepts the defaults with their natural scopes', () => {
    expect(checkTemplateScope(CASE_NUMBER, 'region+day')).toEqual([]);
    expect(checkTemplateScope(DOCUMENT_NUMBER, 'org+year')).toEqual([]);
    expect(checkTemplateScope(INDEX_NUMBER, 'org')).toEqual([]);
    expect(checkTemplateScope(TICKET_NUMBER, 'global')).toEqual([]);
  });

  it('reports pairs that could print the same number twice', () => {
    expect(checkTemplateScope(TICKET_NUMBER, 'region+day')).toHaveLength(1); // region not printed
    expect(checkTemplateScope(COPY_NUMBER, 'org+year')).toHaveLength(2); // no year, no organisation
    expect(checkTemplateScope('{region6}{yyyy}{seq:6}', 'region+day')).toHaveLength(1); // day not printed
  });
});

describe('validateNumber', () => {
  it.each([
    [DOCUMENT_NUMBER, '鄂政发〔2012〕1号', true],
    [DOCUMENT_NUMBER, '鄂政发〔2012〕01号', false],
    [DOCUMENT_NUMBER, '鄂政发〔12〕1号', false],
    [DOCUMENT_NUMBER, '〔2012〕1号', false],
    [CASE_NUMBER, '42010020250929000001', true],
    [CASE_NUMBER, '42010020250229000001', false], // 2025-02-29 does not exist
    [CASE_NUMBER, '42010020251329000001', false],
    [CASE_NUMBER, '42010020250929000000', false], // sequences start at 1
    [CASE_NUMBER, '4201002025092900001', false],
    [INDEX_NUMBER, '000014349/2024-00037', true],
    [INDEX_NUMBER, '000014349/2024-0037', false],
    [INDEX_NUMBER, '00001434-9/2024-00037', false],
    [RESOURCE_CODE, '101001/27', true],
    [ACCEPTANCE_DOCUMENT, '武政受202500012', true],
    [COPY_NUMBER, '000003', true],
    ['{prefix}.{seq}', 'ab.1', true], // literal dot is not a wildcard
    ['{prefix}.{seq}', 'abx1', false],
  ])('%s matches %j: %s', (template, value, expected) => {
    expect(validateNumber(template, value)).toBe(expected);
  });

  it('every formatted number validates against its own template', () => {
    const ctx = { region: '420100', orgCode: '000014349', uscc: '11341702486344515H', prefix: '鄂政发', classCode: '101001', date: '2024-02-29' };
    for (const template of [CASE_NUMBER, ACCEPTANCE_DOCUMENT, DOCUMENT_NUMBER, COPY_NUMBER, INDEX_NUMBER, RESOURCE_CODE, TICKET_NUMBER]) {
      for (const seq of [1, 9, 10, 12345]) {
        expect(validateNumber(template, formatNumber(template, { ...ctx, seq }))).toBe(true);
      }
    }
    expect(numberPattern(DOCUMENT_NUMBER).test('鄂政发〔2024〕1号')).toBe(true);
  });
});

describe('isValidDocumentNumber (^.+〔\\d{4}〕[1-9]\\d*号$)', () => {
  it.each([
    ['鄂政发〔2012〕1号', true],
    ['国办发明电〔2024〕12号', true],
    ['发改高技〔2017〕1272号', true],
    ['鄂政发〔2012〕01号', false], // leading zero
    ['鄂政发〔2012〕第1号', false], // no "第"
    ['鄂政发[2012]1号', false], // square brackets are not 〔〕
    ['鄂政发（2012）1号', false],
    ['鄂政发〔12〕1号', false], // full year required
    ['〔2012〕1号', false], // organ code word required
    ['鄂政发〔2012〕1', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isValidDocumentNumber(value)).toBe(expected);
  });
});

describe('randomQueryPassword', () => {
  it('is 6 digits, leading zeros kept', () => {
    const values = Array.from({ length: 2000 }, randomQueryPassword);
    for (const v of values) expect(v).toMatch(/^\d{6}$/);
    expect(new Set(values).size).toBeGreaterThan(1900);
  });
});
