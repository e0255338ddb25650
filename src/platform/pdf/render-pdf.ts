/**
 * renderPdf(spec) → Buffer: an official Chinese document (公文-like layout after GB/T 9704-2012):
 * A4, margins 天头 37 mm / 订口 28 mm (版心 156 × 225 mm), optional red issuer header (发文机关标志)
 * and document number (发文字号), title, addressee (主送), body paragraphs with a first-line
 * indent of two characters, headings, tables, the signature block (署名 + 成文日期, right, 4 characters
 * in from the edge), notes (附注/抄送) and page numbers "— n —" (odd pages right, even pages left).
 *
 * Layout is pdfkit's with the converted CJK font from cjk-font.ts (no shaping tables), which is
 * what makes it fast (docs/pdf.md has the measurements).
 */
import PDFDocument from 'pdfkit';
import { cjkFont } from './cjk-font.ts';

export type PdfAlign = 'left' | 'center' | 'right';

export interface PdfTableColumn {
  title: string;
  /** Relative width (default 1). */
  width?: number;
  align?: PdfAlign;
}

export type PdfBlock =
  | string
  | { kind: 'paragraph'; text: string; /** first-line indent of two characters (default true) */ indent?: boolean; align?: PdfAlign; bold?: boolean }
  | { kind: 'heading'; text: string }
  | { kind: 'table'; caption?: string; columns: PdfTableColumn[]; rows: string[][]; /** points, default 12 */ fontSize?: number }
  | { kind: 'spacer'; lines?: number };

export interface PdfSignature {
  organisation: string;
  /** 成文日期: a civil date 'YYYY-MM-DD' or a Date (shown in Asia/Shanghai). */
  date: string | Date;
}

export interface PdfDocumentSpec {
  title: string;
  /** 发文机关标志, printed in red above a red rule. */
  issuer?: string;
  /** 发文字号, e.g. 某政信〔2026〕12号. */
  documentNumber?: string;
  /** 主送 / salutation, e.g. "张三：". */
  addressee?: string;
  blocks: PdfBlock[];
  signature?: PdfSignature;
  /** 附注, 抄送 …: small lines after the signature. */
  notes?: string[];
  /** Document information; createdAt fixes the creation date (reproducible output). */
  meta?: { author?: string; subject?: string; keywords?: string; createdAt?: Date };
}

const MM = 72 / 25.4;
const MARGINS = { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM };
/** 3号 (16 pt) body, 2号 (22 pt) title, 4号 (14 pt) page numbers. */
const BODY_SIZE = 16;
const TITLE_SIZE = 22;
const PAGE_NUMBER_SIZE = 14;
/** 22 lines on the 225 mm type area. */
const LINE_PITCH = (225 * MM) / 22;
const RED = '#c00000';
const NOTE_SIZE = 12;
const NOTE_PITCH = 20;

type Doc = InstanceType<typeof PDFDocument>;

export async function renderPdf(spec: PdfDocumentSpec): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: spec.title,
      Author: spec.meta?.author ?? spec.signature?.organisation ?? spec.issuer ?? '',
      Subject: spec.meta?.subject ?? '',
      Keywords: spec.meta?.keywords ?? '',
      Creator: 'Zhengwu',
      Producer: 'Zhengwu (pdfkit)',
      CreationDate: spec.meta?.createdAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('zw', cjkFont('regular'));
  doc.registerFont('zw-bold', cjkFont('bold'));
  const width = doc.page.width - MARGINS.left - MARGINS.right;

  if (spec.issuer) {
    doc.font('zw-bold').fontSize(30).fillColor(RED);
    doc.text(spec.issuer, { align: 'center', width, lineGap: gapFor(doc, 40) });
  }
  if (spec.documentNumber) {
    doc.font('zw').fontSize(BODY_SIZE).fillColor('black').text(spec.documentNumber, { align: 'center', width });
  }
  if (spec.issuer) {
    const y = doc.y + 4 * MM;
    doc.save().lineWidth(1.5).strokeColor(RED).moveTo(MARGINS.left, y).lineTo(MARGINS.left + width, y).stroke().restore();
    doc.y = y + 6 * MM;
  } else if (spec.documentNumber) {
    doc.y += LINE_PITCH;
  }

  doc.fillColor('black').font('zw-bold').fontSize(TITLE_SIZE);
  doc.text(spec.title, MARGINS.left, doc.y, { align: 'center', width, lineGap: gapFor(doc, LINE_PITCH * 1.2) });
  doc.y += LINE_PITCH * 0.6;

  if (spec.addressee) body(doc, spec.addressee, { indent: false });
  for (const block of spec.blocks) renderBlock(doc, block, width);
  // 附注: small, on the line after the date, two characters in (GB/T 9704 §7.3.6).
  const notesHeight = spec.notes?.length ? spec.notes.length * NOTE_PITCH + (2 * NOTE_SIZE - NOTE_PITCH) : 0;
  if (spec.signature) signature(doc, spec.signature, width, notesHeight);
  else if (spec.notes?.length) doc.y += LINE_PITCH;
  if (spec.notes?.length) {
    doc.font('zw').fontSize(NOTE_SIZE);
    for (const note of spec.notes) doc.text(note, MARGINS.left + 2 * BODY_SIZE, doc.y, { width: width - 2 * BODY_SIZE, lineGap: gapFor(doc, NOTE_PITCH) });
  }
  pageNumbers(doc);
  doc.end();
  return finished;
}

/**
 * The lineGap that gives a line pitch: pdfkit advances each line by the font's height including
 * its own line gap (Plex SC's bounding box makes that 2 em), plus this (negative) gap.
 */
function gapFor(doc: Doc, pitch: number): number {
  return pitch - doc.currentLineHeight(true);
}

function body(doc: Doc, text: string, opts: { indent?: boolean; align?: PdfAlign; bold?: boolean } = {}): void {
  doc.font(opts.bold ? 'zw-bold' : 'zw').fontSize(BODY_SIZE).fillColor('black');
  const width = doc.page.width - MARGINS.left - MARGINS.right;
  doc.text(text, MARGINS.left, doc.y, {
    width,
    align: opts.align ?? 'left',
    indent: opts.indent === false ? 0 : 2 * BODY_SIZE,
    lineGap: gapFor(doc, LINE_PITCH),
  });
}

function renderBlock(doc: Doc, block: PdfBlock, width: number): void {
  if (typeof block === 'string') {
    body(doc, block);
    return;
  }
  switch (block.kind) {
    case 'paragraph':
      body(doc, block.text, block);
      return;
    case 'heading':
      body(doc, block.text, { bold: true });
      return;
    case 'spacer':
      doc.y += LINE_PITCH * (block.lines ?? 1);
      return;
    case 'table':
      table(doc, block, width);
      return;
  }
}

function table(doc: Doc, spec: Extract<PdfBlock, { kind: 'table' }>, width: number): void {
  const size = spec.fontSize ?? 12;
  const pad = 4;
  const total = spec.columns.reduce((sum, c) => sum + (c.width ?? 1), 0);
  const widths = spec.columns.map((c) => (width * (c.width ?? 1)) / total);
  // pdfkit breaks the page itself when a line's full height (2 em with Plex's gap) would pass the
  // bottom margin, so a row must leave that much room below its last line's pitch.
  doc.font('zw').fontSize(size);
  const slack = Math.max(0, doc.currentLineHeight(true) - size * 1.45);
  const bottom = () => doc.page.height - MARGINS.bottom - slack;
  if (spec.caption) {
    doc.font('zw-bold').fontSize(size + 2);
    doc.text(spec.caption, MARGINS.left, doc.y + 4, { width, align: 'center', lineGap: gapFor(doc, (size + 2) * 1.6) });
  }
  const rowHeight = (cells: readonly string[], font: string) => {
    doc.font(font).fontSize(size);
    const lineGap = gapFor(doc, size * 1.45);
    return Math.max(...widths.map((w, i) => doc.heightOfString(cells[i] ?? '', { width: w - 2 * pad, lineGap }))) + 2 * pad;
  };
  const drawRow = (cells: readonly string[], y: number, h: number, font: string, header: boolean) => {
    let x = MARGINS.left;
    doc.font(font).fontSize(size);
    widths.forEach((w, i) => {
      if (header) doc.save().rect(x, y, w, h).fill('#eeeeee').restore();
      doc.save().lineWidth(0.5).strokeColor('black').rect(x, y, w, h).stroke().restore();
      doc.fillColor('black').text(cells[i] ?? '', x + pad, y + pad, {
        width: w - 2 * pad,
        align: header ? 'center' : (spec.columns[i]?.align ?? 'left'),
        lineGap: gapFor(doc, size * 1.45),
      });
      x += w;
    });
  };
  const titles = spec.columns.map((c) => c.title);
  const headerHeight = rowHeight(titles, 'zw-bold');
  let y = doc.y;
  if (y + headerHeight * 2 > bottom()) {
    doc.addPage();
    y = doc.y;
  }
  drawRow(titles, y, headerHeight, 'zw-bold', true);
  y += headerHeight;
  for (const row of spec.rows) {
    const h = rowHeight(row, 'zw');
    if (y + h > bottom()) {
      doc.addPage();
      y = doc.y;
      drawRow(titles, y, headerHeight, 'zw-bold', true);
      y += headerHeight;
    }
    drawRow(row, y, h, 'zw', false);
    y += h;
  }
  doc.x = MARGINS.left;
  doc.y = y + 8;
}

/** 成文日期 in Chinese with Arabic numerals (GB/T 9704-2012 §7.3.5.1): 2026年11月29日. */
export function formatDocumentDate(date: string | Date): string {
  if (typeof date === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
    if (!m) return date;
    return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  }
  const shanghai = new Date(date.getTime() + 8 * 3_600_000);
  return `${shanghai.getUTCFullYear()}年${shanghai.getUTCMonth() + 1}月${shanghai.getUTCDate()}日`;
}

function signature(doc: Doc, sig: PdfSignature, width: number, below: number): void {
  doc.font('zw').fontSize(BODY_SIZE);
  const pitch = LINE_PITCH;
  // One blank line above the signature; when the page is nearly full, close up the gap rather
  // than leave the signature alone on a new page (GB/T 9704 §7.3.5.4: adjust spacing first).
  const bottom = doc.page.height - MARGINS.bottom;
  let gap = pitch * 1.5;
  if (doc.y + gap + pitch * 2 + below > bottom) gap = pitch * 0.5;
  if (doc.y + gap + pitch * 2 + below > bottom) {
    doc.addPage();
    gap = 0;
  }
  const date = formatDocumentDate(sig.date);
  const rightInset = 4 * BODY_SIZE; // 右空四字
  const right = MARGINS.left + width - rightInset;
  const dateWidth = doc.widthOfString(date);
  const orgWidth = doc.widthOfString(sig.organisation);
  const centre = right - dateWidth / 2;
  const orgX = Math.max(MARGINS.left, Math.min(centre - orgWidth / 2, MARGINS.left + width - orgWidth));
  const y = doc.y + gap;
  doc.text(sig.organisation, orgX, y, { lineBreak: false });
  doc.text(date, right - dateWidth, y + pitch, { lineBreak: false });
  doc.x = MARGINS.left;
  doc.y = y + pitch * 2;
}

/** "— n —", 4号, 7 mm below the type area; odd pages right, even pages left, one character in (GB/T 9704 §7.5). */
function pageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const label = `— ${i + 1} —`;
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // write inside the bottom margin without a page break
    doc.font('zw').fontSize(PAGE_NUMBER_SIZE).fillColor('black');
    const w = doc.widthOfString(label);
    const x = (i + 1) % 2 === 1 ? doc.page.width - MARGINS.right - PAGE_NUMBER_SIZE - w : MARGINS.left + PAGE_NUMBER_SIZE;
    doc.text(label, x, doc.page.height - savedBottom + 7 * MM, { lineBreak: false });
    doc.page.margins.bottom = savedBottom;
  }
}
