import { describe, expect, it } from 'vitest';
import { hashClientSecret, newClientId, newClientSecret, verifyClientSecret } from './client-secret.ts';
import { validateClientInput } from './commands/validate-client.ts';
import { redirectUriProblem, splitRedirectUris } from './redirect-uri.ts';

describe('redirect URIs of department systems', () => {
  it('accepts https anywhere and http only on the loopback interface', () => {
    for (const ok of ['https://bdc.example.gov.cn/sso/callback', 'https://10.1.2.3:8443/cb?x=1', 'http://localhost:8080/cb', 'http://127.0.0.1/cb', 'http://[::1]:3000/cb']) {
      expect(redirectUriProblem(ok)).toBeNull();
    }
  });

  it('refuses anything else with a Chinese reason', () => {
    expect(redirectUriProblem('http://dept.example.gov.cn/cb')).toContain('必须使用 https');
    expect(redirectUriProblem('http://localhost.evil.example/cb')).toContain('必须使用 https');
    expect(redirectUriProblem('ftp://example.gov.cn/cb')).toContain('https://');
    expect(redirectUriProblem('javascript:alert(1)')).toContain('https://');
    expect(redirectUriProblem('not a url')).toContain('不能包含空格');
    expect(redirectUriProblem('example.gov.cn/cb')).toContain('不是有效的网址');
    expect(redirectUriProblem('https://example.gov.cn/cb#frag')).toContain('#');
    expect(redirectUriProblem('https://user:pw@example.gov.cn/cb')).toContain('用户名或密码');
    expect(redirectUriProblem('https://*.example.gov.cn/cb')).not.toBeNull();
    expect(redirectUriProblem(`https://example.gov.cn/${'a'.repeat(2000)}`)).toContain('2000');
  });

  it('splits a textarea by line and takes arrays as they are', () => {
    expect(splitRedirectUris(' https://a.example/cb \r\n\n https://b.example/cb ')).toEqual(['https://a.example/cb', 'https://b.example/cb']);
    expect(splitRedirectUris(['https://a.example/cb', ' '])).toEqual(['https://a.example/cb']);
    expect(splitRedirectUris(42)).toBeNull();
    expect(splitRedirectUris(['x', 1])).toBeNull();
  });
});

describe('client registration input', () => {
  it('names every refused field', () => {
    const { errors } = validateClientInput({ name: ' ', organisationName: '', redirectUris: '' });
    expect(errors.map((e) => e.field)).toEqual(['name', 'organisationName', 'redirectUris']);
    expect(errors.map((e) => e.message)).toEqual(['请填写系统名称', '请填写所属单位', '请至少填写一个回调地址']);
  });

  it('limits lengths and the number of redirect URIs', () => {
    const many = Array.from({ length: 11 }, (_, i) => `https://a.example/cb${i}`);
    const { errors } = validateClientInput({ name: '名'.repeat(61), organisationName: '单'.repeat(101), organisationId: 'x'.repeat(65), redirectUris: many });
    expect(errors.map((e) => e.field)).toEqual(['name', 'organisationName', 'organisationId', 'redirectUris']);
  });

  it('trims, removes duplicate redirect URIs and reads the consent checkbox', () => {
    const { value, errors } = validateClientInput({
      name: ' 不动产登记系统 ',
      organisationName: '江岸区自然资源和规划局',
      redirectUris: 'https://bdc.example.gov.cn/cb\nhttps://bdc.example.gov.cn/cb',
      requireConsent: '1',
    });
    expect(errors).toEqual([]);
    expect(value).toEqual({
      name: '不动产登记系统',
      organisationName: '江岸区自然资源和规划局',
      organisationId: null,
      redirectUris: ['https://bdc.example.gov.cn/cb'],
      requireConsent: true,
    });
    expect(validateClientInput({ requireConsent: undefined }).value.requireConsent).toBe(false);
    expect(validateClientInput({ requireConsent: true }).value.requireConsent).toBe(true);
  });
});

describe('client credentials', () => {
  it('generates distinct ids and 256-bit secrets', () => {
    expect(newClientId()).toMatch(/^zw-[0-9a-f]{24}$/);
    const a = newClientSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newClientSecret()).not.toBe(a);
  });

  it('stores a hash and verifies only the exact secret', () => {
    const secret = newClientSecret();
    const stored = hashClientSecret(secret);
    expect(stored).toMatch(/^sha256:/);
    expect(stored).not.toContain(secret);
    expect(verifyClientSecret(secret, stored)).toBe(true);
    expect(verifyClientSecret(`${secret}x`, stored)).toBe(false);
    expect(verifyClientSecret('', stored)).toBe(false);
    expect(verifyClientSecret(undefined, stored)).toBe(false);
    expect(verifyClientSecret(secret, undefined)).toBe(false);
    // A stored value that is not a hash (e.g. a plain secret) never matches.
    expect(verifyClientSecret(secret, secret)).toBe(false);
  });
});
