import { describe, expect, it } from 'vitest';
import { DispatchAdvisor, divisionChain } from './dispatch-advisor.ts';
import { generateLabelledSet } from './labelled-set.ts';
import { NaiveBayes } from './naive-bayes.ts';
import { SimilarityIndex } from './similarity.ts';
import { tokenize } from './tokenize.ts';

describe('dispatch classifier (jieba + multinomial naive Bayes)', () => {
  it('reaches the accuracy floor on a held-out split of the labelled ticket set', () => {
    const train = generateLabelledSet(120, 1, 'train');
    const test = generateLabelledSet(40, 2, 'heldOut');
    const nb = new NaiveBayes();
    for (const x of train) nb.add(tokenize(x.text), x.label);
    let top1 = 0;
    let top3 = 0;
    for (const x of test) {
      const p = nb.predict(tokenize(x.text), 3).map((q) => q.label);
      if (p[0] === x.label) top1++;
      if (p.includes(x.label)) top3++;
    }
    const acc1 = top1 / test.length;
    const acc3 = top3 / test.length;
    console.info(`classifier: ${train.length} train / ${test.length} held out, top-1 ${(acc1 * 100).toFixed(1)} %, top-3 ${(acc3 * 100).toFixed(1)} %`);
    expect(test.length).toBeGreaterThan(500);
    expect(acc1).toBeGreaterThanOrEqual(0.9);
    expect(acc3).toBeGreaterThanOrEqual(0.95);
  });

  it('segments Chinese text and drops stop words', () => {
    const t = tokenize('请问，楼下烧烤店的油烟直排，熏得开不了窗！');
    expect(t).toContain('油烟');
    expect(t).not.toContain('请问');
    expect(t).not.toContain('，');
  });
});

describe('duplicate detection (MinHash LSH)', () => {
  it('finds a near-copy in the same county and not in another county', () => {
    const idx = new SimilarityIndex(8);
    const text = '解放大道1127号附近的烧烤店油烟直排，熏得开不了窗，要求安装油烟净化设备';
    idx.add({ id: 'a', number: '1', divisionCode: '420102', createdAt: 1, text });
    idx.add({ id: 'b', number: '2', divisionCode: '420102', createdAt: 2, text: '小区电梯长期故障不修，物业不管，要求物业整改' });
    idx.add({ id: 'c', number: '3', divisionCode: '420281', createdAt: 3, text });
    for (let i = 0; i < 100; i++) idx.add({ id: `x${i}`, number: `x${i}`, divisionCode: '420102', createdAt: 10 + i, text: `第${i}号工地夜间施工噪音很大影响睡觉${i * 7}` });
    const hits = idx.query('解放大道1127号附近烧烤店油烟直排，熏得开不了窗，要求安装油烟净化设备！', '420102001');
    expect(hits[0]?.id).toBe('a');
    expect(hits[0]!.score).toBeGreaterThanOrEqual(0.6);
    expect(hits.map((h) => h.id)).not.toContain('c');
    expect(hits.map((h) => h.id)).not.toContain('b');
  });

  it('in a burst of identical tickets looks only at the newest of each bucket, and returns the newest', () => {
    const idx = new SimilarityIndex(8);
    const text = '江岸区某小区停水三天了，一直没有恢复供水，生活非常不便';
    for (let i = 1; i <= 1000; i++) idx.add({ id: `t${i}`, number: `n${i}`, divisionCode: '420102', createdAt: i, text });
    const hits = idx.query(text, '420102', { limit: 5 });
    expect(hits.map((h) => h.id)).toEqual(['t1000', 't999', 't998', 't997', 't996']);
    expect(hits.every((h) => h.score === 1)).toBe(true);
    // With room for every entry the same five come back: the bound changes the cost, not the answer.
    expect(idx.query(text, '420102', { limit: 5, maxPerBand: 10_000 }).map((h) => h.id)).toEqual(hits.map((h) => h.id));
    // Too small a bound misses the older copies, by design: with 3 per bucket only the 3 newest are seen.
    expect(idx.query(text, '420102', { limit: 5, maxPerBand: 3 }).map((h) => h.id)).toEqual(['t1000', 't999', 't998']);
  });
});

describe('dispatch advisor', () => {
  it('proposes the unit from the catalogue, walking up the division chain', () => {
    expect(divisionChain('420102002')).toEqual(['420102002', '420102', '420100', '420000']);
    expect(divisionChain('420100')).toEqual(['420100', '420000']);
    const a = new DispatchAdvisor();
    a.setRules([
      { categoryCode: '0201', divisionCode: '420102', organisationId: 'scj', organisationName: '江岸区市场监督管理局' },
      { categoryCode: '0301', divisionCode: '420100', organisationId: 'sthj', organisationName: '武汉市生态环境局' },
    ]);
    a.train(generateLabelledSet(40));
    const s = a.suggest({ text: '楼下KTV半夜音响太吵，噪声扰民影响睡觉', divisionCode: '420102003' });
    expect(s.categories[0]?.label).toBe('0301');
    expect(s.unit).toMatchObject({ organisationId: 'sthj', basis: 'classifier' });
    const chosen = a.suggest({ text: '楼下KTV半夜音响太吵', divisionCode: '420102', categoryCode: '0201' });
    expect(chosen.unit).toMatchObject({ organisationId: 'scj', basis: 'catalogue' });
  });
});
