import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { fileExtension } from './file-name.ts';

/**
 * The types an attachment may have (allow-list), detected from the content (magic bytes,
 * file-type) — never from the name or the client's Content-Type. Every served type is one
 * a browser will not run as a page: no HTML, SVG or XML.
 */
export type AttachmentKind = 'pdf' | 'jpeg' | 'png' | 'gif' | 'webp' | 'ofd' | 'docx' | 'xlsx' | 'txt';

export interface KindInfo {
  /** Stored as media_type and sent as Content-Type. */
  mediaType: string;
  label: string;
  /** Extensions a name of this kind may carry; the first is the canonical one. */
  extensions: string[];
  /** Client-claimed types that mean this kind (browsers guess them from the extension). */
  claimedTypes: string[];
  /** Shown in the browser rather than downloaded. */
  inline: boolean;
}

export const KINDS: Record<AttachmentKind, KindInfo> = {
  pdf: { mediaType: 'application/pdf', label: 'PDF 文档', extensions: ['pdf'], claimedTypes: ['application/pdf'], inline: true },
  jpeg: { mediaType: 'image/jpeg', label: 'JPEG 图片', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], claimedTypes: ['image/jpeg', 'image/pjpeg'], inline: true },
  png: { mediaType: 'image/png', label: 'PNG 图片', extensions: ['png'], claimedTypes: ['image/png'], inline: true },
  gif: { mediaType: 'image/gif', label: 'GIF 图片', extensions: ['gif'], claimedTypes: ['image/gif'], inline: true },
  webp: { mediaType: 'image/webp', label: 'WebP 图片', extensions: ['webp'], claimedTypes: ['image/webp'], inline: true },
  // GB/T 33190 版式文档: a ZIP container with OFD.xml at its root.
  ofd: { mediaType: 'application/ofd', label: 'OFD 版式文件', extensions: ['ofd'], claimedTypes: ['application/ofd'], inline: false },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word 文档 (docx)',
    extensions: ['docx'],
    claimedTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    inline: false,
  },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'Excel 表格 (xlsx)',
    extensions: ['xlsx'],
    claimedTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    inline: false,
  },
  txt: { mediaType: 'text/plain', label: 'UTF-8 纯文本', extensions: ['txt'], claimedTypes: ['text/plain'], inline: false },
};

export const ALL_KINDS = Object.keys(KINDS) as AttachmentKind[];

/** The header value to serve a stored media type with. */
export function servedContentType(mediaType: string): string {
  return mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : mediaType;
}

export function kindOfMediaType(mediaType: string): AttachmentKind | null {
  return ALL_KINDS.find((k) => KINDS[k].mediaType === mediaType) ?? null;
}

/** What the content is: an allowed kind, or a description of what it is instead. */
export type Detection = { kind: AttachmentKind; label: string } | { kind: null; label: string };

const FRIENDLY: Record<string, string> = {
  exe: 'Windows 可执行程序',
  dll: 'Windows 可执行程序',
  elf: 'Linux 可执行程序',
  macho: 'macOS 可执行程序',
  zip: 'ZIP 压缩包',
  rar: 'RAR 压缩包',
  '7z': '7-Zip 压缩包',
  gz: 'gzip 压缩包',
  doc: '旧版 Word 文档 (doc)',
  xls: '旧版 Excel 表格 (xls)',
  cfb: '旧版 Office 文档',
  pptx: 'PowerPoint 演示文稿 (pptx)',
  svg: 'SVG 图像',
  xml: 'XML 文件',
  html: 'HTML 网页',
  bmp: 'BMP 图片',
  tif: 'TIFF 图片',
  heic: 'HEIC 图片',
};

const FROM_FILE_TYPE: Partial<Record<string, AttachmentKind>> = {
  pdf: 'pdf',
  jpg: 'jpeg',
  png: 'png',
  apng: 'png',
  gif: 'gif',
  webp: 'webp',
  docx: 'docx',
  xlsx: 'xlsx',
};

function describe(ext: string, mime: string): string {
  const friendly = FRIENDLY[ext];
  return friendly ? `${friendly}（${ext}，${mime}）` : `${ext.toUpperCase()}（${mime}）`;
}

/** Detects the kind of a (staged) file. */
export async function detectKind(filePath: string): Promise<Detection> {
  const found = await fileTypeFromFile(filePath);
  if (found) {
    const kind = FROM_FILE_TYPE[found.ext];
    if (kind) return { kind, label: KINDS[kind].label };
    if (found.ext === 'zip') {
      const names = await zipEntryNames(filePath);
      if (names?.includes('OFD.xml')) return { kind: 'ofd', label: KINDS.ofd.label };
    }
    return { kind: null, label: describe(found.ext, found.mime) };
  }
  if (await isUtf8Text(filePath)) return { kind: 'txt', label: KINDS.txt.label };
  return { kind: null, label: '无法识别的二进制文件（不是 UTF-8 文本）' };
}

/** The kind a file name or client type claims, if it claims a known one. */
export function claimedKind(name: string, claimedType?: string | null): { kind: AttachmentKind | null; claim: string } | null {
  const ext = fileExtension(name);
  if (ext) {
    const kind = ALL_KINDS.find((k) => KINDS[k].extensions.includes(ext)) ?? null;
    return { kind, claim: `.${ext}` };
  }
  const type = claimedType?.split(';')[0]?.trim().toLowerCase();
  if (type) {
    const kind = ALL_KINDS.find((k) => KINDS[k].claimedTypes.includes(type));
    if (kind) return { kind, claim: type };
  }
  return null;
}

const MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024;

/**
 * Entry names of a ZIP file from its central directory, or null when it cannot be read
 * (ZIP64, damaged). Enough to tell OFD (OFD.xml at the root) from any other ZIP.
 */
export async function zipEntryNames(filePath: string): Promise<string[] | null> {
  const handle = await fs.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return null;
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff || cdSize > MAX_CENTRAL_DIRECTORY || cdOffset + cdSize > size) return null;
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const names: string[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) return null;
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      if (p + 46 + nameLength > cd.length) return null;
      names.push(cd.toString('utf8', p + 46, p + 46 + nameLength));
      p += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  } finally {
    await handle.close();
  }
}

/**
 * Valid UTF-8 with no control characters other than tab, line and page breaks: plain text.
 * (ESC is refused too: terminal escape sequences are not text.)
 */
export async function isUtf8Text(filePath: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(filePath, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
      for (const byte of chunk) {
        if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f) return false;
      }
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false; // invalid UTF-8 (fatal decoder)
    throw error;
  }
}
