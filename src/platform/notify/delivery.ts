import nodemailer from 'nodemailer';
import type { Db } from '../db/database.ts';
import { PermanentJobError } from '../jobs/job-runner.ts';
import { insertOutboxMessage } from './outbox.repository.ts';

/**
 * Where emails and SMS go. The SMTP mailer sends through nodemailer; the outbox mailer and
 * outbox SMS provider keep the message in platform.outbox_message (development, or an
 * installation without a gateway), shown at /dev/outbox. A real SMS gateway (运营商短信平台)
 * implements SmsProvider.
 *
 * `idempotencyKey` is stable across retries of one job: providers that support it pass it
 * on (SMTP: the Message-ID), the outbox stores each key once.
 */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  recipientAccountId: string | null;
  idempotencyKey: string;
}

export interface OutgoingSms {
  to: string;
  text: string;
  recipientAccountId: string | null;
  idempotencyKey: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(message: OutgoingEmail): Promise<void>;
  close?(): void;
}

export interface SmsProvider {
  readonly kind: string;
  send(message: OutgoingSms): Promise<void>;
}

export function outboxMailer(db: Db): Mailer {
  return {
    kind: 'outbox',
    send: (m) =>
      insertOutboxMessage(db, {
        channel: 'email',
        toAddress: m.to,
        recipientAccountId: m.recipientAccountId,
        subject: m.subject,
        body: m.text,
        idempotencyKey: m.idempotencyKey,
      }),
  };
}

export function outboxSmsProvider(db: Db): SmsProvider {
  return {
    kind: 'outbox',
    send: (m) =>
      insertOutboxMessage(db, {
        channel: 'sms',
        toAddress: m.to,
        recipientAccountId: m.recipientAccountId,
        subject: null,
        body: m.text,
        idempotencyKey: m.idempotencyKey,
      }),
  };
}

/** The domain of the From address, for Message-IDs. */
function mailDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'zhengwu.invalid';
}

/** Sends through SMTP (`smtp://user:pass@host:587` or `smtps://…`). */
export function smtpMailer(opts: { url: string; from: string; timeoutMs?: number }): Mailer {
  const timeout = opts.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: opts.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
  });
  const domain = mailDomain(opts.from);
  return {
    kind: 'smtp',
    send: async (m) => {
      try {
        await transport.sendMail({
          from: opts.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          // Same id on every retry: receiving systems can drop a duplicate.
          messageId: `<${m.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '-')}@${domain}>`,
        });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx: the server refused for good (unknown mailbox, policy); retrying cannot help.
        if (typeof code === 'number' && code >= 500 && code < 600) {
          throw new PermanentJobError(`SMTP refused the message (${code}): ${(error as Error).message}`);
        }
        throw error;
      }
    },
    close: () => transport.close(),
  };
}
