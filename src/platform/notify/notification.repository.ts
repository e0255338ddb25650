import { sql, type RawBuilder } from 'kysely';
import { PREPARED, type Db, type Tx } from '../db/database.ts';
import { jsonColumns, lateRows, type LateTexts } from '../db/late-texts.ts';

/** The in-app inbox (platform.notification). */
export interface InboxMessage {
  id: number;
  recipientAccountId: string;
  subject: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

interface NotificationRow {
  id: number;
  recipient_account_id: string;
  subject: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

function toMessage(r: NotificationRow): InboxMessage {
  return {
    id: Number(r.id),
    recipientAccountId: r.recipient_account_id,
    subject: r.subject,
    body: r.body,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

/** A message for the inbox; the same idempotency key twice (a retry, a repeated notice) is one message. */
export interface InboxInsert {
  recipientAccountId: string;
  subject: string;
  body: string;
  /** null: always a new message. */
  idempotencyKey: string | null;
}

const { list: INBOX_LIST, ...INBOX_ROWS } = jsonColumns({ recipient_account_id: 'text', subject: 'text', body: 'text', idempotency_key: 'text' });

/**
 * The INSERT of `list` for a statement that writes them with other rows (UnitOfWork.inbox): one
 * text for any number of messages (one JSON parameter), so it is prepared once per connection.
 * `late`: the transaction's late texts, which replace the placeholders in subjects and bodies (lateText, lateRows).
 */
export function notificationsInsert(list: readonly InboxInsert[], late?: LateTexts): RawBuilder<unknown> {
  const json = list.map((n) => ({ recipient_account_id: n.recipientAccountId, subject: n.subject, body: n.body, idempotency_key: n.idempotencyKey }));
  return sql`INSERT INTO platform.notification (${INBOX_LIST})
    SELECT ${INBOX_LIST} FROM ${lateRows({ name: 'inbox_rows', ...INBOX_ROWS, lateColumns: ['subject', 'body'], rows: json }, late)} AS x
    ON CONFLICT (idempotency_key) DO NOTHING`;
}

/** Several messages in one statement; a key already used (a retried job) writes nothing again. */
export async function insertNotifications(db: Db | Tx, list: readonly InboxInsert[]): Promise<void> {
  if (list.length === 0) return;
  await sql`${sql.raw(PREPARED)}${notificationsInsert(list)}`.execute(db);
}

/** Newest first; `limit + 1` rows are read so the caller knows whether there is a next page. */
export async function findInbox(db: Db, recipientAccountId: string, page: { limit: number; offset: number }): Promise<InboxMessage[]> {
  const rows: NotificationRow[] = await db
    .selectFrom('platform.notification')
    .select(['id', 'recipient_account_id', 'subject', 'body', 'created_at', 'read_at'])
    .where('recipient_account_id', '=', recipientAccountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toMessage);
}

export async function countInbox(db: Db, recipientAccountId: string): Promise<{ total: number; unread: number }> {
  const row: { total: number | string | bigint; unread: number | string | bigint } | undefined = await db
    .selectFrom('platform.notification')
    .select((eb) => [eb.fn.countAll().as('total'), eb.fn.count('id').filterWhere('read_at', 'is', null).as('unread')])
    .where('recipient_account_id', '=', recipientAccountId)
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), unread: Number(row?.unread ?? 0) };
}

export async function countUnread(db: Db, recipientAccountId: string): Promise<number> {
  const row: { n: number | string | bigint } | undefined = await db
    .selectFrom('platform.notification')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('recipient_account_id', '=', recipientAccountId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks the recipient's own unread messages read (all of them when `ids` is omitted); returns the ids changed. */
export async function markRead(tx: Tx, recipientAccountId: string, ids?: number[]): Promise<number[]> {
  if (ids && ids.length === 0) return [];
  let q = tx
    .updateTable('platform.notification')
    .set({ read_at: new Date() })
    .where('recipient_account_id', '=', recipientAccountId)
    .where('read_at', 'is', null);
  if (ids) q = q.where('id', 'in', ids);
  const rows: { id: number }[] = await q.returning('id').execute();
  return rows.map((r) => Number(r.id));
}
