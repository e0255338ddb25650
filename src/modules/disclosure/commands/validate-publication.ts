import { parseCivilDate } from '../../../platform/calendar/index.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { GENRES, THEMES, VALIDITIES, type Validity } from '../catalog.ts';
import type { PublicationContent } from '../publication.repository.ts';
import { looksLikeHtml, plainText, sanitizeBody, textToHtml } from '../sanitize.ts';

export interface PublicationInput {
  title?: unknown;
  docNumber?: unknown;
  issuingBody?: unknown;
  writtenOn?: unknown;
  categoryCode?: unknown;
  theme?: unknown;
  genre?: unknown;
  validity?: unknown;
  summary?: unknown;
  body?: unknown;
  attachmentIds?: unknown;
}

export const FIELD_LABELS: Record<string, string> = {
  title: '标题',
  docNumber: '文号',
  issuingBody: '发布机构',
  writtenOn: '成文日期',
  categoryCode: '主题分类（公开目录）',
  theme: '主题词',
  genre: '文种',
  validity: '有效性',
  summary: '内容概述',
  body: '正文',
  attachmentIds: '附件',
  indexNumber: '索引号',
  opinion: '审查意见',
  reason: '原因',
  interpretsId: '所解读的政策文件',
};

const str = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '');
const len = (s: string) => [...s].length;
/** 发文字号: organ code word + full year in 〔〕 + sequence without leading zeros + 号 (DOMAIN.md §1.4). */
const DOC_NUMBER = /^.+〔\d{4}〕[1-9]\d*号$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks and normalises a publication's content; Chinese reasons per field. The body is
 * markup (sanitised against a strict allow-list) or plain text (turned into paragraphs).
 */
export function validatePublicationInput(
  raw: PublicationInput,
  ctx: { categoryCodes: ReadonlySet<string>; today: string; defaultIssuingBody: string },
): { value: PublicationContent; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });

  const title = str(raw.title).replace(/\s+/g, ' ');
  if (!title) err('title', '请填写标题');
  else if (len(title) > 200) err('title', '标题不能超过 200 个字');
  else if (looksLikeHtml(title)) err('title', '标题不能含有 HTML 标记');

  const docNumber = str(raw.docNumber).replace(/[(（]/g, '〔').replace(/[)）]/g, '〕');
  if (docNumber && !DOC_NUMBER.test(docNumber)) err('docNumber', '文号格式应为“机关代字〔年份〕序号号”，如 鄂政发〔2024〕3号');
  else if (len(docNumber) > 60) err('docNumber', '文号不能超过 60 个字');

  const issuingBody = str(raw.issuingBody) || ctx.defaultIssuingBody;
  if (len(issuingBody) > 100) err('issuingBody', '发布机构不能超过 100 个字');

  const writtenOn = str(raw.writtenOn);
  if (!writtenOn) err('writtenOn', '请填写成文日期');
  else {
    let ok = /^\d{4}-\d{2}-\d{2}$/.test(writtenOn);
    if (ok) {
      try {
        parseCivilDate(writtenOn);
      } catch {
        ok = false;
      }
    }
    if (!ok) err('writtenOn', '成文日期应为有效日期，格式如 2024-03-15');
    else if (writtenOn > ctx.today) err('writtenOn', '成文日期不能晚于今天');
    else if (writtenOn < '1949-10-01') err('writtenOn', '成文日期不能早于 1949-10-01');
  }

  const categoryCode = str(raw.categoryCode);
  if (!categoryCode) err('categoryCode', '请选择主题分类');
  else if (!ctx.categoryCodes.has(categoryCode)) err('categoryCode', '所选主题分类不存在');

  const theme = str(raw.theme);
  if (theme && !(THEMES as readonly string[]).includes(theme)) err('theme', '请从列表中选择主题词');

  const genre = str(raw.genre);
  if (!genre) err('genre', '请选择文种');
  else if (!(GENRES as readonly string[]).includes(genre)) err('genre', `文种应为以下之一：${GENRES.join('、')}`);

  const validity = (str(raw.validity) || 'valid') as Validity;
  if (!(VALIDITIES as readonly string[]).includes(validity)) err('validity', '有效性应为 有效、失效 或 废止');

  const summary = str(raw.summary);
  if (len(summary) > 500) err('summary', '内容概述不能超过 500 个字');
  else if (looksLikeHtml(summary)) err('summary', '内容概述不能含有 HTML 标记');

  const bodyRaw = typeof raw.body === 'string' ? raw.body : '';
  const bodyHtml = bodyRaw.trim() ? sanitizeBody(looksLikeHtml(bodyRaw) ? bodyRaw : textToHtml(bodyRaw)) : '';
  const bodyText = plainText(bodyHtml);
  if (!bodyText) err('body', '请填写正文');
  else if (bodyHtml.length > 500_000) err('body', '正文过长（不能超过 50 万字符）');

  let attachmentIds: string[] = [];
  if (raw.attachmentIds !== undefined && raw.attachmentIds !== null && raw.attachmentIds !== '') {
    const list: unknown[] = Array.isArray(raw.attachmentIds) ? raw.attachmentIds : typeof raw.attachmentIds === 'string' ? raw.attachmentIds.split(/[\s,，]+/).filter(Boolean) : [raw.attachmentIds];
    if (list.length > 30 || !list.every((x) => typeof x === 'string' && UUID.test(x))) err('attachmentIds', '附件编号无效（最多 30 个）');
    else attachmentIds = [...new Set(list as string[])];
  }

  return {
    value: { title, docNumber: docNumber || null, issuingBody, writtenOn, categoryCode, theme: theme || null, genre, validity, summary: summary || null, bodyHtml, bodyText, attachmentIds },
    errors,
  };
}
