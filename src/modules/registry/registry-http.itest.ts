import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor.ts';
import { nationalLoadedYears, yearOf } from '../../platform/calendar/index.ts';
import { seedCodeTables } from '../../platform/codes/code-tables.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { todayInShanghai } from './calendar-service.ts';

let t: TestApp;
const provinceAdmin = buildStaff({ roles: ['sysadmin'], jurisdictionCode: '420000', organisationName: '湖北省政务服务和大数据管理局' });
const countyAdmin = buildStaff({ roles: ['sysadmin'], jurisdictionCode: '420102' });
const clerk = buildStaff({ roles: ['clerk'], jurisdictionCode: '420102' });
const builtInLast = Math.max(...nationalLoadedYears());

beforeAll(async () => {
  t = await startTestApp({}, { authenticator: headerAuthenticator });
});
afterAll(async () => {
  await t?.stop();
});

const html = { accept: 'text/html' };

/** A form post the way a browser sends it: the CSRF token from the page's form and its cookie. */
async function postForm(actor: Actor, url: string, fields: Record<string, string>, opts: { withCsrf?: boolean } = {}) {
  const page = await t.app.inject({ method: 'GET', url: '/workbench/calendar', headers: { ...asActor(actor), ...html } });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.cookies.find((c) => c.name === 'zw_csrf');
  expect(token).toBeDefined();
  expect(cookie?.value).toBe(token);
  const body = new URLSearchParams(opts.withCsrf === false ? fields : { _csrf: token!, ...fields });
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...asActor(actor), ...html, cookie: `zw_csrf=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

const dueDate = (code: string, query: string) => t.app.inject({ method: 'GET', url: `/api/calendar/${code}/working-days?${query}` });

describe('GET /api/calendar/:jurisdictionCode/working-days (public)', () => {
  it('computes a due date for anyone, starting the day after', async () => {
    const r = await dueDate('420102', 'from=2026-09-30&n=1');
    expect(r.statusCode).toBe(200);
    // 1–7 October 2026 is the National Day holiday.
    expect(r.json()).toEqual({ jurisdictionCode: '420102', from: '2026-09-30', n: 1, dueOn: '2026-10-08', provisional: false });
    expect((await dueDate('national', 'from=2026-09-30&n=0')).json()).toMatchObject({ dueOn: '2026-09-30' });
    expect((await dueDate('420102001000', 'from=2026-09-30&n=1')).json()).toMatchObject({ jurisdictionCode: '420102' });
  });

  it('marks a due date in a year without a loaded arrangement provisional', async () => {
    const r = await dueDate('420102', `from=${builtInLast}-12-25&n=10`);
    expect(r.json()).toMatchObject({ provisional: true });
  });

  it('answers bad input with problem+json in Chinese', async () => {
    for (const [code, query, field] of [
      ['420102', 'from=2026-02-30&n=1', 'from'],
      ['420102', 'from=20260301&n=1', 'from'],
      ['420102', 'from=2026-03-01&n=1001', 'n'],
      ['420102', 'from=2026-03-01', 'n'],
      ['990000', 'from=2026-03-01&n=1', 'jurisdictionCode'],
      ['abc', 'from=2026-03-01&n=1', 'jurisdictionCode'],
    ] as const) {
      const r = await dueDate(code, query);
      expect(r.statusCode, `${code}?${query}`).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const problem = r.json();
      expect(problem.code).toBe('ZW_ERR_VALIDATION');
      expect(JSON.stringify(problem.errors)).toContain(field);
      expect(problem.detail).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('/workbench/calendar', () => {
  it('is for holders of calendar.manage only', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/workbench/calendar', headers: html });
    // Sent to sign in (a redirect or a 401 page, as the platform's error handler decides).
    expect([302, 401]).toContain(anonymous.statusCode);
    if (anonymous.statusCode === 302) expect(anonymous.headers.location).toMatch(/^\/login/);
    expect((await t.app.inject({ method: 'GET', url: '/workbench/calendar', headers: { ...asActor(clerk), ...html } })).statusCode).toBe(403);
  });

  it('shows the admin check of this and next year, in Chinese, with what to do', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/workbench/calendar', headers: { ...asActor(provinceAdmin), ...html } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('工作日历：全国');
    expect(r.body).toContain('年度放假安排载入情况');
    expect(r.body).toMatch(/<a href="\/workbench\/calendar" aria-current="page">工作日历<\/a>/);
    expect(r.body).toContain('<a href="/workbench/code-tables">基础代码表</a>');
    const year = yearOf(todayInShanghai());
    if (!nationalLoadedYears().includes(year + 1)) {
      // Today (2026-11) chinese-days ends with 2026: the 2027 notice must be loaded here.
      expect(r.body).toContain(`${year + 1} 年的放假安排尚未载入`);
      expect(r.body).toContain('国务院办公厅通常在每年 11 月前后发布次年的部分节假日安排通知');
      expect(r.body).toContain('标记为“暂定”');
    }
    expect(r.body).toContain('新增日历条目');
  });

  it('on a local calendar, sends a missing national notice to the national calendar', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/workbench/calendar?jurisdiction=420100', headers: { ...asActor(provinceAdmin), ...html } });
    expect(r.body).toContain('工作日历：武汉市（420100）'); // name from the DIVISION code table
    if (!nationalLoadedYears().includes(yearOf(todayInShanghai()) + 1)) {
      expect(r.body).toContain('href="/workbench/calendar?jurisdiction=national"');
      expect(r.body).not.toContain('逐日录入放假日期和调休上班日期');
    }
  });

  it('opens on their own calendar for a county administrator', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/workbench/calendar', headers: { ...asActor(countyAdmin), ...html } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('工作日历：420102');
    if (!nationalLoadedYears().includes(yearOf(todayInShanghai()) + 1)) {
      expect(r.body).toContain('全国放假安排由省级平台的系统管理员在全国日历中录入');
    }
    const other = await t.app.inject({ method: 'GET', url: '/workbench/calendar?jurisdiction=430000', headers: { ...asActor(countyAdmin), ...html } });
    expect(other.body).toContain('只能维护本辖区及下级地区');
    expect(other.body).not.toContain('新增日历条目');
    const bad = await t.app.inject({ method: 'GET', url: '/workbench/calendar?jurisdiction=99', headers: { ...asActor(countyAdmin), ...html } });
    expect(bad.statusCode).toBe(400);
  });

  it('shows the form again with a Chinese error for each field', async () => {
    const r = await postForm(provinceAdmin, '/workbench/calendar/entries', { jurisdictionCode: '', date: '2026-02-30', kind: '', name: '<b>省定假日</b>', source: '' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('class="error-summary"');
    expect(r.body).toContain('提交的内容有 3 处需要修改');
    expect(r.body).toContain('日期：日期格式应为“年-月-日”');
    expect(r.body).toContain('类型：请选择类型：放假或调休上班');
    expect(r.body).toContain('依据文号：请填写依据的通知文号');
    expect(r.body).toContain('href="#f-date"');
    // What was typed is kept, escaped.
    expect(r.body).toContain('value="&lt;b&gt;省定假日&lt;/b&gt;"');
    expect(r.body).toContain('value="2026-02-30"');
  });

  it('refuses a form without its CSRF token', async () => {
    const r = await postForm(provinceAdmin, '/workbench/calendar/entries', { jurisdictionCode: '420000', date: '2026-12-02', kind: 'HOLIDAY', name: 'x', source: 'x' }, { withCsrf: false });
    expect(r.statusCode).toBe(403);
  });

  it('saves an override, redirects, lists it, and the public API uses it at once', async () => {
    expect((await dueDate('420102', 'from=2026-12-01&n=1')).json()).toMatchObject({ dueOn: '2026-12-02' }); // warms the cache
    const r = await postForm(provinceAdmin, '/workbench/calendar/entries', { jurisdictionCode: '420000', date: '2026-12-02', kind: 'HOLIDAY', name: '省定假日', source: '鄂政办发〔2026〕30号' });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/workbench/calendar?jurisdiction=420000');
    const page = await t.app.inject({ method: 'GET', url: r.headers.location, headers: { ...asActor(provinceAdmin), ...html } });
    expect(page.body).toContain('2026-12-02');
    expect(page.body).toContain('鄂政办发〔2026〕30号');
    expect((await dueDate('420102', 'from=2026-12-01&n=1')).json()).toMatchObject({ dueOn: '2026-12-03' });
    expect((await dueDate('430000', 'from=2026-12-01&n=1')).json()).toMatchObject({ dueOn: '2026-12-02' });
  });

  it('refuses a county administrator the national arrangement, on the form', async () => {
    const r = await postForm(countyAdmin, '/workbench/calendar/entries', { jurisdictionCode: '', date: '2027-01-01', kind: 'HOLIDAY', name: '元旦', source: 'x' });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain('全国放假安排只能由省级平台的系统管理员录入');
  });

  it('will not mark a year loaded before its days are entered', async () => {
    const year = String(builtInLast + 1);
    const r = await postForm(provinceAdmin, '/workbench/calendar/years', { jurisdictionCode: 'national', year, notice: '国办发明电〔2026〕9号' });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain(`尚未录入 ${year} 年的放假和调休上班日期`);
    const empty = await postForm(provinceAdmin, '/workbench/calendar/years', { jurisdictionCode: 'national', year: '', notice: '' });
    expect(empty.body).toContain('年份：请填写年份');
    expect(empty.body).toContain('依据通知：请填写放假安排通知的文号或标题');
  });
});

describe('code tables', () => {
  it('GET /api/code-tables lists every seed table (public)', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/code-tables' });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { id: string; entryCount: number }[];
    const seeds = seedCodeTables();
    expect(items.map((i) => i.id).sort()).toEqual(seeds.map((s) => s.id).sort());
    for (const s of seeds) expect(items.find((i) => i.id === s.id)?.entryCount, s.id).toBe(s.entries().length);
  });

  it('GET /api/code-tables/:id returns entries, optionally those in force on a date', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/code-tables/HANDLING_FORM' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ id: 'HANDLING_FORM', name: '办理形式', multiValueSeparator: '^', hierarchical: false });
    expect(body.entries[0]).toEqual({ code: '1', label: '窗口办理', labelEn: 'at a window', parentCode: null, validFrom: '1970-01-01', validTo: null, replacedBy: null });
    const on = await t.app.inject({ method: 'GET', url: '/api/code-tables/DIVISION?on=2026-11-30' });
    expect(on.json().entries.find((e: { code: string }) => e.code === '420100')).toMatchObject({ label: '武汉市', parentCode: '420000' });
  });

  it('answers an unknown table with 404 and a bad date with 400', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/code-tables/NO_SUCH_TABLE' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'ZW_ERR_NOT_FOUND', detail: '没有这个代码表' });
    expect((await t.app.inject({ method: 'GET', url: '/api/code-tables/GENDER?on=2026-13-01' })).statusCode).toBe(400);
  });

  it('/workbench/code-tables is read-only, for codetable.view', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/workbench/code-tables', headers: { ...asActor(clerk), ...html } })).statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: '/workbench/code-tables', headers: { ...asActor(provinceAdmin), ...html } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/workbench/code-tables/TIME_UNIT"');
    expect(list.body).not.toContain('method="post" action="/workbench/code-tables');
    const detail = await t.app.inject({ method: 'GET', url: '/workbench/code-tables/USCC_AUTHORITY_CATEGORY', headers: { ...asActor(provinceAdmin), ...html } });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('统一社会信用代码登记管理部门和机构类别');
    expect(detail.body).toContain('上级代码');
    expect((await t.app.inject({ method: 'GET', url: '/workbench/code-tables/NOPE', headers: { ...asActor(provinceAdmin), ...html } })).statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents the public registry APIs', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(r.statusCode).toBe(200);
    const paths = Object.keys(r.json().paths as Record<string, unknown>);
    expect(paths).toEqual(expect.arrayContaining(['/api/calendar/{jurisdictionCode}/working-days', '/api/code-tables', '/api/code-tables/{id}']));
    expect(paths.some((p) => p.startsWith('/workbench/'))).toBe(false);
  });
});
