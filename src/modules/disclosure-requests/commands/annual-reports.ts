import { subtreePrefix } from '../../../platform/auth/scope.ts';
import { actorId } from '../../../platform/auth/actor.ts';
import { yearOf } from '../../../platform/calendar/index.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { type AnnualTables, type Narrative, NARRATIVE_SECTIONS, type ProactiveStats, computeAnnualTables, proactiveStats } from '../domain/annual-report.ts';
import { PERMISSIONS } from '../policies.ts';
import type { AnnualReportRow } from '../request.repository.ts';
import type { CommandDeps } from './deps.ts';
import { listScope, scopeCovers } from '../../../platform/auth/scope.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { Tx } from '../../../platform/db/database.ts';
import type { IndexedDocument } from '../../../platform/search/contract.ts';
import { reportTitle } from '../domain/report-exports.ts';

/** Tables of a report, computed from the request records now (drafts) — published reports keep their snapshot. */
export async function computeReportTables(deps: Pick<CommandDeps, 'requests' | 'ext'>, report: AnnualReportRow, tx?: Tx): Promise<AnnualTables> {
  const scope = report.scopeKind === 'organisation' ? { organisationId: report.scopeId } : { prefix: subtreePrefix(report.scopeId) };
  const rows = await deps.requests.forReport(scope, report.year, tx);
  let table2: ProactiveStats | null = null;
  if (deps.ext.disclosureStats) {
    const prefix = subtreePrefix(report.scopeId);
    const ids = report.scopeKind === 'organisation' ? [report.scopeId] : (await deps.ext.listOrganisations()).filter((o) => o.jurisdictionCode.startsWith(prefix)).map((o) => o.id);
    table2 = ids.length > 0 ? proactiveStats(await deps.ext.disclosureStats(report.year, ids)) : proactiveStats([]);
  }
  return computeAnnualTables(
    report.year,
    rows.map((r) => ({
      requesterKind: r.requesterKind,
      legalCategory: r.legalCategory,
      receivedOn: r.receiptConfirmedOn ?? r.receivedOn,
      finishedOn: r.repliedOn ?? r.closedOn,
      replyType: r.replyType,
      replyReason: r.replyReason,
      closedReason: r.closedReason,
      remedies: r.process.remedies ?? [],
    })),
    table2,
  );
}

export function canSeeReport(permissions: PermissionRegistry, actor: Actor, r: AnnualReportRow): boolean {
  if (r.scopeKind === 'government') return permissions.has(actor, PERMISSIONS.reportGovernment) && scopeCovers(listScope(actor), r);
  return permissions.has(actor, PERMISSIONS.reportWrite) && scopeCovers(listScope(actor), r);
}

function canPublish(permissions: PermissionRegistry, actor: Actor, r: AnnualReportRow): boolean {
  if (r.scopeKind === 'government') return permissions.has(actor, PERMISSIONS.reportGovernment) && scopeCovers(listScope(actor), r);
  return permissions.has(actor, PERMISSIONS.reportPublish) && scopeCovers(listScope(actor), r);
}

export function allowedReportActions(permissions: PermissionRegistry, actor: Actor, r: AnnualReportRow): ('edit' | 'publish')[] {
  if (r.status !== 'draft') return [];
  const out: ('edit' | 'publish')[] = [];
  if (canSeeReport(permissions, actor, r)) out.push('edit');
  if (canPublish(permissions, actor, r)) out.push('publish');
  return out;
}

/**
 * A draft annual report for the actor's organisation, or — for the competent office with the
 * government permission — for the actor's jurisdiction (all organisations of its subtree).
 */
export async function createReport(
  deps: CommandDeps,
  uow: UnitOfWork,
  input: { year?: unknown; kind?: unknown },
  /** Name of the actor's division, looked up before the transaction (for a government's report). */
  divisionName: string | null,
): Promise<Result<AnnualReportRow, 'forbidden' | 'invalid' | 'duplicate'>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'staff') return refuse('forbidden', '只有工作人员可以编制年度报告');
  const kind = input.kind === 'government' ? 'government' : 'organisation';
  const permission = kind === 'government' ? PERMISSIONS.reportGovernment : PERMISSIONS.reportWrite;
  if (!deps.permissions.has(actor, permission)) return refuse('forbidden', kind === 'government' ? '您当前的岗位不能编制本级政府的年度报告' : '您当前的岗位不能编制年度报告');
  const year = typeof input.year === 'number' ? input.year : Number(input.year);
  const thisYear = yearOf(deps.today());
  const errors: FieldError[] = [];
  if (!Number.isInteger(year) || year < 2008 || year > thisYear) errors.push({ field: 'year', message: `请填写 2008 至 ${thisYear} 之间的年份` });
  if (errors.length) return refuse('invalid', '请修改标记的内容', errors);
  const p = actor.position;
  const scopeName = kind === 'government' ? `${divisionName ?? p.jurisdictionName}人民政府` : p.organisationName;
  const report = await deps.requests.insertReport(uow.tx, {
    scopeKind: kind,
    scopeId: kind === 'government' ? p.jurisdictionCode : p.organisationId,
    scopeName,
    organisationId: p.organisationId,
    jurisdictionCode: p.jurisdictionCode,
    year,
    narrative: {},
    createdBy: actorId(actor) ?? 'unknown',
  });
  if (!report) return refuse('duplicate', `${scopeName}${year}年度报告已经存在`);
  await uow.audit({ action: 'disclosure_report.create', objectType: 'disclosure_report', objectId: report.id, detail: { year, kind } });
  return ok(report);
}

export const REPORT_SEARCH_KIND = 'annual-report';

/** A published report as a search document (narrative text; the tables are figures, not words). */
export function reportSearchDocument(r: AnnualReportRow): IndexedDocument {
  return {
    key: `${REPORT_SEARCH_KIND}:${r.id}`,
    kind: REPORT_SEARCH_KIND,
    title: reportTitle(r.scopeName, r.year),
    body: NARRATIVE_SECTIONS.map((s) => `${s.title}\n${r.narrative[s.key] ?? ''}`).join('\n'),
    url: `/disclosure-reports/${r.id}`,
    publishedAt: r.publishedAt,
    divisionCode: r.jurisdictionCode,
    organisationId: r.scopeKind === 'organisation' ? r.organisationId : null,
    organisationName: r.scopeKind === 'organisation' ? r.scopeName : null,
    keywords: [`${r.year}年度报告`, '政府信息公开工作年度报告'],
  };
}

export function validateNarrative(raw: Record<string, unknown>): { value: Narrative; errors: FieldError[] } {
  const value: Narrative = {};
  const errors: FieldError[] = [];
  for (const s of NARRATIVE_SECTIONS) {
    const v = raw[s.key];
    if (typeof v !== 'string') continue;
    const text = v.replace(/\r\n/g, '\n').trim();
    if ([...text].length > 20000) errors.push({ field: s.key, message: `${s.title}不能超过 20000 个字` });
    value[s.key] = text;
  }
  return { value, errors };
}

/** Edit the narrative (draft only) or publish (snapshot of the tables; never changed afterwards). */
export async function changeReport(
  deps: CommandDeps,
  uow: UnitOfWork,
  id: string,
  version: number,
  /** Publishing freezes `tables`, computed by the caller just before (computeReportTables reads other modules). */
  change: { kind: 'edit'; narrative: Record<string, unknown> } | { kind: 'publish'; tables: AnnualTables },
): Promise<Result<AnnualReportRow, 'not_found' | 'forbidden' | 'invalid' | 'conflict'>> {
  const actor = uow.ctx.actor;
  const report = await deps.requests.getReport(id, uow.tx);
  if (!report || !canSeeReport(deps.permissions, actor, report)) {
    await uow.audit({ action: `disclosure_report.${change.kind}`, objectType: 'disclosure_report', objectId: id, outcome: 'denied' });
    return refuse('not_found', '年度报告不存在或不在您的管辖范围内');
  }
  if (!allowedReportActions(deps.permissions, actor, report).includes(change.kind)) {
    return refuse('forbidden', report.status !== 'draft' ? '年度报告已发布，不能再修改' : '发布年度报告需要负责人权限');
  }
  if (report.version !== version) return refuse('conflict', '该年度报告已被他人修改，请刷新后重试');
  let updated: AnnualReportRow | null;
  if (change.kind === 'edit') {
    const { value, errors } = validateNarrative(change.narrative);
    if (errors.length) return refuse('invalid', '请修改标记的内容', errors);
    updated = await deps.requests.updateReport(uow.tx, id, version, { narrative: { ...report.narrative, ...value } });
  } else {
    updated = await deps.requests.updateReport(uow.tx, id, version, { status: 'published', tables: change.tables, publishedAt: new Date() });
    // Published reports are public information: into the one search box, in this transaction.
    if (updated) await deps.search.put(uow, reportSearchDocument(updated));
  }
  if (!updated) return refuse('conflict', '该年度报告已被他人修改，请刷新后重试');
  await uow.audit({ action: `disclosure_report.${change.kind}`, objectType: 'disclosure_report', objectId: id, detail: { version: updated.version } });
  return ok(updated);
}
