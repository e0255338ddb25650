import { describe, expect, it } from 'vitest';
import { buildDivisionRows, parseCsvLine, type DivisionSourceData } from './division-source.ts';

const hubeiLike: DivisionSourceData = {
  province: { code: '42', name: '湖北省' },
  cities: [
    { code: '4201', name: '武汉市', provinceCode: '42' },
    { code: '4290', name: '省直辖县级行政区划', provinceCode: '42' },
  ],
  areas: [
    { code: '420102', name: '江岸区', cityCode: '4201', provinceCode: '42' },
    { code: '429004', name: '仙桃市', cityCode: '4290', provinceCode: '42' },
  ],
  streets: [
    { code: '420102002', name: '大智街道', areaCode: '420102', cityCode: '4201', provinceCode: '42' },
    { code: '429004001', name: '沙嘴街道', areaCode: '429004', cityCode: '4290', provinceCode: '42' },
  ],
  villages: [{ code: '420102002001', name: '测试社区居委会', streetCode: '420102002' }],
};

describe('buildDivisionRows', () => {
  it('builds the tree parent-first with GB/T 2260 codes, levels and prefixes', () => {
    const b = buildDivisionRows(hubeiLike);
    expect(b.rows.map((r) => [r.code, r.level, r.parentCode, r.prefix])).toEqual([
      ['420000', 1, null, '42'],
      ['420100', 2, '420000', '4201'],
      ['420102', 3, '420100', '420102'],
      ['429004', 3, '420000', '429004'],
      ['420102002', 4, '420102', '420102002'],
      ['429004001', 4, '429004', '429004001'],
      ['420102002001', 5, '420102002', '420102002001'],
    ]);
  });

  it('creates no node for the 4290 aggregate and counts its counties under the province', () => {
    const b = buildDivisionRows(hubeiLike);
    expect(b.rows.some((r) => r.code === '429000')).toBe(false);
    expect(b.aggregates).toEqual([{ code: '4290', name: '省直辖县级行政区划', counties: 1 }]);
    expect(b.counts).toEqual({ province: 1, prefecture: 1, county: 2, countyUnderProvince: 1, township: 2, village: 1 });
  });

  it('merges a prefecture-level city that lists itself as its only county (Dongguan)', () => {
    const b = buildDivisionRows({
      province: { code: '44', name: '广东省' },
      cities: [{ code: '4419', name: '东莞市', provinceCode: '44' }],
      areas: [{ code: '441900', name: '东莞市', cityCode: '4419', provinceCode: '44' }],
      streets: [{ code: '441900003', name: '东城街道', areaCode: '441900', cityCode: '4419', provinceCode: '44' }],
      villages: null,
    });
    expect(b.rows.map((r) => [r.code, r.level, r.parentCode])).toEqual([
      ['440000', 1, null],
      ['441900', 2, '440000'],
      ['441900003', 4, '441900'],
    ]);
    expect(b.counts.county).toBe(0);
  });

  it('hangs a municipality’s districts directly under it (市辖区 aggregate)', () => {
    const b = buildDivisionRows({
      province: { code: '11', name: '北京市' },
      cities: [{ code: '1101', name: '市辖区', provinceCode: '11' }],
      areas: [{ code: '110101', name: '东城区', cityCode: '1101', provinceCode: '11' }],
      streets: [],
      villages: null,
    });
    expect(b.rows.map((r) => [r.code, r.parentCode])).toEqual([
      ['110000', null],
      ['110101', '110000'],
    ]);
    expect(b.counts).toMatchObject({ prefecture: 0, county: 1, countyUnderProvince: 1 });
  });

  it('refuses a source with a dangling parent or a duplicate code', () => {
    expect(() => buildDivisionRows({ ...hubeiLike, villages: [{ code: '420102099001', name: 'x', streetCode: '420102099' }] })).toThrow(/parent 420102099/);
    expect(() => buildDivisionRows({ ...hubeiLike, streets: [...hubeiLike.streets, hubeiLike.streets[0]!] })).toThrow(/twice/);
  });
});

describe('parseCsvLine', () => {
  it('reads quoted fields with commas and doubled quotes', () => {
    expect(parseCsvLine('110101001001,"多福巷社区居委会",110101001,11,1101,110101')).toEqual(['110101001001', '多福巷社区居委会', '110101001', '11', '1101', '110101']);
    expect(parseCsvLine('1,"a, ""b""",2')).toEqual(['1', 'a, "b"', '2']);
    expect(parseCsvLine('')).toEqual(['']);
  });
});
