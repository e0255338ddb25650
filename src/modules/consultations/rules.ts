import sanitizeHtml from 'sanitize-html';
import type { ConsultationRow } from './consultation.repository.ts';

/**
 * Where a consultation stands at a moment. "Closed" is computed from the closing time,
 * not written by a job, so a comment can never slip in after the deadline because a job
 * ran late (the submit commands check the same instant).
 */
export type Phase = 'draft' | 'scheduled' | 'open' | 'closed' | 'concluded';

export function phaseAt(c: Pick<ConsultationRow, 'status' | 'opensAt' | 'closesAt'>, now: Date): Phase {
  if (c.status === 'draft') return 'draft';
  if (c.status === 'concluded') return 'concluded';
  if (now < c.opensAt) return 'scheduled';
  if (now >= c.closesAt) return 'closed';
  return 'open';
}

export const PHASE_LABEL: Record<Phase, string> = { draft: '草稿', scheduled: '尚未开始', open: '征集中', closed: '已截止', concluded: '已公布结果' };
export const PHASE_LABEL_EN: Record<Phase, string> = { draft: 'Draft', scheduled: 'Not yet open', open: 'Open', closed: 'Closed', concluded: 'Results published' };
export const PHASE_BADGE: Record<Phase, string> = { draft: 'badge warn', scheduled: 'badge', open: 'badge ok', closed: 'badge', concluded: 'badge ok' };

/** Whether the public may see the survey's results now (live surveys while open, all after conclusion). */
export function resultsVisible(c: Pick<ConsultationRow, 'kind' | 'status' | 'opensAt' | 'closesAt' | 'liveResults'>, now: Date): boolean {
  if (c.kind !== 'survey') return false;
  const phase = phaseAt(c, now);
  if (phase === 'concluded') return true;
  return c.liveResults && (phase === 'open' || phase === 'closed');
}

/** The draft's full text: a small allow-list of document markup (headings, lists, tables), no scripts, styles or links out of http(s). */
export function sanitizeDraftHtml(input: string): string {
  return sanitizeHtml(input, {
    allowedTags: ['p', 'br', 'h2', 'h3', 'h4', 'strong', 'em', 'b', 'i', 'u', 'ul', 'ol', 'li', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'caption', 'a'],
    allowedAttributes: { a: ['href'], th: ['scope', 'colspan', 'rowspan'], td: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    disallowedTagsMode: 'discard',
  }).trim();
}

/** Plain text of the sanitised draft (search index, snippets, length checks). */
export function htmlToText(markup: string): string {
  return sanitizeHtml(markup.replace(/<\/(p|h\d|li|tr|blockquote)>/gi, '\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Words that send a comment or text answer to a moderator with a flag (辱骂、人身攻击、广告).
 * A flag never refuses the submission: people are heard, moderators decide what is shown.
 */
const ABUSIVE_WORDS = ['傻逼', '傻b', '煞笔', '他妈的', '去死', '滚蛋', '狗官', '垃圾政府', '王八蛋', '混蛋', '贱人', '废物', '弱智', '脑残', '加微信', '代开发票', '博彩', '贷款秒批'];

export function abusiveTerms(text: string): string[] {
  const normalized = text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  return ABUSIVE_WORDS.filter((w) => normalized.includes(w));
}

export const COMMENT_MIN = 5;
export const COMMENT_MAX = 2000;
