import type { Db } from '../db/database.ts';
import { PermanentJobError, type JobContext, type JobRunner } from '../jobs/job-runner.ts';
import type { Mailer, SmsProvider } from './delivery.ts';
import { insertNotifications } from './notification.repository.ts';
import { NOTIFY_QUEUES, type NotifyPayload } from './notify.ts';

export interface NotifyDelivery {
  mailer: Mailer;
  sms: SmsProvider;
}

/** The payload came from the database: check it instead of trusting the type. */
function readPayload(job: JobContext<NotifyPayload>): NotifyPayload {
  const p = job.payload as Partial<Record<keyof NotifyPayload, unknown>>;
  const str = (v: unknown): v is string => typeof v === 'string';
  if (!str(p.subject) || !str(p.body) || !(p.to === null || str(p.to)) || !(p.recipientAccountId === null || str(p.recipientAccountId))) {
    throw new PermanentJobError(`malformed notification payload in job ${job.id}`);
  }
  return { recipientAccountId: p.recipientAccountId, subject: p.subject, body: p.body, to: p.to };
}

function requireTo(job: JobContext<NotifyPayload>, p: NotifyPayload): string {
  if (!p.to) throw new PermanentJobError(`job ${job.id} has no address to send to`);
  return p.to;
}

/** Delivers what notify() enqueued. Each handler is idempotent on the job's key. */
export function registerNotifyHandlers(jobs: JobRunner, db: Db, delivery: NotifyDelivery): void {
  // Inbox jobs enqueued by an earlier version (notify() now writes inbox messages at the commit,
  // decision 0009). In batches: one insert for up to 100 messages.
  jobs.registerBatch<NotifyPayload>(
    NOTIFY_QUEUES.inbox,
    async (batch) => {
      const messages = batch.map((job) => {
        const p = readPayload(job);
        if (!p.recipientAccountId) throw new PermanentJobError(`inbox job ${job.id} has no recipient`);
        return { recipientAccountId: p.recipientAccountId, subject: p.subject, body: p.body, idempotencyKey: job.idempotencyKey };
      });
      await insertNotifications(db, messages);
    },
    { concurrency: 1, batchSize: 100, timeoutMs: 15_000 },
  );
  jobs.register<NotifyPayload>(
    NOTIFY_QUEUES.email,
    async (job) => {
      const p = readPayload(job);
      await delivery.mailer.send({ to: requireTo(job, p), subject: p.subject, text: p.body, recipientAccountId: p.recipientAccountId, idempotencyKey: job.idempotencyKey });
    },
    { concurrency: 2, timeoutMs: 60_000, retryBaseMs: 30_000 },
  );
  jobs.register<NotifyPayload>(
    NOTIFY_QUEUES.sms,
    async (job) => {
      const p = readPayload(job);
      await delivery.sms.send({ to: requireTo(job, p), text: p.body, recipientAccountId: p.recipientAccountId, idempotencyKey: job.idempotencyKey });
    },
    { concurrency: 2, timeoutMs: 30_000, retryBaseMs: 30_000 },
  );
}
