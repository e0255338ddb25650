import type { Migration } from '../../platform/db/migrator.ts';

/**
 * 依申请公开 (政府信息公开条例 Arts. 27–45) and 年度报告 (Art. 49–50): schema disclosure_requests.
 * Civil dates are `date` (Asia/Shanghai); instants are timestamptz. The request's process data
 * (correction notice, consultations, pauses, extension, fee, remedies) is one jsonb document
 * owned by the state machine (domain/request-machine.ts); the columns are what lists, clocks and
 * the annual report query.
 */
export const disclosureRequestMigrations: Migration[] = [
  {
    id: '0001-request',
    sql: `
CREATE SCHEMA IF NOT EXISTS disclosure_requests;
CREATE TABLE disclosure_requests.request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_no text NOT NULL UNIQUE,
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  requester_kind text NOT NULL CHECK (requester_kind IN ('natural', 'legal')),
  legal_category text CHECK (legal_category IN ('commercial', 'research', 'social_welfare', 'legal_service', 'other')),
  requester_account_id text,
  requester_name text NOT NULL CHECK (char_length(requester_name) BETWEEN 1 AND 100),
  requester_id_number text,
  contact_phone text,
  contact_email text,
  contact_address text,
  description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 5000),
  document_number text,
  purpose text,
  preferred_form text NOT NULL CHECK (preferred_form IN ('paper', 'electronic')),
  delivery text NOT NULL CHECK (delivery IN ('post', 'email', 'pickup', 'online')),
  channel text NOT NULL CHECK (channel IN ('online', 'in_person', 'letter_signed', 'letter_ordinary', 'fax')),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  received_on date NOT NULL,
  receipt_confirmed_on date,
  clock_started_on date,
  state text NOT NULL CHECK (state IN ('RECEIVED', 'CORRECTION_REQUESTED', 'PROCESSING', 'CONSULTING', 'FEE_PENDING', 'REPLIED', 'CLOSED')),
  process jsonb NOT NULL DEFAULT '{}'::jsonb,
  reply_due_on date,
  reply_type text,
  reply_reason text,
  reply_text text,
  reply_no text,
  replied_on date,
  delivered_on date,
  closed_reason text CHECK (closed_reason IN ('ABANDONED', 'FEE_UNPAID')),
  closed_on date,
  idempotency_key text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX request_idempotency ON disclosure_requests.request (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX request_requester ON disclosure_requests.request (requester_account_id, submitted_at DESC);
CREATE INDEX request_org ON disclosure_requests.request (organisation_id, state, updated_at DESC);
CREATE INDEX request_jurisdiction ON disclosure_requests.request (jurisdiction_code text_pattern_ops, state);

-- Timeline of a request: what the requester sees on the tracking page (public) and staff notes.
CREATE TABLE disclosure_requests.event (
  id bigserial PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES disclosure_requests.request (id),
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  text text NOT NULL,
  actor_name text NOT NULL,
  public boolean NOT NULL DEFAULT true
);
CREATE INDEX event_request ON disclosure_requests.event (request_id, id);

-- Gap-free request numbers per jurisdiction and year ({division}-{yyyy}-{seq:5}), allocated in the
-- submitting transaction.
CREATE TABLE disclosure_requests.counter (
  jurisdiction_code text NOT NULL,
  year int NOT NULL,
  last int NOT NULL,
  PRIMARY KEY (jurisdiction_code, year)
);

-- 年度报告: one per organisation (scope_kind 'organisation', scope_id = organisation id) or per
-- government (scope_kind 'government', scope_id = division code) and year.
CREATE TABLE disclosure_requests.annual_report (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scope_kind text NOT NULL CHECK (scope_kind IN ('organisation', 'government')),
  scope_id text NOT NULL,
  scope_name text NOT NULL,
  organisation_id text NOT NULL,
  jurisdiction_code text NOT NULL,
  year int NOT NULL CHECK (year BETWEEN 2008 AND 2100),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  narrative jsonb NOT NULL DEFAULT '{}'::jsonb,
  tables jsonb,
  published_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  UNIQUE (scope_kind, scope_id, year)
);
CREATE INDEX annual_report_org ON disclosure_requests.annual_report (organisation_id, year DESC);
CREATE INDEX annual_report_jurisdiction ON disclosure_requests.annual_report (jurisdiction_code text_pattern_ops, year DESC);
`,
  },
];
