import type { Migration } from '../../platform/db/migrator.ts';

/**
 * Schema `cases`: the case (办件) with its denormalised clock (due date and first yellow day, so the
 * supervision sweep is set-based SQL), events (timeline), materials, the applicant's material
 * library, pauses and extensions, and ratings (好差评).
 */
export const caseMigrations: Migration[] = [
  {
    id: '0001-case',
    sql: `
CREATE SCHEMA IF NOT EXISTS cases;
CREATE TABLE cases.case (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_no text UNIQUE,
  query_password_hash text,
  query_password_enc text,
  idempotency_key text,
  item_id text NOT NULL,
  item_version int NOT NULL,
  item_name text NOT NULL,
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  applicant_account_id uuid NOT NULL,
  applicant_kind text NOT NULL CHECK (applicant_kind IN ('citizen', 'enterprise')),
  applicant_name_masked text NOT NULL,
  applicant_id_masked text NOT NULL DEFAULT '',
  applicant_mobile_masked text NOT NULL DEFAULT '',
  applicant_pii_enc text,
  channel text NOT NULL DEFAULT '1',
  form_values jsonb NOT NULL DEFAULT '{}'::jsonb,
  state text NOT NULL CHECK (state IN ('DRAFT','SUBMITTED','NEEDS_CORRECTION','ACCEPTED','IN_PROCESS','SUSPENDED','APPROVED','REFUSED','RESULT_READY','DELIVERED','CLOSED')),
  result_code smallint CHECK (result_code BETWEEN 0 AND 6),
  received_at timestamptz,
  received_on date,
  accepted_at timestamptz,
  acceptance_no text,
  promised_n int,
  promised_unit text,
  correction_list jsonb,
  correction_count int NOT NULL DEFAULT 0,
  node_index int,
  node_started_on date,
  decision text CHECK (decision IN ('approve', 'refuse')),
  decision_reasons text,
  decided_at timestamptz,
  certificate_no text,
  result_ready_at timestamptz,
  delivered_at timestamptz,
  delivery_method text,
  courier_no text,
  closed_at timestamptz,
  close_reason text,
  clock_kind text CHECK (clock_kind IN ('notice', 'decision', 'issue')),
  clock_started_on date,
  clock_limit_n int,
  clock_limit_unit text,
  clock_paused_since date,
  clock_extended_days int NOT NULL DEFAULT 0,
  clock_paused_days int NOT NULL DEFAULT 0,
  due_on date,
  yellow_from date,
  decision_due_on date,
  signal text NOT NULL DEFAULT 'none' CHECK (signal IN ('none', 'green', 'yellow', 'red', 'paused')),
  signal_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX case_idempotency ON cases.case (applicant_account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX case_applicant ON cases.case (applicant_account_id, updated_at DESC);
CREATE INDEX case_org ON cases.case (organisation_id, state, updated_at DESC);
CREATE INDEX case_jurisdiction ON cases.case (jurisdiction_code text_pattern_ops, state);
CREATE INDEX case_open_due ON cases.case (due_on) WHERE state NOT IN ('DRAFT', 'CLOSED', 'DELIVERED');
CREATE INDEX case_closed ON cases.case (closed_at DESC) WHERE state = 'CLOSED';

CREATE TABLE cases.case_event (
  id bigserial PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES cases.case(id),
  at timestamptz NOT NULL DEFAULT now(),
  event text NOT NULL,
  state_from text,
  state_to text NOT NULL,
  node_name text,
  actor_id text,
  actor_label text NOT NULL,
  opinion text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX case_event_case ON cases.case_event (case_id, id);

CREATE TABLE cases.case_material (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases.case(id),
  material_code text NOT NULL,
  material_name text NOT NULL,
  attachment_id uuid NOT NULL,
  file_name text NOT NULL,
  round int NOT NULL DEFAULT 0,
  added_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_material_case ON cases.case_material (case_id, material_code);

CREATE TABLE cases.library_item (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_account_id uuid NOT NULL,
  attachment_id uuid NOT NULL,
  label text NOT NULL,
  file_name text NOT NULL,
  size_bytes bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_account_id, attachment_id)
);

CREATE TABLE cases.case_pause (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES cases.case(id),
  kind text NOT NULL,
  reason text NOT NULL,
  legal_basis text NOT NULL,
  planned_days int NOT NULL,
  from_on date NOT NULL,
  to_on date,
  result text,
  started_by text NOT NULL,
  ended_by text
);
CREATE INDEX case_pause_case ON cases.case_pause (case_id);

CREATE TABLE cases.case_extension (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL UNIQUE REFERENCES cases.case(id),
  n int NOT NULL,
  unit text NOT NULL,
  reason text NOT NULL,
  approved_by text NOT NULL,
  approved_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cases.rating (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL UNIQUE REFERENCES cases.case(id),
  rater_account_id uuid NOT NULL,
  score smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
  reasons text[] NOT NULL DEFAULT '{}',
  comment text NOT NULL DEFAULT '',
  channel text NOT NULL DEFAULT 'pc',
  rated_at timestamptz NOT NULL DEFAULT now(),
  organisation_id text NOT NULL,
  jurisdiction_code text NOT NULL,
  rectification_state text CHECK (rectification_state IN ('ASSIGNED', 'RECTIFYING', 'EXPLAINED', 'FEEDBACK_SENT', 'CLOSED')),
  rectification_due_on date,
  feedback text,
  feedback_at timestamptz,
  version int NOT NULL DEFAULT 1
);
CREATE INDEX rating_org ON cases.rating (organisation_id, rectification_state);
`,
  },
  {
    // Issue 3: the case runs on the workflow engine; the instance and the definition version it started on.
    id: '0002-case-workflow',
    sql: `
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS workflow_instance_id uuid;
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS workflow_key text;
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS workflow_version int;
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS step_name text;
`,
  },
  {
    // Issue 3: appeal of a bad rating (好差评申诉, DOMAIN.md §4): the handling unit contests a 1–2 star rating
    // (APPEALED, once per rating); the rating office upholds it (VOIDED: excluded from every rating statistic)
    // or rejects it (back to ASSIGNED, the original feedback deadline keeps running).
    id: '0006-rating-appeal',
    sql: `
ALTER TABLE cases.rating DROP CONSTRAINT IF EXISTS rating_rectification_state_check;
ALTER TABLE cases.rating ADD CONSTRAINT rating_rectification_state_check
  CHECK (rectification_state IN ('ASSIGNED', 'RECTIFYING', 'EXPLAINED', 'FEEDBACK_SENT', 'CLOSED', 'APPEALED', 'VOIDED'));
ALTER TABLE cases.rating ADD COLUMN IF NOT EXISTS appeal_category text;
ALTER TABLE cases.rating ADD COLUMN IF NOT EXISTS appeal_statement text;
ALTER TABLE cases.rating ADD COLUMN IF NOT EXISTS appeal_by uuid;
ALTER TABLE cases.rating ADD COLUMN IF NOT EXISTS appeal_at timestamptz;
ALTER TABLE cases.rating ADD COLUMN IF NOT EXISTS appeal_decision text CHECK (appeal_decision IN ('upheld', 'rejected'));
ALTER TABLE cases.rating ADD COLUMN IF NOT EXISTS appeal_decision_reason text;
ALTER TABLE cases.rating ADD COLUMN IF NOT EXISTS appeal_decided_by uuid;
ALTER TABLE cases.rating ADD COLUMN IF NOT EXISTS appeal_decided_at timestamptz;
CREATE INDEX IF NOT EXISTS rating_state_jurisdiction ON cases.rating (rectification_state, jurisdiction_code);
`,
  },
  {
    // Issue 3 (一件事): a life-event application (bundle) fans out to one normal case per item; the cases carry bundle_id.
    // The bundle number comes from registry's default generator 'life-event'.
    id: '0003-life-event-application',
    sql: `
CREATE TABLE IF NOT EXISTS cases.bundle (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bundle_no text NOT NULL UNIQUE,
  life_event_id text NOT NULL,
  life_event_code text NOT NULL,
  life_event_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  applicant_account_id uuid NOT NULL,
  applicant_kind text NOT NULL CHECK (applicant_kind IN ('citizen', 'enterprise')),
  idempotency_key text,
  item_count int NOT NULL CHECK (item_count > 0),
  -- the items in the life event's order (the cases are listed in it)
  item_ids jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS bundle_idempotency ON cases.bundle (applicant_account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS bundle_applicant ON cases.bundle (applicant_account_id, created_at DESC);
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS bundle_id uuid REFERENCES cases.bundle (id);
CREATE INDEX IF NOT EXISTS case_bundle ON cases.case (bundle_id) WHERE bundle_id IS NOT NULL;
`,
  },
  {
    // Issue 3 / DOMAIN.md §5 trigger 3: the current workflow step's deadline (the open task with the
    // earliest due time), its first yellow day and the organisation handling it; read by the
    // workbench and by e-supervision's step-overdue rule R04 (partial index: open steps with a due date).
    id: '0005-step-deadline',
    sql: `
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS step_task_id uuid;
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS step_organisation_id text;
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS step_started_on date;
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS step_due_on date;
ALTER TABLE cases.case ADD COLUMN IF NOT EXISTS step_yellow_from date;
CREATE INDEX IF NOT EXISTS case_step_due ON cases.case (step_due_on) WHERE state = 'IN_PROCESS' AND step_due_on IS NOT NULL;
`,
  },
  {
    // Issue 3: application drafts (申请草稿), one per applicant per item; PII like a submission's
    // (masks in form_values, full values encrypted in pii_enc); purged 90 days after the last save.
    id: '0004-application-draft',
    sql: `
CREATE TABLE IF NOT EXISTS cases.application_draft (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  applicant_account_id uuid NOT NULL,
  item_id text NOT NULL,
  item_name text NOT NULL,
  form_values jsonb NOT NULL DEFAULT '{}',
  pii_enc text,
  materials jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  CONSTRAINT application_draft_one_per_item UNIQUE (applicant_account_id, item_id)
);
CREATE INDEX IF NOT EXISTS application_draft_saved ON cases.application_draft (updated_at);
CREATE INDEX IF NOT EXISTS application_draft_applicant ON cases.application_draft (applicant_account_id, updated_at DESC);
`,
  },
  {
    // The deadline sweep rewrites signal/signal_at, which no index covers: with room left on each
    // page, PostgreSQL can update those rows in place (HOT) instead of adding an entry to each of
    // the table's ten indexes. Applies to pages written from now on.
    id: '0007-case-fillfactor',
    sql: `ALTER TABLE cases.case SET (fillfactor = 70);`,
  },
];
