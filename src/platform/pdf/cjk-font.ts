/**
 * The CJK font for PDF documents: IBM Plex Sans SC from npm (@ibm/plex-sans-sc, SIL Open Font
 * License 1.1 — see docs/pdf.md), converted once per process from WOFF to a plain TrueType
 * buffer that pdfkit lays out and subsets quickly.
 *
 * Why convert (measured, docs/pdf.md): handing pdfkit the WOFF costs ~10 s of layout and ~20 s
 * in doc.end() per document. The WOFF's tables are zlib-compressed and fontkit inflates them in
 * JavaScript, and its layout shapes every run of text with the font's GSUB/GPOS tables. Chinese
 * official documents need no shaping (no ligatures, no kerning between ideographs), so we
 * inflate the tables once with node:zlib and drop GSUB, GPOS, kern, BASE, DSIG, meta and the
 * vertical metrics, and shrink `post` to format 3 (no glyph names). The result is ~8 MB, built
 * in ~110 ms, and a one-page document then renders in ~10–20 ms.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';

export type FontWeight = 'regular' | 'bold';

const FILES: Record<FontWeight, string> = {
  regular: 'IBMPlexSansSC-Regular.woff',
  bold: 'IBMPlexSansSC-SemiBold.woff',
};

/** Tables a Chinese document does not need (shaping, signatures, vertical layout). */
const DROPPED_TABLES = new Set(['GSUB', 'GPOS', 'GDEF', 'kern', 'BASE', 'DSIG', 'meta', 'vhea', 'vmtx', 'JSTF', 'MATH']);

const cache = new Map<FontWeight, Buffer>();

/** Directory of the package's complete WOFF files. */
export function plexFontDirectory(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@ibm/plex-sans-sc/package.json');
  return path.join(path.dirname(pkg), 'fonts', 'complete', 'woff', 'hinted');
}

/** The converted TrueType font (cached for the life of the process). */
export function cjkFont(weight: FontWeight = 'regular'): Buffer {
  let font = cache.get(weight);
  if (!font) {
    font = woffToSfnt(fs.readFileSync(path.join(plexFontDirectory(), FILES[weight])), DROPPED_TABLES);
    cache.set(weight, font);
  }
  return font;
}

interface Table {
  tag: string;
  data: Buffer;
}

/**
 * WOFF 1.0 (W3C, 2012) → sfnt (TrueType/OpenType) without the dropped tables. A WOFF is an
 * sfnt whose tables are stored one by one, each zlib-compressed when that made it smaller.
 */
export function woffToSfnt(woff: Buffer, drop: ReadonlySet<string> = new Set()): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 file');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: Table[] = [];
  for (let i = 0; i < numTables; i++) {
    const entry = 44 + i * 20;
    const tag = woff.toString('latin1', entry, entry + 4);
    if (drop.has(tag)) continue;
    const offset = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const stored = woff.subarray(offset, offset + compLength);
    let data = compLength < origLength ? zlib.inflateSync(stored) : Buffer.from(stored);
    if (data.length !== origLength) throw new Error(`WOFF table ${tag}: ${data.length} bytes after inflating, ${origLength} expected`);
    if (tag === 'post' && data.length >= 32) {
      // Format 3: no glyph names (saves ~300 KB of names fontkit would otherwise parse).
      data = Buffer.from(data.subarray(0, 32));
      data.writeUInt32BE(0x00030000, 0);
    }
    tables.push({ tag, data });
  }
  return buildSfnt(flavor, tables);
}

function buildSfnt(flavor: number, unsorted: Table[]): Buffer {
  const tables = [...unsorted].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const n = tables.length;
  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= n) {
    searchRange *= 2;
    entrySelector++;
  }
  const header = Buffer.alloc(12 + 16 * n);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE(searchRange * 16, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(n * 16 - searchRange * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, i) => {
    const padded = Buffer.concat([table.data, Buffer.alloc((4 - (table.data.length % 4)) % 4)]);
    let checksum = 0;
    for (let j = 0; j < padded.length; j += 4) checksum = (checksum + padded.readUInt32BE(j)) >>> 0;
    const entry = 12 + i * 16;
    header.write(table.tag, entry, 'latin1');
    header.writeUInt32BE(checksum, entry + 4);
    header.writeUInt32BE(offset, entry + 8);
    header.writeUInt32BE(table.data.length, entry + 12);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}
