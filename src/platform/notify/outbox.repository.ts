import type { Db } from '../db/database.ts';

/** Messages kept instead of sent (platform.outbox_message), listed at /dev/outbox. */
export interface OutboxMessage {
  id: number;
  channel: 'email' | 'sms';
  toAddress: string;
  recipientAccountId: string | null;
  subject: string | null;
  body: string;
  createdAt: Date;
}

interface OutboxRow {
  id: number;
  channel: 'email' | 'sms';
  to_address: string;
  recipient_account_id: string | null;
  subject: string | null;
  body: string;
  created_at: Date;
}

/** Idempotent: a second insert with the same key is ignored. */
export async function insertOutboxMessage(db: Db, m: Omit<OutboxMessage, 'id' | 'createdAt'> & { idempotencyKey: string }): Promise<void> {
  await db
    .insertInto('platform.outbox_message')
    .values({
      channel: m.channel,
      to_address: m.toAddress,
      recipient_account_id: m.recipientAccountId,
      subject: m.subject,
      body: m.body,
      idempotency_key: m.idempotencyKey,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

export async function findOutboxMessages(db: Db, page: { limit: number; offset: number }): Promise<OutboxMessage[]> {
  const rows: OutboxRow[] = await db
    .selectFrom('platform.outbox_message')
    .select(['id', 'channel', 'to_address', 'recipient_account_id', 'subject', 'body', 'created_at'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    channel: r.channel,
    toAddress: r.to_address,
    recipientAccountId: r.recipient_account_id,
    subject: r.subject,
    body: r.body,
    createdAt: r.created_at,
  }));
}
