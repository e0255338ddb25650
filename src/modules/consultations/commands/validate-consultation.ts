import type { FieldError } from '../../../platform/errors.ts';
import type { ConsultationFields, ConsultationKind, Participation } from '../consultation.repository.ts';
import { parseQuestionnaireText, validateQuestions } from '../questionnaire.ts';
import { htmlToText, sanitizeDraftHtml } from '../rules.ts';

export interface ConsultationInput {
  title?: unknown;
  summary?: unknown;
  body?: unknown;
  /** JSON API: the questions as data. */
  questions?: unknown;
  /** Pages: one question per line (questionnaire.ts). */
  questionsText?: unknown;
  opensAt?: unknown;
  closesAt?: unknown;
  participation?: unknown;
  publicComments?: unknown;
  liveResults?: unknown;
}

export const FIELD_LABELS: Record<string, string> = {
  title: '标题',
  summary: '内容简介',
  body: '正文',
  questions: '问卷题目',
  questionsText: '问卷题目',
  opensAt: '开始时间',
  closesAt: '截止时间',
  participation: '参与方式',
};

/**
 * A wall-clock time typed in a form (`2026-12-01T09:00`, Asia/Shanghai) or an ISO instant
 * with offset from the API. Null when it is neither.
 */
export function parseShanghaiTime(raw: unknown): Date | null {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw;
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (local) {
    const d = new Date(`${local[1]}-${local[2]}-${local[3]}T${local[4]}:${local[5]}:${local[6] ?? '00'}+08:00`);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** `2026-12-01T09:00` in Asia/Shanghai, for datetime-local inputs. */
export function toShanghaiLocal(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}

const flag = (v: unknown): boolean => v === true || v === 'on' || v === 'true' || v === '1';

/** Trims and checks a consultation's fields; Chinese reasons per field. */
export function validateConsultationInput(kind: ConsultationKind, raw: ConsultationInput): { value: ConsultationFields; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const title = typeof raw.title === 'string' ? raw.title.trim() : '';
  if (raw.title !== undefined && typeof raw.title !== 'string') errors.push({ field: 'title', message: '标题应为文字' });
  else if (!title) errors.push({ field: 'title', message: '请填写标题' });
  else if ([...title].length > 200) errors.push({ field: 'title', message: '标题不能超过 200 个字' });

  const summary = typeof raw.summary === 'string' ? raw.summary.replace(/\r\n/g, '\n').trim() : '';
  if ([...summary].length > 1000) errors.push({ field: 'summary', message: '内容简介不能超过 1000 个字' });

  const bodyRaw = typeof raw.body === 'string' ? raw.body : '';
  // Plain text typed in a textarea becomes paragraphs; markup is kept only through the allow-list.
  const looksLikeHtml = /<\/?[a-z][\s\S]*>/i.test(bodyRaw);
  const bodyHtml = looksLikeHtml
    ? sanitizeDraftHtml(bodyRaw)
    : sanitizeDraftHtml(
        bodyRaw
          .replace(/\r\n/g, '\n')
          .split(/\n+/)
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`)
          .join(''),
      );
  if (kind === 'draft' && !htmlToText(bodyHtml)) errors.push({ field: 'body', message: '请填写征求意见稿的正文' });
  else if (bodyHtml.length > 200000) errors.push({ field: 'body', message: '正文过长（不能超过 20 万字符）' });

  let questions: ConsultationFields['questions'] = [];
  if (kind === 'survey') {
    const parsed =
      typeof raw.questionsText === 'string' && raw.questions === undefined ? parseQuestionnaireText(raw.questionsText, 'questionsText') : validateQuestions(raw.questions, 'questions');
    questions = parsed.value;
    errors.push(...parsed.errors);
  }

  const opensAt = parseShanghaiTime(raw.opensAt);
  const closesAt = parseShanghaiTime(raw.closesAt);
  if (!opensAt) errors.push({ field: 'opensAt', message: '请填写开始时间，格式如 2026-12-01 09:00' });
  if (!closesAt) errors.push({ field: 'closesAt', message: '请填写截止时间，格式如 2026-12-31 17:00' });
  else if (opensAt && closesAt <= opensAt) errors.push({ field: 'closesAt', message: '截止时间应晚于开始时间' });

  const participation: Participation | null = raw.participation === 'real_name' || raw.participation === 'open' ? raw.participation : null;
  if (!participation) errors.push({ field: 'participation', message: '请选择参与方式：实名参与或可匿名参与' });

  return {
    value: {
      title,
      summary,
      bodyHtml,
      questions,
      opensAt: opensAt ?? new Date(0),
      closesAt: closesAt ?? new Date(0),
      participation: participation ?? 'real_name',
      publicComments: flag(raw.publicComments),
      liveResults: flag(raw.liveResults),
    },
    errors,
  };
}
