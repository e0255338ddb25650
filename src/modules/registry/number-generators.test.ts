import { describe, expect, it } from 'vitest';
import { checkTemplateScope, formatNumber, parseNumberTemplate, sequenceKey, validateNumber } from '../../platform/codes/number-template.ts';
import { DEFAULT_NUMBER_GENERATORS, sequenceShape, validateNumberGeneratorInput } from './number-generators.ts';

function parsed(template: string) {
  const r = parseNumberTemplate(template);
  if (!r.ok) throw new Error(r.message);
  return r.template;
}

describe('DEFAULT_NUMBER_GENERATORS (DOMAIN.md §1.4)', () => {
  it('are all valid templates whose scope cannot print the same number twice', () => {
    for (const g of DEFAULT_NUMBER_GENERATORS) {
      const { errors } = validateNumberGeneratorInput(g);
      expect(errors, g.id).toEqual([]);
      expect(checkTemplateScope(g.template, g.scope), g.id).toEqual([]);
    }
  });

  it('have unique ids and include case, ticket and document', () => {
    const ids = DEFAULT_NUMBER_GENERATORS.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['case', 'ticket', 'document']));
  });

  it('print the DOMAIN.md examples', () => {
    const byId = new Map(DEFAULT_NUMBER_GENERATORS.map((g) => [g.id, g]));
    const doc = byId.get('document')!;
    const value = formatNumber(doc.template, { prefix: '鄂政发', date: '2012-04-13', seq: 1 });
    expect(value).toBe('鄂政发〔2012〕1号');
    expect(validateNumber(doc.template, value)).toBe(true);
    expect(formatNumber(byId.get('case')!.template, { region: '420102', date: '2026-11-30', seq: 7 })).toBe('42010220261130000007');
    expect(sequenceKey(byId.get('case')!.template, 'region+day', { region: '420102', date: '2026-11-30' })).toBe('region6=420102|period=2026-11-30');
  });
});

describe('validateNumberGeneratorInput', () => {
  it('names every bad field in Chinese', () => {
    const { errors } = validateNumberGeneratorInput({ id: 'Bad Id', name: '', template: '{seq', scope: 'weekly' });
    expect(errors.map((e) => e.field).sort()).toEqual(['id', 'name', 'scope', 'template']);
    expect(errors.find((e) => e.field === 'template')!.message).toContain('没有对应的“}”');
  });

  it('refuses a scope the template does not print', () => {
    const { errors } = validateNumberGeneratorInput({ id: 'x', name: '测试', template: '{seq:6}', scope: 'org+year' });
    expect(errors.map((e) => e.message).join('；')).toMatch(/年份.*机构|机构.*年份|\{yyyy\}/);
  });
});

describe('sequenceShape', () => {
  it('is unchanged by padding and literals, changed by fields, order, period and scope', () => {
    const base = sequenceShape(parsed('{prefix}〔{yyyy}〕{seq}号'), 'org+year');
    expect(sequenceShape(parsed('{prefix}{yyyy}{seq:5}'), 'org+year')).toBe(base);
    expect(sequenceShape(parsed('{prefix}〔{yyyy}〕{seq}号'), 'global')).not.toBe(base);
    expect(sequenceShape(parsed('{prefix}{yyyyMM}{seq}'), 'org+year')).not.toBe(base);
    expect(sequenceShape(parsed('{orgCode}{prefix}{yyyy}{seq}'), 'org+year')).not.toBe(base);
    expect(sequenceShape(parsed('{prefix}{orgCode}{yyyy}{seq}'), 'org+year')).not.toBe(
      sequenceShape(parsed('{orgCode}{prefix}{yyyy}{seq}'), 'org+year'),
    );
  });
});
