// Code validators (DOMAIN.md §1.2): citizen identity number, unified social credit code,
// organization code, administrative division code and e-licence identifier, plus display
// masks for personal data (§10.5).
//
// Policy (§1.2) [practice]: normalise (trim, drop spaces and hyphens, upper-case), then check
// format, components and check character. User input that fails is rejected; values from
// authoritative registries or old records are accepted with a warning when only the check
// character fails, because genuine codes failing their check exist (see `isAcceptable`).

import { seedCodeTable, type CodeTable } from './code-tables.ts';

export type ValidationStatus = 'valid' | 'invalidFormat' | 'invalidComponent' | 'invalidCheck';

/** Stable machine reason for a failed validation (never shown to users; `message` is). */
export type ValidationReason =
  | 'empty'
  | 'length'
  | 'charset'
  | 'legacyFormat'
  | 'birthDate'
  | 'birthDateInFuture'
  | 'unknownProvince'
  | 'countyWithoutPrefecture'
  | 'villageWithoutTownship'
  | 'root'
  | 'segments'
  | 'segmentFormat'
  | 'checkCharacter';

export interface CodeValidationResult<D = undefined> {
  status: ValidationStatus;
  /** The value after normalisation; store and compare this form. */
  normalized: string;
  /** Set when status is not `valid`. */
  reason?: ValidationReason;
  /** Chinese message for the user, set when status is not `valid`. */
  message?: string;
  /** The correct check character, set when status is `invalidCheck`. */
  expected?: string;
  /** Chinese notes that never reject the value (unknown category pair, retired address code …). */
  warnings: string[];
  /** Parsed components; present whenever format and components passed (valid or invalidCheck). */
  details?: D;
}

/** Where a value comes from: typed by a user, or taken from an authoritative registry / old record. */
export type ValueOrigin = 'userInput' | 'registry';

/**
 * Whether a value may be stored. User input must be fully valid; registry values and old records
 * are accepted when only the check character fails (§1.2 policy; e.g. `91350211M0000XUF46` is
 * found in real registration data), and the caller records `message` as a warning.
 */
export function isAcceptable(result: CodeValidationResult<unknown>, origin: ValueOrigin): boolean {
  if (result.status === 'valid') return true;
  return origin === 'registry' && result.status === 'invalidCheck';
}

// ---------------------------------------------------------------------------------------------
// Normalisation and shared helpers

const HYPHENS = /[-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const WHITESPACE = /\s/g;

/**
 * §1.2 normalisation: trim, drop spaces and hyphens, upper-case. NFKC first, so full-width input
 * from Chinese input methods (`１１０１…`, `Ｘ`) reads as ASCII.
 */
export function normalizeCode(value: string): string {
  return value.normalize('NFKC').replace(WHITESPACE, '').replace(HYPHENS, '').toUpperCase();
}

function fail<D>(
  status: Exclude<ValidationStatus, 'valid'>,
  normalized: string,
  reason: ValidationReason,
  message: string,
  extra: { expected?: string; warnings?: string[]; details?: D } = {},
): CodeValidationResult<D> {
  const result: CodeValidationResult<D> = { status, normalized, reason, message, warnings: extra.warnings ?? [] };
  if (extra.expected !== undefined) result.expected = extra.expected;
  if (extra.details !== undefined) result.details = extra.details;
  return result;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Today's civil date in Asia/Shanghai (UTC+8 all year; no daylight saving since 1991). */
export function todayInShanghai(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Citizen identity number (公民身份号码), GB 11643-1999 [law/standard]

const CITIZEN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const; // 2^(17−i) mod 11
const CITIZEN_CHECK = '10X98765432';

/** GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function citizenIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('citizenIdCheckCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * CITIZEN_WEIGHTS[i]!;
  return CITIZEN_CHECK[sum % 11]!;
}

export interface CitizenIdDetails {
  /** Positions 1–6: division code of household registration at the time of issue. */
  addressCode: string;
  /** Positions 7–14 as a civil date `YYYY-MM-DD`. */
  birthDate: string;
  /** Positions 15–17. */
  sequence: string;
  /** Odd sequence = male, even = female (GB 11643). */
  gender: 'male' | 'female';
  /** The same as a GB/T 2261.1 code: 1 male, 2 female. */
  genderCode: '1' | '2';
}

/** Status of an address code in the historical division table (see `CodeTable.status`). */
export type DivisionCodeStatus = 'valid' | 'retired' | 'notYetValid' | 'unknown';

export interface CitizenIdOptions {
  /** Civil date `YYYY-MM-DD` against which "birth date in the future" is judged; default today in Asia/Shanghai. */
  today?: string;
  /**
   * Looks the address code up in the historical division table. The address code is never
   * rejected by it, only warned about: retired codes stay in old numbers (§1.2.1) [practice].
   */
  divisionStatus?: (addressCode: string) => DivisionCodeStatus;
}

/** Validates an 18-digit citizen identity number (§1.2.1). */
export function validateCitizenId(value: string, options: CitizenIdOptions = {}): CodeValidationResult<CitizenIdDetails> {
  const normalized = normalizeCode(value);
  if (normalized === '') return fail('invalidFormat', normalized, 'empty', '请填写公民身份号码');
  if (/^\d{15}$/.test(normalized)) {
    return fail('invalidFormat', normalized, 'legacyFormat', '这是15位旧版身份号码，请填写18位公民身份号码');
  }
  if (normalized.length !== 18) {
    return fail('invalidFormat', normalized, 'length', `公民身份号码应为18位，当前为${normalized.length}位`);
  }
  if (!/^\d{17}[\dX]$/.test(normalized)) {
    return fail('invalidFormat', normalized, 'charset', '公民身份号码前17位应为数字，最后一位为数字或 X');
  }

  const year = Number(normalized.slice(6, 10));
  const month = Number(normalized.slice(10, 12));
  const day = Number(normalized.slice(12, 14));
  const birthDate = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  if (!isRealDate(year, month, day)) {
    return fail('invalidComponent', normalized, 'birthDate', `公民身份号码中的出生日期 ${birthDate} 不存在`);
  }
  const today = options.today ?? todayInShanghai();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`validateCitizenId: today '${today}' is not YYYY-MM-DD`);
  if (birthDate > today) {
    return fail('invalidComponent', normalized, 'birthDateInFuture', `公民身份号码中的出生日期 ${birthDate} 晚于今天`);
  }

  const addressCode = normalized.slice(0, 6);
  const sequence = normalized.slice(14, 17);
  const male = Number(sequence) % 2 === 1;
  const details: CitizenIdDetails = {
    addressCode,
    birthDate,
    sequence,
    gender: male ? 'male' : 'female',
    genderCode: male ? '1' : '2',
  };

  const warnings: string[] = [];
  const structure = validateDivisionCode(addressCode);
  if (structure.status !== 'valid') {
    warnings.push(`地址码 ${addressCode} 不符合行政区划代码结构，请核对`);
  } else if (options.divisionStatus) {
    const status = options.divisionStatus(addressCode);
    if (status === 'retired') warnings.push(`地址码 ${addressCode} 不是现行行政区划代码（已撤销的旧代码），号码仍可使用`);
    if (status === 'unknown' || status === 'notYetValid') warnings.push(`地址码 ${addressCode} 未在行政区划代码表中找到，请核对`);
  }

  const expected = citizenIdCheckCharacter(normalized.slice(0, 17));
  if (normalized[17] !== expected) {
    return fail('invalidCheck', normalized, 'checkCharacter', `公民身份号码校验位错误，应为 ${expected}`, {
      expected,
      warnings,
      details,
    });
  }
  return { status: 'valid', normalized, warnings, details };
}

export type UpgradeResult =
  | { ok: true; value: string }
  | { ok: false; reason: 'length' | 'charset' | 'birthDate'; message: string };

/**
 * Upgrades a legacy 15-digit number (6-digit address, `YYMMDD`, 3-digit sequence, no check
 * character) to 18 digits by inserting `19` before the year and appending the check character
 * (§1.2.1) [unverified].
 */
export function upgradeLegacyCitizenId(value: string): UpgradeResult {
  const normalized = normalizeCode(value);
  if (normalized.length !== 15) {
    return { ok: false, reason: 'length', message: `旧版身份号码应为15位，当前为${normalized.length}位` };
  }
  if (!/^\d{15}$/.test(normalized)) return { ok: false, reason: 'charset', message: '旧版身份号码应全部为数字' };
  const first17 = `${normalized.slice(0, 6)}19${normalized.slice(6)}`;
  if (!isRealDate(Number(first17.slice(6, 10)), Number(first17.slice(10, 12)), Number(first17.slice(12, 14)))) {
    return { ok: false, reason: 'birthDate', message: '旧版身份号码中的出生日期不存在' };
  }
  return { ok: true, value: first17 + citizenIdCheckCharacter(first17) };
}

// ---------------------------------------------------------------------------------------------
// Unified social credit code (统一社会信用代码), GB 32100-2015 [law/standard]

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // I O S V Z unused
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const; // 3^i mod 31

/** GB 32100 check character of the first 17 characters (upper case, from the 31-character set). */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new Error('usccCheckCharacter needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]!);
    if (v < 0) throw new Error(`usccCheckCharacter: '${first17[i]}' is not in the GB 32100 character set`);
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

export interface UsccDetails {
  /** Position 1: registration authority (登记管理部门). */
  authority: string;
  /** Position 2: category (机构类别) within the authority. */
  category: string;
  /** Whether positions 1–2 are a known pair in the authority/category table on the checked date. */
  pairKnown: boolean;
  authorityLabel?: string;
  categoryLabel?: string;
  /** Positions 3–8: division code of the registration authority. */
  divisionCode: string;
  /** Positions 9–17: entity identifier = organization code (GB 11714). */
  organizationCode: string;
  /** Whether positions 9–17 pass the GB 11714 check (warning only when not). */
  organizationCodeValid: boolean;
}

export interface UsccOptions {
  /** Date for the versioned authority/category table; default today in Asia/Shanghai. */
  onDate?: string;
  /** Authority/category table; default the seed `USCC_AUTHORITY_CATEGORY` table. */
  categoryTable?: CodeTable;
}

let defaultUsccTable: CodeTable | undefined;

/** Validates an 18-character unified social credit code (§1.2.2). */
export function validateUscc(value: string, options: UsccOptions = {}): CodeValidationResult<UsccDetails> {
  const normalized = normalizeCode(value);
  if (normalized === '') return fail('invalidFormat', normalized, 'empty', '请填写统一社会信用代码');
  if (normalized.length !== 18) {
    return fail('invalidFormat', normalized, 'length', `统一社会信用代码应为18位，当前为${normalized.length}位`);
  }
  const bad = [...normalized].find((c) => !USCC_CHARSET.includes(c));
  if (bad !== undefined) {
    return fail(
      'invalidFormat',
      normalized,
      'charset',
      `统一社会信用代码含有不允许的字符“${bad}”（只使用数字和除 I、O、S、V、Z 以外的大写字母）`,
    );
  }

  const table = options.categoryTable ?? (defaultUsccTable ??= seedCodeTable('USCC_AUTHORITY_CATEGORY'));
  const onDate = options.onDate ?? todayInShanghai();
  const authority = normalized[0]!;
  const category = normalized[1]!;
  const authorityEntry = table.lookup(authority, onDate);
  const pairEntry = table.lookup(authority + category, onDate);
  const organizationCode = normalized.slice(8, 17);
  const details: UsccDetails = {
    authority,
    category,
    pairKnown: pairEntry !== undefined && pairEntry.parentCode === authority,
    divisionCode: normalized.slice(2, 8),
    organizationCode,
    organizationCodeValid: validateOrganizationCode(organizationCode).status === 'valid',
  };
  if (authorityEntry) details.authorityLabel = authorityEntry.label;
  if (pairEntry) details.categoryLabel = pairEntry.label;

  // Positions 1–2 are checked as a pair; an unknown pair is a warning only, because allocations
  // are added over time (§1.2.2) [practice]. Positions 3–17 likewise only warn.
  const warnings: string[] = [];
  if (!details.pairKnown) {
    warnings.push(`登记管理部门代码“${authority}”与机构类别代码“${category}”的组合不在代码表中，请核对`);
  }
  if (validateDivisionCode(details.divisionCode).status !== 'valid') {
    warnings.push(`第3–8位 ${details.divisionCode} 不符合行政区划代码结构，请核对`);
  }
  if (!details.organizationCodeValid) {
    warnings.push('第9–17位（主体标识码）不符合组织机构代码校验规则，请核对');
  }

  const expected = usccCheckCharacter(normalized.slice(0, 17));
  if (normalized[17] !== expected) {
    return fail('invalidCheck', normalized, 'checkCharacter', `统一社会信用代码校验位错误，应为 ${expected}`, {
      expected,
      warnings,
      details,
    });
  }
  return { status: 'valid', normalized, warnings, details };
}

// ---------------------------------------------------------------------------------------------
// Organization code (组织机构代码), GB 11714 [law/standard]

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

function alnumValue(c: string): number {
  return c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55; // A = 10 … Z = 35
}

/** GB 11714 check character of the eight body characters (digits or upper-case letters). */
export function organizationCodeCheckCharacter(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new Error('organizationCodeCheckCharacter needs 8 digits or upper-case letters');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += alnumValue(body[i]!) * ORG_WEIGHTS[i]!;
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

export interface OrganizationCodeDetails {
  /** The usual display form `XXXXXXXX-X`. */
  display: string;
}

/** Validates a 9-character organization code, with or without the hyphen (§1.2.3). */
export function validateOrganizationCode(value: string): CodeValidationResult<OrganizationCodeDetails> {
  const normalized = normalizeCode(value);
  if (normalized === '') return fail('invalidFormat', normalized, 'empty', '请填写组织机构代码');
  if (normalized.length !== 9) {
    return fail('invalidFormat', normalized, 'length', `组织机构代码应为9位（不含连字符），当前为${normalized.length}位`);
  }
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(normalized)) {
    return fail('invalidFormat', normalized, 'charset', '组织机构代码前8位应为数字或大写字母，最后一位为数字或 X');
  }
  const details = { display: `${normalized.slice(0, 8)}-${normalized[8]}` };
  const expected = organizationCodeCheckCharacter(normalized.slice(0, 8));
  if (normalized[8] !== expected) {
    return fail('invalidCheck', normalized, 'checkCharacter', `组织机构代码校验位错误，应为 ${expected}`, {
      expected,
      details,
    });
  }
  return { status: 'valid', normalized, warnings: [], details };
}

// ---------------------------------------------------------------------------------------------
// Administrative division code (行政区划代码), GB/T 2260 [law/standard]; township digits
// GB/T 10114-2003 and village digits as in the NBS statistical code.

/** Province-level codes of GB/T 2260 (incl. Taiwan 71, Hong Kong 81, Macao 82). */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

export type DivisionLevel = 'province' | 'prefecture' | 'county' | 'township' | 'village';

export interface DivisionCodeDetails {
  /** Level read from the structure only; type and existence come from the versioned code table. */
  level: DivisionLevel;
  provinceCode: string;
  /** Digits 3–4, when the code has them. */
  prefecturePart?: string;
  /** Digits 3–4 are `90`: the aggregate of county-level units directly under the province. */
  underProvinceAggregate: boolean;
  /** The code padded with zeros to the 12-digit statistical form. */
  padded12: string;
}

const DIVISION_LENGTHS = new Set([2, 4, 6, 9, 12]);

/**
 * Structural check of a division code of 2, 4, 6 (GB/T 2260), 9 (township) or 12 (village,
 * NBS statistical code) digits (§1.2.4). Trailing zero groups are padding (`420000` = province).
 * The ranges of §1.2.4 never decide a code's type: the result only says the level by structure;
 * existence and type come from the versioned code table.
 */
export function validateDivisionCode(value: string): CodeValidationResult<DivisionCodeDetails> {
  const normalized = normalizeCode(value);
  if (normalized === '') return fail('invalidFormat', normalized, 'empty', '请填写行政区划代码');
  if (!/^\d+$/.test(normalized)) return fail('invalidFormat', normalized, 'charset', '行政区划代码应全部为数字');
  if (!DIVISION_LENGTHS.has(normalized.length)) {
    return fail('invalidFormat', normalized, 'length', `行政区划代码应为2、4、6、9或12位，当前为${normalized.length}位`);
  }

  const padded12 = normalized.padEnd(12, '0');
  const province = padded12.slice(0, 2);
  const prefecture = padded12.slice(2, 4);
  const county = padded12.slice(4, 6);
  const township = padded12.slice(6, 9);
  const village = padded12.slice(9, 12);

  if (!PROVINCE_CODES.has(province)) {
    return fail('invalidComponent', normalized, 'unknownProvince', `行政区划代码的省级代码“${province}”不存在`);
  }
  // `00` in digits 3–4 with anything below it is malformed (§1.2.4) [law/standard]. County `00`
  // with a township below is allowed: prefecture-level cities without counties (e.g. Dongguan
  // 441900) code their towns directly.
  if (prefecture === '00' && (county !== '00' || township !== '000' || village !== '000')) {
    return fail('invalidComponent', normalized, 'countyWithoutPrefecture', '行政区划代码结构错误：地级代码为00时其下各级代码也应为0');
  }
  if (township === '000' && village !== '000') {
    return fail('invalidComponent', normalized, 'villageWithoutTownship', '行政区划代码结构错误：村级代码须在乡级代码之下');
  }

  const level: DivisionLevel =
    village !== '000' ? 'village'
    : township !== '000' ? 'township'
    : county !== '00' ? 'county'
    : prefecture !== '00' ? 'prefecture'
    : 'province';
  const details: DivisionCodeDetails = {
    level,
    provinceCode: province,
    underProvinceAggregate: prefecture === '90',
    padded12,
  };
  if (normalized.length >= 4) details.prefecturePart = prefecture;
  return { status: 'valid', normalized, warnings: [], details };
}

// ---------------------------------------------------------------------------------------------
// E-licence identifier (电子证照标识), check character ISO 7064 MOD 37,36.
// Structure [unverified — Hubei access guide (draft), not compared with GB/T 36904-2018, §12]:
// 1.2.156.3005.2 . <type code> . <issuer code> . <serial> . <version> . <check>

export const E_LICENCE_ROOT = '1.2.156.3005.2';
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** ISO 7064 MOD 37,36 check character of an alphanumeric string (as in §1.2.5). */
export function mod37_36CheckCharacter(input: string): string {
  let p = 36;
  for (const c of input.toUpperCase()) {
    const v = ALNUM.indexOf(c);
    if (v < 0) throw new Error(`mod37_36CheckCharacter: '${c}' is not 0–9 or A–Z`);
    p = (p + v) % 36;
    if (p === 0) p = 36;
    p = (2 * p) % 37;
  }
  return ALNUM[(37 - p) % 36]!;
}

export interface ELicenceIdDetails {
  /** 18-character USCC of the authority defining the licence type + 3-digit sequence. */
  typeCode: string;
  typeAuthorityUscc: string;
  typeSequence: string;
  /** Usually the issuer's USCC, sometimes a division code: no length check. */
  issuerCode: string;
  serial: string;
  version: string;
}

/** Validates an e-licence identifier (§1.2.5); check failures are warn-only on import (`isAcceptable`). */
export function validateELicenceId(value: string): CodeValidationResult<ELicenceIdDetails> {
  const normalized = normalizeCode(value);
  if (normalized === '') return fail('invalidFormat', normalized, 'empty', '请填写电子证照标识');
  if (!normalized.startsWith(`${E_LICENCE_ROOT}.`)) {
    return fail('invalidFormat', normalized, 'root', `电子证照标识应以 ${E_LICENCE_ROOT} 开头`);
  }
  const segments = normalized.slice(E_LICENCE_ROOT.length + 1).split('.');
  if (segments.length !== 5) {
    return fail('invalidFormat', normalized, 'segments', '电子证照标识应由类型代码、颁发机构代码、流水号、版本号和校验位五段组成');
  }
  const [typeCode, issuerCode, serial, version, check] = segments as [string, string, string, string, string];
  if (!/^[0-9A-Z]{18}\d{3}$/.test(typeCode)) {
    return fail('invalidFormat', normalized, 'segmentFormat', '电子证照类型代码应为18位统一社会信用代码加3位数字');
  }
  if (!/^[0-9A-Z]+$/.test(issuerCode) || !/^[0-9A-Z]+$/.test(serial)) {
    return fail('invalidFormat', normalized, 'segmentFormat', '电子证照颁发机构代码和流水号只能包含数字和大写字母');
  }
  if (!/^\d{3}$/.test(version)) return fail('invalidFormat', normalized, 'segmentFormat', '电子证照版本号应为3位数字');
  if (!/^[0-9A-Z]$/.test(check)) return fail('invalidFormat', normalized, 'segmentFormat', '电子证照校验位应为一位数字或大写字母');

  const details: ELicenceIdDetails = {
    typeCode,
    typeAuthorityUscc: typeCode.slice(0, 18),
    typeSequence: typeCode.slice(18),
    issuerCode,
    serial,
    version,
  };
  const warnings: string[] = [];
  if (validateUscc(details.typeAuthorityUscc).status !== 'valid') {
    warnings.push('证照类型代码中的统一社会信用代码未通过校验，请核对');
  }
  if (issuerCode.length === 18 && validateUscc(issuerCode).status !== 'valid') {
    warnings.push('颁发机构代码（统一社会信用代码）未通过校验，请核对');
  }

  const expected = mod37_36CheckCharacter(typeCode + issuerCode + serial + version);
  if (check !== expected) {
    return fail('invalidCheck', normalized, 'checkCharacter', `电子证照标识校验位错误，应为 ${expected}`, {
      expected,
      warnings,
      details,
    });
  }
  return { status: 'valid', normalized, warnings, details };
}

// ---------------------------------------------------------------------------------------------
// Display masks (§10.5) [practice]: personal data is shown masked except to roles that need it.

function maskMiddle(chars: string[], keepStart: number, keepEnd: number): string {
  if (chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return chars.slice(0, keepStart).join('') + '*'.repeat(chars.length - keepStart - keepEnd) + chars.slice(-keepEnd).join('');
}

/** `11010519491231002X` → `110105********002X`: first 6 and last 4 kept; short values fully masked. */
export function maskCitizenId(value: string): string {
  return maskMiddle([...normalizeCode(value)], 6, 4);
}

/** `13812341234` → `138****1234`: first 3 and last 4 digits kept; a `+86`/`86` prefix is dropped. */
export function maskMobile(value: string): string {
  let digits = value.normalize('NFKC').replace(/[\s\-()]/g, '');
  const mainland = /^(?:\+?86)?(1\d{10})$/.exec(digits);
  if (mainland) digits = mainland[1]!;
  return maskMiddle([...digits], 3, 4);
}

// Compound surnames (复姓) kept whole when masking, so 欧阳娜娜 → 欧阳**.
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒',
  '夏侯', '轩辕', '令狐', '端木', '独孤', '南宫', '西门', '百里', '呼延', '万俟', '澹台', '公冶',
  '太史', '申屠', '闻人', '赫连', '濮阳', '钟离', '宗政', '拓跋', '淳于', '单于', '太叔', '仲孙',
  '鲜于', '闾丘', '司空', '司寇', '子车', '颛孙', '公良', '漆雕', '乐正', '谷梁', '左丘', '第五',
]);

/** `张三` → `张*`, `欧阳娜娜` → `欧阳**`: the surname is kept (a compound one when the name has ≥ 3 characters). */
export function maskName(value: string): string {
  const chars = [...value.normalize('NFKC').trim()];
  if (chars.length <= 1) return '*'.repeat(chars.length);
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}
