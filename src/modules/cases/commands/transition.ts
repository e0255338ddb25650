import { actorId, actorLabel } from '../../../platform/auth/actor.ts';
import { civilDayAt, formatCivilDate, parseCivilDate, type CivilDay, type DayUnit } from '../../../platform/calendar/index.ts';
import type { Db, Tx } from '../../../platform/db/database.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CasePatch, CaseRecord } from '../case.repository.ts';
import { APPLICANT_STATUS_LABEL, applicantStatus } from '../domain/applicant-status.ts';
import { clockSnapshot, signalOn, type CaseClock } from '../domain/case-clocks.ts';
import { decide, EVENT_LABEL, type CaseEvent, type CaseRole } from '../domain/state-machine.ts';
import { caseRolesOf, staffCanSee, isApplicant } from '../policies.ts';
import type { CaseDeps } from './deps.ts';

export type CaseRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict';

export const CONFLICT_MESSAGE = '该办件刚刚已被他人处理，页面上的状态已过期。请刷新后查看最新状态再操作';

export function today(deps: CaseDeps): CivilDay {
  return civilDayAt(deps.now());
}

export function todayText(deps: CaseDeps): string {
  return formatCivilDate(today(deps));
}

/** Loads a case the actor may act on, or refuses ("not found" outside the actor's scope, so existence does not leak). */
export async function loadForAction(
  deps: CaseDeps,
  uow: UnitOfWork,
  caseId: string,
  event: CaseEvent,
): Promise<Result<{ record: CaseRecord; roles: CaseRole[] }, CaseRefusal>> {
  const record = await deps.cases.getById(caseId, uow.tx);
  const actor = uow.ctx.actor;
  if (!record || (!staffCanSee(deps.permissions, actor, record) && !isApplicant(actor, record) && actor.kind !== 'system')) {
    await uow.audit({ action: `case.${event}`, objectType: 'case', objectId: caseId, outcome: 'denied' });
    return refuse('not_found', '办件不存在或不在您的管辖范围内');
  }
  return ok({ record, roles: caseRolesOf(deps.permissions, actor, record) });
}

/** The stored clock of a case with its pauses and extension. */
export async function loadClock(deps: CaseDeps, tx: Tx, c: CaseRecord): Promise<CaseClock | null> {
  if (!c.clock_kind || !c.clock_started_on || c.clock_limit_n === null || !c.clock_limit_unit) return null;
  const clock: CaseClock = {
    kind: c.clock_kind,
    startedOn: parseCivilDate(c.clock_started_on),
    limit: { n: c.clock_limit_n, unit: c.clock_limit_unit as DayUnit },
    pauses: [],
    extensions: [],
  };
  if (c.clock_kind === 'decision') {
    const pauses = await deps.cases.pauses(c.id, tx);
    clock.pauses = pauses.map((p) => ({ from: parseCivilDate(p.from_on), to: p.to_on ? parseCivilDate(p.to_on) : undefined, reason: p.kind, legalBasis: p.legal_basis }));
    const ext = await deps.cases.extension(c.id, tx);
    if (ext) clock.extensions = [{ n: ext.n, unit: ext.unit as DayUnit, approvedBy: ext.approved_by, reason: ext.reason }];
  }
  return clock;
}

/** The columns that store a clock (due date and first yellow day, for the set-based sweep). */
export async function clockColumns(deps: CaseDeps, jurisdictionCode: string, tx: Db | Tx, clock: CaseClock | null): Promise<CasePatch> {
  if (!clock) {
    return { clock_kind: null, clock_started_on: null, clock_limit_n: null, clock_limit_unit: null, clock_paused_since: null, due_on: null, yellow_from: null, signal: 'none' };
  }
  const calendar = await deps.calendars.calendarFor(jurisdictionCode, tx);
  const snap = clockSnapshot(calendar, clock);
  const open = clock.pauses.find((p) => p.to === undefined);
  return {
    clock_kind: clock.kind,
    clock_started_on: formatCivilDate(clock.startedOn),
    clock_limit_n: clock.limit.n,
    clock_limit_unit: clock.limit.unit,
    clock_paused_since: open ? formatCivilDate(open.from) : null,
    clock_extended_days: clock.extensions.reduce((s, e) => s + e.n, 0),
    due_on: snap.dueOn === null ? null : formatCivilDate(snap.dueOn),
    yellow_from: snap.yellowFrom === null ? null : formatCivilDate(snap.yellowFrom),
    signal: signalOn(snap, today(deps)),
    signal_at: deps.now(),
    ...(clock.kind === 'decision' && snap.dueOn !== null ? { decision_due_on: formatCivilDate(snap.dueOn) } : {}),
  };
}

export interface TransitionInput {
  record: CaseRecord;
  roles: CaseRole[];
  version: number;
  event: CaseEvent;
  reason?: string | null;
  patch?: CasePatch;
  /** A clock to start, replace or stop (undefined: keep the stored one). */
  clock?: CaseClock | null;
  nodeName?: string | null;
  detail?: Record<string, unknown>;
  /** Extra text for the applicant's notification (correction list, due date …). */
  notice?: string;
}

const REASON_FIELD = 'reason';

/**
 * The checks of a transition without writing anything (role, state, version), so a command can
 * refuse before it takes a gap-free number.
 */
export function checkTransition(record: CaseRecord, roles: CaseRole[], version: number, event: CaseEvent): Result<Extract<ReturnType<typeof decide>, { ok: true }>, CaseRefusal> {
  if (roles.length === 0) return refuse('forbidden', `您不能对此办件执行“${EVENT_LABEL[event]}”`);
  if (record.version !== version) return refuse('conflict', CONFLICT_MESSAGE);
  let refusal: Extract<ReturnType<typeof decide>, { ok: false }> | null = null;
  for (const role of roles) {
    const d = decide(record.state, event, role);
    if (d.ok) return ok(d);
    if (refusal === null || d.reason === 'state') refusal = d;
  }
  return refuse(refusal?.reason === 'role' ? 'forbidden' : 'conflict', refusal?.message ?? '不能执行该操作');
}

/**
 * Fires one event of the state machine on a case inside the caller's transaction: the table
 * decides (wrong state → 409, wrong role → 403), the optimistic version guards against two
 * clerks acting at once, and the change, its timeline event, its audit entry and the
 * applicant's notification (when the §3.7 status changes) commit together.
 */
export async function applyTransition(deps: CaseDeps, uow: UnitOfWork, input: TransitionInput): Promise<Result<CaseRecord, CaseRefusal>> {
  const { record, event } = input;
  const actor = uow.ctx.actor;
  const checked = checkTransition(record, input.roles, input.version, event);
  if (!checked.ok) {
    if (checked.reason !== 'conflict' || record.version === input.version) {
      await uow.audit({ action: `case.${event}`, objectType: 'case', objectId: record.id, outcome: 'denied', detail: { state: record.state } });
    }
    return checked;
  }
  const decision = checked.value;
  const reason = input.reason?.trim() ?? '';
  if (decision.needsReason && reason.length === 0) {
    return refuse('invalid', `“${EVENT_LABEL[event]}”必须写明理由`, [{ field: REASON_FIELD, message: '请填写理由' }]);
  }
  const now = deps.now();
  const closing = decision.to === 'CLOSED';
  const clockPatch = input.clock !== undefined ? await clockColumns(deps, record.jurisdiction_code, uow.tx, input.clock) : closing ? await clockColumns(deps, record.jurisdiction_code, uow.tx, null) : {};
  const patch: CasePatch = {
    ...input.patch,
    ...clockPatch,
    state: decision.to,
    ...(decision.resultCode !== null ? { result_code: decision.resultCode } : {}),
    ...(closing ? { closed_at: now, close_reason: reason || null } : {}),
  };
  const updated = await deps.cases.update(uow.tx, record.id, record.version, patch);
  if (!updated) return refuse('conflict', CONFLICT_MESSAGE);
  await deps.cases.addEvent(uow.tx, {
    case_id: record.id,
    event,
    state_from: record.state,
    state_to: updated.state,
    node_name: input.nodeName ?? null,
    actor_id: actorId(actor),
    actor_label: actorLabel(actor),
    opinion: reason || null,
    detail: input.detail ?? {},
  });
  await uow.audit({ action: `case.${event}`, objectType: 'case', objectId: record.id, detail: { caseNo: record.case_no, from: record.state, to: updated.state, version: updated.version } });
  await notifyApplicantIfChanged(deps, uow, record, updated, input.notice);
  return ok(updated);
}

/** In-app message and SMS when the applicant-facing status changes (DOMAIN.md §3.7–3.8). */
export async function notifyApplicantIfChanged(deps: CaseDeps, uow: UnitOfWork, before: CaseRecord | null, after: CaseRecord, extra?: string): Promise<void> {
  const was = before ? applicantStatus(before.state, before.result_code) : null;
  const now = applicantStatus(after.state, after.result_code);
  if (was === now && !extra) return;
  const label = APPLICANT_STATUS_LABEL[now].zh;
  const subject = `办件进度：${after.item_name}（${label}）`;
  const body = [`您申请的“${after.item_name}”（办件编号 ${after.case_no ?? ''}）当前状态：${label}。`, extra ?? '', '可登录“我的办件”或凭办件编号和查询密码查询进度。'].filter(Boolean).join('\n');
  const dedupe = `case:${after.id}:v${after.version}`;
  await notify(uow, { recipientAccountId: after.applicant_account_id, channel: 'inbox', subject, body, dedupeKey: dedupe });
  const mobile = await deps.applicants.mobileForDelivery(after.applicant_account_id);
  if (mobile) {
    await notify(uow, { recipientAccountId: after.applicant_account_id, channel: 'sms', to: mobile, subject, body: `【政务服务】您的办件${after.case_no ?? ''}（${after.item_name}）${label}。${extra ? extra.slice(0, 60) : ''}`, dedupeKey: dedupe });
  }
}
