import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor.ts';
import type { FormDefinition } from '../../platform/forms/index.ts';
import { draftValues } from './commands/save-draft.ts';
import { prefillFromProfile, withLocked } from './prefill.ts';

const def: FormDefinition = {
  version: 1,
  fields: [
    { name: 'applicantName', label: '申请人姓名', type: 'text', required: true, maxLength: 30, prefill: 'applicant.name' },
    { name: 'applicantIdNumber', label: '申请人身份证号码', type: 'idNumber', required: true, prefill: 'applicant.idNumber' },
    { name: 'applicantMobile', label: '联系电话', type: 'mobile', required: true, prefill: 'applicant.mobile' },
    { name: 'area', label: '面积', type: 'number', required: true },
    { name: 'kind', label: '类别', type: 'select', options: [{ value: 'a', label: '甲' }] },
    { name: 'scopes', label: '范围', type: 'checkbox', options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }] },
    { name: 'promise', label: '承诺', type: 'checkbox', required: true },
    { name: 'start', label: '开始日期', type: 'date' },
  ],
};
const citizen = { kind: 'citizen', accountId: '00000000-0000-4000-8000-000000000001', displayName: '张三' } as unknown as Actor;

describe('prefillFromProfile', () => {
  it('fills mapped fields from the profile and locks the verified ones', () => {
    const p = prefillFromProfile(def, { kind: 'citizen', values: { 'applicant.name': '张三', 'applicant.idNumber': '420102199003071232', 'applicant.mobile': '13800138000' }, verified: ['applicant.name', 'applicant.idNumber'] }, citizen);
    expect(p.values).toEqual({ applicantName: '张三', applicantIdNumber: '420102199003071232', applicantMobile: '13800138000' });
    expect(Object.keys(p.locked)).toEqual(['applicantName', 'applicantIdNumber']);
    expect(withLocked({ applicantName: '冒名', applicantIdNumber: 'x', area: '5' }, p.locked)).toEqual({ applicantName: '张三', applicantIdNumber: '420102199003071232', area: '5' });
  });

  it('without a profile uses only what the actor carries, and locks nothing', () => {
    const p = prefillFromProfile(def, null, citizen);
    expect(p).toEqual({ values: { applicantName: '张三' }, locked: {} });
  });
});

describe('draftValues (no required checks, but types and sizes)', () => {
  it('accepts an incomplete draft', () => {
    expect(draftValues(def, { applicantMobile: '1380', area: '' })).toEqual({ values: { applicantMobile: '1380' }, errors: [] });
  });

  it('refuses values of the wrong type or size, naming the field', () => {
    const r = draftValues(def, { area: 'abc', kind: 'zzz', scopes: ['x', 'evil'], start: '31/01/2026', applicantName: '名'.repeat(31), applicantMobile: 'a\u0000b' });
    expect(r.errors.map((e) => e.field).sort()).toEqual(['applicantMobile', 'applicantName', 'area', 'kind', 'scopes', 'start']);
  });

  it('keeps only the item’s fields and normalises a single checkbox', () => {
    expect(draftValues(def, { promise: 'on', scopes: 'x', unknown: 'dropped' }).values).toEqual({ promise: true, scopes: ['x'] });
  });
});
