import { describe, expect, it } from 'vitest';
import { answerText, computeResults, parseQuestionnaireText, questionnaireToText, validateAnswers, validateQuestions, type Question } from './questionnaire.ts';
import { abusiveTerms, htmlToText, phaseAt, resultsVisible, sanitizeDraftHtml } from './rules.ts';

const SURVEY = `单选* | 您通过哪种方式办事？ | 网上 / 窗口 / 热线
多选(1-2) | 需要改进哪些方面？ | 时限 / 材料 / 态度
评分* | 总体满意度
简答 | 其他建议`;

describe('questionnaire as data', () => {
  it('parses the one-line-per-question text form and writes it back', () => {
    const { value, errors } = parseQuestionnaireText(SURVEY);
    expect(errors).toEqual([]);
    expect(value.map((q) => [q.id, q.type, q.required])).toEqual([
      ['q1', 'single', true],
      ['q2', 'multiple', true],
      ['q3', 'rating', true],
      ['q4', 'text', false],
    ]);
    expect(value[1]).toMatchObject({ options: ['时限', '材料', '态度'], min: 1, max: 2 });
    expect(parseQuestionnaireText(questionnaireToText(value)).value).toEqual(value);
  });

  it('refuses bad questionnaires with the line or question named', () => {
    expect(parseQuestionnaireText('问答 | 什么？').errors[0]?.message).toContain('第 1 行');
    expect(parseQuestionnaireText('单选 | 只有一个选项 | 是').errors[0]?.message).toContain('至少需要两个选项');
    expect(parseQuestionnaireText('多选(3-2) | 题 | a / b / c').errors[0]?.message).toContain('最少、最多');
    expect(parseQuestionnaireText('多选(1-5) | 题 | a / b / c').errors[0]?.message).toContain('最少、最多');
    expect(parseQuestionnaireText('单选 | 重复 | a / a').errors[0]?.message).toContain('重复');
    expect(validateQuestions([]).errors[0]?.message).toBe('请至少设置一个问题');
    expect(validateQuestions([{ type: 'single', title: '' }]).errors[0]?.message).toContain('缺少题目');
    expect(validateQuestions('nope').errors).toHaveLength(1);
  });

  const questions = parseQuestionnaireText(SURVEY).value;

  it('validates answers from forms (strings) and JSON (numbers), naming each question', () => {
    expect(validateAnswers(questions, { q1: '1', q2: ['0', '2'], q3: '5', q4: ' 很好 ' })).toEqual({ value: { q1: 1, q2: [0, 2], q3: 5, q4: '很好' }, errors: [] });
    expect(validateAnswers(questions, { q1: 2, q2: [1], q3: 1 }).errors).toEqual([]);
    const bad = validateAnswers(questions, { q1: '7', q2: ['0', '1', '2'], q3: '6', q4: 'x'.repeat(501) });
    expect(bad.errors).toEqual([
      { field: 'q1', message: '请从给出的选项中选择一项' },
      { field: 'q2', message: '最多选择 2 项' },
      { field: 'q3', message: '请选择 1 到 5 分' },
      { field: 'q4', message: '不能超过 500 个字' },
    ]);
    const missing = validateAnswers(questions, {});
    expect(missing.errors.map((e) => e.field)).toEqual(['q1', 'q2', 'q3']);
    expect(validateAnswers(questions, { q1: 'abc', q2: 'x', q3: '3' }).errors.map((e) => e.field)).toEqual(['q1', 'q2']);
  });

  it('computes counts, percentages of those who answered, rating averages and moderated texts', () => {
    const r = computeResults(questions, [
      { answers: { q1: 0, q2: [0, 1], q3: 5, q4: '好' }, textShown: true },
      { answers: { q1: 0, q2: [1], q3: 4, q4: '不好听的话' }, textShown: false },
      { answers: { q1: 2, q3: 3 }, textShown: false },
    ]);
    expect(r.responses).toBe(3);
    expect(r.questions[0]?.counts).toEqual([
      { label: '网上', count: 2, percent: 66.7 },
      { label: '窗口', count: 0, percent: 0 },
      { label: '热线', count: 1, percent: 33.3 },
    ]);
    expect(r.questions[1]?.answered).toBe(2);
    expect(r.questions[1]?.counts.map((c) => c.percent)).toEqual([50, 100, 0]);
    expect(r.questions[2]?.average).toBe(4);
    expect(r.questions[2]?.counts.map((c) => c.count)).toEqual([0, 0, 1, 1, 1]);
    expect(r.questions[3]?.texts).toEqual(['好']);
    expect(computeResults(questions, []).questions[0]?.counts.every((c) => c.percent === 0)).toBe(true);
  });

  it('writes answers as people read them', () => {
    const q = questions as [Question, Question, Question, Question];
    expect(answerText(q[0], 1)).toBe('窗口');
    expect(answerText(q[1], [0, 2])).toBe('时限；态度');
    expect(answerText(q[2], 4)).toBe('4 分');
    expect(answerText(q[3], undefined)).toBe('');
  });
});

describe('consultation rules', () => {
  const c = { status: 'published' as const, opensAt: new Date('2026-12-01T01:00:00Z'), closesAt: new Date('2026-12-31T09:00:00Z') };
  it('computes the phase from the closing time, to the millisecond', () => {
    expect(phaseAt({ ...c, status: 'draft' }, new Date('2026-12-10T00:00:00Z'))).toBe('draft');
    expect(phaseAt(c, new Date('2026-11-30T00:00:00Z'))).toBe('scheduled');
    expect(phaseAt(c, new Date('2026-12-31T08:59:59.999Z'))).toBe('open');
    expect(phaseAt(c, new Date('2026-12-31T09:00:00Z'))).toBe('closed');
    expect(phaseAt({ ...c, status: 'concluded' }, new Date('2026-12-10T00:00:00Z'))).toBe('concluded');
  });
  it('shows survey results live only when the organiser chose so, and always once concluded', () => {
    const s = { ...c, kind: 'survey' as const, liveResults: false };
    const during = new Date('2026-12-10T00:00:00Z');
    expect(resultsVisible(s, during)).toBe(false);
    expect(resultsVisible({ ...s, liveResults: true }, during)).toBe(true);
    expect(resultsVisible({ ...s, status: 'concluded' }, during)).toBe(true);
    expect(resultsVisible({ ...s, kind: 'draft', status: 'concluded' }, during)).toBe(false);
  });
  it('keeps document markup and strips scripts, handlers and foreign schemes', () => {
    const out = sanitizeDraftHtml('<h2>第一章</h2><p onclick="x()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a><img src=x onerror=alert(1)></p><style>p{}</style>');
    expect(out).toBe('<h2>第一章</h2><p>正文<a>链接</a></p>');
    expect(htmlToText('<p>甲 &amp; 乙</p><p>丙</p>')).toBe('甲 & 乙\n丙');
  });
  it('flags abusive words regardless of spacing and width', () => {
    expect(abusiveTerms('这个 狗 官 不作为')).toEqual(['狗官']);
    expect(abusiveTerms('建议增加晚间投放时段')).toEqual([]);
  });
});
