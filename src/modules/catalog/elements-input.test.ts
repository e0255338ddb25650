import { describe, expect, it } from 'vitest';
import { elementsFromForm, linesToMaterials, linesToSteps, materialsToLines, pageFieldOf, parseElements, stepsToLines } from './elements-input.ts';
import { namePinyin } from './pinyin.ts';

describe('element input', () => {
  it('reads materials and steps written one per line, and writes them back the same way', () => {
    const parsed = parseElements({
      name: '公共场所卫生许可',
      materials: linesToMaterials('申请表 | 是 | 纸质和电子 | 1 | 0 | 申请人自备 | 在线填写 | 否\n营业执照 | 是 | 电子 | 0 | 0 | 政府部门核发 | 共享获取 | 是\n委托书 | 否 | 纸质 | 1 | 1'),
      processSteps: linesToSteps('受理 | 1 | 工作日 | 窗口受理\n审查 | 4 | 小时'),
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.value.materials.map((m) => [m.code, m.name, m.required, m.form, m.originals, m.copies, m.source, m.fromSharing])).toEqual([
      ['M001', '申请表', true, 'both', 1, 0, 'applicant', false],
      ['M002', '营业执照', true, 'electronic', 0, 0, 'government', true],
      ['M003', '委托书', false, 'paper', 1, 1, 'applicant', false],
    ]);
    expect(parsed.value.processSteps).toEqual([
      { name: '受理', limit: { n: 1, unit: '1' }, description: '窗口受理' },
      { name: '审查', limit: { n: 4, unit: '3' }, description: '' },
    ]);
    expect(linesToMaterials(materialsToLines(parsed.value.materials)).map((m) => m.name)).toEqual(['申请表', '营业执照', '委托书']);
    expect(stepsToLines(parsed.value.processSteps)).toBe('受理 | 1 | 工作日 | 窗口受理\n审查 | 4 | 小时 | ');
  });

  it('refuses values outside the code tables with Chinese reasons naming the element', () => {
    const { errors } = parseElements({ name: '某事项', itemType: '99', serviceObjects: ['1', '8'], onlineDepth: 'V', visitCount: '-1', legalLimit: { n: '20', unit: 'X' }, materials: [{ name: '表', form: '传真' }] });
    expect(errors).toEqual([
      { field: 'itemType', message: '请选择事项类型' },
      { field: 'legalLimit', message: '请选择法定办结时限的单位' },
      { field: 'serviceObjects', message: '服务对象代码“8”不在代码表内' },
      { field: 'onlineDepth', message: '网上办理深度应为Ⅰ至Ⅳ级之一' },
      { field: 'visitCount', message: '到办事现场次数应为 0 至 20 的整数' },
      { field: 'materials[0].form', message: '第 1 项材料的材料形式应为“纸质”“电子”或“纸质和电子”' },
    ]);
  });

  it('maps the page form (checkbox lists, limits as two fields) and error paths back to page fields', () => {
    const raw = elementsFromForm({ name: '某事项', legalLimitN: '20', legalLimitUnit: 'G', themesLegalPerson: ['准营准办'], feeCharged: 'on', online: undefined });
    const { value } = parseElements(raw);
    expect(value.legalLimit).toEqual({ n: 20, unit: 'G' });
    expect(value.themes).toEqual({ naturalPerson: [], legalPerson: ['准营准办'] });
    expect([value.feeCharged, value.online]).toEqual([true, false]);
    expect(['legalLimit', 'themes', 'materials[2].name', 'processSteps', 'form.fields[0].name', 'name'].map(pageFieldOf)).toEqual(['legalLimitN', 'themesNaturalPerson', 'materialsText', 'processStepsText', 'formJson', 'name']);
  });

  it('spells item names in pinyin and initials for the finder', () => {
    expect(namePinyin('食品经营许可')).toEqual({ full: 'shipinjingyingxuke', initials: 'spjyxk' });
    expect(namePinyin('烟花爆竹经营（零售）许可').initials).toBe('yhbzjylsxk');
  });
});
