/**
 * File names as people gave them, made safe to store and to send back in a header. The
 * name is only ever a label: the file's place on disk comes from its hash.
 */
export const FILE_NAME_MAX = 200;
const FALLBACK_NAME = 'file';

/**
 * Keeps the last path component, drops control and invisible format characters (a
 * right-to-left override can make `txt.exe` look like `exe.txt`), replaces characters
 * Windows forbids in names, trims leading dots (`..`, hidden files) and trailing dots and
 * spaces, and shortens to FILE_NAME_MAX characters keeping the extension.
 */
export function sanitizeFileName(input: string, maxLength = FILE_NAME_MAX): string {
  let name = input.normalize('NFC').replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[.\s]+/u, '')
    .replace(/[.\s]+$/u, '');
  if (name.length === 0) return FALLBACK_NAME;
  const chars = Array.from(name);
  if (chars.length <= maxLength) return name;
  const ext = fileExtension(name);
  const suffix = ext && ext.length <= 16 ? `.${ext}` : '';
  const keep = Math.max(1, maxLength - Array.from(suffix).length);
  return chars.slice(0, keep).join('').replace(/[.\s]+$/u, '') + suffix;
}

/** The lower-case extension without the dot, or null (`archive.tar.gz` → `gz`). */
export function fileExtension(name: string): string | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  return name.slice(dot + 1).toLowerCase();
}

/** RFC 8187 ext-value: UTF-8, percent-encoded (also `'()*`, which RFC 3986 leaves alone). */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback for old
 * clients, the real (Chinese) name for everyone else.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(name)}`;
}
