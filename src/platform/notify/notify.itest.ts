import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import type { Actor } from '../auth/actor.ts';
import { systemContext } from '../auth/actor.ts';
import { smtpMailer } from './delivery.ts';
import { lateText } from '../db/late-texts.ts';
import { notify } from './notify.ts';

const CSRF = 'test-csrf-token-0123456789abcdefghij';
const CITIZEN_ID = '11111111-1111-4111-8111-111111111111';
const citizen: Actor = { kind: 'citizen', accountId: CITIZEN_ID, displayName: '张三', realNameLevel: 2 };
const OTHER_ID = '22222222-2222-4222-8222-222222222222';
const otherCitizen: Actor = { kind: 'citizen', accountId: OTHER_ID, displayName: '李四', realNameLevel: 2 };
const sysadmin = buildStaff({ roles: ['sysadmin'] });
const clerk = buildStaff({ roles: ['clerk'] });

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const form = (actor: Actor) => ({
  ...asActor(actor),
  cookie: `zw_csrf=${CSRF}`,
  'content-type': 'application/x-www-form-urlencoded',
  accept: 'text/html',
});

describe('notifications: notify() → inbox row at the commit, or job → outbox', () => {
  let t: TestApp;

  async function pendingNotifyJobs(): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.job WHERE queue LIKE 'notify.%' AND state <> 'done'`.execute(t.platform.db);
    return rows[0]!.n;
  }

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await t.platform.transactor.run(systemContext('test'), async (uow) => {
      await notify(uow, { recipientAccountId: CITIZEN_ID, channel: 'inbox', subject: '您的申请已受理', body: '受理编号 HB2024-0001。\n请留意后续通知。' });
      await notify(uow, { recipientAccountId: CITIZEN_ID, channel: 'inbox', subject: '请补正材料', body: '缺少营业执照副本。' });
      await notify(uow, { recipientAccountId: null, channel: 'email', to: 'zhangsan@example.com', subject: '办件进度', body: '您的办件已办结。' });
      await notify(uow, { recipientAccountId: null, channel: 'sms', to: '13800138000', subject: '办件进度', body: '【湖北政务】您的办件已办结。', dedupeKey: 'case:1:done' });
      await notify(uow, { recipientAccountId: null, channel: 'sms', to: '13800138000', subject: '办件进度', body: '【湖北政务】您的办件已办结。', dedupeKey: 'case:1:done' });
    });
    // The app's runner was poked by the commit; nothing else runs it.
    await waitFor(async () => (await pendingNotifyJobs()) === 0);
  });
  afterAll(async () => t?.stop());

  it('writes inbox messages with the commit, in order, and delivers SMS once per dedupe key', async () => {
    const { rows: inbox } = await sql<{ subject: string }>`SELECT subject FROM platform.notification ORDER BY id`.execute(t.platform.db);
    expect(inbox.map((r) => r.subject)).toEqual(['您的申请已受理', '请补正材料']);
    // The inbox needs no job.
    const { rows: inboxJobs } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.job WHERE queue = 'notify.inbox'`.execute(t.platform.db);
    expect(inboxJobs[0]!.n).toBe(0);
    const { rows: outbox } = await sql<{ channel: string; to_address: string }>`SELECT channel, to_address FROM platform.outbox_message ORDER BY channel`.execute(t.platform.db);
    expect(outbox).toEqual([
      { channel: 'email', to_address: 'zhangsan@example.com' },
      { channel: 'sms', to_address: '13800138000' },
    ]);
  });

  it('does not deliver what a rolled-back transaction sent', async () => {
    await expect(
      t.platform.transactor.run(systemContext('test'), async (uow) => {
        await notify(uow, { recipientAccountId: 'acc-x', channel: 'inbox', subject: '不应出现', body: '回滚' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.job WHERE payload->>'subject' = '不应出现'`.execute(t.platform.db);
    expect(rows[0]!.n).toBe(0);
    const { rows: inbox } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.notification WHERE subject = '不应出现'`.execute(t.platform.db);
    expect(inbox[0]!.n).toBe(0);
  });

  it('shows the signed-in account its own messages at /account/inbox', async () => {
    const page = await t.app.inject({ url: '/account/inbox', headers: { ...asActor(citizen), accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('您的申请已受理');
    expect(page.body).toContain('受理编号 HB2024-0001。');
    expect(page.body).toContain('您有 2 条未读消息');
    const other = await t.app.inject({ url: '/account/inbox', headers: { ...asActor(otherCitizen), accept: 'text/html' } });
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('您的申请已受理');
    const anonymous = await t.app.inject({ url: '/account/inbox', headers: { accept: 'application/json' } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('marks one message read, then all, with a CSRF-protected form', async () => {
    const { rows } = await sql<{ id: number }>`SELECT id FROM platform.notification ORDER BY id`.execute(t.platform.db);
    const first = rows[0]!.id;
    const forged = await t.app.inject({ method: 'POST', url: `/account/inbox/${first}/read`, headers: form(citizen), payload: '_csrf=wrong' });
    expect(forged.statusCode).toBe(403);
    // Someone else's message id changes nothing.
    const foreign = await t.app.inject({ method: 'POST', url: `/account/inbox/${first}/read`, headers: form(otherCitizen), payload: `_csrf=${CSRF}` });
    expect(foreign.statusCode).toBe(303);
    const one = await t.app.inject({ method: 'POST', url: `/account/inbox/${first}/read`, headers: form(citizen), payload: `_csrf=${CSRF}` });
    expect(one.statusCode).toBe(303);
    expect(one.headers.location).toBe('/account/inbox');
    const after = await t.app.inject({ url: '/account/inbox', headers: { ...asActor(citizen), accept: 'text/html' } });
    expect(after.body).toContain('您有 1 条未读消息');
    const all = await t.app.inject({ method: 'POST', url: '/account/inbox/read-all', headers: form(citizen), payload: `_csrf=${CSRF}` });
    expect(all.statusCode).toBe(303);
    const { rows: unread } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.notification WHERE read_at IS NULL`.execute(t.platform.db);
    expect(unread[0]!.n).toBe(0);
    const { rows: audit } = await sql<{ action: string; actor_id: string }>`SELECT action, actor_id FROM audit.entry WHERE action = 'notification.read'`.execute(t.platform.db);
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.actor_id === CITIZEN_ID)).toBe(true);
  });

  it('shows emails and SMS kept in dev mode at /dev/outbox, to the system administrator only', async () => {
    const page = await t.app.inject({ url: '/dev/outbox', headers: { ...asActor(sysadmin), accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('zhangsan@example.com');
    expect(page.body).toContain('13800138000');
    expect(page.body).toContain('【湖北政务】您的办件已办结。');
    expect((await t.app.inject({ url: '/dev/outbox', headers: { ...asActor(clerk), accept: 'application/json' } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/dev/outbox', headers: { ...asActor(citizen), accept: 'application/json' } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/dev/outbox', headers: { accept: 'application/json' } })).statusCode).toBe(401);
  });

  it('keeps one inbox message per dedupe key, in one transaction and across them; without a key every call is a message', async () => {
    const other = OTHER_ID;
    const send = (subject: string, dedupeKey?: string) => ({ recipientAccountId: other, channel: 'inbox' as const, subject, body: '正文。', ...(dedupeKey ? { dedupeKey } : {}) });
    await t.platform.transactor.run(systemContext('test'), async (uow) => {
      await notify(uow, send('同键消息', 'case:9:accepted'));
      await notify(uow, send('同键消息', 'case:9:accepted'));
      await notify(uow, send('无键消息'));
      await notify(uow, send('无键消息'));
    });
    await t.platform.transactor.run(systemContext('test'), async (uow) => notify(uow, send('同键消息', 'case:9:accepted')));
    const { rows } = await sql<{ subject: string; idempotency_key: string | null }>`SELECT subject, idempotency_key FROM platform.notification WHERE recipient_account_id = ${other} ORDER BY id`.execute(t.platform.db);
    expect(rows).toEqual([
      { subject: '同键消息', idempotency_key: 'notify.inbox:case:9:accepted' },
      { subject: '无键消息', idempotency_key: null },
      { subject: '无键消息', idempotency_key: null },
    ]);
  });

  it('writes an inbox message from a statement of its own (runAsOneStatement), its late texts replaced', async () => {
    const other = OTHER_ID;
    await t.platform.transactor.runAsOneStatement(async (unitOfWork) => {
      const uow = unitOfWork(systemContext('test'));
      uow.writeAtCommit(sql`SELECT 'n1'::text AS key, 'HB-0042'::text AS value`, { name: 'late_numbers', lateTexts: true });
      await notify(uow, { recipientAccountId: other, channel: 'inbox', subject: `办件 ${lateText('n1')} 已受理`, body: `办件编号 ${lateText('n1')}。` });
    });
    const { rows } = await sql<{ subject: string; body: string }>`SELECT subject, body FROM platform.notification WHERE recipient_account_id = ${other} AND subject LIKE '办件%' ORDER BY id`.execute(t.platform.db);
    expect(rows).toEqual([{ subject: '办件 HB-0042 已受理', body: '办件编号 HB-0042。' }]);
  });

  it('still delivers an inbox job that an earlier version enqueued', async () => {
    await t.platform.transactor.run(systemContext('test'), (uow) =>
      uow.enqueue({ queue: 'notify.inbox', payload: { recipientAccountId: CITIZEN_ID, subject: '旧版本的消息', body: '由任务写入。', to: null } }),
    );
    const row = await waitFor(async () => (await sql<{ idempotency_key: string }>`SELECT idempotency_key FROM platform.notification WHERE subject = '旧版本的消息'`.execute(t.platform.db)).rows[0]);
    expect(row.idempotency_key).toMatch(/^job:\d+$/);
  });
});

describe('notifications in production', () => {
  it('serves no /dev/outbox', async () => {
    const t = await startTestApp({ NODE_ENV: 'production', ZHENGWU_MASTER_KEY: 'a'.repeat(64) }, { authenticator: headerAuthenticator });
    try {
      const r = await t.app.inject({ url: '/dev/outbox', headers: { ...asActor(sysadmin), accept: 'application/json' } });
      expect(r.statusCode).toBe(404);
    } finally {
      await t.stop();
    }
  });
});

/** A tiny SMTP sink on localhost (outbound network stays blocked). */
async function smtpSink(): Promise<{ port: number; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 OK queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 sink\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else if (line.startsWith('RCPT TO:<nobody@')) socket.write('550 no such user\r\n');
        else socket.write('250 OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('smtpMailer', () => {
  it('sends through SMTP with a Message-ID stable across retries, and refuses 5xx as permanent', async () => {
    const sink = await smtpSink();
    const mailer = smtpMailer({ url: `smtp://127.0.0.1:${sink.port}`, from: 'Zhengwu <noreply@zhengwu.example>', timeoutMs: 5_000 });
    try {
      await mailer.send({ to: 'zhangsan@example.com', subject: '办件进度通知', text: '您的办件已办结。', recipientAccountId: null, idempotencyKey: 'job:42' });
      expect(sink.messages).toHaveLength(1);
      expect(sink.messages[0]).toContain('Message-ID: <job-42@zhengwu.example>');
      expect(sink.messages[0]).toContain('To: zhangsan@example.com');
      await expect(
        mailer.send({ to: 'nobody@example.com', subject: 's', text: 'b', recipientAccountId: null, idempotencyKey: 'job:43' }),
      ).rejects.toMatchObject({ name: 'PermanentJobError' });
    } finally {
      mailer.close?.();
      await sink.close();
    }
  });
});
