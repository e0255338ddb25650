import type { Migration } from '../db/migrator.ts';

export const attachmentMigrations: Migration[] = [
  {
    id: '0001-attachment',
    sql: `
CREATE SCHEMA IF NOT EXISTS platform;
-- Uploaded files (附件). The bytes live content-addressed in the blob storage
-- (files/ab/cd/<sha256> on local disk); one row per upload, so the same content uploaded
-- twice is two rows and one file. The disk path comes only from sha256, never from a name.
CREATE TABLE platform.attachment (
  id uuid PRIMARY KEY,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size > 0),
  -- detected from the content (magic bytes), never taken from the client
  media_type text NOT NULL,
  original_name text NOT NULL CHECK (char_length(original_name) BETWEEN 1 AND 255),
  owner_account_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_owner ON platform.attachment (owner_account_id, created_at);
CREATE INDEX attachment_sha256 ON platform.attachment (sha256);
`,
  },
];
