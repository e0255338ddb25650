import { describe, expect, it } from 'vitest';
import { characterClasses, checkPasswordPolicy, generatePassword, MIN_PASSWORD_LENGTH } from './password-policy.ts';

describe('password policy', () => {
  it('accepts a long password with three classes', () => {
    expect(checkPasswordPolicy('Correct-horse7')).toEqual([]);
    expect(checkPasswordPolicy('correct horse 7 battery')).toEqual([]); // lower, digit, symbol (space)
  });

  it('needs at least 10 characters, counting Chinese characters as one each', () => {
    expect(checkPasswordPolicy('Ab1!Ab1!a')).toEqual([`密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符`]);
    expect(checkPasswordPolicy('Ab1!Ab1!ab')).toEqual([]);
    expect(checkPasswordPolicy('政务服务Ab12')).toEqual(['密码至少需要 10 个字符']);
  });

  it('needs three of upper, lower, digit, symbol', () => {
    expect(characterClasses('abcdefghij')).toBe(1);
    expect(characterClasses('abcdeFGHIJ')).toBe(2);
    expect(characterClasses('abcdeFGHI1')).toBe(3);
    expect(characterClasses('abcdeFGH1!')).toBe(4);
    expect(checkPasswordPolicy('abcdefgh12')).toEqual(['密码需包含大写字母、小写字母、数字、符号中的至少 3 类']);
  });

  it('refuses the login name, the ID number and the mobile inside the password, ignoring case', () => {
    expect(checkPasswordPolicy('Zhangsan-2024!', { loginName: 'zhangsan' })).toContain('密码不能包含用户名');
    expect(checkPasswordPolicy('a420102199003071232', { idNumber: '420102199003071232' })).toContain('密码不能包含身份证号码');
    expect(checkPasswordPolicy('x11010519491231002x!', { idNumber: '11010519491231002X' })).toContain('密码不能包含身份证号码');
    expect(checkPasswordPolicy('Tel13800138000', { mobile: '13800138000' })).toContain('密码不能包含手机号码');
    expect(checkPasswordPolicy('Abc-defgh-1', { loginName: 'ab' })).toEqual([]); // too short a name to matter
  });

  it('refuses common passwords and the published demo password', () => {
    expect(checkPasswordPolicy('P@ssw0rd123')).toEqual(['该密码过于常见，容易被猜到，请换一个']);
    expect(checkPasswordPolicy('Zhengwu@2026')).toEqual(['该密码过于常见，容易被猜到，请换一个']);
  });

  it('names every broken rule', () => {
    expect(checkPasswordPolicy('abc', { loginName: 'abc' })).toEqual(['密码至少需要 10 个字符', '密码需包含大写字母、小写字母、数字、符号中的至少 3 类', '密码不能包含用户名']);
  });

  it('generates passwords that pass the policy', () => {
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toHaveLength(16);
      expect(checkPasswordPolicy(p)).toEqual([]);
      expect(p).not.toMatch(/[0O1lI]/);
    }
  });
});
