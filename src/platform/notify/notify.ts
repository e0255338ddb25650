import type { UnitOfWork } from '../unit-of-work.ts';

/**
 * Notifications to people (站内信, email, SMS). A command calls `notify(uow, …)` inside its
 * transaction, so a message exists if and only if the change commits:
 * - an inbox message is a row of this database, written at the commit (UnitOfWork.inbox);
 * - an email or SMS is a job in the outbox, delivered (with retries) by the job runner after the
 *   commit.
 */
export type NotifyChannel = 'inbox' | 'email' | 'sms';

export const NOTIFY_QUEUES: Record<NotifyChannel, string> = {
  inbox: 'notify.inbox',
  email: 'notify.email',
  sms: 'notify.sms',
};

export interface NotifyInput {
  /** The account the message is about / for; required for the inbox. */
  recipientAccountId: string | null;
  channel: NotifyChannel;
  subject: string;
  body: string;
  /** Email address (email) or mobile number (sms); not used for the inbox. */
  to?: string;
  /** Same key twice on the same channel → one message (e.g. `case:<id>:accepted`). */
  dedupeKey?: string;
}

/** What the job carries; the delivery handlers read exactly this. */
export interface NotifyPayload extends Record<string, unknown> {
  recipientAccountId: string | null;
  subject: string;
  body: string;
  to: string | null;
}

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;
const EMAIL = /^[^\s@<>,;"()[\]\\]+@[^\s@<>,;"()[\]\\]+\.[^\s@<>,;"()[\]\\]+$/;
const PHONE = /^\+?\d{5,15}$/;

/** Checks a notification; throws on a programming error (these never come from a form as-is). */
export function notifyPayload(input: NotifyInput): NotifyPayload {
  // A line break in a subject would become a header break in an email.
  const subject = input.subject.replace(/[\r\n]+/g, ' ').trim();
  const body = input.body;
  if (subject.length === 0 || subject.length > SUBJECT_MAX) throw new Error(`notify: subject must be 1–${SUBJECT_MAX} characters`);
  if (body.trim().length === 0 || body.length > BODY_MAX) throw new Error(`notify: body must be 1–${BODY_MAX} characters`);
  let to: string | null = null;
  switch (input.channel) {
    case 'inbox':
      if (!input.recipientAccountId) throw new Error('notify: the inbox channel needs recipientAccountId');
      break;
    case 'email':
      to = input.to?.trim() ?? '';
      if (!EMAIL.test(to)) throw new Error('notify: the email channel needs a valid `to` address');
      break;
    case 'sms':
      to = (input.to ?? '').replace(/[\s-]/g, '');
      if (!PHONE.test(to)) throw new Error('notify: the sms channel needs a mobile number in `to`');
      break;
  }
  return { recipientAccountId: input.recipientAccountId, subject, body, to };
}

/**
 * Writes or enqueues the notification in the caller's transaction. The same dedupeKey on the same
 * channel gives one message: in the inbox for good, for email and SMS while the job is kept.
 */
export async function notify(uow: UnitOfWork, input: NotifyInput): Promise<void> {
  if (input.channel === 'inbox') {
    const p = notifyPayload(input); // refuses an inbox message without a recipient
    uow.inbox({ recipientAccountId: p.recipientAccountId!, subject: p.subject, body: p.body, idempotencyKey: input.dedupeKey ? `${NOTIFY_QUEUES.inbox}:${input.dedupeKey}` : null });
    return;
  }
  await uow.enqueue({
    queue: NOTIFY_QUEUES[input.channel],
    payload: notifyPayload(input),
    ...(input.dedupeKey ? { dedupeKey: `${NOTIFY_QUEUES[input.channel]}:${input.dedupeKey}` } : {}),
  });
}
