import type { Migration } from '../../platform/db/migrator.ts';

export const noticeMigrations: Migration[] = [
  {
    id: '0001-notice',
    sql: `
CREATE SCHEMA IF NOT EXISTS notices;
CREATE TABLE notices.notice (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 120),
  body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
  published_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE INDEX notice_org ON notices.notice (organisation_id, updated_at DESC);
CREATE INDEX notice_jurisdiction ON notices.notice (jurisdiction_code text_pattern_ops);
CREATE INDEX notice_published ON notices.notice (published_at DESC) WHERE status = 'published';
`,
  },
];
