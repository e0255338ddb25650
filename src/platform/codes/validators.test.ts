import { describe, expect, it } from 'vitest';

import { CodeTable } from './code-tables.ts';
import {
  citizenIdCheckCharacter,
  isAcceptable,
  maskCitizenId,
  maskMobile,
  maskName,
  mod37_36CheckCharacter,
  normalizeCode,
  organizationCodeCheckCharacter,
  todayInShanghai,
  upgradeLegacyCitizenId,
  usccCheckCharacter,
  validateCitizenId,
  validateDivisionCode,
  validateELicenceId,
  validateOrganizationCode,
  validateUscc,
} from './validators.ts';

const TODAY = '2025-09-29';

describe('normalizeCode (§1.2 policy)', () => {
  it('trims, drops spaces and hyphens, upper-cases', () => {
    expect(normalizeCode('  1101 0519-4912 3100 2x ')).toBe('11010519491231002X');
  });
  it('reads full-width input from Chinese input methods as ASCII', () => {
    expect(normalizeCode('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
    expect(normalizeCode('10162374－1')).toBe('101623741');
  });
});

describe('validateCitizenId — DOMAIN.md §1.2.1 examples', () => {
  it.each([
    ['11010519491231002X', '1949-12-31', 'female'],
    ['11010119900307803X', '1990-03-07', 'male'],
    ['110105200002290013', '2000-02-29', 'male'],
  ] as const)('%s is valid', (value, birthDate, gender) => {
    const r = validateCitizenId(value, { today: TODAY });
    expect(r.status).toBe('valid');
    expect(r.warnings).toEqual([]);
    expect(r.details?.birthDate).toBe(birthDate);
    expect(r.details?.gender).toBe(gender);
  });

  it('440524188001010014: check character valid, retired address code → warning, not rejected', () => {
    // Fixture history (dates are fixture values, not the official ones): 440524 closed, replaced.
    const history = new CodeTable({
      id: 'DIVISION_FIXTURE',
      name: 'fixture',
      source: 'test',
      tag: 'unverified',
      version: '1',
      hierarchical: false,
      entries: [
        { code: '440524', label: '旧县', validFrom: '1970-01-01', validTo: '2003-01-01', replacedBy: '440513' },
        { code: '440513', label: '新区', validFrom: '2003-01-01' },
      ],
    });
    const r = validateCitizenId('440524188001010014', {
      today: TODAY,
      divisionStatus: (code) => history.status(code, TODAY),
    });
    expect(r.status).toBe('valid');
    expect(r.details?.birthDate).toBe('1880-01-01');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('440524');
    expect(isAcceptable(r, 'userInput')).toBe(true);
  });

  it('440524188001010014 without a division lookup is valid with no warning', () => {
    expect(validateCitizenId('440524188001010014', { today: TODAY })).toMatchObject({ status: 'valid', warnings: [] });
  });

  it('110105194912310021 is invalidCheck, expected X', () => {
    const r = validateCitizenId('110105194912310021', { today: TODAY });
    expect(r).toMatchObject({ status: 'invalidCheck', reason: 'checkCharacter', expected: 'X' });
    expect(r.message).toBe('公民身份号码校验位错误，应为 X');
    expect(isAcceptable(r, 'userInput')).toBe(false);
    expect(isAcceptable(r, 'registry')).toBe(true);
  });

  it('110105190002290017: check character right but 1900-02-29 does not exist → invalidComponent', () => {
    expect(citizenIdCheckCharacter('11010519000229001')).toBe('7');
    const r = validateCitizenId('110105190002290017', { today: TODAY });
    expect(r).toMatchObject({ status: 'invalidComponent', reason: 'birthDate' });
    expect(r.message).toContain('1900-02-29');
    expect(isAcceptable(r, 'registry')).toBe(false);
  });
});

describe('validateCitizenId — other rules', () => {
  it('accepts lower-case x, spaces and hyphens', () => {
    const r = validateCitizenId(' 110105-19491231-002x ', { today: TODAY });
    expect(r).toMatchObject({ status: 'valid', normalized: '11010519491231002X' });
  });

  it('rejects a birth date after today (Asia/Shanghai civil date)', () => {
    const first17 = '11010520251001001';
    const value = first17 + citizenIdCheckCharacter(first17);
    expect(validateCitizenId(value, { today: '2025-09-30' })).toMatchObject({
      status: 'invalidComponent',
      reason: 'birthDateInFuture',
    });
    expect(validateCitizenId(value, { today: '2025-10-01' }).status).toBe('valid');
  });

  it('reads the gender from the sequence code: odd male, even female', () => {
    const r = validateCitizenId('110105200002290013', { today: TODAY });
    expect(r.details).toMatchObject({ sequence: '001', gender: 'male', genderCode: '1' });
    expect(validateCitizenId('11010519491231002X', { today: TODAY }).details?.genderCode).toBe('2');
  });

  it('warns on an address code that is not a division code structure', () => {
    const first17 = '99010519491231002';
    const r = validateCitizenId(first17 + citizenIdCheckCharacter(first17), { today: TODAY });
    expect(r.status).toBe('valid');
    expect(r.warnings).toHaveLength(1);
  });

  it.each([
    ['', 'invalidFormat', 'empty'],
    ['   ', 'invalidFormat', 'empty'],
    ['1101051949123100', 'invalidFormat', 'length'],
    ['11010519491231002X1', 'invalidFormat', 'length'],
    ['1'.repeat(1000), 'invalidFormat', 'length'],
    ['1101051949123100XX', 'invalidFormat', 'charset'],
    ['11010519491231002Y', 'invalidFormat', 'charset'],
    ['110105491231002', 'invalidFormat', 'legacyFormat'],
    ['110105194913310027', 'invalidComponent', 'birthDate'],
  ] as const)('%j → %s (%s)', (value, status, reason) => {
    const r = validateCitizenId(value, { today: TODAY });
    expect(r).toMatchObject({ status, reason });
    expect(r.message).toMatch(/\p{Script=Han}/u);
  });

  it('defaults "today" to the civil date in Asia/Shanghai', () => {
    expect(todayInShanghai(new Date('2025-09-30T16:30:00Z'))).toBe('2025-10-01');
    expect(todayInShanghai(new Date('2025-09-30T15:59:59Z'))).toBe('2025-09-30');
  });
});

describe('upgradeLegacyCitizenId', () => {
  it('inserts 19 before the year and appends the check character', () => {
    // 110105491231002 → 11010519491231002 + X, the valid example of §1.2.1.
    expect(upgradeLegacyCitizenId('110105491231002')).toEqual({ ok: true, value: '11010519491231002X' });
    const upgraded = upgradeLegacyCitizenId('110105 491231 002');
    expect(upgraded.ok && validateCitizenId(upgraded.value, { today: TODAY }).status).toBe('valid');
  });
  it('refuses what is not a 15-digit number with a real date', () => {
    expect(upgradeLegacyCitizenId('11010519491231002X')).toMatchObject({ ok: false, reason: 'length' });
    expect(upgradeLegacyCitizenId('11010549123100A')).toMatchObject({ ok: false, reason: 'charset' });
    expect(upgradeLegacyCitizenId('110105000229001')).toMatchObject({ ok: false, reason: 'birthDate' }); // 1900-02-29
  });
});

describe('validateUscc — DOMAIN.md §1.2.2 examples', () => {
  it('91350100M000100Y43 is valid (organization code part M000100Y-4 valid)', () => {
    const r = validateUscc('91350100M000100Y43', { onDate: TODAY });
    expect(r).toMatchObject({ status: 'valid', warnings: [] });
    expect(r.details).toMatchObject({ organizationCode: 'M000100Y4', organizationCodeValid: true, pairKnown: true });
    expect(validateOrganizationCode('M000100Y-4').status).toBe('valid');
  });

  it('91110000101623741K is valid (organization code part 10162374-1 valid)', () => {
    const r = validateUscc('91110000101623741K', { onDate: TODAY });
    expect(r).toMatchObject({ status: 'valid', warnings: [] });
    expect(r.details).toMatchObject({ organizationCode: '101623741', organizationCodeValid: true });
  });

  it('911101066976941872 is valid', () => {
    expect(validateUscc('911101066976941872', { onDate: TODAY })).toMatchObject({ status: 'valid', warnings: [] });
  });

  it('11341702486344515H is valid (category 11, an organ)', () => {
    const r = validateUscc('11341702486344515H', { onDate: TODAY });
    expect(r).toMatchObject({ status: 'valid', warnings: [] });
    expect(r.details).toMatchObject({
      authority: '1',
      category: '1',
      authorityLabel: '机构编制',
      categoryLabel: '机关',
      divisionCode: '341702',
    });
  });

  it('91350100M000100Y44 is invalidCheck, expected 3', () => {
    const r = validateUscc('91350100M000100Y44', { onDate: TODAY });
    expect(r).toMatchObject({ status: 'invalidCheck', reason: 'checkCharacter', expected: '3' });
    expect(r.message).toBe('统一社会信用代码校验位错误，应为 3');
  });

  it('9111000010162374IK is invalidFormat (I not in the character set)', () => {
    const r = validateUscc('9111000010162374IK', { onDate: TODAY });
    expect(r).toMatchObject({ status: 'invalidFormat', reason: 'charset' });
    expect(r.message).toContain('I');
  });

  it('91350211M0000XUF46 is invalidCheck (expected R), accepted from a registry with a warning', () => {
    const r = validateUscc('91350211M0000XUF46', { onDate: TODAY });
    expect(r).toMatchObject({ status: 'invalidCheck', expected: 'R' });
    expect(isAcceptable(r, 'registry')).toBe(true);
    expect(isAcceptable(r, 'userInput')).toBe(false);
  });
});

describe('validateUscc — other rules', () => {
  it('normalises lower case, spaces and hyphens', () => {
    expect(validateUscc(' 9135-0100-m000-100y-43 ', { onDate: TODAY })).toMatchObject({
      status: 'valid',
      normalized: '91350100M000100Y43',
    });
  });

  it('an unknown authority/category pair is a warning only', () => {
    const first17 = '94350100M000100Y4'; // authority 9 has categories 1–3 only
    const r = validateUscc(first17 + usccCheckCharacter(first17), { onDate: TODAY });
    expect(r.status).toBe('valid');
    expect(r.details?.pairKnown).toBe(false);
    expect(r.warnings).toHaveLength(1);
  });

  it('positions 9–17 failing the organization-code check is a warning only', () => {
    const first17 = '91350100M000100Y5';
    const r = validateUscc(first17 + usccCheckCharacter(first17), { onDate: TODAY });
    expect(r.status).toBe('valid');
    expect(r.details?.organizationCodeValid).toBe(false);
    expect(r.warnings).toHaveLength(1);
  });

  it.each([
    ['', 'empty'],
    ['91350100M000100Y4', 'length'],
    ['91350100M000100Y433', 'length'],
    ['X'.repeat(500), 'length'],
    ['91350100M000100O43', 'charset'],
  ] as const)('%j → invalidFormat (%s)', (value, reason) => {
    expect(validateUscc(value, { onDate: TODAY })).toMatchObject({ status: 'invalidFormat', reason });
  });
});

describe('validateOrganizationCode — DOMAIN.md §1.2.3 examples', () => {
  it.each(['10162374-1', '69769418-7', '00001434-9'])('%s is valid', (value) => {
    const r = validateOrganizationCode(value);
    expect(r.status).toBe('valid');
    expect(r.details?.display).toBe(value);
  });

  it('10162374-2 is invalidCheck, expected 1', () => {
    const r = validateOrganizationCode('10162374-2');
    expect(r).toMatchObject({ status: 'invalidCheck', expected: '1', normalized: '101623742' });
    expect(r.message).toBe('组织机构代码校验位错误，应为 1');
  });

  it('computes X and 0 check characters', () => {
    // r = 10 → X, r = 11 → 0 (§1.2.3)
    const bodies = Array.from({ length: 200 }, (_, i) => String(10000000 + i * 7919).slice(0, 8));
    const checks = new Set(bodies.map(organizationCodeCheckCharacter));
    expect(checks).toContain('X');
    expect(checks).toContain('0');
    for (const body of bodies) expect(validateOrganizationCode(body + organizationCodeCheckCharacter(body)).status).toBe('valid');
  });

  it.each([
    ['', 'empty'],
    ['10162374', 'length'],
    ['10162374-12', 'length'],
    ['1016237a-1', 'valid'],
    ['10162374-A', 'charset'],
    ['1016_374-1', 'charset'],
  ] as const)('%j → %s', (value, reason) => {
    const r = validateOrganizationCode(value);
    if (reason === 'valid') expect(r.status).not.toBe('invalidFormat');
    else expect(r).toMatchObject({ status: 'invalidFormat', reason });
  });
});

describe('validateDivisionCode — DOMAIN.md §1.2.4 examples', () => {
  it('420000 / 420100 are province / prefecture', () => {
    expect(validateDivisionCode('420000')).toMatchObject({ status: 'valid', details: { level: 'province' } });
    expect(validateDivisionCode('420100')).toMatchObject({ status: 'valid', details: { level: 'prefecture' } });
  });

  it('429004 is county level directly under the province (prefecture part 90)', () => {
    expect(validateDivisionCode('429004')).toMatchObject({
      status: 'valid',
      details: { level: 'county', prefecturePart: '90', underProvinceAggregate: true },
    });
  });

  it.each(['420281', '500151'])('%s is county level; its type comes only from the code table', (value) => {
    const r = validateDivisionCode(value);
    expect(r).toMatchObject({ status: 'valid', details: { level: 'county', underProvinceAggregate: false } });
    expect(Object.keys(r.details ?? {})).not.toContain('type');
  });

  it('420010 is malformed (county part without prefecture part)', () => {
    const r = validateDivisionCode('420010');
    expect(r).toMatchObject({ status: 'invalidComponent', reason: 'countyWithoutPrefecture' });
    expect(r.message).toBeTruthy();
  });

  it('990000 is an unknown province', () => {
    expect(validateDivisionCode('990000')).toMatchObject({ status: 'invalidComponent', reason: 'unknownProvince' });
  });
});

describe('validateDivisionCode — 2/4/9/12-digit forms', () => {
  it.each([
    ['42', 'province'],
    ['4201', 'prefecture'],
    ['420102', 'county'],
    ['420102001', 'township'],
    ['420102001001', 'village'],
    ['420102000000', 'county'],
    ['420000000000', 'province'],
    ['441900003', 'township'], // Dongguan: towns directly under a prefecture-level city
  ] as const)('%s → %s', (value, level) => {
    expect(validateDivisionCode(value)).toMatchObject({ status: 'valid', details: { level } });
  });

  it('never types a township or village by range (e.g. 400–599 farms are still townships)', () => {
    expect(validateDivisionCode('420102450')).toMatchObject({ status: 'valid', details: { level: 'township' } });
    expect(validateDivisionCode('420102450399')).toMatchObject({ status: 'valid', details: { level: 'village' } });
  });

  it.each([
    ['', 'invalidFormat', 'empty'],
    ['4201020', 'invalidFormat', 'length'],
    ['4201020010011', 'invalidFormat', 'length'],
    ['42010A', 'invalidFormat', 'charset'],
    ['420102000001', 'invalidComponent', 'villageWithoutTownship'],
    ['420000001', 'invalidComponent', 'countyWithoutPrefecture'],
  ] as const)('%j → %s (%s)', (value, status, reason) => {
    expect(validateDivisionCode(value)).toMatchObject({ status, reason });
  });

  it('normalises spaces and hyphens', () => {
    expect(validateDivisionCode(' 42-01-00 ')).toMatchObject({ status: 'valid', normalized: '420100' });
  });
});

describe('validateELicenceId — DOMAIN.md §1.2.5 examples', () => {
  it.each([
    '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
    '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
    '1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9',
  ])('%s is valid', (value) => {
    expect(validateELicenceId(value)).toMatchObject({ status: 'valid', warnings: [] });
  });

  it('version changed → invalidCheck, expected S', () => {
    const r = validateELicenceId('1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.U');
    expect(r).toMatchObject({ status: 'invalidCheck', expected: 'S' });
    expect(r.message).toBe('电子证照标识校验位错误，应为 S');
  });

  it('the published sample that does not match computes D → warn, do not reject on import', () => {
    const r = validateELicenceId(
      '1.2.156.3005.2.11100000000013661B006.113700000045046442.209FA4E88F9E4C878F3E9BED2CE7EA49.001.M',
    );
    expect(r).toMatchObject({ status: 'invalidCheck', expected: 'D' });
    expect(r.details).toMatchObject({ typeAuthorityUscc: '11100000000013661B', typeSequence: '006', version: '001' });
    expect(isAcceptable(r, 'registry')).toBe(true);
  });
});

describe('validateELicenceId — other rules', () => {
  it('normalises lower case and a hyphenated GUID serial', () => {
    const r = validateELicenceId(
      ' 1.2.156.3005.2.11100000000013338w011.11430000006122244l.20230000403.001.u ',
    );
    expect(r.status).toBe('valid');
    const input = '11100000000013661B006' + '113700000045046442' + '209FA4E88F9E4C878F3E9BED2CE7EA49' + '001';
    const check = mod37_36CheckCharacter(input);
    expect(
      validateELicenceId(
        `1.2.156.3005.2.11100000000013661B006.113700000045046442.209fa4e8-8f9e-4c87-8f3e-9bed2ce7ea49.001.${check}`,
      ).status,
    ).toBe('valid');
  });

  it.each([
    ['', 'empty'],
    ['1.2.156.3005.3.11100000000013338W011.11430000006122244L.20230000403.001.U', 'root'],
    ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.U', 'segments'],
    ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U.X', 'segments'],
    ['1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U', 'segmentFormat'],
    ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U', 'segmentFormat'],
    ['1.2.156.3005.2.11100000000013338W011..20230000403.001.U', 'segmentFormat'],
    ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.UU', 'segmentFormat'],
  ] as const)('%j → invalidFormat (%s)', (value, reason) => {
    expect(validateELicenceId(value)).toMatchObject({ status: 'invalidFormat', reason });
  });

  it('warns when the USCC inside the type code fails its check', () => {
    const input = '11100000000013338X011' + '11430000006122244L' + '20230000403' + '001';
    const r = validateELicenceId(
      `1.2.156.3005.2.11100000000013338X011.11430000006122244L.20230000403.001.${mod37_36CheckCharacter(input)}`,
    );
    expect(r.status).toBe('valid');
    expect(r.warnings).toHaveLength(1);
  });
});

describe('masks (§10.5)', () => {
  it('maskCitizenId keeps the first 6 and last 4 characters', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('110105********002X');
    expect(maskCitizenId('11010519491231002x')).toBe('110105********002X');
    expect(maskCitizenId('110105491231002')).toBe('110105*****1002');
    expect(maskCitizenId('1234567890')).toBe('**********');
    expect(maskCitizenId('')).toBe('');
  });

  it('maskMobile keeps the first 3 and last 4 digits', () => {
    expect(maskMobile('13812341234')).toBe('138****1234');
    expect(maskMobile('+86 138 1234 1234')).toBe('138****1234');
    expect(maskMobile('027-87654321')).toBe('027****4321');
    expect(maskMobile('1234567')).toBe('*******');
  });

  it('maskName keeps the surname, a compound one whole', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小明')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('欧阳修')).toBe('欧阳*');
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
  });
});
