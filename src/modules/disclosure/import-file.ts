/**
 * Bulk import of publications from old sites (JSON or CSV). One row = one document; a row
 * is applied whole or not at all, and a source id already imported is skipped (idempotent).
 */
export interface ImportRow {
  sourceId: string;
  title?: string;
  docNumber?: string;
  issuingBody?: string;
  writtenOn?: string;
  publishedAt?: string;
  indexNumber?: string;
  category?: string;
  theme?: string;
  genre?: string;
  validity?: string;
  summary?: string;
  body?: string;
  /** File names in the attachments folder. */
  attachments?: string[];
}

export interface ImportRowReport {
  row: number;
  sourceId: string;
  outcome: 'created' | 'skipped' | 'failed';
  message: string;
  publicationId?: string;
}

const FIELDS = ['sourceId', 'title', 'docNumber', 'issuingBody', 'writtenOn', 'publishedAt', 'indexNumber', 'category', 'theme', 'genre', 'validity', 'summary', 'body', 'attachments'] as const;
/** CSV headers may be Chinese (as old sites export them). */
const HEADER_ALIASES: Record<string, (typeof FIELDS)[number]> = {
  来源编号: 'sourceId', 标题: 'title', 文号: 'docNumber', 发布机构: 'issuingBody', 成文日期: 'writtenOn', 发布日期: 'publishedAt', 索引号: 'indexNumber',
  主题分类: 'category', 主题词: 'theme', 文种: 'genre', 有效性: 'validity', 内容概述: 'summary', 正文: 'body', 附件: 'attachments',
};
export const MAX_IMPORT_ROWS = 5000;

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM allowed. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

export type ParsedImport = { ok: true; rows: ImportRow[] } | { ok: false; message: string };

const scalar = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

function clean(raw: Record<string, unknown>): ImportRow | null {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = (FIELDS as readonly string[]).includes(k) ? k : HEADER_ALIASES[k.trim()];
    if (!key || v === null || v === undefined) continue;
    if (key === 'attachments') out[key] = Array.isArray(v) ? v.map(scalar) : scalar(v).split(/[;；|]/).map((x) => x.trim()).filter(Boolean);
    else out[key] = scalar(v).trim();
  }
  if (typeof out.sourceId !== 'string' || !out.sourceId) return null;
  return out as unknown as ImportRow;
}

export function parseImportFile(fileName: string, text: string): ParsedImport {
  let records: Record<string, unknown>[];
  if (/\.json$/i.test(fileName) || /^\s*[[{]/.test(text)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { ok: false, message: '文件不是有效的 JSON' };
    }
    const list = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { publications?: unknown }).publications) ? (data as { publications: unknown[] }).publications : null;
    if (!list) return { ok: false, message: 'JSON 文件应为数组，或含有 publications 数组的对象' };
    if (!list.every((x) => x && typeof x === 'object' && !Array.isArray(x))) return { ok: false, message: 'JSON 数组的每一项都应是对象' };
    records = list as Record<string, unknown>[];
  } else {
    const table = parseCsv(text);
    if (table.length < 2) return { ok: false, message: 'CSV 文件至少应有表头和一行数据' };
    const header = table[0]!.map((h) => h.trim());
    records = table.slice(1).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
  }
  if (records.length > MAX_IMPORT_ROWS) return { ok: false, message: `一次最多导入 ${MAX_IMPORT_ROWS} 条` };
  const rows: ImportRow[] = [];
  for (const [i, r] of records.entries()) {
    const row = clean(r);
    if (!row) return { ok: false, message: `第 ${i + 1} 条缺少来源编号（sourceId / 来源编号）` };
    rows.push(row);
  }
  return { ok: true, rows };
}
