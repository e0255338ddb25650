import type { FieldError } from '../../platform/errors.ts';

/**
 * 网上调查: a questionnaire is data — an ordered list of questions of four kinds. Organisers
 * write it as one line per question (works without JavaScript); the API takes the JSON.
 */
export type QuestionType = 'single' | 'multiple' | 'rating' | 'text';

export interface Question {
  /** Stable within the survey: q1, q2, … (form field names and export columns). */
  id: string;
  type: QuestionType;
  title: string;
  required: boolean;
  /** single / multiple: the choices, in order. */
  options?: string[];
  /** multiple: how many choices at least / at most. */
  min?: number;
  max?: number;
}

export type Answer = number | number[] | string;
export type Answers = Record<string, Answer>;

export const MAX_QUESTIONS = 50;
export const MAX_OPTIONS = 20;
export const TEXT_ANSWER_MAX = 500;
const TITLE_MAX = 200;
const OPTION_MAX = 100;

const TYPE_WORDS: Record<string, QuestionType> = { 单选: 'single', 多选: 'multiple', 评分: 'rating', 简答: 'text', single: 'single', multiple: 'multiple', rating: 'rating', text: 'text' };
const TYPE_LABEL: Record<QuestionType, string> = { single: '单选', multiple: '多选', rating: '评分', text: '简答' };

/** Checks a questionnaire (from JSON or parsed text); reasons in Chinese, field `questions`. */
export function validateQuestions(raw: unknown, field = 'questions'): { value: Question[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (message: string) => errors.push({ field, message });
  if (!Array.isArray(raw) || raw.length === 0) {
    fail('请至少设置一个问题');
    return { value: [], errors };
  }
  if (raw.length > MAX_QUESTIONS) fail(`问题不能超过 ${MAX_QUESTIONS} 个`);
  const value: Question[] = [];
  raw.slice(0, MAX_QUESTIONS).forEach((q: unknown, i) => {
    const n = i + 1;
    if (!q || typeof q !== 'object') return void fail(`第 ${n} 题格式不正确`);
    const o = q as Record<string, unknown>;
    const type = o.type;
    if (type !== 'single' && type !== 'multiple' && type !== 'rating' && type !== 'text') return void fail(`第 ${n} 题的题型应为单选、多选、评分或简答`);
    const title = typeof o.title === 'string' ? o.title.trim() : '';
    if (!title) return void fail(`第 ${n} 题缺少题目`);
    if ([...title].length > TITLE_MAX) return void fail(`第 ${n} 题的题目不能超过 ${TITLE_MAX} 个字`);
    const question: Question = { id: `q${n}`, type, title, required: o.required === true };
    if (type === 'single' || type === 'multiple') {
      const options = Array.isArray(o.options) ? o.options.map((x) => (typeof x === 'string' ? x.trim() : '')).filter(Boolean) : [];
      if (options.length < 2) return void fail(`第 ${n} 题（${TYPE_LABEL[type]}）至少需要两个选项`);
      if (options.length > MAX_OPTIONS) return void fail(`第 ${n} 题的选项不能超过 ${MAX_OPTIONS} 个`);
      if (options.some((x) => [...x].length > OPTION_MAX)) return void fail(`第 ${n} 题的选项不能超过 ${OPTION_MAX} 个字`);
      if (new Set(options).size !== options.length) return void fail(`第 ${n} 题有重复的选项`);
      question.options = options;
      if (type === 'multiple') {
        const min = o.min === undefined ? (question.required ? 1 : 0) : o.min;
        const max = o.max === undefined ? options.length : o.max;
        if (!Number.isInteger(min) || !Number.isInteger(max) || (min as number) < 0 || (max as number) < 1 || (min as number) > (max as number) || (max as number) > options.length) {
          return void fail(`第 ${n} 题的最少、最多可选项数不合理（应在 0 到 ${options.length} 之间，且最少不大于最多）`);
        }
        question.min = min as number;
        question.max = max as number;
        if (question.min > 0) question.required = true;
      }
    }
    value.push(question);
  });
  return { value, errors };
}

/**
 * The organiser's text form, one question per line:
 *   单选* | 您对政务服务的总体评价？ | 非常满意 / 满意 / 一般 / 不满意
 *   多选(1-3) | 您常用哪些办事渠道？ | 政务服务网 / 鄂汇办 / 窗口 / 12345 热线
 *   评分* | 请为窗口服务打分
 *   简答 | 您还有什么建议？
 * `*` marks a required question; `(min-max)` limits a multiple choice.
 */
export function parseQuestionnaireText(text: string, field = 'questions'): { value: Question[]; errors: FieldError[] } {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const raw: unknown[] = [];
  for (const [i, line] of lines.entries()) {
    const parts = line.split(/[|｜]/).map((p) => p.trim());
    const head = /^([^\s*(（]+)\s*(\*)?\s*(?:[(（]\s*(\d+)\s*[-–~～]\s*(\d+)\s*[)）])?\s*(\*)?$/.exec(parts[0] ?? '');
    const type = head ? TYPE_WORDS[head[1] ?? ''] : undefined;
    if (!head || !type) return { value: [], errors: [{ field, message: `第 ${i + 1} 行应以题型开头：单选、多选、评分或简答` }] };
    raw.push({
      type,
      title: parts[1] ?? '',
      required: Boolean(head[2] ?? head[5]),
      ...(parts[2] !== undefined ? { options: parts[2].split(/[/／]/) } : {}),
      ...(head[3] !== undefined ? { min: Number(head[3]), max: Number(head[4]) } : {}),
    });
  }
  return validateQuestions(raw, field);
}

/** The inverse of parseQuestionnaireText (to show a saved questionnaire in the edit form). */
export function questionnaireToText(questions: Question[]): string {
  return questions
    .map((q) => {
      const limits = q.type === 'multiple' && (q.min !== undefined || q.max !== undefined) ? `(${q.min ?? 0}-${q.max ?? q.options?.length ?? 0})` : '';
      const head = `${TYPE_LABEL[q.type]}${q.required ? '*' : ''}${limits}`;
      return [head, q.title, ...(q.options ? [q.options.join(' / ')] : [])].join(' | ');
    })
    .join('\n');
}

function toInt(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,3}$/.test(v.trim())) return Number(v.trim());
  return null;
}

/**
 * Checks one respondent's answers against the questionnaire. Accepts form values (strings,
 * arrays of strings) and JSON (numbers). Choices are 0-based option indexes; ratings 1–5.
 * Errors name the question's field (`q1`…) with a Chinese reason.
 */
export function validateAnswers(questions: Question[], raw: Record<string, unknown>): { value: Answers; errors: FieldError[] } {
  const value: Answers = {};
  const errors: FieldError[] = [];
  for (const q of questions) {
    const v = raw[q.id];
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (q.required) errors.push({ field: q.id, message: q.type === 'text' ? '请填写此题' : '请回答此题' });
      continue;
    }
    switch (q.type) {
      case 'single': {
        const n = toInt(Array.isArray(v) ? v[0] : v);
        if (n === null || n < 0 || n >= (q.options?.length ?? 0)) errors.push({ field: q.id, message: '请从给出的选项中选择一项' });
        else value[q.id] = n;
        break;
      }
      case 'multiple': {
        const list = (Array.isArray(v) ? v : [v]).map(toInt);
        const count = q.options?.length ?? 0;
        if (list.some((n) => n === null || n < 0 || n >= count)) {
          errors.push({ field: q.id, message: '请从给出的选项中选择' });
          break;
        }
        const chosen = [...new Set(list as number[])].sort((a, b) => a - b);
        if (q.min !== undefined && chosen.length < q.min) errors.push({ field: q.id, message: `至少选择 ${q.min} 项` });
        else if (q.max !== undefined && chosen.length > q.max) errors.push({ field: q.id, message: `最多选择 ${q.max} 项` });
        else value[q.id] = chosen;
        break;
      }
      case 'rating': {
        const n = toInt(v);
        if (n === null || n < 1 || n > 5) errors.push({ field: q.id, message: '请选择 1 到 5 分' });
        else value[q.id] = n;
        break;
      }
      case 'text': {
        const s = typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : null;
        if (s === null) errors.push({ field: q.id, message: '请填写文字' });
        else if ([...s].length > TEXT_ANSWER_MAX) errors.push({ field: q.id, message: `不能超过 ${TEXT_ANSWER_MAX} 个字` });
        else if (s) value[q.id] = s;
        else if (q.required) errors.push({ field: q.id, message: '请填写此题' });
        break;
      }
    }
  }
  return { value, errors };
}

export interface OptionCount {
  label: string;
  count: number;
  /** Share of the question's respondents, 0–100 with one decimal. */
  percent: number;
}

export interface QuestionResult {
  question: Question;
  /** Respondents who answered this question. */
  answered: number;
  /** single / multiple: per option; rating: per score 1–5. */
  counts: OptionCount[];
  /** rating: the mean, one decimal; null without answers. */
  average: number | null;
  /** text: the answers that may be shown (already filtered by the caller's moderation rule). */
  texts: string[];
}

export interface SurveyResults {
  responses: number;
  questions: QuestionResult[];
}

const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1000) / 10);

/**
 * Live results: counts and percentages per option (of those who answered the question;
 * a multiple choice's percentages may add up to more than 100). Text answers are listed
 * only for responses the caller marks as shown (moderated).
 */
export function computeResults(questions: Question[], responses: { answers: Answers; textShown: boolean }[]): SurveyResults {
  const results = questions.map((question): QuestionResult => {
    const given = responses.filter((r) => r.answers[question.id] !== undefined);
    const answered = given.length;
    if (question.type === 'text') {
      return { question, answered, counts: [], average: null, texts: given.filter((r) => r.textShown).map((r) => String(r.answers[question.id])) };
    }
    const labels = question.type === 'rating' ? ['1 分', '2 分', '3 分', '4 分', '5 分'] : (question.options ?? []);
    const tally = labels.map(() => 0);
    let sum = 0;
    for (const r of given) {
      const a = r.answers[question.id];
      if (question.type === 'rating' && typeof a === 'number') {
        tally[a - 1] = (tally[a - 1] ?? 0) + 1;
        sum += a;
      } else if (typeof a === 'number') tally[a] = (tally[a] ?? 0) + 1;
      else if (Array.isArray(a)) for (const i of a) tally[i] = (tally[i] ?? 0) + 1;
    }
    return {
      question,
      answered,
      counts: labels.map((label, i) => ({ label, count: tally[i] ?? 0, percent: pct(tally[i] ?? 0, answered) })),
      average: question.type === 'rating' && answered > 0 ? Math.round((sum / answered) * 10) / 10 : null,
      texts: [],
    };
  });
  return { responses: responses.length, questions: results };
}

/** One answer as people read it (exports, the organiser's response list). */
export function answerText(q: Question, a: Answer | undefined): string {
  if (a === undefined) return '';
  if (q.type === 'single' && typeof a === 'number') return q.options?.[a] ?? '';
  if (q.type === 'multiple' && Array.isArray(a)) return a.map((i) => q.options?.[i] ?? '').join('；');
  if (q.type === 'rating') return `${String(a)} 分`;
  return String(a);
}
