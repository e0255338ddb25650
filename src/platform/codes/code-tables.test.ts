import { describe, expect, it } from 'vitest';

import {
  CodeTable,
  type CodeTableDefinition,
  joinMultiValue,
  mapCode,
  seedCodeMappings,
  seedCodeTable,
  seedCodeTables,
  splitMultiValue,
} from './code-tables.ts';

// Fixture: a division code closed and replaced, and a code reused after a gap (history is keyed on
// code + period, §1.2.4). Dates are fixture values.
const divisions: CodeTableDefinition = {
  id: 'DIVISION_FIXTURE',
  name: '行政区划（测试）',
  source: 'test fixture',
  tag: 'unverified',
  version: '2016',
  hierarchical: true,
  entries: [
    { code: '420000', label: '湖北省', validFrom: '1980-01-01' },
    { code: '420100', label: '武汉市', parentCode: '420000', validFrom: '1980-01-01' },
    { code: '420101', label: '旧市辖区', parentCode: '420100', validFrom: '1980-01-01', validTo: '2017-01-01', replacedBy: '420120' },
    { code: '420120', label: '新区', parentCode: '420100', validFrom: '2017-01-01' },
    { code: '420199', label: '第一次', parentCode: '420100', validFrom: '1980-01-01', validTo: '1990-01-01' },
    { code: '420199', label: '第二次', parentCode: '420100', validFrom: '2000-01-01' },
  ],
};

describe('CodeTable', () => {
  const table = new CodeTable(divisions);

  it('looks a code up on a date; validTo is exclusive, so successor and predecessor never overlap', () => {
    expect(table.lookup('420101', '2016-12-31')?.label).toBe('旧市辖区');
    expect(table.lookup('420101', '2017-01-01')).toBeUndefined();
    expect(table.lookup('420120', '2017-01-01')?.label).toBe('新区');
    expect(table.lookup('420120', '2016-12-31')).toBeUndefined();
    expect(table.isValid('420101', '2000-06-01')).toBe(true);
    expect(table.isValid('999999', '2000-06-01')).toBe(false);
  });

  it('reports the status of a code on a date', () => {
    expect(table.status('420101', '2016-12-31')).toBe('valid');
    expect(table.status('420101', '2025-01-01')).toBe('retired');
    expect(table.status('420120', '2010-01-01')).toBe('notYetValid');
    expect(table.status('999999', '2025-01-01')).toBe('unknown');
    expect(table.status('420199', '1995-01-01')).toBe('retired');
  });

  it('keeps history on code + period when a code is reused', () => {
    expect(table.lookup('420199', '1985-01-01')?.label).toBe('第一次');
    expect(table.lookup('420199', '1995-01-01')).toBeUndefined();
    expect(table.lookup('420199', '2020-01-01')?.label).toBe('第二次');
    expect(table.history('420199').map((e) => e.label)).toEqual(['第一次', '第二次']);
  });

  it('labels closed codes so old records still render', () => {
    expect(table.label('420101')).toBe('旧市辖区');
    expect(table.label('420101', '2020-01-01')).toBeUndefined();
    expect(table.label('420199')).toBe('第二次');
    expect(table.label('999999')).toBeUndefined();
  });

  it('lists children, optionally on a date', () => {
    expect(table.children('420100').map((e) => e.code)).toEqual(['420101', '420120', '420199', '420199']);
    expect(table.children('420100', '2020-01-01').map((e) => e.code)).toEqual(['420120', '420199']);
    expect(table.children('420101')).toEqual([]);
  });

  it('follows replacedBy to the code in force', () => {
    expect(table.successor('420101', '2020-01-01')?.code).toBe('420120');
    expect(table.successor('420101', '2010-01-01')?.code).toBe('420101');
    expect(table.successor('999999', '2020-01-01')).toBeUndefined();
  });

  it('lists entries in force on a date', () => {
    expect(table.entriesOn('2020-01-01').map((e) => e.code)).toEqual(['420000', '420100', '420120', '420199']);
    expect(table.entries()).toHaveLength(6);
  });

  it('entries are immutable', () => {
    const entry = table.lookup('420000', '2020-01-01')!;
    expect(() => {
      (entry as { label: string }).label = 'x';
    }).toThrow(TypeError);
  });

  it.each([
    ['overlapping periods', [{ code: '1', label: 'a', validFrom: '2000-01-01' }, { code: '1', label: 'b', validFrom: '2010-01-01' }], /overlapping/],
    ['validTo not after validFrom', [{ code: '1', label: 'a', validFrom: '2000-01-01', validTo: '2000-01-01' }], /after validFrom/],
    ['bad date', [{ code: '1', label: 'a', validFrom: '2000-1-1' }], /civil date/],
    ['empty code', [{ code: ' ', label: 'a', validFrom: '2000-01-01' }], /empty/],
    ['unknown parent', [{ code: '1', label: 'a', validFrom: '2000-01-01', parentCode: '9' }], /unknown parent/],
    ['unknown replacement', [{ code: '1', label: 'a', validFrom: '2000-01-01', replacedBy: '9' }], /unknown replacement/],
  ])('refuses a definition with %s', (_what, entries, message) => {
    expect(() => new CodeTable({ ...divisions, entries })).toThrow(message);
  });

  it('refuses parent codes in a flat table', () => {
    expect(() => new CodeTable({ ...divisions, hierarchical: false })).toThrow(/flat table/);
  });
});

describe('multi-valued codes joined with ^ (§1.3)', () => {
  it('joins and splits', () => {
    expect(joinMultiValue(['1', '2', '3'])).toBe('1^2^3');
    expect(splitMultiValue('1^2^3')).toEqual(['1', '2', '3']);
    expect(splitMultiValue(' 1 ^2^^ ')).toEqual(['1', '2']);
    expect(splitMultiValue('')).toEqual([]);
    expect(() => joinMultiValue(['1^2'])).toThrow();
    expect(() => joinMultiValue([''])).toThrow();
  });

  it('handling forms (A.5) are multi-valued and checked per code', () => {
    const forms = seedCodeTable('HANDLING_FORM');
    expect(forms.join(['1', '2', '3'])).toBe('1^2^3');
    expect(forms.split('1^2^3')).toEqual(['1', '2', '3']);
    expect(forms.isValidMulti('1^2^3', '2025-01-01')).toBe(true);
    expect(forms.isValidMulti('1^7', '2025-01-01')).toBe(false);
    expect(forms.isValidMulti('', '2025-01-01')).toBe(false);
  });

  it('a single-valued table refuses join and split', () => {
    expect(() => seedCodeTable('GENDER').join(['1'])).toThrow(/not multi-valued/);
  });
});

describe('seed tables', () => {
  const tables = seedCodeTables();
  const byId = new Map(tables.map((t) => [t.id, t]));
  const on = '2025-01-01';

  it('every seed table has a unique id, a source, a reliability tag and entries', () => {
    expect(byId.size).toBe(tables.length);
    for (const t of tables) {
      expect(t.source.length).toBeGreaterThan(0);
      expect(['law/standard', 'practice', 'unverified']).toContain(t.tag);
      expect(t.entries().length).toBeGreaterThan(0);
      for (const e of t.entries()) expect(e.label).toMatch(/\p{Script=Han}/u);
    }
  });

  it('includes the tables the foundation needs now', () => {
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining([
        'TIME_UNIT',
        'CERTIFICATE_TYPE',
        'GENDER',
        'REAL_NAME_LEVEL',
        'ORGANISATION_TYPE',
        'USCC_AUTHORITY_CATEGORY',
        'DIVISION',
        'ITEM_TYPE',
        'EXERCISE_LEVEL',
        'IMPLEMENTER_NATURE',
        'SERVICE_OBJECT',
        'HANDLING_FORM',
        'CASE_TYPE',
        'SPECIAL_PROCEDURE_TYPE',
        'SATISFACTION',
        'SERVICE_SCOPE',
        'RUNNING_SYSTEM_LEVEL',
        'APPROVAL_RESULT_TYPE',
        'ONLINE_HANDLING_DEPTH',
      ]),
    );
  });

  const codes = (id: string) => byId.get(id)!.entriesOn(on).map((e) => e.code);

  it('TIME_UNIT (§1.1.4): promised 1–5, legal G and Z', () => {
    const t = byId.get('TIME_UNIT')!;
    expect(codes('TIME_UNIT')).toEqual(['1', '2', '3', '4', '5', 'G', 'Z']);
    expect(t.tag).toBe('practice');
    expect(t.lookup('G', on)?.attributes?.kind).toBe('legal');
    expect(t.lookup('5', on)?.attributes?.kind).toBe('promised');
  });

  it('CERTIFICATE_TYPE (§9.3)', () => {
    expect(codes('CERTIFICATE_TYPE')).toEqual(['111', '112', '113', '114', '115', '117', '414', '511', '516', '554', '990', '001', '099']);
    expect(byId.get('CERTIFICATE_TYPE')!.label('111')).toBe('居民身份证');
    expect(byId.get('CERTIFICATE_TYPE')!.tag).toBe('unverified');
  });

  it('GENDER GB/T 2261.1 (§9.3)', () => {
    expect(codes('GENDER')).toEqual(['0', '1', '2', '9']);
    expect(byId.get('GENDER')!.tag).toBe('law/standard');
  });

  it('REAL_NAME_LEVEL L1–L4 (§10.2)', () => {
    expect(codes('REAL_NAME_LEVEL')).toEqual(['L1', 'L2', 'L3', 'L4']);
  });

  it('USCC authority/category pairs (§1.2.2)', () => {
    const t = byId.get('USCC_AUTHORITY_CATEGORY')!;
    const pairs = (authority: string) => t.children(authority, on).map((e) => e.code);
    expect(pairs('1')).toEqual(['11', '12', '13', '19']);
    expect(pairs('2')).toEqual(['21', '29']);
    expect(pairs('3')).toEqual(['31', '32', '33', '34', '35', '39']);
    expect(pairs('4')).toEqual(['41', '49']);
    expect(pairs('5')).toEqual(['51', '52', '53', '59']);
    expect(pairs('6')).toEqual(['61', '62', '69']);
    expect(pairs('7')).toEqual(['71', '72', '79']);
    expect(pairs('8')).toEqual(['81', '89']);
    expect(pairs('9')).toEqual(['91', '92', '93']);
    expect(pairs('A')).toEqual(['A1', 'A9']);
    expect(pairs('N')).toEqual(['N1', 'N2', 'N3', 'N9']);
    expect(pairs('Y')).toEqual(['Y1']);
    expect(t.label('11')).toBe('机关');
    expect(t.label('92')).toBe('个体工商户');
  });

  it('A.1 item types: 00–10 and 20, extension ranges left free', () => {
    expect(codes('ITEM_TYPE')).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '20']);
    expect(byId.get('ITEM_TYPE')!.label('01')).toBe('行政许可');
  });

  it.each([
    ['EXERCISE_LEVEL', ['1', '2', '3', '4', '5', '6', '7']],
    ['IMPLEMENTER_NATURE', ['1', '2', '3', '9']],
    ['SERVICE_OBJECT', ['1', '2', '3', '4', '5', '6']],
    ['HANDLING_FORM', ['1', '2', '3', '4', '9']],
    ['CASE_TYPE', ['1', '2', '9']],
    ['SPECIAL_PROCEDURE_TYPE', ['1', '2']],
    ['SATISFACTION', ['1', '2', '3', '4', '5']],
    ['ONLINE_HANDLING_DEPTH', ['I', 'II', 'III', 'IV']],
  ])('%s has the codes of DOMAIN.md §2.2', (id, expected) => {
    expect(codes(id)).toEqual(expected);
  });

  it('tables whose numeric codes DOMAIN.md does not give are tagged unverified or practice', () => {
    expect(byId.get('SERVICE_SCOPE')!.tag).toBe('unverified');
    expect(byId.get('RUNNING_SYSTEM_LEVEL')!.tag).toBe('unverified');
    expect(byId.get('APPROVAL_RESULT_TYPE')!.tag).toBe('practice');
    expect(byId.get('ORGANISATION_TYPE')!.tag).toBe('practice');
  });

  it('Hubei division seeds (§1.2.4)', () => {
    const t = byId.get('DIVISION')!;
    expect(t.children('420000', on).map((e) => e.code)).toEqual(['420100', '429004', '429005', '429006', '429021']);
    expect(t.label('429021')).toBe('神农架林区');
  });

  it('seedCodeTable returns fresh instances and refuses unknown ids', () => {
    expect(seedCodeTable('GENDER')).not.toBe(seedCodeTable('GENDER'));
    expect(() => seedCodeTable('NOPE')).toThrow(/NOPE/);
  });
});

describe('code mappings (§1.3)', () => {
  it('maps the legacy special-procedure codes A/B to A.7 1/2', () => {
    const [legacy] = seedCodeMappings();
    expect(legacy).toBeDefined();
    expect(mapCode(legacy!, 'A')).toBe('1');
    expect(mapCode(legacy!, 'B')).toBe('2');
    expect(mapCode(legacy!, 'C')).toBeUndefined();
    const target = seedCodeTable(legacy!.toTable);
    for (const [, to] of legacy!.pairs) expect(target.isValid(to, '2025-01-01')).toBe(true);
  });
});
