import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type RequestContext } from '../../platform/auth/actor.ts';
import { nationalLoadedYears, parseCivilDate } from '../../platform/calendar/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaff } from '../../../test/support/test-auth.ts';
import { createRegistryModule, type CalendarService } from './index.ts';

let t: TestApp;
let calendars: CalendarService;
const system = systemContext('calendar-test');
const staff = (roles: Parameters<typeof buildStaff>[0]['roles'], jurisdictionCode: string): RequestContext => ({
  actor: buildStaff({ roles, jurisdictionCode }),
  requestId: `req-${jurisdictionCode}`,
  clientIp: null,
});
const day = parseCivilDate;

beforeAll(async () => {
  t = await startTestApp();
  calendars = createRegistryModule(t.platform).calendars;
});
afterAll(async () => {
  await t?.stop();
});

// The last year of the built-in data (2026 with chinese-days 1.5.7); the next one is loaded here.
const builtInLast = Math.max(...nationalLoadedYears());

function firstWeekdayAfterNewYear(year: number): string {
  let d = 2;
  while ([0, 6].includes(new Date(Date.UTC(year, 0, d)).getUTCDay())) d++;
  return `${year}-01-${String(d).padStart(2, '0')}`;
}

describe('per-jurisdiction calendars (DOMAIN.md §1.1.2)', () => {
  it('without overrides, every jurisdiction has the national calendar', async () => {
    const county = await calendars.calendarFor('420102');
    expect(county.isWorkingDay(day('2026-10-01'))).toBe(false); // National Day
    expect(county.isWorkingDay(day('2026-10-10'))).toBe(true); // Saturday make-up working day
    expect(county.isWorkingDay(day('2026-06-10'))).toBe(true);
    // One cached calendar serves every code without overrides.
    expect(await calendars.calendarFor('420103')).toBe(county);
    expect(await calendars.calendarFor('national')).toBe(county);
  });

  it('inherits province → prefecture → county overrides, found by code prefix', async () => {
    const before = await calendars.calendarFor('420102');
    const province = await calendars.addEntry(system, { jurisdictionCode: '420000', date: '2026-06-10', kind: 'HOLIDAY', name: '省定假日', source: '鄂政办发〔2026〕1号' });
    expect(province.ok).toBe(true);
    const county = await calendars.addEntry(system, { jurisdictionCode: '420102', date: '2026-06-10', kind: 'MAKEUP_WORKDAY', name: '区内照常上班', source: '江岸区通知' });
    expect(county.ok).toBe(true);
    const city = await calendars.addEntry(system, { jurisdictionCode: '4201', date: '2026-06-11', kind: 'HOLIDAY', name: '市定假日', source: '武政办〔2026〕2号' });
    expect(city).toMatchObject({ ok: true, value: { jurisdictionCode: '420100' } });

    const working = async (code: string, date: string) => (await calendars.calendarFor(code)).isWorkingDay(day(date));
    expect(await working('national', '2026-06-10')).toBe(true);
    expect(await working('430000', '2026-06-10')).toBe(true);
    expect(await working('420000', '2026-06-10')).toBe(false);
    expect(await working('429004', '2026-06-10')).toBe(false); // 仙桃: directly under the province
    expect(await working('420100', '2026-06-10')).toBe(false);
    expect(await working('420103', '2026-06-10')).toBe(false);
    expect(await working('420102', '2026-06-10')).toBe(true);
    expect(await working('420102001000', '2026-06-10')).toBe(true); // a township follows its county
    expect(await working('420102', '2026-06-11')).toBe(false);
    expect(await working('429004', '2026-06-11')).toBe(true);

    // The cache was invalidated: the calendar read before the change is not served again.
    expect(await calendars.calendarFor('420102')).not.toBe(before);
    expect(before.isWorkingDay(day('2026-06-11'))).toBe(true);

    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'calendar.entry.add' AND outcome = 'success'`.execute(t.platform.db);
    expect(audit.rows[0]?.n).toBe(3);
  });

  it('refuses overrides that change nothing, duplicates and township codes, in Chinese', async () => {
    const workday = await calendars.addEntry(system, { jurisdictionCode: '420000', date: '2026-06-12', kind: 'MAKEUP_WORKDAY', name: '调休', source: 'x' });
    expect(workday).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'kind', message: '该日在上级日历中已是工作日，无需设为调休上班' }] });
    const holiday = await calendars.addEntry(system, { jurisdictionCode: '420000', date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节', source: 'x' });
    expect(holiday).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'kind' }] });
    const duplicate = await calendars.addEntry(system, { jurisdictionCode: '420000', date: '2026-06-10', kind: 'HOLIDAY', name: '再次录入', source: 'x' });
    expect(duplicate).toMatchObject({ ok: false, reason: 'duplicate', fields: [{ field: 'date' }] });
    const township = await calendars.addEntry(system, { jurisdictionCode: '420102001000', date: '2026-06-15', kind: 'HOLIDAY', name: '镇定假日', source: 'x' });
    expect(township).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'jurisdictionCode' }] });
    // 2026-10-08 is already a working day nationally: nothing to make up.
    const noop = await calendars.addEntry(system, { jurisdictionCode: '420103', date: '2026-10-08', kind: 'MAKEUP_WORKDAY', name: '照常上班', source: 'x' });
    expect(noop).toMatchObject({ ok: false, reason: 'invalid' });
    // Cancelling an inherited day off (2026-10-02, National Day holiday) in one county is allowed.
    const cancel = await calendars.addEntry(system, { jurisdictionCode: '420103', date: '2026-10-02', kind: 'MAKEUP_WORKDAY', name: '照常上班', source: 'x' });
    expect(cancel.ok).toBe(true);
    expect((await calendars.calendarFor('420103')).isWorkingDay(day('2026-10-02'))).toBe(true);
    expect((await calendars.calendarFor('420102')).isWorkingDay(day('2026-10-02'))).toBe(false);
  });

  it('lets each administrator change only their own subtree; the national arrangement only from a province', async () => {
    const county = staff(['sysadmin'], '420102');
    expect(await calendars.addEntry(county, { jurisdictionCode: '420000', date: '2026-06-16', kind: 'HOLIDAY', name: '省定', source: 'x' })).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await calendars.addEntry(county, { jurisdictionCode: '', date: '2026-06-16', kind: 'HOLIDAY', name: '全国', source: 'x' })).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await calendars.addEntry(county, { jurisdictionCode: '420102', date: '2026-06-16', kind: 'HOLIDAY', name: '区定', source: 'x' })).toMatchObject({ ok: true });
    expect(await calendars.addEntry(staff(['clerk'], '420102'), { jurisdictionCode: '420102', date: '2026-06-17', kind: 'HOLIDAY', name: '区定', source: 'x' })).toMatchObject({ ok: false, reason: 'forbidden' });
    const denied = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'calendar.entry.add' AND outcome = 'denied'`.execute(t.platform.db);
    expect(denied.rows[0]?.n).toBe(2);
  });
});

describe('loading a year beyond the built-in data', () => {
  const next = builtInLast + 1;
  const today = day(`${builtInLast}-11-29`);

  it('reports the next year as not loaded and its deadlines as provisional', async () => {
    const status = await calendars.arrangementStatus('national', today);
    expect(status).toEqual({ currentYear: { year: builtInLast, loaded: true }, nextYear: { year: next, loaded: false }, ok: false });
    const due = await calendars.dueDate('420102', `${builtInLast}-12-25`, 10);
    expect(due.provisional).toBe(true);
  });

  it('refuses to mark an empty year, a built-in year, or a year twice', async () => {
    expect(await calendars.markYearLoaded(system, { jurisdictionCode: 'national', year: String(next), notice: '国办发明电' })).toMatchObject({
      ok: false,
      reason: 'invalid',
      fields: [{ field: 'year' }],
    });
    expect(await calendars.markYearLoaded(system, { jurisdictionCode: 'national', year: String(builtInLast), notice: 'x' })).toMatchObject({ ok: false, reason: 'duplicate' });
  });

  it('after the days are entered and the year marked, the year is loaded everywhere and no longer provisional', async () => {
    const added = await calendars.addEntry(system, { jurisdictionCode: '', date: `${next}-01-01`, kind: 'HOLIDAY', name: '元旦', source: '国办发明电〔2026〕9号' });
    expect(added.ok).toBe(true);
    const marked = await calendars.markYearLoaded(system, { jurisdictionCode: 'national', year: String(next), notice: '国办发明电〔2026〕9号' });
    expect(marked).toMatchObject({ ok: true, value: { jurisdictionCode: 'national', year: next } });
    expect(await calendars.markYearLoaded(system, { jurisdictionCode: 'national', year: String(next), notice: 'x' })).toMatchObject({ ok: false, reason: 'duplicate' });

    expect((await calendars.arrangementStatus('national', today)).ok).toBe(true);
    expect((await calendars.arrangementStatus('420102', today)).ok).toBe(true);
    const due = await calendars.dueDate('420102', `${builtInLast}-12-31`, 1);
    // 1 January is the entered holiday, so the first working day is the first weekday after it.
    expect(due).toEqual({ jurisdictionCode: '420102', from: `${builtInLast}-12-31`, n: 1, dueOn: firstWeekdayAfterNewYear(next), provisional: false });
  });

  it('a jurisdiction that records yearly arrangements needs each later year recorded, never earlier ones', async () => {
    const marked = await calendars.markYearLoaded(system, { jurisdictionCode: '420100', year: String(next + 1), notice: '武政办〔2027〕1号' });
    expect(marked.ok).toBe(true);
    const wuhan = await calendars.calendarFor('420102');
    expect(wuhan.isYearLoaded(builtInLast)).toBe(true); // before its first recorded year: national rule
    expect(wuhan.isYearLoaded(next)).toBe(true);
    expect(wuhan.isYearLoaded(next + 1)).toBe(false); // national not loaded: a local record is not enough
    expect((await calendars.calendarFor('420000')).isYearLoaded(next)).toBe(true);
  });
});
