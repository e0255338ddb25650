import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { claimedKind, detectKind, isUtf8Text, zipEntryNames } from './media-type.ts';

describe('content detection', () => {
  let dir: string;
  const file = (name: keyof typeof SAMPLES) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, SAMPLES[name]);
    return p;
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zw-media-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['png', 'png'],
    ['jpeg', 'jpeg'],
    ['gif', 'gif'],
    ['pdf', 'pdf'],
    ['docx', 'docx'],
    ['xlsx', 'xlsx'],
    ['ofd', 'ofd'],
    ['text', 'txt'],
    ['html', 'txt'],
  ] as const)('detects %s as %s', async (sample, kind) => {
    expect((await detectKind(file(sample))).kind).toBe(kind);
  });

  it('names what a refused file is', async () => {
    expect(await detectKind(file('exe'))).toEqual({ kind: null, label: 'Windows 可执行程序（exe，application/x-msdownload）' });
    expect((await detectKind(file('zip'))).label).toContain('ZIP 压缩包');
    expect((await detectKind(file('latin1'))).kind).toBeNull();
  });

  it('reads ZIP entry names from the central directory', async () => {
    expect(await zipEntryNames(file('ofd'))).toEqual(['OFD.xml', 'Doc_0/Document.xml']);
    expect(await zipEntryNames(file('png'))).toBeNull();
  });

  it('accepts UTF-8 text only, without control characters', async () => {
    expect(await isUtf8Text(file('text'))).toBe(true);
    expect(await isUtf8Text(file('latin1'))).toBe(false);
    expect(await isUtf8Text(file('exe'))).toBe(false);
  });
});

describe('claimedKind', () => {
  it('reads the claim from the extension first, then the client type', () => {
    expect(claimedKind('scan.JPG')).toEqual({ kind: 'jpeg', claim: '.jpg' });
    expect(claimedKind('evil.pdf', 'application/x-msdownload')).toEqual({ kind: 'pdf', claim: '.pdf' });
    expect(claimedKind('tool.exe')).toEqual({ kind: null, claim: '.exe' });
    expect(claimedKind('photo', 'image/png')).toEqual({ kind: 'png', claim: 'image/png' });
    expect(claimedKind('photo', 'application/octet-stream')).toBeNull();
    expect(claimedKind('photo')).toBeNull();
  });
});
