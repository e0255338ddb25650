import { sql, type RawBuilder } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { AlertLevel, AlertState, RuleDefinition } from './rules.ts';

export interface RuleRow extends RuleDefinition {
  enabled: boolean;
  updatedAt: Date;
  version: number;
}

export interface AlertRow {
  id: string;
  supervisionNo: string;
  caseId: string;
  caseNo: string;
  content: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  itemTypeCode: string | null;
  ruleNo: string;
  alertType: 1 | 2 | 9;
  level: AlertLevel;
  sentAt: Date;
  state: AlertState;
  stateAt: Date;
  result: string | null;
  responsibleDepartment: string;
  redCard: boolean;
  noticeText: string | null;
  rectifyDueOn: string | null;
  responseText: string | null;
  escalationLevel: number;
  escalatedTo: string | null;
  version: number;
  /** Node-scope rules (R04): the workflow task the alert is about; '' for case-scope rules. */
  stepKey: string;
}

interface RawAlert {
  id: string;
  supervision_no: string;
  case_id: string;
  case_no: string;
  content: string;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  item_type_code: string | null;
  rule_no: string;
  alert_type: number;
  level: AlertLevel;
  sent_at: Date;
  state: AlertState;
  state_at: Date;
  result: string | null;
  responsible_department: string;
  red_card: boolean;
  notice_text: string | null;
  rectify_due_on: string | null;
  response_text: string | null;
  escalation_level: number;
  escalated_to: string | null;
  version: number;
  step_key: string;
}

const ALERT_COLUMNS = sql`id, supervision_no, case_id, case_no, content, organisation_id, organisation_name, jurisdiction_code, item_type_code, rule_no,
  alert_type, level, sent_at, state, state_at, result, responsible_department, red_card, notice_text, rectify_due_on::text AS rectify_due_on,
  response_text, escalation_level, escalated_to, version, step_key`;

function toAlert(r: RawAlert): AlertRow {
  return {
    id: r.id,
    supervisionNo: r.supervision_no,
    caseId: r.case_id,
    caseNo: r.case_no,
    content: r.content,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    jurisdictionCode: r.jurisdiction_code,
    itemTypeCode: r.item_type_code,
    ruleNo: r.rule_no,
    alertType: Number(r.alert_type) as 1 | 2 | 9,
    level: r.level,
    sentAt: new Date(r.sent_at),
    state: r.state,
    stateAt: new Date(r.state_at),
    result: r.result,
    responsibleDepartment: r.responsible_department,
    redCard: r.red_card,
    noticeText: r.notice_text,
    rectifyDueOn: r.rectify_due_on,
    responseText: r.response_text,
    escalationLevel: Number(r.escalation_level),
    escalatedTo: r.escalated_to,
    version: Number(r.version),
    stepKey: r.step_key ?? '',
  };
}

/** The identity of an alert: case × rule × level (× step task for node-scope rules). */
export function alertKey(caseId: string, ruleNo: string, level: string, stepKey = ''): string {
  return `${caseId}|${ruleNo}|${level}|${stepKey}`;
}

function scopeWhere(scope: Scope): RawBuilder<unknown> {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'none':
      return sql`false`;
    case 'organisation':
      return sql`organisation_id = ${scope.organisationId}`;
    case 'jurisdiction':
      return sql`jurisdiction_code LIKE ${`${scope.prefix}%`}`;
  }
}

/** What the raising job supplies for a new alert (the rest starts at its defaults). */
export type NewAlert = Omit<AlertRow, 'id' | 'state' | 'stateAt' | 'result' | 'redCard' | 'noticeText' | 'rectifyDueOn' | 'responseText' | 'escalationLevel' | 'escalatedTo' | 'version' | 'stepKey'> & { stepKey?: string };

export interface AlertPatch {
  state?: AlertState;
  stateAt?: Date;
  result?: string | null;
  redCard?: boolean;
  noticeText?: string;
  rectifyDueOn?: string | null;
  responseText?: string;
  escalationLevel?: number;
  escalatedTo?: string | null;
}

export class SupervisionRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Db | Tx): Db | Tx {
    return tx ?? this.db;
  }

  // ---- rules ----
  async listRules(tx?: Db | Tx): Promise<RuleRow[]> {
    const r = await sql<{ rule_no: string; name: string; trigger: number; scope: 'case' | 'node'; level: AlertLevel; threshold: string; recipients: string; escalation: string; rectify_days: number; enabled: boolean; updated_at: Date; version: number }>`
SELECT * FROM supervision.rule ORDER BY rule_no`.execute(this.q(tx));
    return r.rows.map((x) => ({
      ruleNo: x.rule_no,
      name: x.name,
      trigger: Number(x.trigger),
      scope: x.scope,
      level: x.level,
      threshold: x.threshold,
      recipients: x.recipients,
      escalation: x.escalation,
      rectifyDays: Number(x.rectify_days),
      enabled: x.enabled,
      updatedAt: new Date(x.updated_at),
      version: Number(x.version),
    }));
  }

  async getRule(ruleNo: string, tx?: Db | Tx): Promise<RuleRow | null> {
    return (await this.listRules(tx)).find((r) => r.ruleNo === ruleNo) ?? null;
  }

  async insertRuleIfMissing(tx: Tx, r: RuleDefinition): Promise<void> {
    await sql`INSERT INTO supervision.rule (rule_no, name, trigger, scope, level, threshold, recipients, escalation, rectify_days)
VALUES (${r.ruleNo}, ${r.name}, ${r.trigger}, ${r.scope}, ${r.level}, ${r.threshold}, ${r.recipients}, ${r.escalation}, ${r.rectifyDays})
ON CONFLICT (rule_no) DO NOTHING`.execute(tx);
  }

  async updateRule(tx: Tx, ruleNo: string, version: number, v: { name: string; threshold: string; recipients: string; escalation: string; rectifyDays: number; enabled: boolean }): Promise<boolean> {
    const r = await sql`UPDATE supervision.rule SET name = ${v.name}, threshold = ${v.threshold}, recipients = ${v.recipients}, escalation = ${v.escalation},
  rectify_days = ${v.rectifyDays}, enabled = ${v.enabled}, updated_at = now(), version = version + 1
WHERE rule_no = ${ruleNo} AND version = ${version}`.execute(tx);
    return Number(r.numAffectedRows ?? 0) === 1;
  }

  // ---- alerts ----
  async alertExists(tx: Tx, caseId: string, ruleNo: string, level: AlertLevel, stepKey = ''): Promise<boolean> {
    const r = await sql`SELECT 1 FROM supervision.alert WHERE case_id = ${caseId} AND rule_no = ${ruleNo} AND level = ${level} AND step_key = ${stepKey}`.execute(tx);
    return r.rows.length > 0;
  }

  /**
   * The alert keys (`caseId|ruleNo|level|stepKey`) that already exist for these cases: one query per
   * 5,000 cases, so a sweep over many signalled cases opens transactions only for new alerts.
   */
  async existingAlertKeys(caseIds: string[], tx?: Db | Tx): Promise<Set<string>> {
    const keys = new Set<string>();
    const unique = [...new Set(caseIds)];
    for (let i = 0; i < unique.length; i += 5000) {
      const chunk = unique.slice(i, i + 5000);
      const r = await sql<{ case_id: string; rule_no: string; level: string; step_key: string }>`
SELECT case_id, rule_no, level, step_key FROM supervision.alert WHERE case_id = ANY(${chunk}::uuid[])`.execute(this.q(tx));
      for (const x of r.rows) keys.add(alertKey(x.case_id, x.rule_no, x.level, x.step_key));
    }
    return keys;
  }

  /** Inserts unless the case × rule × level alert exists; returns the new row or null. */
  async insertAlert(tx: Tx, a: NewAlert): Promise<AlertRow | null> {
    const r = await sql<RawAlert>`
INSERT INTO supervision.alert (supervision_no, case_id, case_no, content, organisation_id, organisation_name, jurisdiction_code, item_type_code, rule_no, alert_type, level, sent_at, state_at, responsible_department, step_key)
VALUES (${a.supervisionNo}, ${a.caseId}, ${a.caseNo}, ${a.content}, ${a.organisationId}, ${a.organisationName}, ${a.jurisdictionCode}, ${a.itemTypeCode}, ${a.ruleNo}, ${a.alertType}, ${a.level}, ${a.sentAt}, ${a.sentAt}, ${a.responsibleDepartment}, ${a.stepKey ?? ''})
ON CONFLICT (case_id, rule_no, level, step_key) DO NOTHING
RETURNING ${ALERT_COLUMNS}`.execute(tx);
    const row = r.rows[0];
    return row ? toAlert(row) : null;
  }

  /**
   * Many new alerts in one statement (the raising job's batches): a multi-row INSERT that skips
   * every case × rule × level × step that already has an alert. Returns the rows inserted (any
   * order); the caller compares the count with what it asked for.
   */
  async insertAlerts(tx: Tx, alerts: NewAlert[]): Promise<AlertRow[]> {
    if (alerts.length === 0) return [];
    const values = alerts.map(
      (a) =>
        sql`(${a.supervisionNo}, ${a.caseId}::uuid, ${a.caseNo}, ${a.content}, ${a.organisationId}, ${a.organisationName}, ${a.jurisdictionCode}, ${a.itemTypeCode}, ${a.ruleNo}, ${a.alertType}::smallint, ${a.level}, ${a.sentAt}::timestamptz, ${a.sentAt}::timestamptz, ${a.responsibleDepartment}, ${a.stepKey ?? ''})`,
    );
    const r = await sql<RawAlert>`
INSERT INTO supervision.alert (supervision_no, case_id, case_no, content, organisation_id, organisation_name, jurisdiction_code, item_type_code, rule_no, alert_type, level, sent_at, state_at, responsible_department, step_key)
VALUES ${sql.join(values)}
ON CONFLICT (case_id, rule_no, level, step_key) DO NOTHING
RETURNING ${ALERT_COLUMNS}`.execute(tx);
    return r.rows.map(toAlert);
  }

  async getAlert(id: string, tx?: Db | Tx): Promise<AlertRow | null> {
    const r = await sql<RawAlert>`SELECT ${ALERT_COLUMNS} FROM supervision.alert WHERE id = ${id}`.execute(this.q(tx));
    const row = r.rows[0];
    return row ? toAlert(row) : null;
  }

  async listAlerts(scope: Scope, opts: { states?: AlertState[]; prefix?: string; organisationId?: string; limit: number; offset: number }, tx?: Db | Tx): Promise<{ rows: AlertRow[]; total: number }> {
    const parts = [scopeWhere(scope)];
    if (opts.states && opts.states.length > 0) parts.push(sql`state IN (${sql.join(opts.states)})`);
    if (opts.prefix) parts.push(sql`jurisdiction_code LIKE ${`${opts.prefix}%`}`);
    if (opts.organisationId) parts.push(sql`organisation_id = ${opts.organisationId}`);
    const where = sql.join(parts, sql` AND `);
    const r = await sql<RawAlert & { total: number }>`
SELECT ${ALERT_COLUMNS}, count(*) OVER ()::int AS total FROM supervision.alert WHERE ${where}
ORDER BY (state = 'CLOSED'), sent_at DESC, supervision_no DESC LIMIT ${opts.limit} OFFSET ${opts.offset}`.execute(this.q(tx));
    return { rows: r.rows.map(toAlert), total: Number(r.rows[0]?.total ?? 0) };
  }

  async updateAlert(tx: Tx, id: string, version: number, p: AlertPatch): Promise<AlertRow | null> {
    const sets = [sql`version = version + 1`];
    if (p.state !== undefined) sets.push(sql`state = ${p.state}`);
    if (p.stateAt !== undefined) sets.push(sql`state_at = ${p.stateAt}`);
    if (p.result !== undefined) sets.push(sql`result = ${p.result}`);
    if (p.redCard !== undefined) sets.push(sql`red_card = ${p.redCard}`);
    if (p.noticeText !== undefined) sets.push(sql`notice_text = ${p.noticeText}`);
    if (p.rectifyDueOn !== undefined) sets.push(sql`rectify_due_on = ${p.rectifyDueOn}::date`);
    if (p.responseText !== undefined) sets.push(sql`response_text = ${p.responseText}`);
    if (p.escalationLevel !== undefined) sets.push(sql`escalation_level = ${p.escalationLevel}`);
    if (p.escalatedTo !== undefined) sets.push(sql`escalated_to = ${p.escalatedTo}`);
    const r = await sql<RawAlert>`UPDATE supervision.alert SET ${sql.join(sets)} WHERE id = ${id} AND version = ${version} RETURNING ${ALERT_COLUMNS}`.execute(tx);
    const row = r.rows[0];
    return row ? toAlert(row) : null;
  }

  /** 督办 notices whose rectification deadline passed without a 回告. */
  async overdueNotices(today: string, tx?: Db | Tx): Promise<AlertRow[]> {
    const r = await sql<RawAlert>`SELECT ${ALERT_COLUMNS} FROM supervision.alert WHERE state = 'NOTICE_SENT' AND rectify_due_on < ${today}::date ORDER BY supervision_no`.execute(this.q(tx));
    return r.rows.map(toAlert);
  }

  /** Staff accounts of an organisation (the supervised unit's people to notify). */
  async staffOf(organisationId: string, tx?: Db | Tx): Promise<string[]> {
    const r = await sql<{ account_id: string }>`SELECT DISTINCT account_id FROM identity.position WHERE organisation_id = ${organisationId} AND roles && ARRAY['clerk', 'org_head']::text[]`.execute(this.q(tx));
    return r.rows.map((x) => x.account_id);
  }

  /** Supervisors of a jurisdiction (by the organisations registered in it). */
  async supervisorsOf(jurisdictionCode: string, tx?: Db | Tx): Promise<string[]> {
    const r = await sql<{ account_id: string }>`
SELECT DISTINCT p.account_id FROM identity.position p JOIN jurisdictions.organisation o ON o.id::text = p.organisation_id
WHERE o.jurisdiction_code = ${jurisdictionCode} AND p.roles && ARRAY['jurisdiction_supervisor', 'province_supervisor']::text[]`.execute(this.q(tx));
    return r.rows.map((x) => x.account_id);
  }

  /** Unresolved proactive-disclosure overdue alerts (written by the disclosure module), by organisation. */
  async disclosureOverdue(scope: Scope, prefix: string | undefined, tx?: Db | Tx): Promise<{ organisationId: string; organisationName: string; jurisdictionCode: string; count: number }[]> {
    const parts = [scopeWhere(scope), sql`resolved_at IS NULL`];
    if (prefix) parts.push(sql`jurisdiction_code LIKE ${`${prefix}%`}`);
    const r = await sql<{ organisation_id: string; organisation_name: string; jurisdiction_code: string; n: number }>`
SELECT organisation_id, max(organisation_name) AS organisation_name, max(jurisdiction_code) AS jurisdiction_code, count(*)::int AS n
FROM disclosure.overdue_alert WHERE ${sql.join(parts, sql` AND `)} GROUP BY organisation_id ORDER BY organisation_id`.execute(this.q(tx));
    return r.rows.map((x) => ({ organisationId: x.organisation_id, organisationName: x.organisation_name, jurisdictionCode: x.jurisdiction_code, count: Number(x.n) }));
  }
}
