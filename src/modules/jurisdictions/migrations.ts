import type { Migration } from '../../platform/db/migrator.ts';

export const jurisdictionsMigrations: Migration[] = [
  {
    id: '0001-divisions-and-organisations',
    sql: `
CREATE SCHEMA IF NOT EXISTS jurisdictions;

-- GB/T 2260 division tree with the NBS township (9-digit) and village (12-digit) codes
-- (DOMAIN.md §1.2.4). Codes are closed with valid_to, never deleted, so old records still render.
CREATE TABLE jurisdictions.division (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}){0,2}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  parent_code text REFERENCES jurisdictions.division (code),
  -- subtree prefix (platform auth/scope.ts subtreePrefix): 420000 → 42, 420100 → 4201
  prefix text NOT NULL CHECK (code LIKE prefix || '%'),
  -- null: already in force in the first imported edition (its start is not in the source)
  valid_from date,
  valid_to date,
  source text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((level = 1) = (parent_code IS NULL)),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
);
CREATE INDEX division_parent ON jurisdictions.division (parent_code);
CREATE INDEX division_prefix ON jurisdictions.division (prefix text_pattern_ops);
CREATE INDEX division_code_pattern ON jurisdictions.division (code text_pattern_ops);

-- Organisation types [practice]: Zhengwu's default classification of departments; the
-- usual USCC positions 1–2 per type (DOMAIN.md §1.2.2: 11 organ, 12 public institution, 13 mass organisation).
CREATE TABLE jurisdictions.organisation_type (
  code text PRIMARY KEY,
  label text NOT NULL,
  label_en text NOT NULL,
  uscc_category text,
  sort_order int NOT NULL
);
INSERT INTO jurisdictions.organisation_type (code, label, label_en, uscc_category, sort_order) VALUES
  ('party', '党委部门', 'Party committee department', '11', 10),
  ('government', '政府组成部门', 'Government constituent department', '11', 20),
  ('affiliated', '直属机构', 'Directly affiliated agency', '11', 30),
  ('institution', '事业单位', 'Public institution', '12', 40),
  ('mass', '群团组织', 'Mass organisation', '13', 50),
  ('township', '乡镇街道', 'Township or sub-district office', '11', 60),
  ('community', '村社区', 'Village or community committee', NULL, 70);

CREATE TABLE jurisdictions.organisation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  short_name text CHECK (short_name IS NULL OR length(short_name) BETWEEN 1 AND 50),
  jurisdiction_code text NOT NULL REFERENCES jurisdictions.division (code),
  uscc text CHECK (uscc IS NULL OR uscc ~ '^[0-9A-Z]{18}$'),
  -- 'valid' or why the stored code carries a warning (warn-not-reject for registry data, DOMAIN.md §1.2)
  uscc_status text CHECK (uscc_status IN ('valid', 'invalidCheck', 'unknownCategory', 'invalidDivision', 'invalidOrganizationCode')),
  uscc_note text,
  type text NOT NULL REFERENCES jurisdictions.organisation_type (code),
  parent_id uuid REFERENCES jurisdictions.organisation (id),
  sort_order int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1 CHECK (version >= 1),
  CHECK ((uscc IS NULL) = (uscc_status IS NULL)),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX organisation_name_in_jurisdiction ON jurisdictions.organisation (jurisdiction_code, name);
CREATE UNIQUE INDEX organisation_uscc ON jurisdictions.organisation (uscc) WHERE uscc IS NOT NULL;
CREATE INDEX organisation_jurisdiction ON jurisdictions.organisation (jurisdiction_code text_pattern_ops);
CREATE INDEX organisation_parent ON jurisdictions.organisation (parent_id);
`,
  },
];
