import { seedCodeTables } from '../../platform/codes/code-tables.ts';
import type { Migration } from '../../platform/db/migrator.ts';
import { DEFAULT_NUMBER_GENERATORS } from './number-generators.ts';
import { codeTableSeedMigration, numberGeneratorSeedMigration } from './seed-sql.ts';

/** registry: number generators and counters, calendar overrides, code tables (基础代码与编号). */
export const registryMigrations: Migration[] = [
  {
    id: '0001-registry',
    sql: `
CREATE SCHEMA IF NOT EXISTS registry;

-- DOMAIN.md §1.4: pluggable number generators.
CREATE TABLE registry.number_generator (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{0,39}$'),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
  template text NOT NULL CHECK (char_length(template) BETWEEN 1 AND 200),
  scope text NOT NULL CHECK (scope IN ('global', 'org', 'org+year', 'region+day')),
  description text NOT NULL DEFAULT '',
  tag text NOT NULL DEFAULT 'practice' CHECK (tag IN ('law/standard', 'practice', 'unverified')),
  updated_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
-- One row per sequence (generator + sequenceKey()). Incremented inside the business transaction:
-- the row lock serialises callers of one sequence, and a rollback takes the increment back.
CREATE TABLE registry.number_counter (
  generator_id text NOT NULL REFERENCES registry.number_generator (id),
  sequence_key text NOT NULL,
  last_value bigint NOT NULL CHECK (last_value >= 1),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (generator_id, sequence_key)
);

-- DOMAIN.md §1.1.2: dated exceptions to the Monday–Friday rule, national (beyond chinese-days)
-- or per province / prefecture / county.
CREATE TABLE registry.calendar_entry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  jurisdiction_code text NOT NULL CHECK (jurisdiction_code = 'national' OR jurisdiction_code ~ '^[0-9]{6}$'),
  date date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('HOLIDAY', 'MAKEUP_WORKDAY')),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 40),
  source text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 100),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (jurisdiction_code, date)
);
-- Years whose arrangement is loaded from data beyond chinese-days (e.g. the 2027 notice).
CREATE TABLE registry.calendar_year (
  jurisdiction_code text NOT NULL CHECK (jurisdiction_code = 'national' OR jurisdiction_code ~ '^[0-9]{6}$'),
  year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  source text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 100),
  loaded_by text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (jurisdiction_code, year)
);

-- DOMAIN.md §1.3: code tables; entries are closed with valid_to, never deleted.
CREATE TABLE registry.code_table (
  id text PRIMARY KEY,
  name text NOT NULL,
  source text NOT NULL,
  tag text NOT NULL CHECK (tag IN ('law/standard', 'practice', 'unverified')),
  version text NOT NULL,
  hierarchical boolean NOT NULL DEFAULT false,
  multi_value_separator text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE registry.code_entry (
  table_id text NOT NULL REFERENCES registry.code_table (id),
  code text NOT NULL,
  label text NOT NULL,
  label_en text,
  parent_code text,
  valid_from date NOT NULL,
  valid_to date CHECK (valid_to IS NULL OR valid_to > valid_from),
  replaced_by text,
  tag text CHECK (tag IS NULL OR tag IN ('law/standard', 'practice', 'unverified')),
  note text,
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  sort_order int NOT NULL DEFAULT 0,
  PRIMARY KEY (table_id, code, valid_from)
);
`,
  },
  numberGeneratorSeedMigration(DEFAULT_NUMBER_GENERATORS),
  codeTableSeedMigration(seedCodeTables()),
];
