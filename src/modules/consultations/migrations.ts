import type { Migration } from '../../platform/db/migrator.ts';

export const consultationMigrations: Migration[] = [
  {
    id: '0001-consultation',
    sql: `
CREATE SCHEMA IF NOT EXISTS consultations;
-- 征求意见 (kind 'draft') and 网上调查 (kind 'survey'): one table, the same lifecycle.
CREATE TABLE consultations.consultation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('draft', 'survey')),
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  summary text NOT NULL DEFAULT '' CHECK (char_length(summary) <= 1000),
  body_html text NOT NULL DEFAULT '' CHECK (char_length(body_html) <= 200000),
  questions jsonb NOT NULL DEFAULT '[]'::jsonb,
  attachment_ids text[] NOT NULL DEFAULT '{}',
  opens_at timestamptz NOT NULL,
  closes_at timestamptz NOT NULL,
  participation text NOT NULL CHECK (participation IN ('real_name', 'open')),
  public_comments boolean NOT NULL DEFAULT false,
  live_results boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'concluded')),
  published_at timestamptz,
  feedback_summary text NOT NULL DEFAULT '' CHECK (char_length(feedback_summary) <= 10000),
  concluded_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  CHECK (closes_at > opens_at)
);
CREATE INDEX consultation_org ON consultations.consultation (organisation_id, updated_at DESC);
CREATE INDEX consultation_jurisdiction ON consultations.consultation (jurisdiction_code text_pattern_ops);
CREATE INDEX consultation_public ON consultations.consultation (closes_at DESC) WHERE status <> 'draft';

-- A comment on a draft. One per account per consultation (the unique index is the rule,
-- not a check-then-insert); submission_id makes a retried submit return the first one.
CREATE TABLE consultations.comment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  consultation_id uuid NOT NULL REFERENCES consultations.consultation(id),
  submission_id uuid NOT NULL UNIQUE,
  account_id text,
  author_name text NOT NULL CHECK (char_length(author_name) BETWEEN 1 AND 50),
  contact text CHECK (char_length(contact) <= 100),
  body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
  flagged_terms text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'hidden')),
  moderation_reason text CHECK (char_length(moderation_reason) <= 500),
  moderated_by text,
  moderated_at timestamptz,
  adoption text CHECK (adoption IN ('adopted', 'partly', 'not_adopted')),
  adoption_reason text CHECK (char_length(adoption_reason) <= 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX comment_one_per_account ON consultations.comment (consultation_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX comment_by_consultation ON consultations.comment (consultation_id, created_at);

-- A survey response. One per account, or per browser cookie for open surveys.
CREATE TABLE consultations.response (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  consultation_id uuid NOT NULL REFERENCES consultations.consultation(id),
  submission_id uuid NOT NULL UNIQUE,
  account_id text,
  browser_key text,
  answers jsonb NOT NULL,
  flagged_terms text[] NOT NULL DEFAULT '{}',
  text_status text NOT NULL DEFAULT 'none' CHECK (text_status IN ('none', 'pending', 'approved', 'hidden')),
  moderation_reason text CHECK (char_length(moderation_reason) <= 500),
  moderated_by text,
  moderated_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (account_id IS NOT NULL OR browser_key IS NOT NULL)
);
CREATE UNIQUE INDEX response_one_per_account ON consultations.response (consultation_id, account_id) WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX response_one_per_browser ON consultations.response (consultation_id, browser_key) WHERE browser_key IS NOT NULL;
CREATE INDEX response_by_consultation ON consultations.response (consultation_id, created_at);
`,
  },
];
