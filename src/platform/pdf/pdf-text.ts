/**
 * A small text extractor for the PDFs renderPdf() writes: it reads each font's ToUnicode CMap
 * and maps the glyph codes of the content streams back to characters, one output line per
 * text object (BT … ET). It is what a copy-paste or a screen reader gets from the document, so
 * tests use it to check that the Chinese text survives; it is not a general PDF parser (no
 * object streams, no cross-reference streams — pdfkit writes neither).
 */
import zlib from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    let dict = body;
    let stream: Buffer | null = null;
    if (s >= 0 && body.lastIndexOf('endstream') > s) {
      dict = body.slice(0, s);
      let dataStart = start + s + 'stream'.length;
      if (text[dataStart] === '\r') dataStart++;
      if (text[dataStart] === '\n') dataStart++;
      const lengthMatch = /\/Length (\d+)/.exec(dict);
      const dataEnd = lengthMatch ? dataStart + Number(lengthMatch[1]) : start + body.lastIndexOf('endstream');
      const raw = pdf.subarray(dataStart, dataEnd);
      stream = dict.includes('/FlateDecode') ? zlib.inflateSync(raw) : Buffer.from(raw);
    }
    objects.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return objects;
}

function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexToString = (hex: string) => {
    let s = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return s;
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(pair[1] ?? '0', 16), hexToString(pair[2] ?? ''));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const lo = parseInt(range[1] ?? '0', 16);
      const hi = parseInt(range[2] ?? '0', 16);
      const target = range[3] ?? '';
      if (target.startsWith('[')) {
        const items = [...target.matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => hexToString(x[1] ?? ''));
        items.forEach((item, i) => map.set(lo + i, item));
      } else {
        const first = hexToString(target.slice(1, -1));
        for (let code = lo; code <= hi; code++) {
          map.set(code, first.slice(0, -1) + String.fromCharCode(first.charCodeAt(first.length - 1) + (code - lo)));
        }
      }
    }
  }
  return map;
}

/** The text of every page, in drawing order; text objects are separated by newlines. */
export function extractPdfText(pdf: Buffer): string {
  const objects = parseObjects(pdf);
  const fonts = new Map<string, Map<number, string>>();
  for (const obj of objects.values()) {
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(obj.dict);
    if (!fontDict) continue;
    for (const ref of (fontDict[1] ?? '').matchAll(/\/([A-Za-z0-9_.-]+)\s+(\d+) 0 R/g)) {
      const name = ref[1] ?? '';
      const font = objects.get(Number(ref[2]));
      const toUnicode = font && /\/ToUnicode (\d+) 0 R/.exec(font.dict);
      const cmap = toUnicode && objects.get(Number(toUnicode[1]))?.stream;
      if (cmap && !fonts.has(name)) fonts.set(name, parseCMap(cmap.toString('latin1')));
    }
  }
  const lines: string[] = [];
  for (const obj of objects.values()) {
    if (!obj.stream || !/^\s*<<[\s\S]*>>\s*$/.test(obj.dict) || /\/Type\s*\/(XObject|Font)|\/Subtype|\/Length1/.test(obj.dict)) continue;
    const content = obj.stream.toString('latin1');
    if (!content.includes('BT')) continue;
    for (const textObject of content.matchAll(/BT([\s\S]*?)ET/g)) {
      let current: Map<number, string> | undefined;
      let line = '';
      for (const token of (textObject[1] ?? '').matchAll(/\/([A-Za-z0-9_.-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>/g)) {
        if (token[1]) {
          current = fonts.get(token[1]);
          continue;
        }
        const hex = token[2] ?? '';
        for (let i = 0; i + 4 <= hex.length; i += 4) line += current?.get(parseInt(hex.slice(i, i + 4), 16)) ?? '';
      }
      if (line) lines.push(line);
    }
  }
  return lines.join('\n');
}
