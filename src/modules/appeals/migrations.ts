import type { Migration } from '../../platform/db/migrator.ts';

export const appealMigrations: Migration[] = [
  {
    id: '0001-appeals',
    sql: `
CREATE SCHEMA IF NOT EXISTS appeals;

-- 派单目录: a configurable category tree.
CREATE TABLE appeals.category (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{2,8}$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
  parent_code text REFERENCES appeals.category (code),
  sort_order int NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true
);

-- Dispatch catalogue: (leaf category, division) → responsible unit. The most specific division wins.
CREATE TABLE appeals.dispatch_rule (
  category_code text NOT NULL REFERENCES appeals.category (code),
  division_code text NOT NULL,
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  PRIMARY KEY (category_code, division_code)
);

-- 12345 hotline offices and petition departments: their staff dispatch within their division's subtree.
CREATE TABLE appeals.centre (
  organisation_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('hotline', 'petition')),
  division_code text NOT NULL,
  organisation_name text NOT NULL,
  PRIMARY KEY (organisation_id, kind)
);

CREATE TABLE appeals.ticket (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE,
  query_code text NOT NULL,
  track text NOT NULL CHECK (track IN ('hotline', 'petition')),
  type text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('web', 'hotline', 'api')),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
  description text NOT NULL CHECK (char_length(description) BETWEEN 10 AND 3000),
  category_code text REFERENCES appeals.category (code),
  division_code text NOT NULL,
  address text NOT NULL DEFAULT '',
  lon double precision,
  lat double precision,
  urgency text NOT NULL DEFAULT 'normal',
  contact_name text NOT NULL DEFAULT '',
  contact_phone text NOT NULL DEFAULT '',
  caller_number text,
  consent_publish boolean NOT NULL DEFAULT false,
  anonymous boolean NOT NULL DEFAULT false,
  reporter_account_id text,
  attachment_ids text[] NOT NULL DEFAULT '{}',
  flagged_words text[] NOT NULL DEFAULT '{}',
  state text NOT NULL,
  lead_org_id text,
  lead_org_name text,
  co_org_ids text[] NOT NULL DEFAULT '{}',
  co_org_names text[] NOT NULL DEFAULT '{}',
  stage_started_at timestamptz,
  due_at timestamptz,
  handle_due_at timestamptz,
  extension_used boolean NOT NULL DEFAULT false,
  extension_pending int,
  supervised boolean NOT NULL DEFAULT false,
  satisfaction text,
  outcome text,
  final_reply text,
  replied_at timestamptz,
  merged_into uuid,
  emergency_line text,
  kb_entry_id uuid,
  suggested_org_id text,
  suggested_category text,
  idempotency_key text UNIQUE,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  version int NOT NULL DEFAULT 1
);
CREATE INDEX ticket_division ON appeals.ticket (division_code text_pattern_ops, created_at DESC);
CREATE INDEX ticket_lead ON appeals.ticket (lead_org_id, state);
CREATE INDEX ticket_state_due ON appeals.ticket (state, due_at);
CREATE INDEX ticket_reporter ON appeals.ticket (reporter_account_id, created_at DESC);
CREATE INDEX ticket_public ON appeals.ticket (closed_at DESC) WHERE consent_publish AND NOT anonymous;

-- History: every event of a ticket, in order.
CREATE TABLE appeals.ticket_event (
  id bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES appeals.ticket (id),
  event text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  actor_id text,
  actor_name text NOT NULL,
  organisation_name text,
  note text,
  -- shown to the citizen on the follow-up page (public replies, not internal notes)
  public boolean NOT NULL DEFAULT false,
  data jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_event_ticket ON appeals.ticket_event (ticket_id, id);

-- 知识库
CREATE TABLE appeals.kb_entry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  question text NOT NULL CHECK (char_length(question) BETWEEN 4 AND 200),
  answer text NOT NULL CHECK (char_length(answer) BETWEEN 4 AND 5000),
  category_code text REFERENCES appeals.category (code),
  keywords text[] NOT NULL DEFAULT '{}',
  division_code text NOT NULL,
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  published boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);

-- Reply templates (答复模板) for handlers.
CREATE TABLE appeals.reply_template (
  id serial PRIMARY KEY,
  name text NOT NULL,
  body text NOT NULL
);

-- Dispatcher decisions vs the suggestion (feeds the classifier's retraining).
CREATE TABLE appeals.dispatch_feedback (
  id bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES appeals.ticket (id),
  suggested_category text,
  chosen_category text,
  suggested_org_id text,
  chosen_org_id text NOT NULL,
  accepted boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    id: '0002-appeals-reminders-admin',
    sql: `
-- Supervision reminders (临期提醒 / 超期通知): at most one per ticket × deadline (stage + due date) × colour,
-- across sweeps and concurrent runs — the unique key decides which run sends it.
CREATE TABLE appeals.reminder (
  id bigserial PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES appeals.ticket (id),
  stage text NOT NULL,
  due_at timestamptz NOT NULL,
  colour text NOT NULL CHECK (colour IN ('yellow', 'red')),
  organisation_ids text[] NOT NULL DEFAULT '{}',
  recipients int NOT NULL DEFAULT 0,
  sent_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reminder_once UNIQUE (ticket_id, stage, due_at, colour)
);
CREATE INDEX ticket_open_due ON appeals.ticket (due_at) WHERE due_at IS NOT NULL AND closed_at IS NULL;

-- Administration of the dispatch catalogue and the centres: optimistic versions.
ALTER TABLE appeals.category ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE appeals.dispatch_rule
  ADD COLUMN co_org_ids text[] NOT NULL DEFAULT '{}',
  ADD COLUMN co_org_names text[] NOT NULL DEFAULT '{}',
  ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE appeals.centre
  ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN name text NOT NULL DEFAULT '',
  ADD COLUMN hotline text NOT NULL DEFAULT '',
  ADD COLUMN duty_mobile text NOT NULL DEFAULT '',
  ADD COLUMN duty_email text NOT NULL DEFAULT '',
  ADD COLUMN version int NOT NULL DEFAULT 1;
ALTER TABLE appeals.centre ADD CONSTRAINT centre_id_unique UNIQUE (id);
`,
  },
  {
    id: '0003-appeals-unit-duty-contacts',
    sql: `
-- Duty contacts per handling unit (值班联系人): overdue notices (超期通知) go to them by SMS and email.
-- Organisations carry no contact data in jurisdictions, so the appeals module keeps its own, by id.
CREATE TABLE appeals.unit_duty_contact (
  organisation_id text PRIMARY KEY,
  organisation_name text NOT NULL,
  duty_mobile text NOT NULL DEFAULT '' CHECK (duty_mobile = '' OR duty_mobile ~ '^1[0-9]{10}$'),
  duty_email text NOT NULL DEFAULT '' CHECK (char_length(duty_email) <= 100),
  version int NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
`,
  },
];
