import zlib from 'node:zlib';

/**
 * Small files of each kind the attachment store meets, made in memory (no fixtures on
 * disk): real magic bytes, minimal ZIP containers for OOXML and OFD.
 */

/** A minimal stored (uncompressed) ZIP, enough for OOXML and OFD detection. */
export function storedZip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const n = Buffer.from(name);
    const crc = zlib.crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(n.length, 26);
    locals.push(lh, n, data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const CONTENT_TYPES = (part: string, type: string) =>
  `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/${part}" ContentType="application/vnd.openxmlformats-officedocument.${type}.main+xml"/></Types>`;

export const SAMPLES = {
  png: Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a90000000049454e44ae426082',
    'hex',
  ),
  jpeg: Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64), Buffer.from('ffd9', 'hex')]),
  gif: Buffer.from('474946383961010001000000002c00000000010001000002003b', 'hex'),
  pdf: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(256, 0x90)]),
  docx: storedZip([
    ['[Content_Types].xml', CONTENT_TYPES('word/document.xml', 'wordprocessingml.document')],
    ['word/document.xml', '<w:document/>'],
  ]),
  xlsx: storedZip([
    ['[Content_Types].xml', CONTENT_TYPES('xl/workbook.xml', 'spreadsheetml.sheet')],
    ['xl/workbook.xml', '<workbook/>'],
  ]),
  ofd: storedZip([
    ['OFD.xml', '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'],
    ['Doc_0/Document.xml', '<ofd:Document/>'],
  ]),
  zip: storedZip([['readme.md', '# hi']]),
  text: Buffer.from('申请人：张三\r\n事项：食品经营许可\n'),
  html: Buffer.from('<html><script>alert(1)</script></html>'),
  latin1: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
};
