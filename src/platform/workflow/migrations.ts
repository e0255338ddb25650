import type { Migration } from '../db/migrator.ts';

/**
 * Schema `workflow`: definition versions, instances (token state as JSON), tasks. Registered
 * as the `workflow` module's migrations (src/modules/workflow/manifest.ts), so modules using
 * the engine (cases, documents, appeals) are listed after it in createModules.
 */
export const workflowMigrations: Migration[] = [
  {
    id: '0001-workflow',
    sql: `
CREATE SCHEMA IF NOT EXISTS workflow;
CREATE TABLE workflow.definition (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- '' = province-wide (the default flow); otherwise the owning organisation.
  organisation_id text NOT NULL DEFAULT '',
  organisation_name text NOT NULL DEFAULT '',
  jurisdiction_code text NOT NULL DEFAULT '',
  key text NOT NULL CHECK (key ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$'),
  version int NOT NULL CHECK (version >= 1),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  xml text NOT NULL,
  model jsonb NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'superseded')),
  comment text NOT NULL DEFAULT '',
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  published_by text,
  UNIQUE (organisation_id, key, version)
);
CREATE UNIQUE INDEX definition_one_published ON workflow.definition (organisation_id, key) WHERE status = 'published';
CREATE INDEX definition_org ON workflow.definition (organisation_id, key, version DESC);
CREATE INDEX definition_jurisdiction ON workflow.definition (jurisdiction_code text_pattern_ops);

CREATE TABLE workflow.instance (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  definition_id uuid NOT NULL REFERENCES workflow.definition (id),
  definition_key text NOT NULL,
  definition_version int NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  organisation_id text NOT NULL,
  jurisdiction_code text NOT NULL DEFAULT '',
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'completed', 'cancelled')),
  tokens jsonb NOT NULL,
  variables jsonb NOT NULL DEFAULT '{}'::jsonb,
  started_by text,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  version int NOT NULL DEFAULT 1
);
CREATE INDEX instance_subject ON workflow.instance (subject_type, subject_id);

CREATE TABLE workflow.task (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  instance_id uuid NOT NULL REFERENCES workflow.instance (id),
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  -- user: a step to handle; copy: 抄送, read-only.
  kind text NOT NULL DEFAULT 'user' CHECK (kind IN ('user', 'copy')),
  token_id text,
  node_id text NOT NULL,
  name text NOT NULL,
  candidate_roles text[] NOT NULL DEFAULT '{}',
  organisation_id text NOT NULL,
  assignee text,
  mi_index int,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  due_at timestamptz,
  completed_at timestamptz,
  completed_by text,
  outcome text,
  comment text,
  delegated_from text,
  transferred_from text,
  created_by text,
  urge_count int NOT NULL DEFAULT 0,
  last_urged_at timestamptz,
  version int NOT NULL DEFAULT 1
);
CREATE INDEX task_instance ON workflow.task (instance_id, created_at);
CREATE INDEX task_open_org ON workflow.task (organisation_id, created_at) WHERE state = 'open' AND assignee IS NULL;
CREATE INDEX task_open_assignee ON workflow.task (assignee, created_at) WHERE state = 'open';
CREATE INDEX task_done_by ON workflow.task (completed_by, completed_at DESC) WHERE state = 'done';
CREATE INDEX task_copied ON workflow.task (assignee, created_at DESC) WHERE kind = 'copy';
`,
  },
];
