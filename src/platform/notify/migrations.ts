import type { Migration } from '../db/migrator.ts';

export const notifyMigrations: Migration[] = [
  {
    id: '0001-notification-outbox',
    sql: `
CREATE SCHEMA IF NOT EXISTS platform;
-- In-app inbox (站内信). Written by the notify.inbox job; the idempotency key ('job:<id>')
-- makes a retried job write the message once.
CREATE TABLE platform.notification (
  id bigserial PRIMARY KEY,
  recipient_account_id text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  idempotency_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notification_recipient ON platform.notification (recipient_account_id, created_at DESC, id DESC);
CREATE INDEX notification_unread ON platform.notification (recipient_account_id) WHERE read_at IS NULL;

-- Emails and SMS that were not sent to a real gateway (development, or no SMTP/SMS
-- provider configured): shown at /dev/outbox.
CREATE TABLE platform.outbox_message (
  id bigserial PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  to_address text NOT NULL,
  recipient_account_id text,
  subject text,
  body text NOT NULL,
  idempotency_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_message_time ON platform.outbox_message (created_at DESC, id DESC);
`,
  },
];
