import { describe, expect, it } from 'vitest';
import { formErrorList, formToJsonSchema, mergeForms, prefillValues, renderFormFields, validateForm, validateFormDefinition, type FormDefinition } from './index.ts';
import type { PageContext } from '../views/page-context.ts';

const page = { lang: 'zh' } as PageContext;

const def: FormDefinition = {
  version: 1,
  fields: [
    { name: 'applicantName', label: '申请人姓名', type: 'text', required: true, maxLength: 50, prefill: 'applicant.name' },
    { name: 'idNumber', label: '身份证号码', type: 'idNumber', required: true, prefill: 'applicant.idNumber' },
    { name: 'mobile', label: '联系电话', type: 'mobile', required: true },
    { name: 'subjectType', label: '主体类型', type: 'radio', required: true, options: [{ value: 'person', label: '个人' }, { value: 'company', label: '企业' }] },
    { name: 'uscc', label: '统一社会信用代码', type: 'uscc', required: true, showIf: { field: 'subjectType', equals: 'company' } },
    { name: 'area', label: '经营场所面积（平方米）', type: 'number', required: true, min: 1, max: 100000 },
    { name: 'categories', label: '经营项目', type: 'checkbox', required: true, options: [{ value: 'prepackaged', label: '预包装食品销售' }, { value: 'catering', label: '热食类食品制售' }] },
    { name: 'seats', label: '就餐座位数', type: 'number', showIf: { field: 'categories', equals: 'catering' }, required: true },
    { name: 'openDate', label: '拟开业日期', type: 'date' },
    { name: 'postcode', label: '邮政编码', type: 'text', pattern: '\\d{6}', patternMessage: '应为 6 位数字' },
    { name: 'agree', label: '我承诺所填信息真实有效', type: 'checkbox', required: true },
  ],
};

const good = {
  applicantName: ' 张三 ',
  idNumber: '11010519491231002x',
  mobile: '138 0013 8000',
  subjectType: 'person',
  uscc: 'ignored because hidden',
  area: '120.5',
  categories: ['prepackaged'],
  seats: 'not validated either',
  openDate: '2026-12-01',
  postcode: '430010',
  agree: 'on',
};

describe('validateFormDefinition', () => {
  it('accepts a well-formed definition and drops unknown keys', () => {
    const r = validateFormDefinition({ ...def, fields: def.fields.map((f) => ({ ...f, extra: 1 })) });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.definition.fields[0]).not.toHaveProperty('extra');
  });

  it.each([
    [{ version: 2, fields: [] }, 'version', '版本'],
    [{ version: 1, fields: [{ name: '1x', label: 'a', type: 'text' }] }, 'fields[0].name', '字母开头'],
    [{ version: 1, fields: [{ name: 'a', label: 'A', type: 'text' }, { name: 'a', label: 'B', type: 'text' }] }, 'fields[1].name', '重复'],
    [{ version: 1, fields: [{ name: 'a', label: '', type: 'text' }] }, 'fields[0].label', '显示名称'],
    [{ version: 1, fields: [{ name: 'a', label: 'A', type: 'color' }] }, 'fields[0].type', '不受支持'],
    [{ version: 1, fields: [{ name: 'a', label: 'A', type: 'select' }] }, 'fields[0].options', '选项'],
    [{ version: 1, fields: [{ name: 'a', label: 'A', type: 'text', pattern: '(' }] }, 'fields[0].pattern', '正则'],
    [{ version: 1, fields: [{ name: 'a', label: 'A', type: 'number', min: 5, max: 1 }] }, 'fields[0].min', '最小值大于最大值'],
    [{ version: 1, fields: [{ name: 'a', label: 'A', type: 'text', showIf: { field: 'b', equals: 'x' } }, { name: 'b', label: 'B', type: 'text' }] }, 'fields[0].showIf', '前面的字段'],
    [{ version: 1, fields: [{ name: 'a', label: 'A', type: 'text', prefill: 'applicant.age' }] }, 'fields[0].prefill', '预填来源'],
  ])('refuses %j at %s', (raw, field, words) => {
    const r = validateFormDefinition(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const e = r.errors.find((x) => x.field === field);
      expect(e?.message).toContain(words);
    }
  });
});

describe('validateForm', () => {
  it('normalises accepted values and drops hidden conditional fields', () => {
    const r = validateForm(def, good);
    expect(r).toEqual({
      ok: true,
      values: {
        applicantName: '张三',
        idNumber: '11010519491231002X',
        mobile: '13800138000',
        subjectType: 'person',
        area: 120.5,
        categories: ['prepackaged'],
        openDate: '2026-12-01',
        postcode: '430010',
        agree: true,
      },
    });
  });

  it('validates a conditional field once its condition holds', () => {
    const r = validateForm(def, { ...good, subjectType: 'company', uscc: '', categories: ['prepackaged', 'catering'], seats: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual({ uscc: '请填写“统一社会信用代码”', seats: '请填写“就餐座位数”' });
    }
    const fixed = validateForm(def, { ...good, subjectType: 'company', uscc: '91110000101623741K', categories: ['prepackaged', 'catering'], seats: '40' });
    expect(fixed.ok).toBe(true);
    if (fixed.ok) expect(fixed.values).toMatchObject({ uscc: '91110000101623741K', seats: 40 });
  });

  it('names every refused field in Chinese and keeps what was typed', () => {
    const r = validateForm(def, {
      applicantName: '',
      idNumber: '110105194912310021',
      mobile: '2380013800',
      subjectType: 'robot',
      area: '12a',
      categories: ['weapons'],
      openDate: '2026-02-30',
      postcode: '4300',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.applicantName).toBe('请填写“申请人姓名”');
    expect(r.errors.idNumber).toMatch(/^“身份证号码”有误：.*校验/);
    expect(r.errors.mobile).toContain('11 位手机号码');
    expect(r.errors.subjectType).toContain('不在可选范围内');
    expect(r.errors.area).toBe('“经营场所面积（平方米）”应填写数字');
    expect(r.errors.categories).toContain('不在选项内');
    expect(r.errors.openDate).toContain('有效日期');
    expect(r.errors.postcode).toBe('“邮政编码”应为 6 位数字');
    expect(r.errors.agree).toBe('请勾选“我承诺所填信息真实有效”');
    expect(r.values.mobile).toBe('2380013800');
    expect(formErrorList(r.errors)).toContainEqual({ field: 'agree', message: '请勾选“我承诺所填信息真实有效”' });
  });

  it('checks number bounds and text lengths', () => {
    const r = validateForm(def, { ...good, area: '0', applicantName: '张'.repeat(51) });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.area).toBe('“经营场所面积（平方米）”不能小于 1');
      expect(r.errors.applicantName).toBe('“申请人姓名”不能超过 50 个字');
    }
  });
});

describe('prefill, render, schema, merge', () => {
  it('prefills from the applicant profile only where a source is declared', () => {
    expect(prefillValues(def, { applicant: { name: '李四', idNumber: '11010519491231002X', mobile: '13800138000' } })).toEqual({ applicantName: '李四', idNumber: '11010519491231002X' });
  });

  it('renders labelled, described fields with the errors and values', () => {
    const out = renderFormFields(def, { applicantName: '<王五>', categories: ['catering'] }, { mobile: '“联系电话”应为 11 位手机号码，以 1 开头' }, page).value;
    expect(out).toContain('<label for="f-applicantName">申请人姓名');
    expect(out).toContain('value="&lt;王五&gt;"');
    expect(out).toMatch(/id="f-mobile"[^>]*aria-invalid="true"[^>]*aria-describedby="f-mobile-error"/);
    expect(out).toContain('<legend>经营项目');
    expect(out).toMatch(/value="catering" checked/);
    expect(out).toContain('仅当“主体类型”为“企业”时填写');
    expect(out).toContain('data-show-if="subjectType"');
  });

  it('produces JSON Schema 2020-12 with titles and conditional rules', () => {
    const s = formToJsonSchema(def, { title: '食品经营许可申请表' });
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.required).toEqual(['applicantName', 'idNumber', 'mobile', 'subjectType', 'area', 'categories', 'agree']);
    const props = s.properties as Record<string, Record<string, unknown>>;
    expect(props.area).toMatchObject({ type: 'number', title: '经营场所面积（平方米）', minimum: 1 });
    expect(props.subjectType?.oneOf).toEqual([{ const: 'person', title: '个人' }, { const: 'company', title: '企业' }]);
    expect(s.allOf).toContainEqual({ if: { properties: { subjectType: { enum: ['company'] } }, required: ['subjectType'] }, then: { required: ['uscc'] } });
    expect(s.allOf).toContainEqual({ if: { properties: { categories: { contains: { enum: ['catering'] } } }, required: ['categories'] }, then: { required: ['seats'] } });
  });

  it('merges forms de-duplicating fields by name', () => {
    const a: FormDefinition = { version: 1, fields: [{ name: 'name', label: '姓名', type: 'text' }, { name: 'x', label: 'X', type: 'text' }] };
    const b: FormDefinition = { version: 1, fields: [{ name: 'name', label: '名称', type: 'text', required: true }, { name: 'y', label: 'Y', type: 'date' }] };
    expect(mergeForms([a, b]).fields.map((f) => `${f.name}:${f.label}:${f.required ?? false}`)).toEqual(['name:姓名:true', 'x:X:false', 'y:Y:false']);
  });
});
