import { parseCivilDate, type CalendarEntryKind } from '../../../platform/calendar/index.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { parseCalendarJurisdiction } from '../jurisdiction-chain.ts';

export interface CalendarEntryInput {
  /** `national` or a 6-digit division code (province, prefecture or county). */
  jurisdictionCode: string;
  date: string;
  kind: CalendarEntryKind;
  name: string;
  source: string;
}

export interface CalendarYearInput {
  jurisdictionCode: string;
  year: number;
  /** The notice the year's arrangement comes from. */
  notice: string;
}

export const FIRST_CALENDAR_YEAR = 2000;
export const LAST_CALENDAR_YEAR = 2100;

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function checkJurisdiction(raw: unknown, errors: FieldError[]): string {
  const parsed = parseCalendarJurisdiction(str(raw), { belowCounty: 'refuse', emptyIsNational: true });
  if (!parsed.ok) {
    errors.push({ field: 'jurisdictionCode', message: parsed.message });
    return '';
  }
  return parsed.code;
}

/** Trims and checks a calendar override; Chinese reasons per field. */
export function validateCalendarEntryInput(raw: {
  jurisdictionCode?: unknown;
  date?: unknown;
  kind?: unknown;
  name?: unknown;
  source?: unknown;
}): { value: CalendarEntryInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const jurisdictionCode = checkJurisdiction(raw.jurisdictionCode, errors);

  const date = str(raw.date);
  if (!date) errors.push({ field: 'date', message: '请填写日期' });
  else {
    try {
      parseCivilDate(date);
      const year = Number(date.slice(0, 4));
      if (year < FIRST_CALENDAR_YEAR || year > LAST_CALENDAR_YEAR) {
        errors.push({ field: 'date', message: `日期应在 ${FIRST_CALENDAR_YEAR} 年至 ${LAST_CALENDAR_YEAR} 年之间` });
      }
    } catch {
      errors.push({ field: 'date', message: '日期格式应为“年-月-日”，如 2027-10-01，且须是实际存在的日期' });
    }
  }

  const kind = raw.kind === 'HOLIDAY' || raw.kind === 'MAKEUP_WORKDAY' ? raw.kind : undefined;
  if (!kind) errors.push({ field: 'kind', message: '请选择类型：放假或调休上班' });

  const name = str(raw.name);
  if (!name) errors.push({ field: 'name', message: '请填写名称，如“国庆节”' });
  else if ([...name].length > 40) errors.push({ field: 'name', message: '名称不能超过 40 个字' });

  const source = str(raw.source);
  if (!source) errors.push({ field: 'source', message: '请填写依据的通知文号，如“国办发明电〔2024〕12号”' });
  else if ([...source].length > 100) errors.push({ field: 'source', message: '依据文号不能超过 100 个字' });

  return { value: { jurisdictionCode, date, kind: kind ?? 'HOLIDAY', name, source }, errors };
}

/** Checks a "year's arrangement loaded" record; Chinese reasons per field. */
export function validateCalendarYearInput(raw: { jurisdictionCode?: unknown; year?: unknown; notice?: unknown }): {
  value: CalendarYearInput;
  errors: FieldError[];
} {
  const errors: FieldError[] = [];
  const jurisdictionCode = checkJurisdiction(raw.jurisdictionCode, errors);
  const yearText = typeof raw.year === 'number' ? String(raw.year) : str(raw.year);
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
  if (!yearText) errors.push({ field: 'year', message: '请填写年份' });
  else if (!Number.isInteger(year) || year < FIRST_CALENDAR_YEAR || year > LAST_CALENDAR_YEAR) {
    errors.push({ field: 'year', message: `年份应为 ${FIRST_CALENDAR_YEAR} 至 ${LAST_CALENDAR_YEAR} 之间的四位数字` });
  }
  const notice = str(raw.notice);
  if (!notice) errors.push({ field: 'notice', message: '请填写放假安排通知的文号或标题' });
  else if ([...notice].length > 100) errors.push({ field: 'notice', message: '通知文号不能超过 100 个字' });
  return { value: { jurisdictionCode, year: Number.isInteger(year) ? year : 0, notice }, errors };
}
