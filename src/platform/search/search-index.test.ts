import { describe, expect, it } from 'vitest';
import type { IndexedDocument } from './contract.ts';
import { highlightText, MARK_END, MARK_START, snippetOf } from './highlight.ts';
import { parseQuery } from './query-parser.ts';
import { pinyinKeywords, SearchIndex } from './search-index.ts';
import { indexTokens, queryTokens, synonymsOf } from './segmenter.ts';

function doc(key: string, title: string, body: string, extra: Partial<IndexedDocument> = {}): IndexedDocument {
  return {
    key,
    kind: key.split(':')[0] as string,
    title,
    body,
    url: `/x/${key}`,
    publishedAt: new Date('2025-03-01T02:00:00Z'),
    divisionCode: '330100',
    organisationId: 'org-a',
    organisationName: '杭州市市场监督管理局',
    ...extra,
  };
}

function corpus(): SearchIndex {
  const idx = new SearchIndex();
  idx.put(doc('service-item:1', '营业执照办理', '个体工商户和企业申请营业执照的办事指南，需要提交居民身份证和经营场所证明。'));
  idx.put(doc('service-item:2', '食品经营许可证核发', '从事食品销售和餐饮服务应当取得食品经营许可证。', { organisationId: 'org-b', organisationName: '市场监管局' }));
  idx.put(doc('service-item:3', '社会保障卡补领', '社会保障卡遗失后可以到人力资源和社会保障局窗口补领。', { divisionCode: '330102', organisationId: 'org-c', organisationName: '人社局' }));
  idx.put(doc('notice:4', '关于不动产登记窗口调整办公时间的通知', '自2025年4月1日起，不动产登记中心窗口办公时间调整为工作日上午九点至下午五点。', { publishedAt: new Date('2025-04-01T01:00:00Z') }));
  idx.put(doc('publication:5', '户籍迁移办理须知', '户口迁移需携带户口簿、居民身份证等材料到派出所办理。', { divisionCode: '320100', category: 'policy', genre: '通知', validity: 'valid', publishedAt: new Date('2024-12-31T17:00:00Z') }));
  idx.put(doc('publication:6', '公共场所卫生许可办事指南', '公共场所卫生许可证的申请条件、办理流程和所需材料。', { divisionCode: '330100', category: 'guide', genre: '指南', validity: 'invalid' }));
  return idx;
}

describe('segmentation', () => {
  it('indexes government compounds whole and in parts (user dictionary, search mode)', () => {
    const t = indexTokens('申请营业执照和食品经营许可证');
    expect(t).toEqual(expect.arrayContaining(['营业执照', '营业', '执照', '食品经营许可', '食品', '经营', '许可']));
    expect(queryTokens('一网通办政务服务')).toEqual(['一网通办', '政务服务']);
    expect(queryTokens('社保卡怎么补办')).toEqual(['社保卡', '补办']);
  });
  it('drops stop words and punctuation, normalises width and case', () => {
    expect(queryTokens('的了，。！!!')).toEqual([]);
    expect(queryTokens('ＡＢＣ１２３ Hello')).toEqual(['abc123', 'hello']);
  });
  it('reads synonym groups both ways', () => {
    expect(synonymsOf('身份证')).toContain('居民身份证');
    expect(synonymsOf('居民身份证')).toContain('身份证');
    expect(synonymsOf('社保卡')).toContain('社会保障卡');
  });
  it('makes pinyin and initials keywords for item names', () => {
    expect(pinyinKeywords('营业执照办理')).toEqual(expect.arrayContaining(['yingyezhizhaobanli', 'yyzzbl', 'yingyezhizhao']));
  });
});

describe('query parsing', () => {
  const lookup = (known: string[]) => (t: string) => (known.includes(t) ? known.indexOf(t) : undefined);
  it('treats tsquery and Lucene operators as punctuation', () => {
    const p = parseQuery('营业执照 & !食品 | "许可" :* <-> (a OR b)', lookup(['营业执照', '食品', '许可']));
    expect(p.groups.map((g) => g.word)).toEqual(['营业执照', '食品', '许可']);
    expect(p.missing).toEqual(['b']); // 'a' and 'or' are stop words
  });
  it('cuts enormous input and survives any characters', () => {
    const p = parseQuery('营业执照'.repeat(5000), lookup(['营业执照']));
    expect(p.truncated).toBe(true);
    expect(p.text.length).toBe(200);
    expect(parseQuery('\u0000\u0001\u0002\ud800 🙂 ؟', lookup([])).groups).toEqual([]);
    expect(parseQuery(undefined, lookup([])).tokens).toEqual([]);
  });
  it('adds synonyms as lower-weighted alternatives of the same group', () => {
    const p = parseQuery('身份证', lookup(['身份证', '居民身份证']));
    expect(p.groups).toHaveLength(1);
    expect(p.groups[0]?.alternatives.map((a) => [a.text, a.weight])).toEqual([
      ['身份证', 1],
      ['居民身份证', 0.85],
    ]);
  });
});

describe('BM25 index', () => {
  it('ranks the document whose title matches above one that mentions the word in passing', () => {
    const r = corpus().search('营业执照');
    expect(r.hits[0]?.key).toBe('service-item:1');
    expect(r.total).toBe(1);
  });
  it('ranks documents with every query word first, then (when few have all) those missing one', () => {
    const idx = corpus();
    const both = idx.search('不动产登记 窗口');
    expect(both.hits[0]?.key).toBe('notice:4');
    expect(both.hits.slice(1).every((h) => h.score < (both.hits[0]?.score ?? 0) / 2)).toBe(true);
    const relaxed = idx.search('不动产登记 火星');
    expect(relaxed.hits.map((h) => h.key)).toEqual(['notice:4']);
    const relaxed2 = idx.search('社会保障卡 遗失 食品');
    expect(relaxed2.hits[0]?.key).toBe('service-item:3');
  });
  it('finds documents through synonyms (社保卡 → 社会保障卡, 户口 → 户籍)', () => {
    const idx = corpus();
    expect(idx.search('社保卡').hits.map((h) => h.key)).toEqual(['service-item:3']);
    expect(idx.search('户籍').hits.map((h) => h.key)).toEqual(['publication:5']);
  });
  it('matches item names typed as pinyin or initials', () => {
    const idx = corpus();
    expect(idx.search('yyzz').hits[0]?.key).toBe('service-item:1');
    expect(idx.search('ying ye zhi zhao').hits[0]?.key).toBe('service-item:1');
    expect(idx.search('shipinjingyingxukezheng').hits[0]?.key).toBe('service-item:2');
  });
  it('filters by division subtree and counts facets over all matches, each without its own filter', () => {
    const idx = corpus();
    const all = idx.search('办理');
    expect(all.total).toBeGreaterThanOrEqual(2);
    const zj = idx.search('办理', { filters: { divisionPrefix: '33' } });
    expect(zj.hits.every((h) => h.divisionCode.startsWith('33'))).toBe(true);
    const byKind = idx.search('许可', { filters: { kinds: ['publication'] } });
    expect(byKind.hits.map((h) => h.key)).toEqual(['publication:6']);
    expect(byKind.facets.kind).toEqual({ 'service-item': 1, publication: 1 });
    expect(idx.search('户口', { filters: { year: 2025 } }).total).toBe(1); // 2024-12-31T17:00Z is 2025 in Shanghai
    expect(idx.search('许可', { filters: { validity: 'valid' } }).total).toBe(0);
    expect(idx.search('许可').facets.organisation).toEqual({ 'org-a': 1, 'org-b': 1 });
    expect(idx.search('许可').facetLabels?.organisation['org-b']).toBe('市场监管局');
  });
  it('sorts by date when asked and pages without repeats', () => {
    const idx = new SearchIndex();
    for (let i = 0; i < 30; i++) idx.put(doc(`notice:${i}`, `第${i}号通知 办事指南`, '办事指南', { publishedAt: new Date(Date.UTC(2025, 0, 1 + i)) }));
    const first = idx.search('办事指南', { sort: 'date', limit: 10 });
    expect(first.hits.map((h) => h.key).slice(0, 3)).toEqual(['notice:29', 'notice:28', 'notice:27']);
    const second = idx.search('办事指南', { sort: 'date', limit: 10, offset: 10 });
    expect(second.hits[0]?.key).toBe('notice:19');
    const relevance = [0, 10, 20].flatMap((offset) => idx.search('办事指南', { limit: 10, offset }).hits.map((h) => h.key));
    expect(new Set(relevance).size).toBe(30);
  });
  it('replaces and removes documents', () => {
    const idx = corpus();
    idx.put(doc('service-item:1', '营业执照注销', '注销登记'));
    expect(idx.search('个体工商户').hits.map((h) => h.key)).not.toContain('service-item:1');
    expect(idx.search('注销').hits.map((h) => h.key)).toEqual(['service-item:1']);
    expect(idx.remove('service-item:1')).toBe(true);
    expect(idx.search('注销').total).toBe(0);
    expect(idx.size).toBe(5);
  });
  it('highlights matches with markers and builds snippets around them', () => {
    const r = corpus().search('居民身份证');
    const hit = r.hits.find((h) => h.key === 'publication:5');
    expect(hit?.snippetHighlighted).toContain(`${MARK_START}居民身份证${MARK_END}`);
    expect(highlightText('A<b>营业执照</b>', ['营业执照'])).toBe(`A<b>${MARK_START}营业执照${MARK_END}</b>`);
    expect(highlightText(`x${MARK_START}y`, ['y'])).toBe(`x${MARK_START}y${MARK_END}`);
    const long = `${'前文'.repeat(200)}关键材料${'后文'.repeat(200)}`;
    const snip = snippetOf(long, ['关键材料']);
    expect(snip.startsWith('…')).toBe(true);
    expect(snip).toContain(`${MARK_START}关键材料${MARK_END}`);
  });
  it('suggests a homophone or a one-character correction when little matched', () => {
    const idx = new SearchIndex();
    for (let i = 0; i < 6; i++) idx.put(doc(`notice:${i}`, `营业执照年报通知${i}`, '营业执照 年度报告 公示'));
    expect(idx.search('营业执造').suggestion).toBe('营业执照');
    expect(idx.search('营业直照').suggestion).toBe('营业执照');
    expect(idx.search('营业执照').suggestion).toBeNull();
  });
  it('answers hostile input without throwing', () => {
    const idx = corpus();
    const inputs = ['', '   ', '!!!???', "' OR 1=1 --", '<script>alert(1)</script>', 'a & b | !c <-> d:*', '营业执照'.repeat(3000), '\u0000', '🙂🙂🙂', 'ＡＢＣ营业执照123abc', '(((((', '\\', '%_%'];
    for (const q of inputs) {
      const r = idx.search(q);
      expect(r.total).toBeGreaterThanOrEqual(0);
    }
    expect(idx.search('营业执照'.repeat(3000)).hits[0]?.key).toBe('service-item:1');
    expect(idx.search('ＡＢＣ营业执照123abc').hits[0]?.key).toBe('service-item:1');
  });
});
