import crypto from 'node:crypto';
import { isAcceptable, validateCitizenId, type CitizenIdDetails } from '../../../platform/codes/validators.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { checkPasswordPolicy, type PasswordContext } from '../password-policy.ts';
import { isMobile, normalizeMobile } from '../personal-data.ts';

/** Reads one form/JSON field as a trimmed string ('' when missing or not a string). */
export function str(input: Record<string, unknown>, key: string): string {
  const v = input[key];
  return typeof v === 'string' ? v.normalize('NFKC').trim() : '';
}

/** Passwords are taken as typed (no trimming: a trailing space is part of the secret). */
export function secret(input: Record<string, unknown>, key: string): string {
  const v = input[key];
  return typeof v === 'string' ? v : '';
}

const PERSON_NAME = /^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z·•．. ]*$/u;

export function checkPersonName(name: string, field: string, label: string, errors: FieldError[]): void {
  if (!name) errors.push({ field, message: `请填写${label}` });
  else if ([...name].length < 2 || [...name].length > 30) errors.push({ field, message: `${label}应为 2–30 个字` });
  else if (!PERSON_NAME.test(name)) errors.push({ field, message: `${label}只能包含汉字、字母和间隔号“·”` });
}

/** GB 11643 ID number typed by a user: must be fully valid (DOMAIN.md §1.2 policy). */
export function checkIdNumber(value: string, field: string, errors: FieldError[]): { normalized: string; details: CitizenIdDetails } | null {
  const r = validateCitizenId(value);
  if (!isAcceptable(r, 'userInput') || !r.details) {
    errors.push({ field, message: r.message ?? '公民身份号码不正确' });
    return null;
  }
  return { normalized: r.normalized, details: r.details };
}

export function checkMobile(value: string, field: string, errors: FieldError[], required = true): string | null {
  if (!value) {
    if (required) errors.push({ field, message: '请填写手机号码' });
    return null;
  }
  const m = normalizeMobile(value);
  if (!isMobile(m)) {
    errors.push({ field, message: '手机号码应为 11 位数字，以 13–19 开头' });
    return null;
  }
  return m;
}

const LOGIN_NAME = /^[a-z][a-z0-9_.-]{3,31}$/;

export function checkLoginName(value: string, field: string, errors: FieldError[]): string | null {
  const v = value.toLowerCase();
  if (!v) {
    errors.push({ field, message: '请填写用户名' });
    return null;
  }
  if (!LOGIN_NAME.test(v)) {
    errors.push({ field, message: '用户名应为 4–32 位，以字母开头，只含字母、数字、下划线、点或连字符' });
    return null;
  }
  return v;
}

/** A login name for a citizen who did not choose one (they also sign in by mobile or ID number). */
export function generatedLoginName(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  let s = 'zw';
  for (let i = 0; i < 8; i++) s += alphabet[crypto.randomInt(alphabet.length)];
  return s;
}

export function checkNewPassword(
  password: string,
  confirm: string | null,
  context: PasswordContext,
  errors: FieldError[],
  fields: { password: string; confirm: string } = { password: 'password', confirm: 'passwordConfirm' },
): void {
  if (!password) {
    errors.push({ field: fields.password, message: '请设置密码' });
    return;
  }
  const problems = checkPasswordPolicy(password, context);
  if (problems.length > 0) errors.push({ field: fields.password, message: problems.join('；') });
  if (confirm !== null && confirm !== password) errors.push({ field: fields.confirm, message: '两次输入的密码不一致' });
}
