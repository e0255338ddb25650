import { sql, type RawBuilder } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';

/**
 * Read queries over the cases schema for e-supervision (电子监察, DOMAIN.md §5), owned by the
 * supervision module. Every query takes the actor's list scope and filters in SQL. Yellow / red
 * are computed from the stored due dates for the given day (the same rule as the cases sweep:
 * red the day after due, yellow from `yellow_from`), so a supervisor's view never depends on
 * when the sweep last ran.
 */

const OPEN = sql`c.state NOT IN ('DRAFT', 'CLOSED', 'DELIVERED')`;

function scopeCondition(scope: Scope, alias = 'c'): RawBuilder<unknown> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'none':
      return sql`false`;
    case 'organisation':
      return sql`${col('organisation_id')} = ${scope.organisationId}`;
    case 'jurisdiction':
      return sql`${col('jurisdiction_code')} LIKE ${`${scope.prefix}%`}`;
  }
}

export interface SupervisionFilter {
  scope: Scope;
  /** Narrow to a jurisdiction subtree (GB/T 2260 prefix), inside the scope. */
  prefix?: string;
  organisationId?: string;
}

function filterCondition(f: SupervisionFilter, alias = 'c'): RawBuilder<unknown> {
  const parts = [scopeCondition(f.scope, alias)];
  if (f.prefix) parts.push(sql`${sql.ref(`${alias}.jurisdiction_code`)} LIKE ${`${f.prefix}%`}`);
  if (f.organisationId) parts.push(sql`${sql.ref(`${alias}.organisation_id`)} = ${f.organisationId}`);
  return sql.join(parts, sql` AND `);
}

export interface SupervisionFigures {
  /** Group key: a division code prefix (drill-down level) or an organisation id. */
  key: string;
  organisationName: string | null;
  open: number;
  yellow: number;
  red: number;
  /** Open cases whose current step is past its due date (DOMAIN.md §5 trigger 3), whatever the case's own signal. */
  stepOverdue: number;
  decided: number;
  onTime: number;
  /** Working days (Mon–Fri minus national holidays, plus make-up days) from receipt to decision; null without decided cases. */
  avgHandlingDays: number | null;
  online: number;
  total: number;
  ratings: number;
  avgScore: number | null;
  badRatings: number;
}

/**
 * Figures grouped one level below `prefix`: by child division (prefix + 2 digits) while the
 * prefix is shorter than a county, then by organisation.
 */
export async function supervisionFigures(db: Db | Tx, f: SupervisionFilter & { groupBy: 'division' | 'organisation'; childLength?: number }, today: string): Promise<SupervisionFigures[]> {
  const key = f.groupBy === 'organisation' ? sql`c.organisation_id` : sql`substr(c.jurisdiction_code, 1, ${f.childLength ?? 6})`;
  const r = await sql<{
    key: string;
    organisation_name: string | null;
    open: number;
    yellow: number;
    red: number;
    step_overdue: number;
    decided: number;
    on_time: number;
    avg_days: string | null;
    online: number;
    total: number;
    ratings: number;
    avg_score: string | null;
    bad: number;
  }>`
WITH base AS (
  SELECT ${key} AS key, c.*,
         (c.decided_at AT TIME ZONE 'Asia/Shanghai')::date AS decided_on
  FROM cases.case c
  WHERE c.state <> 'DRAFT' AND ${filterCondition(f)}
)
SELECT b.key,
       ${f.groupBy === 'organisation' ? sql`max(b.organisation_name)` : sql`NULL`} AS organisation_name,
       count(*) FILTER (WHERE b.state NOT IN ('CLOSED', 'DELIVERED'))::int AS open,
       count(*) FILTER (WHERE b.state NOT IN ('CLOSED', 'DELIVERED') AND b.clock_paused_since IS NULL AND b.due_on IS NOT NULL
                          AND ${today}::date <= b.due_on AND ${today}::date >= b.yellow_from)::int AS yellow,
       count(*) FILTER (WHERE b.state NOT IN ('CLOSED', 'DELIVERED') AND b.clock_paused_since IS NULL AND b.due_on IS NOT NULL
                          AND ${today}::date > b.due_on)::int AS red,
       count(*) FILTER (WHERE b.state = 'IN_PROCESS' AND b.clock_paused_since IS NULL AND b.step_due_on IS NOT NULL
                          AND ${today}::date > b.step_due_on)::int AS step_overdue,
       count(*) FILTER (WHERE b.decided_on IS NOT NULL AND b.decision_due_on IS NOT NULL)::int AS decided,
       count(*) FILTER (WHERE b.decided_on IS NOT NULL AND b.decision_due_on IS NOT NULL AND b.decided_on <= b.decision_due_on)::int AS on_time,
       avg((SELECT count(*) FROM generate_series(b.received_on + 1, b.decided_on, interval '1 day') d(day)
            WHERE (extract(isodow FROM d.day) < 6
                   AND NOT EXISTS (SELECT 1 FROM registry.calendar_entry e WHERE e.jurisdiction_code = 'national' AND e.date = d.day::date AND e.kind = 'HOLIDAY'))
               OR EXISTS (SELECT 1 FROM registry.calendar_entry e WHERE e.jurisdiction_code = 'national' AND e.date = d.day::date AND e.kind = 'MAKEUP_WORKDAY')))
         FILTER (WHERE b.decided_on IS NOT NULL AND b.received_on IS NOT NULL) AS avg_days,
       count(*) FILTER (WHERE b.channel = '1')::int AS online,
       count(*)::int AS total,
       count(r.id)::int AS ratings,
       avg(r.score) AS avg_score,
       count(r.id) FILTER (WHERE r.score <= 2)::int AS bad
FROM base b
-- A rating voided on appeal (好差评申诉 upheld) counts in no statistic.
LEFT JOIN cases.rating r ON r.case_id = b.id AND r.rectification_state IS DISTINCT FROM 'VOIDED'
GROUP BY b.key
ORDER BY b.key`.execute(db);
  return r.rows.map((x) => ({
    key: x.key,
    organisationName: x.organisation_name,
    open: Number(x.open),
    yellow: Number(x.yellow),
    red: Number(x.red),
    stepOverdue: Number(x.step_overdue),
    decided: Number(x.decided),
    onTime: Number(x.on_time),
    avgHandlingDays: x.avg_days === null ? null : Math.round(Number(x.avg_days) * 10) / 10,
    online: Number(x.online),
    total: Number(x.total),
    ratings: Number(x.ratings),
    avgScore: x.avg_score === null ? null : Math.round(Number(x.avg_score) * 100) / 100,
    badRatings: Number(x.bad),
  }));
}

export interface SignalledCase {
  id: string;
  caseNo: string | null;
  itemName: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  state: string;
  dueOn: string | null;
  signal: 'yellow' | 'red';
}

/** Open yellow / red cases in scope for `today`, red first, then by due date. */
export async function signalledCases(db: Db | Tx, f: SupervisionFilter & { limit: number; offset: number }, today: string): Promise<{ rows: SignalledCase[]; total: number }> {
  const signal = sql`CASE WHEN ${today}::date > c.due_on THEN 'red' ELSE 'yellow' END`;
  const where = sql`${OPEN} AND c.clock_paused_since IS NULL AND c.due_on IS NOT NULL AND ${today}::date >= c.yellow_from AND ${filterCondition(f)}`;
  const rows = await sql<{ id: string; case_no: string | null; item_name: string; organisation_id: string; organisation_name: string; jurisdiction_code: string; state: string; due_on: string | null; signal: 'yellow' | 'red'; total: number }>`
SELECT c.id, c.case_no, c.item_name, c.organisation_id, c.organisation_name, c.jurisdiction_code, c.state, c.due_on::text AS due_on,
       ${signal} AS signal, count(*) OVER ()::int AS total
FROM cases.case c WHERE ${where}
ORDER BY (${signal}) = 'red' DESC, c.due_on, c.case_no
LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return {
    total: Number(rows.rows[0]?.total ?? 0),
    rows: rows.rows.map((x) => ({ id: x.id, caseNo: x.case_no, itemName: x.item_name, organisationId: x.organisation_id, organisationName: x.organisation_name, jurisdictionCode: x.jurisdiction_code, state: x.state, dueOn: x.due_on, signal: x.signal })),
  };
}

/** A case that meets a monitored event (DOMAIN.md §5) on `today`; one row per case × trigger. */
export interface MonitoredEvent {
  caseId: string;
  caseNo: string;
  itemName: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  /** 1 total limit (yellow or red), 2 promised limit exceeded, 3 step (node) overdue while the total is not, 5 refusal without reasons. */
  trigger: 1 | 2 | 3 | 5;
  level: 'YELLOW' | 'RED';
  dueOn: string | null;
  /** Trigger 3: the overdue step's workflow task id (one alert per case × step task); '' otherwise. */
  stepKey: string;
  /** Trigger 3: the step's name (e.g. 审查). */
  stepName: string | null;
}

/** Candidates for alerts, in scope `all` (the raising job); the caller's unique index keeps it idempotent. */
export async function monitoredEvents(db: Db | Tx, today: string): Promise<MonitoredEvent[]> {
  const r = await sql<{ case_id: string; case_no: string; item_name: string; organisation_id: string; organisation_name: string; jurisdiction_code: string; trigger: number; level: 'YELLOW' | 'RED'; due_on: string | null; step_key: string; step_name: string | null }>`
SELECT c.id AS case_id, c.case_no, c.item_name, c.organisation_id, c.organisation_name, c.jurisdiction_code, 1 AS trigger,
       CASE WHEN ${today}::date > c.due_on THEN 'RED' ELSE 'YELLOW' END AS level, c.due_on::text AS due_on, '' AS step_key, NULL::text AS step_name
FROM cases.case c
WHERE ${OPEN} AND c.case_no IS NOT NULL AND c.clock_paused_since IS NULL AND c.due_on IS NOT NULL AND ${today}::date >= c.yellow_from
UNION ALL
SELECT c.id, c.case_no, c.item_name, c.organisation_id, c.organisation_name, c.jurisdiction_code, 2, 'RED', c.decision_due_on::text, '', NULL
FROM cases.case c
WHERE c.state IN ('ACCEPTED', 'IN_PROCESS') AND c.case_no IS NOT NULL AND c.decision IS NULL AND c.clock_paused_since IS NULL
  AND c.decision_due_on IS NOT NULL AND ${today}::date > c.decision_due_on
UNION ALL
-- Trigger 3 (R04): the current step is past its due date (red the day after) while the case's own deadline
-- is not; the step's handler organisation is the one supervised (its name from jurisdictions when it is
-- not the case's). Partial index case_step_due keeps this cheap however many cases are open.
SELECT c.id, c.case_no, c.item_name, c.step_organisation_id,
       CASE WHEN c.step_organisation_id = c.organisation_id THEN c.organisation_name
            ELSE coalesce((SELECT o.name FROM jurisdictions.organisation o WHERE o.id::text = c.step_organisation_id), c.organisation_name) END,
       c.jurisdiction_code, 3, 'YELLOW', c.step_due_on::text, c.step_task_id::text, c.step_name
FROM cases.case c
WHERE c.state = 'IN_PROCESS' AND c.step_due_on IS NOT NULL AND ${today}::date > c.step_due_on
  AND c.case_no IS NOT NULL AND c.clock_paused_since IS NULL AND c.step_task_id IS NOT NULL AND c.step_organisation_id IS NOT NULL
  AND (c.due_on IS NULL OR ${today}::date <= c.due_on)
UNION ALL
SELECT c.id, c.case_no, c.item_name, c.organisation_id, c.organisation_name, c.jurisdiction_code, 5, 'RED', NULL, '', NULL
FROM cases.case c
WHERE c.case_no IS NOT NULL AND c.decision = 'refuse' AND coalesce(btrim(c.decision_reasons), '') = ''
ORDER BY 1, 7`.execute(db);
  return r.rows.map((x) => ({
    caseId: x.case_id,
    caseNo: x.case_no,
    itemName: x.item_name,
    organisationId: x.organisation_id,
    organisationName: x.organisation_name,
    jurisdictionCode: x.jurisdiction_code,
    trigger: Number(x.trigger) as 1 | 2 | 3 | 5,
    level: x.level,
    dueOn: x.due_on,
    stepKey: x.step_key ?? '',
    stepName: x.step_name,
  }));
}
