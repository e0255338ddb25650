import { describe, expect, it } from 'vitest';
import { checkQuality, workingDayEquivalent } from './quality-rules.ts';
import { SEED_TEMPLATES } from './seed-data.ts';
import { seedElements } from './seed.ts';
import { goodElements } from './test-fixtures.ts';
import type { ItemElements } from './types.ts';

/** A licensing item that passes every rule, with a result and its sample; each case below breaks exactly one. */
function good(): ItemElements {
  return {
    ...goodElements('食品经营许可', '0100100100'),
    legalBasis: '《中华人民共和国食品安全法》第三十五条',
    legalLimit: { n: 10, unit: 'G' },
    acceptanceConditions: '有与经营相适应的场所',
    resultName: '食品经营许可证',
    resultType: 'certificate',
    resultSampleAttachmentId: '0f6e6a4e-7a8b-4c1d-9e2f-000000000001',
  };
}

const rulesOf = (e: ItemElements) => checkQuality(e).map((i) => `${i.rule}:${i.field}`);

describe('quality rules (DOMAIN.md §2.5)', () => {
  it('passes a complete licensing item', () => {
    expect(checkQuality(good())).toEqual([]);
  });

  it.each<[string, (e: ItemElements) => ItemElements, string[], RegExp]>([
    ['R: legal basis missing', (e) => ({ ...e, legalBasis: '' }), ['R:legalBasis'], /设定依据/],
    ['R: licensing item without a legal limit', (e) => ({ ...e, legalLimit: null }), ['R:legalLimit'], /行政许可法/],
    ['Q1: promised limit but case type instant', (e) => ({ ...e, caseType: 'instant' }), ['Q1:caseType'], /承诺件/],
    ['Q1: instant limit but 前审后批', (e) => ({ ...e, promisedLimit: null, caseType: 'instant', processSteps: e.processSteps }), ['Q1:reviewType'], /即审即办/],
    ['Q2: 批复 needs 审批办结', (e) => ({ ...e, resultName: '项目核准批复', resultType: 'certificate' }), ['Q2:resultType'], /审批办结/],
    ['Q2: result without sample', (e) => ({ ...e, resultSampleAttachmentId: null }), ['Q2:resultSampleAttachmentId'], /样本/],
    ['Q3: a visit without a reason', (e) => ({ ...e, visitCount: 1, visitReason: '' }), ['Q3:visitReason'], /原因/],
    ['Q3: zero visits offline without courier', (e) => ({ ...e, online: false, onlineDepth: '', handlingForms: ['1'] }), ['Q3:handlingForms'], /快递/],
    ['Q4: fully online with a visit', (e) => ({ ...e, onlineDepth: 'IV', visitCount: 1, visitReason: '核验原件' }), ['Q4:visitCount'], /全程网办/],
    ['Q5: phone without area code', (e) => ({ ...e, consultationPhone: '82830001' }), ['Q5:consultationPhone'], /区号/],
    ['Q5: the same phone twice', (e) => ({ ...e, supervisionPhone: '027-82830001' }), ['Q5:supervisionPhone'], /不能与咨询电话相同/],
    ['Q6: place without window', (e) => ({ ...e, location: '江岸区政务服务中心' }), ['Q6:location'], /窗口或房间号/],
    ['Q6: hours without working days', (e) => ({ ...e, officeHours: '9:00—17:00' }), ['Q6:officeHours'], /工作日/],
    ['Q7: legal-person item with a natural-person theme', (e) => ({ ...e, themes: { naturalPerson: ['就业创业'], legalPerson: ['准营准办'] } }), ['Q7:themes'], /不应选择自然人主题/],
    ['Q7: natural-person item without a theme', (e) => ({ ...e, serviceObjects: ['1'], themes: { naturalPerson: [], legalPerson: [] } }), ['Q7:themes'], /自然人主题/],
    ['Q8: licensing item with one step', (e) => ({ ...e, processSteps: e.processSteps.slice(0, 1) }), ['Q8:processSteps'], /至少两个环节/],
    ['Q8: step limits over the promised limit', (e) => ({ ...e, processSteps: e.processSteps.map((s) => ({ ...s, limit: { n: 2, unit: '1' as const } })) }), ['Q8:processSteps'], /超过了承诺办结时限/],
    ['Q9: free item with online payment', (e) => ({ ...e, onlinePaymentSupported: true }), ['Q9:onlinePaymentSupported'], /不收费/],
    ['Q10: promised over legal after conversion', (e) => ({ ...e, legalLimit: { n: 7, unit: 'Z' }, promisedLimit: { n: 6, unit: '1' }, processSteps: e.processSteps }), ['Q10:promisedLimit'], /不能超过法定办结时限/],
  ])('%s', (_label, change, expected, message) => {
    const issues = checkQuality(change(good()));
    expect(issues.map((i) => `${i.rule}:${i.field}`)).toEqual(expected);
    expect(issues[0]?.message).toMatch(message);
  });

  it('converts units to working-day equivalents', () => {
    expect(workingDayEquivalent({ n: 7, unit: 'Z' })).toBe(5);
    expect(workingDayEquivalent({ n: 16, unit: '3' })).toBe(2);
    expect(workingDayEquivalent({ n: 1, unit: '5' })).toBeCloseTo(150 / 7);
  });

  it('lets every seed template pass at every level', () => {
    const org = (code: string) => ({ id: 'o', name: '测试机构', jurisdictionCode: code });
    for (const [i, t] of SEED_TEMPLATES.entries()) {
      for (const code of ['420000', '420100', '420102', '420281']) {
        expect({ item: t.name, code, issues: rulesOf(seedElements(t, i, org(code), 'sample')) }).toEqual({ item: t.name, code, issues: [] });
      }
    }
  });
});
