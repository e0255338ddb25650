import { describe, expect, it } from 'vitest';
import { contentDisposition, fileExtension, sanitizeFileName } from './file-name.ts';

describe('sanitizeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['/abs/path/营业执照.pdf', '营业执照.pdf'],
    ['..', 'file'],
    ['../', 'file'],
    ['', 'file'],
    ['   ', 'file'],
    ['.htaccess', 'htaccess'],
    ['report.pdf.', 'report.pdf'],
    ['a\u0000b\u0007c.txt', 'abc.txt'],
    ['line\r\nbreak.txt', 'linebreak.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['what?<x>:"y"|*.png', 'what__x___y___.png'],
    ['申请  材料\t清单.docx', '申请 材料清单.docx'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('limits the length but keeps the extension', () => {
    const long = `${'很长的文件名'.repeat(60)}.pdf`;
    const safe = sanitizeFileName(long);
    expect(Array.from(safe).length).toBeLessThanOrEqual(200);
    expect(safe.endsWith('.pdf')).toBe(true);
    expect(safe.startsWith('很长的文件名')).toBe(true);
  });

  it('normalises to NFC', () => {
    expect(sanitizeFileName('Cafe\u0301.txt')).toBe('Caf\u00e9.txt');
  });
});

describe('fileExtension', () => {
  it('returns the last extension in lower case', () => {
    expect(fileExtension('A.PDF')).toBe('pdf');
    expect(fileExtension('archive.tar.gz')).toBe('gz');
    expect(fileExtension('noext')).toBeNull();
    expect(fileExtension('trailing.')).toBeNull();
  });
});

describe('contentDisposition', () => {
  it('sends an ASCII fallback and the UTF-8 name (RFC 6266 / 8187)', () => {
    expect(contentDisposition('attachment', '营业执照 (副本).pdf')).toBe(
      `attachment; filename="____ (__).pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%28%E5%89%AF%E6%9C%AC%29.pdf`,
    );
  });

  it('cannot be broken out of with quotes or semicolons', () => {
    const value = contentDisposition('inline', 'a";b=c;\\.png');
    expect(value).toBe(`inline; filename="a__b=c__.png"; filename*=UTF-8''a%22%3Bb%3Dc%3B%5C.png`);
  });
});
