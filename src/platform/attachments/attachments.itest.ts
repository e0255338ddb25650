import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import type { Actor } from '../auth/actor.ts';

const CSRF = 'test-csrf-token-0123456789abcdefghij';
const LIMIT = 64 * 1024;
const owner: Actor = { kind: 'citizen', accountId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', displayName: '王五', realNameLevel: 2 };
const stranger: Actor = { kind: 'enterprise', accountId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', displayName: '某公司', realNameLevel: 2, uscc: '91420100MA4KXXXX0X' };
const clerk = buildStaff({ roles: ['clerk'] });

/** A multipart/form-data body with one file, as a browser's upload form sends it. */
function multipart(filename: string, content: Buffer, type = 'application/octet-stream'): { payload: Buffer; contentType: string } {
  const boundary = `----zwtest${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`, 'utf8'),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Every regular file under dir (recursively), relative paths. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe('attachments', () => {
  let t: TestApp;
  let dataDir: string;
  let filesDir: string;

  const upload = (actor: Actor | null, filename: string, content: Buffer, opts: { type?: string; csrf?: string | null } = {}) => {
    const body = multipart(filename, content, opts.type);
    const csrf = opts.csrf === undefined ? CSRF : opts.csrf;
    return t.app.inject({
      method: 'POST',
      url: '/api/attachments',
      headers: {
        ...(actor ? asActor(actor) : {}),
        cookie: `zw_csrf=${CSRF}`,
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        'content-type': body.contentType,
      },
      payload: body.payload,
    });
  };
  const rowCount = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.attachment`.execute(t.platform.db)).rows[0]!.n;
  const blobs = () => filesUnder(filesDir).filter((f) => !f.startsWith('tmp'));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zw-attach-'));
    filesDir = path.join(dataDir, 'files');
    t = await startTestApp({ ZHENGWU_DATA_DIR: dataDir, ZHENGWU_ATTACHMENT_MAX_BYTES: String(LIMIT) }, { authenticator: headerAuthenticator });
  });
  afterAll(async () => {
    await t?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts a PNG, stores it under its hash, and records the upload in the audit trail', async () => {
    const r = await upload(owner, '营业执照.png', SAMPLES.png, { type: 'image/png' });
    expect(r.statusCode).toBe(201);
    const sha256 = crypto.createHash('sha256').update(SAMPLES.png).digest('hex');
    expect(r.json()).toMatchObject({ name: '营业执照.png', mediaType: 'image/png', size: SAMPLES.png.length, sha256, url: `/attachments/${r.json().id}` });
    expect(blobs()).toEqual([path.join(sha256.slice(0, 2), sha256.slice(2, 4), sha256)]);
    expect(fs.readFileSync(path.join(filesDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256))).toEqual(SAMPLES.png);
    const { rows } = await sql<{ actor_id: string; object_id: string }>`SELECT actor_id, object_id FROM audit.entry WHERE action = 'attachment.upload'`.execute(t.platform.db);
    expect(rows).toContainEqual({ actor_id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', object_id: r.json().id });
  });

  it('refuses an EXE renamed .pdf with 415, naming the detected type, and keeps nothing', async () => {
    const before = { rows: await rowCount(), blobs: blobs() };
    const r = await upload(owner, 'invoice.pdf', SAMPLES.exe, { type: 'application/pdf' });
    expect(r.statusCode).toBe(415);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const problem = r.json();
    expect(problem.code).toBe('ZW_ERR_UNSUPPORTED_MEDIA');
    expect(problem.reason).toBe('type_mismatch');
    expect(problem.detail).toContain('invoice.pdf');
    expect(problem.detail).toContain('Windows 可执行程序');
    expect(problem.detail).toContain('exe');
    expect(await rowCount()).toBe(before.rows);
    expect(blobs()).toEqual(before.blobs);
    expect(filesUnder(path.join(filesDir, 'tmp'))).toEqual([]);
  });

  it.each([
    ['a ZIP renamed .ofd', 'signed.ofd', 'zip', 'ZIP 压缩包'],
    ['an EXE with its own name', 'setup.exe', 'exe', 'Windows 可执行程序'],
    ['a Latin-1 text file', 'notes.txt', 'latin1', '无法识别'],
    ['HTML named .pdf', 'page.pdf', 'html', '纯文本'],
  ] as const)('refuses %s with 415', async (_label, name, sample, detected) => {
    const r = await upload(owner, name, SAMPLES[sample]);
    expect(r.statusCode).toBe(415);
    expect(r.json().detail).toContain(detected);
  });

  it.each([
    ['scan.jpg', 'jpeg', 'image/jpeg'],
    ['anim.gif', 'gif', 'image/gif'],
    ['申请书.pdf', 'pdf', 'application/pdf'],
    ['电子证照.ofd', 'ofd', 'application/ofd'],
    ['材料清单.docx', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['统计表.xlsx', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['说明.txt', 'text', 'text/plain'],
  ] as const)('accepts %s (%s) as %s', async (name, sample, mediaType) => {
    const r = await upload(owner, name, SAMPLES[sample]);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ name, mediaType });
  });

  it('refuses an upload over the limit with 413, leaving nothing on disk or in the table', async () => {
    const before = { rows: await rowCount(), blobs: blobs() };
    const big = Buffer.concat([SAMPLES.pdf, crypto.randomBytes(LIMIT)]);
    const r = await upload(owner, 'big.pdf', big);
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().code).toBe('ZW_ERR_PAYLOAD_TOO_LARGE');
    expect(r.json().detail).toContain('64 KB');
    expect(await rowCount()).toBe(before.rows);
    expect(blobs()).toEqual(before.blobs);
    expect(filesUnder(path.join(filesDir, 'tmp'))).toEqual([]);
  });

  it('accepts a file of exactly the limit', async () => {
    const exact = Buffer.concat([SAMPLES.pdf, Buffer.alloc(LIMIT - SAMPLES.pdf.length, 0x20)]);
    const r = await upload(owner, 'exact.pdf', exact);
    expect(r.statusCode).toBe(201);
    expect(r.json().size).toBe(LIMIT);
  });

  it('stores a path-traversal name as a plain name; the disk path comes from the hash only', async () => {
    const content = Buffer.concat([SAMPLES.png, Buffer.from('traversal')]);
    const r = await upload(owner, '../../x', content, { type: 'image/png' });
    expect(r.statusCode).toBe(201);
    expect(r.json().name).toBe('x.png');
    const outside = fs.readdirSync(dataDir);
    expect(outside).toEqual(['files']);
    // Directly through the store (no multipart parser in between to strip directories).
    const put = await t.platform.attachments.put(content, {
      originalName: '../../etc/passwd.png',
      ctx: { actor: owner, requestId: 'test', clientIp: null },
    });
    expect(put.ok && put.value.originalName).toBe('passwd.png');
    expect(fs.existsSync(path.join(dataDir, '..', 'etc'))).toBe(false);
  });

  it('keeps the same content uploaded twice as one file on disk and two records', async () => {
    const content = Buffer.concat([SAMPLES.png, Buffer.from('twice')]);
    const sha256 = crypto.createHash('sha256').update(content).digest('hex');
    const a = await upload(owner, 'first.png', content);
    const b = await upload(stranger, 'second.png', content);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
    expect(blobs().filter((f) => f.endsWith(sha256))).toHaveLength(1);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.attachment WHERE sha256 = ${sha256}`.execute(t.platform.db);
    expect(rows[0]!.n).toBe(2);
  });

  it('serves a file to its owner with the detected type, nosniff and a safe disposition', async () => {
    const text = await upload(owner, '../说明 (重要).txt', Buffer.from('<script>alert(1)</script>\n'), { type: 'text/html' });
    expect(text.statusCode).toBe(201);
    const r = await t.app.inject({ url: `/attachments/${text.json().id}`, headers: asActor(owner) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="__ (__).txt"; filename*=UTF-8''%E8%AF%B4%E6%98%8E%20%28%E9%87%8D%E8%A6%81%29.txt`);
    expect(r.headers['content-security-policy']).toContain('sandbox');
    expect(r.body).toBe('<script>alert(1)</script>\n');

    const png = await upload(owner, 'photo.png', Buffer.concat([SAMPLES.png, Buffer.from('serve')]));
    const img = await t.app.inject({ url: `/attachments/${png.json().id}`, headers: asActor(owner) });
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['content-disposition']).toMatch(/^inline; /);
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    const download = await t.app.inject({ url: `/attachments/${png.json().id}?download=1`, headers: asActor(owner) });
    expect(download.headers['content-disposition']).toMatch(/^attachment; /);
    const meta = await t.app.inject({ url: `/api/attachments/${png.json().id}`, headers: asActor(owner) });
    expect(meta.json()).toMatchObject({ id: png.json().id, mediaType: 'image/png' });
  });

  it('hides a file from anyone but its owner', async () => {
    const r = await upload(owner, 'private.png', Buffer.concat([SAMPLES.png, Buffer.from('private')]));
    const id = r.json().id as string;
    expect((await t.app.inject({ url: `/attachments/${id}`, headers: asActor(stranger) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/attachments/${id}`, headers: asActor(clerk) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/attachments/${id}`, headers: asActor(stranger) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/attachments/${id}`, headers: { accept: 'application/json' } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/attachments/${crypto.randomUUID()}`, headers: asActor(owner) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/attachments/not-a-uuid', headers: asActor(owner) })).statusCode).toBe(400);
  });

  it('refuses uploads without the CSRF token, and from anonymous visitors', async () => {
    expect((await upload(owner, 'a.png', SAMPLES.png, { csrf: null })).statusCode).toBe(403);
    expect((await upload(owner, 'a.png', SAMPLES.png, { csrf: 'x'.repeat(36) })).statusCode).toBe(403);
    expect((await upload(null, 'a.png', SAMPLES.png)).statusCode).toBe(401);
    // The token may come as the _csrf query parameter instead of the header.
    const body = multipart('q.png', Buffer.concat([SAMPLES.png, Buffer.from('query')]));
    const viaQuery = await t.app.inject({
      method: 'POST',
      url: `/api/attachments?_csrf=${CSRF}`,
      headers: { ...asActor(owner), cookie: `zw_csrf=${CSRF}`, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(viaQuery.statusCode).toBe(201);
  });

  it('documents the upload in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/attachments', '/api/attachments/{id}', '/attachments/{id}']));
    expect(Object.keys(doc.paths['/api/attachments'].post.requestBody?.content ?? {})).toContain('multipart/form-data');
  });

  it('refuses an empty file and a request without a file', async () => {
    const empty = await upload(owner, 'empty.pdf', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toContain('空文件');
    const boundary = '----zwnofile';
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/attachments',
      headers: { ...asActor(owner), cookie: `zw_csrf=${CSRF}`, 'x-csrf-token': CSRF, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
    });
    expect(none.statusCode).toBe(400);
  });
});
