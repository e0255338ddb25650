import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../../test/support/test-auth.ts';
import { systemActor, type Actor } from '../../../platform/auth/actor.ts';
import { createJurisdictionsModule, seedJurisdictions } from '../../jurisdictions/index.ts';

/**
 * Duty contacts of handling units (值班联系方式) on the real database: the unit's own head and the
 * centre head may change them, another unit's head gets a 403 (audited), refusals name the field,
 * a stale version is a 409, every change is audited; the page works without JavaScript.
 */
describe('appeals: unit duty contacts', () => {
  let t: TestApp;
  const orgs: Record<string, string> = {};
  const NAMES = ['武汉市江岸区政务服务和大数据管理局', '武汉市江岸区市场监督管理局', '武汉市江岸区住房保障和房屋管理局', '大冶市市场监督管理局'];
  let centreHead: Actor, unitHead: Actor, unitClerk: Actor, otherHead: Actor, dayeHead: Actor;
  let scj = '';

  const call = (method: 'GET' | 'PUT', url: string, actor: Actor, payload?: Record<string, unknown>) => t.app.inject({ method, url, headers: asActor(actor), ...(payload ? { payload } : {}) });
  const page = (url: string, actor: Actor) => t.app.inject({ url, headers: { ...asActor(actor), accept: 'text/html' } });
  // A browser without JavaScript: the double-submit CSRF cookie from the form page, and `_csrf` in the body.
  const postForm = async (url: string, actor: Actor, fields: Record<string, string>) => {
    const form = await page(url, actor);
    const csrf = /zw_csrf=([^;]+)/.exec(String(form.headers['set-cookie']))?.[1] ?? '';
    return t.app.inject({ method: 'POST', url, headers: { ...asActor(actor), cookie: `zw_csrf=${csrf}`, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...fields, _csrf: csrf }).toString() });
  };
  const fieldsOf = (r: { json: () => unknown }) => (r.json() as { errors: { field: string; message: string }[] }).errors;
  const auditOf = async (action: string, outcome = 'success') =>
    (await sql<{ object_id: string; detail: Record<string, unknown> }>`SELECT object_id, detail FROM audit.entry WHERE action = ${action} AND outcome = ${outcome} ORDER BY id`.execute(t.platform.db)).rows;

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await seedJurisdictions(t.platform);
    await t.modules.find((m) => m.name === 'appeals')!.seed!(t.platform);
    const lookup = createJurisdictionsModule(t.platform).service;
    for (const name of NAMES) {
      const found = await lookup.listOrganisations(systemActor('test'), { q: name }, { page: 1, pageSize: 5 });
      orgs[name] = found.items.find((o) => o.name === name)!.id;
    }
    const at = (name: string, roles: Parameters<typeof buildStaff>[0]['roles'], code = '420102') => buildStaff({ organisationId: orgs[name]!, organisationName: name, jurisdictionCode: code, roles });
    centreHead = at('武汉市江岸区政务服务和大数据管理局', ['org_head']);
    unitHead = at('武汉市江岸区市场监督管理局', ['org_head']);
    unitClerk = at('武汉市江岸区市场监督管理局', ['clerk']);
    otherHead = at('武汉市江岸区住房保障和房屋管理局', ['org_head']);
    dayeHead = at('大冶市市场监督管理局', ['org_head'], '420281');
    scj = orgs['武汉市江岸区市场监督管理局']!;
  }, 120_000);
  afterAll(async () => t?.stop());

  it('lets the unit’s head record its contacts with field-named refusals, versions and audit', async () => {
    const mine = await call('GET', '/api/appeals/duty-contacts', unitHead);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ total: 1, items: [{ organisationId: scj, organisationName: '武汉市江岸区市场监督管理局', dutyMobile: '', version: 0 }] });

    for (const [body, field, message] of [
      [{ dutyMobile: '1390000', version: 0 }, 'dutyMobile', '11 位手机号码'],
      [{ dutyEmail: 'zhiban-at-example', version: 0 }, 'dutyEmail', '值班邮箱格式不正确'],
      [{ dutyMobile: '', dutyEmail: '', version: 0 }, 'dutyMobile', '至少填写'],
    ] as const) {
      const r = await call('PUT', `/api/appeals/duty-contacts/${scj}`, unitHead, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(fieldsOf(r)).toEqual([{ field, message: expect.stringContaining(message) }]);
    }
    expect((await call('PUT', `/api/appeals/duty-contacts/${scj}`, unitHead, { dutyMobile: '13900001111' })).statusCode).toBe(400); // no version

    const first = await call('PUT', `/api/appeals/duty-contacts/${scj}`, unitHead, { dutyMobile: '139-0000-1111', dutyEmail: 'zhiban@scj.example.gov.cn', version: 0 });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ dutyMobile: '13900001111', dutyEmail: 'zhiban@scj.example.gov.cn', version: 1 });
    // A retried first save (version 0 again) does not overwrite: 409.
    const retried = await call('PUT', `/api/appeals/duty-contacts/${scj}`, unitHead, { dutyMobile: '13900002222', version: 0 });
    expect(retried.statusCode).toBe(409);
    expect(retried.json().detail ?? retried.json().title).toContain('已被他人修改');

    // The centre head changes it (version 1 → 2); the unit head's stale version 1 is a 409.
    const byCentre = await call('PUT', `/api/appeals/duty-contacts/${scj}`, centreHead, { dutyMobile: '13900003333', dutyEmail: 'zhiban@scj.example.gov.cn', version: 1 });
    expect(byCentre.statusCode, byCentre.body).toBe(200);
    expect(byCentre.json().version).toBe(2);
    const stale = await call('PUT', `/api/appeals/duty-contacts/${scj}`, unitHead, { dutyMobile: '13900004444', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await call('GET', `/api/appeals/duty-contacts/${scj}`, unitHead)).json()).toMatchObject({ dutyMobile: '13900003333', version: 2 });

    const audit = await auditOf('appeal.duty_contact.update');
    expect(audit.map((a) => [a.object_id, a.detail.version])).toEqual([
      [scj, 1],
      [scj, 2],
    ]);
    expect(JSON.stringify(audit)).not.toContain('13900003333'); // the numbers are not copied into the log
    expect((await auditOf('appeal.duty_contact.view')).length).toBeGreaterThan(0); // the unmasked view is audited
  });

  it('refuses another unit’s head (403, audited), clerks and other counties; the centre head sees its units', async () => {
    expect((await call('PUT', `/api/appeals/duty-contacts/${scj}`, otherHead, { dutyMobile: '13900005555', version: 2 })).statusCode).toBe(403);
    expect((await call('GET', `/api/appeals/duty-contacts/${scj}`, otherHead)).statusCode).toBe(403);
    expect((await call('PUT', `/api/appeals/duty-contacts/${scj}`, dayeHead, { dutyMobile: '13900005555', version: 2 })).statusCode).toBe(403);
    expect((await auditOf('appeal.duty_contact.update', 'denied')).map((a) => a.object_id)).toEqual([scj, scj, scj]);
    expect((await call('GET', '/api/appeals/duty-contacts', unitClerk)).statusCode).toBe(403); // no permission
    expect((await call('GET', `/api/appeals/duty-contacts/00000000-0000-4000-8000-000000000000`, centreHead)).statusCode).toBe(404);
    // The other head's own unit is still theirs.
    expect((await call('GET', `/api/appeals/duty-contacts/${orgs['武汉市江岸区住房保障和房屋管理局']!}`, otherHead)).statusCode).toBe(200);

    const list = (await call('GET', '/api/appeals/duty-contacts', centreHead)).json<{ items: { organisationId: string; version: number }[]; total: number }>();
    expect(list.total).toBeGreaterThan(2);
    expect(list.items.find((i) => i.organisationId === scj)?.version).toBe(2);
    expect(list.items.map((i) => i.organisationId)).not.toContain(orgs['大冶市市场监督管理局']);
    const paths = Object.keys((await t.app.inject({ url: '/api/docs/json' })).json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/appeals/duty-contacts', '/api/appeals/duty-contacts/{organisationId}']));
  });

  it('works as a page without JavaScript: masked list, the form again with Chinese errors, a 409 page on a stale version', async () => {
    const listPage = await page('/workbench/appeals/duty-contacts', centreHead);
    expect(listPage.statusCode).toBe(200);
    expect(listPage.body).toContain('武汉市江岸区市场监督管理局');
    expect(listPage.body).toContain('139****3333');
    expect(listPage.body).not.toContain('13900003333');

    const form = await page(`/workbench/appeals/duty-contacts/${scj}`, unitHead);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="version" value="2"');
    expect(form.body).toContain('13900003333');

    const bad = await postForm(`/workbench/appeals/duty-contacts/${scj}`, unitHead, { dutyMobile: '12345', dutyEmail: 'keep@scj.example.gov.cn', version: '2' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('值班手机应为 11 位手机号码');
    expect(bad.body).toContain('keep@scj.example.gov.cn'); // nothing typed is lost

    const stale = await postForm(`/workbench/appeals/duty-contacts/${scj}`, unitHead, { dutyMobile: '13900006666', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('已被他人修改');
    expect(stale.body).toContain('name="version" value="2"');

    const done = await postForm(`/workbench/appeals/duty-contacts/${scj}`, unitHead, { dutyMobile: '13900006666', dutyEmail: '', version: '2' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/workbench/appeals/duty-contacts');
    expect((await call('GET', `/api/appeals/duty-contacts/${scj}`, unitHead)).json()).toMatchObject({ dutyMobile: '13900006666', dutyEmail: '', version: 3 });
    expect((await page(`/workbench/appeals/duty-contacts/${scj}`, otherHead)).statusCode).toBe(403);
  });
});
