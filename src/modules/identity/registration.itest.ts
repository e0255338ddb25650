import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckCharacter } from '../../platform/codes/validators.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { anonymousForm, postForm, randomIp, randomMobile, TEST_PASSWORD, validCitizenId } from '../../../test/support/identity.ts';

describe('registration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.stop());

  const register = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/accounts/citizens', remoteAddress: randomIp(), payload });
  const count = async (table: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.platform.db)).rows[0]!.n;

  it('registers a citizen: ID number and mobile stored encrypted, hashed and masked; audited', async () => {
    const idNumber = validCitizenId({ birthDate: '19900307', female: true });
    const mobile = randomMobile();
    const res = await register({ name: '李娜', idNumber, mobile, loginName: 'LiNa2026', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ accountId: string; loginName: string }>();
    expect(body.loginName).toBe('lina2026'); // stored lower-cased
    const row = (await sql<Record<string, string>>`SELECT a.kind, a.real_name_level, a.password_hash, p.* FROM identity.account a JOIN identity.person p ON p.account_id = a.id WHERE a.id = ${body.accountId}`.execute(t.platform.db)).rows[0]!;
    expect(row.kind).toBe('citizen');
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.id_number_masked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
    expect(row.mobile_masked).toBe(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
    expect(row.gender_code).toBe('2');
    expect(row.birth_date).toBe('1990-03-07');
    expect(row.certificate_type).toBe('111');
    // nowhere in clear
    const dump = JSON.stringify(row);
    expect(dump).not.toContain(idNumber);
    expect(dump).not.toContain(mobile);
    const audit = await sql<{ action: string; detail: Record<string, unknown> }>`SELECT action, detail FROM audit.entry WHERE object_id = ${body.accountId}`.execute(t.platform.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['account.register']);
    expect(JSON.stringify(audit.rows)).not.toContain(idNumber);
    expect(JSON.stringify(audit.rows)).not.toContain(TEST_PASSWORD);
  });

  it('generates a login name when none is chosen', async () => {
    const res = await register({ name: '王五', idNumber: validCitizenId(), mobile: randomMobile(), password: TEST_PASSWORD });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ loginName: string }>().loginName).toMatch(/^zw[a-z0-9]{8}$/);
  });

  it('refuses an ID number with a wrong check character: 400 naming the field and the problem', async () => {
    const good = validCitizenId();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await register({ name: '王五', idNumber: bad, mobile: randomMobile(), password: TEST_PASSWORD });
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ code: string; errors: { field: string; message: string }[] }>();
    expect(problem.code).toBe('ZW_ERR_VALIDATION');
    expect(problem.errors).toEqual([{ field: 'idNumber', message: `公民身份号码校验位错误，应为 ${good[17]}` }]);
  });

  it('refuses an impossible birth date, a bad mobile and a weak password, each by name', async () => {
    const res = await register({ name: '王', idNumber: '110105190002290017', mobile: '12345', password: 'abc' });
    expect(res.statusCode).toBe(400);
    const errors = res.json<{ errors: { field: string; message: string }[] }>().errors;
    expect(errors.map((e) => e.field)).toEqual(['name', 'idNumber', 'mobile', 'password']);
    expect(errors.find((e) => e.field === 'idNumber')!.message).toContain('1900-02-29 不存在');
    expect(errors.find((e) => e.field === 'mobile')!.message).toBe('手机号码应为 11 位数字，以 13–19 开头');
    expect(errors.find((e) => e.field === 'password')!.message).toContain('密码至少需要 10 个字符');
  });

  it('a duplicate ID number is a 409 and leaves nothing half-written', async () => {
    const idNumber = validCitizenId();
    expect((await register({ name: '赵六', idNumber, mobile: randomMobile(), password: TEST_PASSWORD })).statusCode).toBe(201);
    const [accounts, people, audits] = [await count('identity.account'), await count('identity.person'), await count('audit.entry')];
    // The account row is inserted before the person row fails on the unique ID hash: the whole transaction rolls back.
    const res = await register({ name: '赵六', idNumber: idNumber.toLowerCase(), mobile: randomMobile(), loginName: 'zhaoliu.again', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string; errors: unknown[] }>()).toMatchObject({ code: 'ZW_ERR_DUPLICATE', errors: [{ field: 'idNumber' }] });
    expect(await count('identity.account')).toBe(accounts);
    expect(await count('identity.person')).toBe(people);
    expect(await count('audit.entry')).toBe(audits);
    const ghost = await sql`SELECT 1 FROM identity.account WHERE login_name = 'zhaoliu.again'`.execute(t.platform.db);
    expect(ghost.rows).toHaveLength(0);
  });

  it('duplicate login name and duplicate mobile are 409s naming their field', async () => {
    const mobile = randomMobile();
    expect((await register({ name: '钱七', idNumber: validCitizenId(), mobile, loginName: 'qianqi', password: TEST_PASSWORD })).statusCode).toBe(201);
    const byLogin = await register({ name: '钱七', idNumber: validCitizenId(), mobile: randomMobile(), loginName: 'QianQi', password: TEST_PASSWORD });
    expect(byLogin.statusCode).toBe(409);
    expect(byLogin.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('loginName');
    const byMobile = await register({ name: '钱七', idNumber: validCitizenId(), mobile: `+86 ${mobile}`, password: TEST_PASSWORD });
    expect(byMobile.statusCode).toBe(409);
    expect(byMobile.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('mobile');
  });

  it('the form shows the errors again with a summary naming each field in Chinese, keeping what was typed (not passwords)', async () => {
    const anon = await anonymousForm(t.app);
    const res = await postForm(t.app, '/register', anon, { name: '孙八', idNumber: '11010519491231002Y', mobile: '1380013800', loginName: '', password: TEST_PASSWORD, passwordConfirm: 'different-1A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('公民身份号码：');
    expect(res.body).toContain('手机号码：手机号码应为 11 位数字');
    expect(res.body).toContain('确认密码：两次输入的密码不一致');
    expect(res.body).toContain('value="孙八"');
    expect(res.body).not.toContain(TEST_PASSWORD);
  });

  it('the form registers and sends the citizen to sign in', async () => {
    const anon = await anonymousForm(t.app);
    const res = await postForm(t.app, '/register', anon, { name: '周九', idNumber: validCitizenId(), mobile: randomMobile(), loginName: 'zhoujiu', password: TEST_PASSWORD, passwordConfirm: TEST_PASSWORD });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login');
  });

  it('the JSON API is described in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, unknown> }>();
    for (const path of ['/api/auth/login', '/api/auth/logout', '/api/me', '/api/accounts/citizens', '/api/accounts/enterprises']) expect(doc.paths, path).toHaveProperty([path]);
    expect(doc.paths).not.toHaveProperty(['/login']); // pages are hidden from the API document
  });

  it('a form posted without the CSRF token is refused', async () => {
    const res = await postForm(t.app, '/register', { cookie: '', csrf: '' }, { name: '周九', idNumber: validCitizenId(), mobile: randomMobile(), password: TEST_PASSWORD });
    expect(res.statusCode).toBe(403);
  });

  describe('enterprises', () => {
    const uscc = (body: string) => {
      const first17 = `91420102${body}`;
      return first17 + usccCheckCharacter(first17);
    };
    const registerEnterprise = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/accounts/enterprises', remoteAddress: randomIp(), payload });

    it('registers with the USCC as login name; the legal representative ID is protected', async () => {
      const code = uscc('MA4K00027');
      const res = await registerEnterprise({ uscc: code.toLowerCase(), enterpriseName: '武汉测试有限公司', legalRepName: '吴十', legalRepIdNumber: validCitizenId(), password: TEST_PASSWORD });
      expect(res.statusCode).toBe(201);
      expect(res.json<{ loginName: string }>().loginName).toBe(code.toLowerCase());
      const again = await registerEnterprise({ uscc: code, enterpriseName: '武汉测试有限公司', legalRepName: '吴十', legalRepIdNumber: validCitizenId(), password: TEST_PASSWORD });
      expect(again.statusCode).toBe(409);
    });

    it('typed input with a wrong check character is refused (registry data would only warn)', async () => {
      const code = uscc('MA4K00035');
      const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
      const res = await registerEnterprise({ uscc: wrong, enterpriseName: '武汉测试有限公司', legalRepName: '吴十', legalRepIdNumber: validCitizenId(), password: TEST_PASSWORD });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ errors: { field: string; message: string }[] }>().errors).toEqual([{ field: 'uscc', message: expect.stringContaining('校验') as string }]);
    });
  });
});
