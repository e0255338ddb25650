// Which calendars a jurisdiction inherits (DOMAIN.md §1.1.2: one WorkCalendar per jurisdiction,
// inheriting the national one). Calendars are set nationally and by provinces, prefectures and
// counties; townships and villages follow their county. Ancestors come from the GB/T 2260 code
// itself (420102 → 420100 → 420000), so no division table is needed to resolve a calendar.

import { validateDivisionCode } from '../../platform/codes/validators.ts';

/** The national calendar's key in registry.calendar_entry / calendar_year. */
export const NATIONAL = 'national';

export type CalendarLevel = 'national' | 'province' | 'prefecture' | 'county';

export type CalendarJurisdiction =
  | { ok: true; code: string; level: CalendarLevel }
  | { ok: false; message: string };

/**
 * Reads a calendar jurisdiction: `national` (or empty, with `emptyIsNational`) or a division code.
 * A township or village code resolves to its county when `belowCounty` is 'county' (look-ups);
 * with 'refuse' (entering overrides) it is refused, since calendars are not set below a county.
 */
export function parseCalendarJurisdiction(
  input: string,
  opts: { belowCounty: 'county' | 'refuse'; emptyIsNational?: boolean } = { belowCounty: 'county' },
): CalendarJurisdiction {
  const text = input.trim();
  if (text === NATIONAL || (text === '' && opts.emptyIsNational === true)) return { ok: true, code: NATIONAL, level: 'national' };
  const result = validateDivisionCode(text);
  if (result.status !== 'valid' || !result.details) {
    return { ok: false, message: result.message ?? '行政区划代码不正确' };
  }
  const { level, padded12 } = result.details;
  if ((level === 'township' || level === 'village') && opts.belowCounty === 'refuse') {
    return { ok: false, message: '工作日历只能按全国或省、市、县三级设置，乡镇和村使用所在县的日历' };
  }
  const code = padded12.slice(0, 6);
  const calendarLevel: CalendarLevel = level === 'province' ? 'province' : level === 'prefecture' ? 'prefecture' : 'county';
  return { ok: true, code, level: calendarLevel };
}

/**
 * The calendars a jurisdiction's calendar is made of, root first: national, province, prefecture,
 * county. `code` is a parsed jurisdiction (6 digits or `national`). The `xx90` prefecture part
 * groups counties directly under a province (e.g. 仙桃市 429004) and is no calendar of its own.
 */
export function calendarChain(code: string): string[] {
  if (code === NATIONAL) return [NATIONAL];
  if (!/^\d{6}$/.test(code)) throw new RangeError(`not a 6-digit division code: ${code}`);
  const province = `${code.slice(0, 2)}0000`;
  const prefecture = `${code.slice(0, 4)}00`;
  const chain = [NATIONAL, province];
  if (prefecture !== province && code.slice(2, 4) !== '90') chain.push(prefecture);
  if (code !== prefecture && code !== province) chain.push(code);
  return chain;
}

/** Whether `code` lies in the subtree of `ancestor` (both parsed; `national` covers everything). */
export function calendarCovers(ancestor: string, code: string): boolean {
  if (ancestor === NATIONAL) return true;
  if (code === NATIONAL) return false;
  return calendarChain(code).includes(ancestor);
}
