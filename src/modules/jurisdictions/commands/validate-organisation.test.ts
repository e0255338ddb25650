import { describe, expect, it } from 'vitest';
import { readOrganisationInput } from './validate-organisation.ts';

describe('readOrganisationInput', () => {
  it('requires name, jurisdiction and type for a new organisation, with Chinese messages', () => {
    const { errors } = readOrganisationInput({}, true);
    expect(errors).toEqual([
      { field: 'name', message: '请填写机构名称' },
      { field: 'jurisdictionCode', message: '请选择或填写所属行政区划' },
      { field: 'type', message: '请选择机构类型' },
    ]);
  });

  it('trims and normalises form strings; empty optional fields become null', () => {
    const { value, errors } = readOrganisationInput(
      { name: '  湖北省民政厅 ', shortName: '', jurisdictionCode: '42', type: 'government', uscc: '', parentId: '', sortOrder: '' },
      true,
    );
    expect(errors).toEqual([]);
    expect(value).toEqual({ name: '湖北省民政厅', shortName: null, jurisdictionCode: '420000', type: 'government', uscc: null, parentId: null, sortOrder: 0 });
  });

  it('reads full-width digits typed with a Chinese input method', () => {
    expect(readOrganisationInput({ jurisdictionCode: '４２０１０２' }, false).value.jurisdictionCode).toBe('420102');
  });

  it('refuses malformed fields', () => {
    const { errors } = readOrganisationInput(
      { name: '名'.repeat(101), shortName: '简'.repeat(51), jurisdictionCode: '4201020', type: 'government', parentId: 'not-a-uuid', sortOrder: '-1' },
      true,
    );
    expect(errors.map((e) => e.field)).toEqual(['name', 'shortName', 'jurisdictionCode', 'parentId', 'sortOrder']);
    expect(errors.find((e) => e.field === 'sortOrder')?.message).toBe('排序号应为0至9999之间的整数');
  });

  it('checks only the given keys of a partial update', () => {
    expect(readOrganisationInput({ shortName: '省民政厅' }, false)).toEqual({ value: { shortName: '省民政厅' }, errors: [] });
    expect(readOrganisationInput({ sortOrder: 20 }, false).value).toEqual({ sortOrder: 20 });
    expect(readOrganisationInput({ uscc: null, parentId: null }, false).value).toEqual({ uscc: null, parentId: null });
  });
});
