import type { Migration } from '../../platform/db/migrator.ts';
import { CATEGORY_SEED } from './catalog.ts';

const lit = (v: string | null | undefined) => (v === null || v === undefined ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

export const disclosureMigrations: Migration[] = [
  {
    id: '0001-publication',
    sql: `
CREATE SCHEMA IF NOT EXISTS disclosure;
-- 公开目录: a configurable tree; deadline_days overrides the 20 WD of Art. 26 with its legal basis.
CREATE TABLE disclosure.category (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]{1,40}$'),
  name text NOT NULL,
  parent_code text REFERENCES disclosure.category(code),
  sort_order int NOT NULL DEFAULT 0,
  deadline_days int CHECK (deadline_days BETWEEN 1 AND 365),
  legal_basis text
);
-- 索引号 template per jurisdiction: the registry number generator a jurisdiction (and its subtree) uses.
CREATE TABLE disclosure.index_rule (
  jurisdiction_code text PRIMARY KEY,
  generator_id text NOT NULL
);
CREATE TABLE disclosure.publication (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  doc_number text,
  issuing_body text NOT NULL,
  written_on date NOT NULL,
  due_on date NOT NULL,
  published_at timestamptz,
  index_number text UNIQUE,
  category_code text NOT NULL REFERENCES disclosure.category(code),
  theme text,
  genre text NOT NULL,
  validity text NOT NULL DEFAULT 'valid' CHECK (validity IN ('valid', 'invalid', 'repealed')),
  summary text,
  body_html text NOT NULL,
  body_text text NOT NULL,
  attachment_ids jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'withdrawn')),
  review_opinion text,
  reviewed_by text,
  reviewed_at timestamptz,
  withdrawn_reason text,
  source_id text UNIQUE,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE INDEX publication_org ON disclosure.publication (organisation_id, updated_at DESC);
CREATE INDEX publication_jurisdiction ON disclosure.publication (jurisdiction_code text_pattern_ops);
CREATE INDEX publication_public ON disclosure.publication (published_at DESC) WHERE status = 'published';
CREATE INDEX publication_due ON disclosure.publication (due_on) WHERE status IN ('draft', 'in_review', 'approved');
-- History (修订记录): every step, with the content as it was; public rows are shown on the public page.
CREATE TABLE disclosure.publication_event (
  id bigserial PRIMARY KEY,
  publication_id uuid NOT NULL REFERENCES disclosure.publication(id),
  version int NOT NULL,
  event text NOT NULL,
  actor_id text,
  actor_name text,
  note text,
  public boolean NOT NULL DEFAULT false,
  snapshot jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publication_event_pub ON disclosure.publication_event (publication_id, id);
-- 政策解读 ↔ policy, linked both ways (one row, read from either side).
CREATE TABLE disclosure.interpretation_link (
  policy_id uuid NOT NULL REFERENCES disclosure.publication(id),
  interpretation_id uuid NOT NULL REFERENCES disclosure.publication(id),
  PRIMARY KEY (policy_id, interpretation_id),
  CHECK (policy_id <> interpretation_id)
);
CREATE INDEX interpretation_link_rev ON disclosure.interpretation_link (interpretation_id);
-- Overdue alerts (Art. 26 missed) for supervisors; one open alert per publication.
CREATE TABLE disclosure.overdue_alert (
  publication_id uuid PRIMARY KEY REFERENCES disclosure.publication(id),
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  title text NOT NULL,
  due_on date NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
-- Bulk import runs (progress polled by the upload page).
CREATE TABLE disclosure.import_run (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id text NOT NULL,
  created_by text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total int NOT NULL DEFAULT 0,
  processed int NOT NULL DEFAULT 0,
  created int NOT NULL DEFAULT 0,
  skipped int NOT NULL DEFAULT 0,
  failed int NOT NULL DEFAULT 0,
  rows jsonb NOT NULL DEFAULT '[]',
  report jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    id: '0002-seed-categories',
    sql: `INSERT INTO disclosure.category (code, name, parent_code, sort_order, deadline_days, legal_basis) VALUES
${CATEGORY_SEED.map((c, i) => `(${lit(c.code)}, ${lit(c.name)}, ${lit(c.parent)}, ${i + 1}, ${c.deadlineDays ?? 'NULL'}, ${lit(c.legalBasis)})`).join(',\n')}
ON CONFLICT (code) DO NOTHING;
`,
  },
];
