import { systemContext, type RequestContext } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers } from '../../platform/auth/scope.ts';
import { civilDayAt, formatCivilDate, parseCivilDate } from '../../platform/calendar/civil-date.ts';
import type { WorkCalendar } from '../../platform/calendar/work-calendar.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { ok, refuse, type FieldError, type Result } from '../../platform/errors.ts';
import { notify } from '../../platform/notify/notify.ts';
import type { Transactor, UnitOfWork } from '../../platform/unit-of-work.ts';
import { monitoredEvents, type MonitoredEvent } from '../cases/index.ts';
import { alertKey, type AlertRow, type NewAlert, type RuleRow, type SupervisionRepository } from './alert.repository.ts';
import { alertType, DEFAULT_RULES, nextState, shouldEscalate, STATE_LABEL, type AlertStep } from './rules.ts';

export const SUPERVISION_PERMISSIONS = {
  view: 'supervision.view',
  rules: 'supervision.rules',
  reply: 'supervision.reply',
} as const;

export interface SupervisionDeps {
  db: Db;
  repo: SupervisionRepository;
  permissions: PermissionRegistry;
  transactor: Transactor;
  numbers: { next(tx: Tx, generatorId: string, request: { date?: string }): Promise<{ value: string }> };
  calendars: { calendarFor(code: string, tx?: Tx): Promise<WorkCalendar> };
  /** Injectable clock (tests, journeys); default the real time. */
  now: () => Date;
}

/**
 * The installation's clock for supervision: real time. Tests and browser journeys that run the app
 * in-process replace `now` to advance time (the cases module takes its clock the same way, as a dependency).
 */
export const supervisionClock: { now: () => Date } = { now: () => new Date() };

export type Refusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict';

export function todayOf(now: Date): string {
  return formatCivilDate(civilDayAt(now));
}

/** Whether the actor may see this alert: supervisors in their subtree, the supervised unit's own staff. */
export function canSeeAlert(deps: Pick<SupervisionDeps, 'permissions'>, ctx: RequestContext, a: AlertRow): boolean {
  const actor = ctx.actor;
  if (!deps.permissions.has(actor, SUPERVISION_PERMISSIONS.view) && !deps.permissions.has(actor, SUPERVISION_PERMISSIONS.reply)) return false;
  return scopeCovers(listScope(actor), a);
}

/** The follow-up steps this actor may take on the alert now (sent to the page as buttons). */
export function allowedSteps(deps: Pick<SupervisionDeps, 'permissions'>, ctx: RequestContext, a: AlertRow): AlertStep[] {
  if (!canSeeAlert(deps, ctx, a)) return [];
  const supervisor = deps.permissions.has(ctx.actor, SUPERVISION_PERMISSIONS.view);
  const unit = deps.permissions.has(ctx.actor, SUPERVISION_PERMISSIONS.reply) && ctx.actor.kind === 'staff' && ctx.actor.position.organisationId === a.organisationId;
  return (['notice', 'respond', 'verify', 'close'] as const).filter((s) => nextState(a.state, s) !== null && (s === 'respond' ? unit : supervisor));
}

function text(v: unknown, field: string, label: string, max: number, errors: FieldError[], required = true): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (required && s.length === 0) errors.push({ field, message: `请填写${label}` });
  else if (s.length > max) errors.push({ field, message: `${label}不能超过 ${max} 个字` });
  return s;
}

export interface StepInput {
  version?: unknown;
  noticeText?: unknown;
  rectifyDueOn?: unknown;
  redCard?: unknown;
  responseText?: unknown;
  result?: unknown;
}

/** New alerts per transaction in raise(): 500 × 15 columns stays far below the 65,535 bind parameters of one statement. */
export const RAISE_BATCH = 500;

interface Candidate {
  e: MonitoredEvent;
  rule: RuleRow;
  key: string;
}

/** A concurrent raiser inserted one of the batch's alerts after our check: roll the batch back and try again. */
class RaiseRaceLost extends Error {
  constructor() {
    super('supervision.raise: an alert of the batch was raised concurrently');
  }
}

function alertContent(e: MonitoredEvent): string {
  return e.trigger === 5 ? `${e.itemName}：不予受理或不予许可未说明理由`
    : e.trigger === 2 ? `${e.itemName}：超过承诺时限（${e.dueOn ?? ''}）仍未作出决定`
    : e.trigger === 3 ? `${e.itemName}：“${e.stepName ?? ''}”环节已超过环节期限（${e.dueOn ?? ''}），办结期限尚未届满`
    : e.level === 'RED' ? `${e.itemName}：已超过办结期限（${e.dueOn ?? ''}）`
    : `${e.itemName}：临近办结期限（${e.dueOn ?? ''}）`;
}

export class SupervisionService {
  constructor(readonly deps: SupervisionDeps) {}

  today(): string {
    return todayOf(this.deps.now());
  }

  async seedRules(): Promise<void> {
    await this.deps.transactor.run(systemContext('supervision.seed'), async (uow) => {
      for (const r of DEFAULT_RULES) await this.deps.repo.insertRuleIfMissing(uow.tx, r);
    });
  }

  /**
   * The raising job (after the cases sweep): one alert per case × rule × level (× step task for the
   * node rule R04) for every enabled rule whose monitored event holds today, numbered gap-free from
   * the registry; then 督办 notices past their rectification deadline without a 回告 escalate one
   * level. Idempotent. Set-based: one query for the candidates, one per 5,000 cases for the alerts
   * that already exist; the new alerts are raised RAISE_BATCH per transaction (one multi-row insert,
   * their numbers, audit entries and notices in that same transaction).
   */
  async raise(): Promise<{ raised: number; escalated: number }> {
    const { repo } = this.deps;
    const now = this.deps.now();
    const today = todayOf(now);
    const ctx = systemContext('supervision.raise');
    const rules = (await repo.listRules()).filter((r) => r.enabled && (r.scope === 'case' || (r.scope === 'node' && r.trigger === 3)));
    const all = await monitoredEvents(this.deps.db, today);
    const existing = all.length === 0 ? new Set<string>() : await repo.existingAlertKeys(all.map((e) => e.caseId));
    const fresh: Candidate[] = [];
    const queued = new Set<string>();
    for (const e of all) {
      // Node rule R04 is evaluated at whatever level the supervisors set; case rules match trigger and level.
      const rule = rules.find((r) => r.trigger === e.trigger && (e.trigger === 3 || r.level === e.level));
      if (!rule) continue;
      const key = alertKey(e.caseId, rule.ruleNo, rule.level, e.stepKey);
      if (existing.has(key) || queued.has(key)) continue;
      queued.add(key);
      fresh.push({ e, rule, key });
    }
    let raised = 0;
    for (let i = 0; i < fresh.length; i += RAISE_BATCH) raised += await this.raiseBatch(ctx, fresh.slice(i, i + RAISE_BATCH), now, today);
    let escalated = 0;
    for (const a of await repo.overdueNotices(today)) {
      const to = shouldEscalate(a, today);
      if (!to) continue;
      const rule = await repo.getRule(a.ruleNo);
      const done = await this.deps.transactor.run(ctx, async (uow) => {
        const calendar = await this.deps.calendars.calendarFor(a.jurisdictionCode.slice(0, 6), uow.tx);
        const due = formatCivilDate(calendar.addWorkingDays(parseCivilDate(today), rule?.rectifyDays ?? 5).date);
        const u = await repo.updateAlert(uow.tx, a.id, a.version, { escalationLevel: a.escalationLevel + 1, escalatedTo: to, rectifyDueOn: due });
        if (!u) return null;
        await uow.audit({ action: 'supervision.escalate', objectType: 'supervision_alert', objectId: a.id, detail: { to, level: u.escalationLevel, rectifyDueOn: due } });
        for (const id of await repo.supervisorsOf(to, uow.tx)) {
          await notify(uow, { recipientAccountId: id, channel: 'inbox', subject: `【电子监察】督办逾期未回告，已报上一级：${a.caseNo}`, body: `${a.organisationName}未在 ${a.rectifyDueOn ?? ''} 前回告督办（监察编号 ${a.supervisionNo}），请跟进。`, dedupeKey: `supervision:${a.id}:escalate:${to}` });
        }
        await this.notifyUnit(uow, u, `【电子监察】督办已升级：${u.caseNo}`, `督办（监察编号 ${u.supervisionNo}）逾期未回告，已报上一级监察机构，请于 ${due} 前回告。`);
        return u;
      });
      if (done) escalated += 1;
    }
    return { raised, escalated };
  }

  /**
   * One transaction for a batch of new alerts. The batch is checked again inside the transaction
   * (another raiser may have been quicker); numbers are taken only for what is still new, so they
   * stay gap-free. Should a concurrent raiser insert one of them between that check and the insert,
   * the whole batch rolls back (numbers included) and is tried again.
   */
  private async raiseBatch(ctx: RequestContext, batch: Candidate[], now: Date, today: string): Promise<number> {
    const { repo } = this.deps;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.transactor.run(ctx, async (uow) => {
          const present = await repo.existingAlertKeys(batch.map((b) => b.e.caseId), uow.tx);
          const todo = batch.filter((b) => !present.has(b.key));
          if (todo.length === 0) return 0;
          const drafts: NewAlert[] = [];
          for (const { e, rule } of todo) {
            const no = await this.deps.numbers.next(uow.tx, 'supervision', { date: today });
            drafts.push({
              supervisionNo: no.value,
              caseId: e.caseId,
              caseNo: e.caseNo,
              content: alertContent(e),
              organisationId: e.organisationId,
              organisationName: e.organisationName,
              jurisdictionCode: e.jurisdictionCode,
              itemTypeCode: null,
              ruleNo: rule.ruleNo,
              alertType: alertType(rule.level, rule.trigger),
              level: rule.level,
              sentAt: now,
              responsibleDepartment: e.organisationName,
              stepKey: e.stepKey,
            });
          }
          const rows = await repo.insertAlerts(uow.tx, drafts);
          if (rows.length !== drafts.length) throw new RaiseRaceLost();
          const byKey = new Map(rows.map((a) => [alertKey(a.caseId, a.ruleNo, a.level, a.stepKey), a]));
          const staff = new Map<string, string[]>();
          for (const { e, rule, key } of todo) {
            const a = byKey.get(key);
            if (!a) throw new RaiseRaceLost();
            await uow.audit({ action: 'supervision.alert', objectType: 'supervision_alert', objectId: a.id, detail: { caseId: e.caseId, ruleNo: rule.ruleNo, level: rule.level, supervisionNo: a.supervisionNo, ...(e.stepKey ? { stepTaskId: e.stepKey, step: e.stepName } : {}) } });
            await this.notifyUnit(uow, a, `【电子监察】${e.trigger === 3 ? '环节超时' : ''}${a.level === 'RED' ? '红牌' : '黄牌'}预警：${a.caseNo}`, `${a.content}。监察编号 ${a.supervisionNo}。`, staff);
          }
          return rows.length;
        });
      } catch (err) {
        if (!(err instanceof RaiseRaceLost) || attempt >= 3) throw err;
      }
    }
  }

  /** Notices to the supervised unit's staff; `staffCache` (organisation → accounts) spares a batch the same lookup. */
  private async notifyUnit(uow: UnitOfWork, a: AlertRow, subject: string, body: string, staffCache?: Map<string, string[]>): Promise<void> {
    let staff = staffCache?.get(a.organisationId);
    if (!staff) {
      staff = await this.deps.repo.staffOf(a.organisationId, uow.tx);
      staffCache?.set(a.organisationId, staff);
    }
    for (const id of staff) {
      await notify(uow, { recipientAccountId: id, channel: 'inbox', subject, body, dedupeKey: `supervision:${a.id}:${a.state}:${a.escalationLevel}:${id}` });
    }
  }

  /** One follow-up step (督办 / 回告 / 核查 / 办结) with optimistic versioning, audited. */
  async step(ctx: RequestContext, id: string, step: AlertStep, input: StepInput): Promise<Result<AlertRow, Refusal>> {
    const { repo } = this.deps;
    return this.deps.transactor.run(ctx, async (uow) => {
      const a = await repo.getAlert(id, uow.tx);
      if (!a || !canSeeAlert(this.deps, ctx, a)) {
        await uow.audit({ action: `supervision.${step}`, objectType: 'supervision_alert', objectId: id, outcome: 'denied' });
        return refuse('not_found', '监察预警不存在或不在您的管辖范围内');
      }
      if (!allowedSteps(this.deps, ctx, a).includes(step)) {
        await uow.audit({ action: `supervision.${step}`, objectType: 'supervision_alert', objectId: id, outcome: 'denied' });
        const to = nextState(a.state, step);
        return refuse('forbidden', to === null ? `该预警当前为“${STATE_LABEL[a.state]}”，不能执行此操作` : step === 'respond' ? '只有被督办单位的工作人员可以回告' : '只有监察人员可以执行此操作');
      }
      const version = Number(input.version);
      if (!Number.isInteger(version) || version !== a.version) return refuse('conflict', '该预警已被他人处理，请刷新后重试');
      const errors: FieldError[] = [];
      const now = this.deps.now();
      const today = todayOf(now);
      let patch: Parameters<SupervisionRepository['updateAlert']>[3];
      switch (step) {
        case 'notice': {
          const noticeText = text(input.noticeText, 'noticeText', '督办意见', 2000, errors);
          const due = typeof input.rectifyDueOn === 'string' ? input.rectifyDueOn.trim() : '';
          if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) errors.push({ field: 'rectifyDueOn', message: '请填写整改期限（年-月-日）' });
          else if (due <= today) errors.push({ field: 'rectifyDueOn', message: '整改期限须晚于今天' });
          const redCard = input.redCard === true || input.redCard === 'on' || input.redCard === 'true';
          patch = { state: 'NOTICE_SENT', stateAt: now, noticeText, rectifyDueOn: due, redCard };
          break;
        }
        case 'respond':
          patch = { state: 'RESPONDED', stateAt: now, responseText: text(input.responseText, 'responseText', '回告内容', 2000, errors) };
          break;
        case 'verify':
          patch = { state: 'VERIFIED', stateAt: now, result: text(input.result, 'result', '核查结果', 500, errors) };
          break;
        case 'close':
          patch = { state: 'CLOSED', stateAt: now, result: text(input.result, 'result', '办结意见', 500, errors, a.state === 'ALERT') || a.result };
          break;
      }
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      const u = await repo.updateAlert(uow.tx, id, version, patch);
      if (!u) return refuse('conflict', '该预警已被他人处理，请刷新后重试');
      await uow.audit({ action: `supervision.${step}`, objectType: 'supervision_alert', objectId: id, detail: { state: u.state, version: u.version, ...(step === 'notice' ? { redCard: u.redCard, rectifyDueOn: u.rectifyDueOn } : {}) } });
      if (step === 'notice') await this.notifyUnit(uow, u, `【电子监察】${u.redCard ? '红牌督办' : '督办通知'}：${u.caseNo}`, `${u.noticeText ?? ''}\n请于 ${u.rectifyDueOn ?? ''} 前整改并在工作台回告（监察编号 ${u.supervisionNo}）。`);
      if (step === 'verify' || step === 'close') await this.notifyUnit(uow, u, `【电子监察】督办${step === 'verify' ? '已核查' : '已办结'}：${u.caseNo}`, `监察编号 ${u.supervisionNo}：${u.result ?? ''}`);
      return ok(u);
    });
  }

  async updateRule(ctx: RequestContext, ruleNo: string, input: Record<string, unknown>): Promise<Result<RuleRow, Refusal>> {
    const { repo } = this.deps;
    return this.deps.transactor.run(ctx, async (uow) => {
      if (!this.deps.permissions.has(ctx.actor, SUPERVISION_PERMISSIONS.rules)) {
        await uow.audit({ action: 'supervision.rule.update', objectType: 'supervision_rule', objectId: ruleNo, outcome: 'denied' });
        return refuse('forbidden', '只有省级监察人员可以修改监察规则');
      }
      const rule = await repo.getRule(ruleNo, uow.tx);
      if (!rule) return refuse('not_found', '监察规则不存在');
      const errors: FieldError[] = [];
      const name = text(input.name, 'name', '规则名称', 60, errors);
      const threshold = text(input.threshold, 'threshold', '阈值', 200, errors);
      const recipients = text(input.recipients, 'recipients', '接收人', 200, errors);
      const escalation = text(input.escalation, 'escalation', '升级方式', 200, errors);
      const rectifyDays = Number(input.rectifyDays);
      if (!Number.isInteger(rectifyDays) || rectifyDays < 1 || rectifyDays > 60) errors.push({ field: 'rectifyDays', message: '整改期限须为 1–60 个工作日' });
      const enabled = input.enabled === true || input.enabled === 'on' || input.enabled === 'true';
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      const version = Number(input.version);
      if (version !== rule.version || !(await repo.updateRule(uow.tx, ruleNo, version, { name, threshold, recipients, escalation, rectifyDays, enabled }))) {
        return refuse('conflict', '该规则已被他人修改，请刷新后重试');
      }
      await uow.audit({ action: 'supervision.rule.update', objectType: 'supervision_rule', objectId: ruleNo, detail: { version: version + 1, enabled, rectifyDays } });
      const updated = await repo.getRule(ruleNo, uow.tx);
      return updated ? ok(updated) : refuse('not_found', '监察规则不存在');
    });
  }
}
