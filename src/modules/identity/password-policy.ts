import crypto from 'node:crypto';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';

/**
 * Password rules [practice; GB/T 22239-2019 level 3 asks for complexity and periodic change]:
 * at least 10 characters, at least 3 of the 4 classes (upper case, lower case, digits,
 * symbols), not containing the login name, ID number or mobile, not a well-known password.
 * Messages are for people, in Chinese, one per broken rule.
 */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Passwords attackers try first (leaked-password top lists, keyboard walks, and the
 * documented demo password — it is published in the README, so no real account may use it).
 * Compared lower-cased.
 */
const COMMON_PASSWORDS = new Set(
  [
    '1234567890',
    '12345678910',
    '0123456789',
    '1qaz2wsx3edc',
    '1q2w3e4r5t',
    'qwertyuiop',
    'qwerty123456',
    'qwe123456789',
    'a1234567890',
    'aa1234567890',
    'abc1234567',
    'abcd123456',
    'abc123456789',
    'password123',
    'password1234',
    'password@123',
    'passw0rd123',
    'p@ssw0rd123',
    'p@ssword123',
    'admin@12345',
    'admin123456',
    'administrator',
    'woaini13141',
    'woaini1314520',
    'iloveyou123',
    '5201314520',
    'zxcvbnm123',
    'asdfghjkl123',
    'welcome@123',
    'changeme123',
    'huawei@123',
    'china@12345',
    'zhengwu@2026',
    'zhengwu@123',
    'hubei@12345',
    'wuhan@12345',
  ].map((p) => p.toLowerCase()),
);

export interface PasswordContext {
  loginName?: string | null | undefined;
  idNumber?: string | null | undefined;
  mobile?: string | null | undefined;
}

export function characterClasses(password: string): number {
  let n = 0;
  if (/[A-Z]/.test(password)) n++;
  if (/[a-z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

/** Every broken rule as a Chinese sentence; empty when the password is acceptable. */
export function checkPasswordPolicy(password: string, context: PasswordContext = {}): string[] {
  const problems: string[] = [];
  const lower = password.toLowerCase();
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push(`密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符`);
  if (password.length > MAX_PASSWORD_LENGTH) problems.push(`密码不能超过 ${MAX_PASSWORD_LENGTH} 个字符`);
  if (characterClasses(password) < 3) problems.push('密码需包含大写字母、小写字母、数字、符号中的至少 3 类');
  const login = context.loginName?.trim().toLowerCase();
  if (login && login.length >= 3 && lower.includes(login)) problems.push('密码不能包含用户名');
  const id = context.idNumber?.trim().toLowerCase();
  if (id && id.length >= 6 && lower.includes(id)) problems.push('密码不能包含身份证号码');
  const mobile = context.mobile?.trim();
  if (mobile && mobile.length >= 6 && lower.includes(mobile)) problems.push('密码不能包含手机号码');
  if (COMMON_PASSWORDS.has(lower)) problems.push('该密码过于常见，容易被猜到，请换一个');
  return problems;
}

/** A strong random password for accounts created by an administrator (shown once). */
export function generatePassword(): string {
  // No look-alike characters (0/O, 1/l/I) so it can be read out or copied by hand.
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#%+=?'];
  const all = sets.join('');
  const chars: string[] = sets.map((s) => s[crypto.randomInt(s.length)]!);
  while (chars.length < 16) chars.push(all[crypto.randomInt(all.length)]!);
  // Shuffle (Fisher–Yates) so the class order is not predictable.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
