import type { Migration } from '../../platform/db/migrator.ts';
import { DEFAULT_RULES } from './rules.ts';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** The DOMAIN.md §5 default rules, part of the schema (every installation starts with them; supervisors edit them). */
const defaultRules = DEFAULT_RULES.map(
  (r) => `(${lit(r.ruleNo)}, ${lit(r.name)}, ${r.trigger}, ${lit(r.scope)}, ${lit(r.level)}, ${lit(r.threshold)}, ${lit(r.recipients)}, ${lit(r.escalation)}, ${r.rectifyDays})`,
).join(',\n');

/**
 * Schema `supervision` (电子监察, DOMAIN.md §5): the monitoring rules and the alerts with their
 * follow-up (督办 → 回告 → 核查 → 办结). One alert per case × rule × level (unique index), so the
 * raising job is idempotent.
 */
export const supervisionMigrations: Migration[] = [
  {
    id: '0001-supervision',
    sql: `
CREATE SCHEMA IF NOT EXISTS supervision;
CREATE TABLE supervision.rule (
  rule_no text PRIMARY KEY,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
  trigger smallint NOT NULL CHECK (trigger BETWEEN 1 AND 9),
  scope text NOT NULL CHECK (scope IN ('case', 'node')),
  level text NOT NULL CHECK (level IN ('YELLOW', 'RED')),
  threshold text NOT NULL,
  recipients text NOT NULL,
  escalation text NOT NULL,
  rectify_days int NOT NULL DEFAULT 5 CHECK (rectify_days BETWEEN 1 AND 60),
  enabled boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1
);
CREATE TABLE supervision.alert (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  supervision_no text NOT NULL UNIQUE,
  case_id uuid NOT NULL,
  case_no text NOT NULL,
  content text NOT NULL,
  organisation_id text NOT NULL,
  organisation_name text NOT NULL,
  jurisdiction_code text NOT NULL,
  item_type_code text,
  rule_no text NOT NULL REFERENCES supervision.rule (rule_no),
  alert_type smallint NOT NULL CHECK (alert_type IN (1, 2, 9)),
  level text NOT NULL CHECK (level IN ('YELLOW', 'RED')),
  sent_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'ALERT' CHECK (state IN ('ALERT', 'NOTICE_SENT', 'RESPONDED', 'VERIFIED', 'CLOSED')),
  state_at timestamptz NOT NULL,
  result text,
  responsible_department text NOT NULL,
  red_card boolean NOT NULL DEFAULT false,
  notice_text text,
  rectify_due_on date,
  response_text text,
  escalation_level int NOT NULL DEFAULT 0,
  escalated_to text,
  version int NOT NULL DEFAULT 1,
  UNIQUE (case_id, rule_no, level)
);
CREATE INDEX alert_jurisdiction ON supervision.alert (jurisdiction_code text_pattern_ops, state);
CREATE INDEX alert_org ON supervision.alert (organisation_id, state);
CREATE INDEX alert_due ON supervision.alert (rectify_due_on) WHERE state = 'NOTICE_SENT';
INSERT INTO supervision.rule (rule_no, name, trigger, scope, level, threshold, recipients, escalation, rectify_days) VALUES
${defaultRules};
`,
  },
  {
    // DOMAIN.md §5 trigger 3 (R04, scope node): one alert per case × step task, so the key gains the
    // step (the workflow task id; '' for case-scope rules, which keeps their rows and uniqueness as before).
    id: '0002-step-alerts',
    sql: `
ALTER TABLE supervision.alert ADD COLUMN IF NOT EXISTS step_key text NOT NULL DEFAULT '';
ALTER TABLE supervision.alert DROP CONSTRAINT IF EXISTS alert_case_id_rule_no_level_key;
ALTER TABLE supervision.alert ADD CONSTRAINT alert_case_rule_level_step UNIQUE (case_id, rule_no, level, step_key);
`,
  },
];
