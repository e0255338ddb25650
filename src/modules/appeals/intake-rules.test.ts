import { describe, expect, it } from 'vitest';
import { abusiveWords } from './abuse.ts';
import { validateAppealInput } from './commands/validate-appeal.ts';
import { INSTANT_ANSWER_SCORE, matchKnowledge } from './kb-match.ts';
import type { KbEntry } from './kb.repository.ts';

const citizen = { kind: 'citizen', accountId: 'a', displayName: '王市民', realNameLevel: 2 } as const;

describe('intake rules', () => {
  it('flags abusive words, including Latin ones only as whole words', () => {
    expect(abusiveWords('你们这些狗官，废物！')).toEqual(['狗官', '废物']);
    expect(abusiveWords('SB 东西')).toEqual(['sb']);
    expect(abusiveWords('USB 接口坏了')).toEqual([]);
  });

  it('takes the signed-in citizen’s name as the contact, refuses anonymity except for reports and petitions without a name', () => {
    const ok = validateAppealInput({ type: 'complaint', title: '小区电梯故障', description: '一元路小区电梯长期故障不修，要求物业整改。', divisionCode: '420102', contactPhone: '13800001111' }, 'web', citizen);
    expect(ok.errors).toEqual([]);
    expect(ok.value.contactName).toBe('王市民');
    const anon = validateAppealInput({ type: 'suggestion', title: '建议增设站台', description: '建议在路口增设公交站台方便出行。', divisionCode: '420102', anonymous: 'on' }, 'web', { kind: 'anonymous' });
    expect(anon.errors.map((e) => e.field)).toEqual(['anonymous']);
    const report = validateAppealInput({ type: 'report', title: '举报无证经营', description: '一元路有小吃摊无证经营熟食。', divisionCode: '420102', anonymous: true }, 'api', { kind: 'anonymous' });
    expect(report.errors).toEqual([]);
    expect(report.value.consentPublish).toBe(false);
    const petition = validateAppealInput({ type: 'petition', title: '补偿异议', description: '对征收补偿标准有异议，请求处理。', divisionCode: '420102', contactName: '某', contactPhone: '13800001111' }, 'web', { kind: 'anonymous' });
    expect(petition.errors.map((e) => e.message)).toContain('网上信访须先登录（实名）');
  });

  it('checks the division shape, Hubei and coordinates; the hotline needs the caller number', () => {
    const r = validateAppealInput({ type: 'help', title: '老人求助', description: '独居老人无人照顾求助上门。', divisionCode: '4201', lon: '114.3', contactName: '陈', contactPhone: '027-82345678' }, 'hotline', citizen);
    expect(r.errors.map((e) => e.field).sort()).toEqual(['callerNumber', 'divisionCode', 'lon']);
  });
});

describe('knowledge-base matching', () => {
  const entry = (question: string, keywords: string[]): KbEntry => ({ id: question, question, answer: '答案', categoryCode: null, keywords, divisionCode: '420100', organisationId: 'o', organisationName: '武汉市政务服务和大数据管理局', published: true, updatedAt: new Date(), version: 1 });
  const kb = [entry('社保卡丢失了怎么补办？', ['社保卡', '丢失', '补办']), entry('新生儿怎么办理医保参保？', ['新生儿', '医保', '参保'])];
  it('answers a matching consultation at once and leaves others to a person', () => {
    const hit = matchKnowledge('我的社保卡丢失了，去哪里补办？', kb)[0];
    expect(hit?.entry.question).toBe('社保卡丢失了怎么补办？');
    expect(hit!.score).toBeGreaterThanOrEqual(INSTANT_ANSWER_SCORE);
    const weak = matchKnowledge('公租房申请需要什么条件？', kb)[0];
    expect(weak === undefined || weak.score < INSTANT_ANSWER_SCORE).toBe(true);
  });
});
