import { describe, expect, it } from 'vitest';
import { usccCheckCharacter, validateUscc } from '../../platform/codes/validators.ts';
import { demoUscc } from './seed.ts';
import { checkUscc } from './uscc-check.ts';

describe('USCC warn-or-reject policy (DOMAIN.md §1.2, §1.2.2)', () => {
  it('accepts a valid organ code', () => {
    expect(checkUscc('11341702486344515H', 'userInput')).toEqual({ ok: true, uscc: '11341702486344515H', status: 'valid', notes: [] });
  });

  it('normalises input (spaces, lower case) before checking', () => {
    const r = checkUscc(' 91350100m000100y43 ', 'userInput');
    expect(r).toMatchObject({ ok: true, uscc: '91350100M000100Y43', status: 'valid' });
  });

  it('rejects a wrong check character typed by a user, with the validator’s Chinese message', () => {
    expect(checkUscc('91350100M000100Y44', 'userInput')).toEqual({ ok: false, message: '统一社会信用代码校验位错误，应为 3' });
  });

  it('keeps a registry code whose check character fails, with a warning', () => {
    const r = checkUscc('91350211M0000XUF46', 'registry');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.status).toBe('invalidCheck');
      expect(r.notes[0]).toContain('校验位错误，应为 R');
    }
  });

  it('rejects a malformed code whatever its origin', () => {
    expect(checkUscc('9111000010162374IK', 'registry')).toMatchObject({ ok: false });
    expect(checkUscc('1234', 'userInput')).toEqual({ ok: false, message: '统一社会信用代码应为18位，当前为4位' });
  });

  it('only warns about an unknown authority/category pair', () => {
    // Authority 1 with category 5 is not allocated; the check character is right.
    const first17 = `15${demoUscc('x', '420100', '1').slice(2, 17)}`;
    const r = checkUscc(first17 + usccCheckCharacter(first17), 'userInput');
    expect(r).toMatchObject({ ok: true, status: 'unknownCategory' });
    if (r.ok) expect(r.notes.join()).toContain('组合不在代码表中');
  });
});

describe('demoUscc', () => {
  it('produces structurally valid, deterministic demo codes', () => {
    const a = demoUscc('湖北省公安厅', '420000', '1');
    expect(a).toBe(demoUscc('湖北省公安厅', '420000', '1'));
    expect(a).not.toBe(demoUscc('湖北省民政厅', '420000', '1'));
    expect(a).toMatch(/^11420000[0-9]{8}[0-9X][0-9A-Y]$/);
    const v = validateUscc(a);
    expect(v.status).toBe('valid');
    expect(v.warnings).toEqual([]);
    expect(v.details).toMatchObject({ authority: '1', category: '1', divisionCode: '420000', organizationCodeValid: true });
    expect(validateUscc(demoUscc('湖北省政务服务中心', '420000', '2')).details?.categoryLabel).toBe('事业单位');
  });
});
