import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError, errorCodes, refusalError, unwrap } from './errors.ts';

describe('error registry', () => {
  it('documents every code in docs/errors.md', () => {
    const doc = fs.readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    for (const code of Object.keys(errorCodes)) expect(doc, code).toContain(`\`${code}\``);
  });
  it('maps refusals to codes and keeps the fields', () => {
    const e = refusalError({ reason: 'invalid', message: '请修改', fields: [{ field: 'title', message: '请填写标题' }] });
    expect(e).toBeInstanceOf(AppError);
    expect(e.status).toBe(400);
    expect(e.fields[0]?.field).toBe('title');
    expect(refusalError({ reason: 'conflict', message: 'x' }).code).toBe('ZW_ERR_CONFLICT');
    expect(() => unwrap({ ok: false, reason: 'not_found', message: '不存在' })).toThrow(/ZW_ERR_NOT_FOUND/);
    expect(unwrap({ ok: true, value: 3 })).toBe(3);
  });
});
