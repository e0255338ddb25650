import type { FieldError } from '../../../platform/errors.ts';

export interface NoticeInput {
  title: string;
  body: string;
}

/** Trims and checks a notice's fields; returns Chinese reasons per field. */
export function validateNoticeInput(raw: { title?: unknown; body?: unknown }): { value: NoticeInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const title = typeof raw.title === 'string' ? raw.title.trim() : '';
  const body = typeof raw.body === 'string' ? raw.body.replace(/\r\n/g, '\n').trim() : '';
  if (!title) errors.push({ field: 'title', message: '请填写标题' });
  else if ([...title].length > 120) errors.push({ field: 'title', message: '标题不能超过 120 个字' });
  if (!body) errors.push({ field: 'body', message: '请填写正文' });
  else if ([...body].length > 20000) errors.push({ field: 'body', message: '正文不能超过 20000 个字' });
  return { value: { title, body }, errors };
}
