import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identifierCandidates, identifierForAudit, isMobile, normalizeMobile, protectIdNumber, protectMobile } from './personal-data.ts';
import { PersonalDataCipher } from './personal-data-cipher.ts';

describe('personal data', () => {
  const cipher = new PersonalDataCipher(crypto.randomBytes(32));

  it('stores ID numbers encrypted, hashed for lookup, and masked for display', () => {
    const p = protectIdNumber(cipher, ' 11010519491231002x ');
    expect(p.masked).toBe('110105********002X');
    expect(p.enc).not.toContain('110105');
    expect(p.hash).toBe(protectIdNumber(cipher, '11010519491231002X').hash); // normalised before hashing
  });

  it('stores mobiles the same way; +86, spaces and full-width digits normalise', () => {
    expect(normalizeMobile('+86 138-0013-8000')).toBe('13800138000');
    expect(normalizeMobile('１３８００１３８０００')).toBe('13800138000');
    expect(isMobile('13800138000')).toBe(true);
    expect(isMobile('12800138000')).toBe(false);
    expect(isMobile('1380013800')).toBe(false);
    const m = protectMobile(cipher, '13800138000');
    expect(m.masked).toBe('138****8000');
    expect(m.hash).toBe(protectMobile(cipher, '+8613800138000').hash);
  });

  it('reads a sign-in identifier as mobile, ID number or login name', () => {
    expect(identifierCandidates('13800138000').map((c) => c.kind)).toEqual(['mobile', 'loginName']);
    expect(identifierCandidates('11010519491231002x')).toEqual([
      { kind: 'idNumber', value: '11010519491231002X' },
      { kind: 'loginName', value: '11010519491231002x' },
    ]);
    expect(identifierCandidates(' ZhangSan ')).toEqual([{ kind: 'loginName', value: 'zhangsan' }]);
  });

  it('never writes a full identifier into the audit trail', () => {
    expect(identifierForAudit({ kind: 'idNumber', value: '11010519491231002X' })).toBe('110105********002X');
    expect(identifierForAudit({ kind: 'mobile', value: '13800138000' })).toBe('138****8000');
    expect(identifierForAudit({ kind: 'loginName', value: 'zhangsan' })).toBe('zhangsan');
  });
});
