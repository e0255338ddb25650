/**
 * The GovStack Registration BB shapes over our catalog and cases (docs/govstack.md has the table).
 * Pure functions: rows in, spec-shaped JSON out.
 */
import { APPLICANT_STATUS_LABEL, DEFAULT_NODES, applicantStatus, type CaseRecord, type CaseState } from '../cases/index.ts';
import type { ApplicationFileRow } from './application-file.repository.ts';

export const BASE = '/govstack';

export type StatusCode = 'PENDING' | 'APPROVED' | 'SENDBACK' | 'REJECTED';

/** statusModel: the application file's GovStack status (title in English and Chinese). */
export function statusOf(c: Pick<CaseRecord, 'state' | 'result_code' | 'decision'>): { code: StatusCode; title: string } {
  const s = applicantStatus(c.state, c.result_code);
  const label = APPLICANT_STATUS_LABEL[s];
  const title = `${label.en} / ${label.zh}`;
  if (c.state === 'NEEDS_CORRECTION' || c.result_code === 5) return { code: 'SENDBACK', title };
  if (c.decision === 'refuse' || c.result_code === 1 || c.result_code === 6 || c.result_code === 2 || c.result_code === 3) return { code: 'REJECTED', title };
  if (c.decision === 'approve' || c.result_code === 0) return { code: 'APPROVED', title };
  return { code: 'PENDING', title };
}

export function ended(c: Pick<CaseRecord, 'state'>): boolean {
  return c.state === 'CLOSED' || c.state === 'DELIVERED';
}

/** The one open step of a case as a GovStack task: who acts (role) and what completing it means. */
export interface TaskStage {
  stage: 'accept' | 'supplement' | 'undertake' | 'review' | 'approve' | 'special-end' | 'result' | 'deliver';
  name: string;
  /** Role id: our role code (applicant, clerk, org_head). */
  role: 'applicant' | 'clerk' | 'org_head';
  roleName: string;
}

const ROLE_NAME = { applicant: 'Applicant / 申请人', clerk: 'Clerk / 办事员', org_head: 'Head of department / 部门负责人' } as const;

export function stageOf(c: Pick<CaseRecord, 'state' | 'node_index'>): TaskStage | null {
  const t = (stage: TaskStage['stage'], name: string, role: TaskStage['role']): TaskStage => ({ stage, name, role, roleName: ROLE_NAME[role] });
  switch (c.state) {
    case 'SUBMITTED':
      return t('accept', 'Pre-review and acceptance / 预审受理', 'clerk');
    case 'NEEDS_CORRECTION':
      return t('supplement', 'Supplement the materials / 补正材料', 'applicant');
    case 'IN_PROCESS': {
      const node = c.node_index === null ? null : DEFAULT_NODES[c.node_index];
      if (!node) return null;
      const en = { undertake: 'Undertake', review: 'Review', approve: 'Decide' }[node.key];
      return t(node.key, `${en} / ${node.name}`, node.role === 'org_head' ? 'org_head' : 'clerk');
    }
    case 'SUSPENDED':
      return t('special-end', 'End the special procedure / 结束特别程序', 'clerk');
    case 'APPROVED':
    case 'REFUSED':
      return t('result', 'Produce the result document / 制作结果文书', 'clerk');
    case 'RESULT_READY':
      return t('deliver', 'Deliver the result / 送达', 'clerk');
    default:
      return null;
  }
}

/** States that carry a task (the tasks list filters by these in SQL). */
export const TASK_STATES: readonly CaseState[] = ['SUBMITTED', 'NEEDS_CORRECTION', 'IN_PROCESS', 'SUSPENDED', 'APPROVED', 'REFUSED', 'RESULT_READY'];
export const STAFF_TASK_STATES: readonly CaseState[] = TASK_STATES.filter((s) => s !== 'NEEDS_CORRECTION');

/** Task id: `<case id>.<stage>` — stable while the step is open, so a second completion is a clear conflict. */
export function taskIdOf(caseId: string, stage: string): string {
  return `${caseId}.${stage}`;
}

export function parseTaskId(taskId: string): { caseId: string; stage: string } | null {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([a-z-]{3,20})$/i.exec(taskId);
  return m ? { caseId: m[1]!.toLowerCase(), stage: m[2]! } : null;
}

/** A document URL as /documents answers it: `/govstack/documents/<attachment id>?materialCode=<code>`. */
export function documentUrl(attachmentId: string, materialCode: string | null): string {
  return `${BASE}/documents/${attachmentId}${materialCode ? `?materialCode=${encodeURIComponent(materialCode)}` : ''}`;
}

export function parseDocumentUrl(url: string): { attachmentId: string; materialCode: string | null } | null {
  const m = /(?:^|\/documents\/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\?materialCode=([A-Za-z0-9._-]{1,50}))?$/i.exec(url.trim());
  return m ? { attachmentId: m[1]!.toLowerCase(), materialCode: m[2] ?? null } : null;
}

const iso = (d: Date | string | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

function omitUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function applicationData(c: CaseRecord, f: ApplicationFileRow | null, documents: string[]) {
  return omitUndefined({
    applicationName: f?.application_name || c.item_name,
    applicantId: c.applicant_account_id,
    created: iso(f?.client_created_at ?? c.created_at),
    formData: omitUndefined({ data: c.form_values, eFormId: f?.eform_id ?? undefined }),
    documentUrls: documents,
    /** Extension: the operator's form data (PUT /applications/{fileId}) and its version for If-Match. */
    operatorData: { data: f?.operator_data ?? {}, version: f?.version ?? 1 },
  });
}

/** applicationFileResponse */
export function presentFile(c: CaseRecord, f: ApplicationFileRow | null, documents: string[]) {
  return omitUndefined({
    fileId: c.id,
    /** The spec requires applicantId at the top level of applicationFileResponse too. */
    applicantId: c.applicant_account_id,
    registered: iso(c.received_at),
    serviceId: c.item_id,
    serviceName: c.item_name,
    status: statusOf(c),
    ended: ended(c),
    applicationData: applicationData(c, f, documents),
    /** Extensions: our case number and the version the task completion uses. */
    caseNo: c.case_no ?? undefined,
    caseVersion: c.version,
  });
}

/** applicantApplicationFileListResponse (applicant data masked as in our lists). */
export function presentListItem(c: CaseRecord, f: ApplicationFileRow | null) {
  const t = stageOf(c);
  return omitUndefined({
    fileId: c.id,
    mainTaskId: c.id,
    taskTitle: t?.name,
    roleId: t?.role,
    roleName: t?.roleName,
    assigneeId: t?.role === 'applicant' ? c.applicant_account_id : undefined,
    status: statusOf(c),
    applicantId: c.applicant_account_id,
    created: iso(f?.client_created_at ?? c.created_at),
    registered: iso(c.received_at),
    description: `${c.case_no ?? ''} ${c.item_name} · ${c.applicant_name_masked}`.trim(),
    serviceName: c.item_name,
    serviceId: c.item_id,
    eformId: f?.eform_id ?? undefined,
    documentUrls: f?.document_urls ?? [],
    additionalMeta: { data: omitUndefined({ caseNo: c.case_no ?? undefined, state: c.state, dueOn: c.due_on ?? undefined, signal: c.signal, organisation: c.organisation_name }) },
  });
}

/** userTaskResponse */
export function presentTask(c: CaseRecord, t: TaskStage, f: ApplicationFileRow | null) {
  return omitUndefined({
    taskId: taskIdOf(c.id, t.stage),
    mainTaskId: c.id,
    name: t.name,
    assigneeId: t.role === 'applicant' ? c.applicant_account_id : undefined,
    roleId: t.role,
    created: iso(c.node_started_on ?? c.updated_at),
    description: `${c.case_no ?? ''} ${c.item_name}${c.due_on ? ` · due ${c.due_on}` : ''}`.trim(),
    serviceId: c.item_id,
    serviceName: c.item_name,
    fileId: c.id,
    eFormId: f?.eform_id ?? undefined,
    status: statusOf(c),
  });
}

/** dataUserTaskResponse */
export function presentTaskDetail(c: CaseRecord, t: TaskStage, f: ApplicationFileRow | null) {
  return omitUndefined({
    taskId: taskIdOf(c.id, t.stage),
    taskName: t.name,
    assigneeId: t.role === 'applicant' ? c.applicant_account_id : undefined,
    roleId: t.role,
    created: iso(c.node_started_on ?? c.updated_at),
    description: `${c.case_no ?? ''} ${c.item_name}`.trim(),
    fileId: c.id,
    serviceId: c.item_id,
    serviceName: c.item_name,
    eFormId: f?.eform_id ?? undefined,
    formVariables: c.form_values,
    status: statusOf(c),
    data: omitUndefined({ caseNo: c.case_no ?? undefined, state: c.state, caseVersion: c.version, dueOn: c.due_on ?? undefined, signal: c.signal, correctionList: c.correction_list ?? undefined, completeWith: completeHint(t) }),
  });
}

function completeHint(t: TaskStage): string {
  switch (t.stage) {
    case 'accept':
      return 'data.decision: APPROVED (accept) | SENDBACK (correction, data.reason or data.items) | REJECTED (refuse acceptance, data.reason)';
    case 'undertake':
    case 'review':
      return 'data.decision: APPROVED (pass, data.opinion) | SENDBACK (return, data.reason)';
    case 'approve':
      return 'data.decision: APPROVED (grant) | REJECTED (refuse, data.reason) | SENDBACK (return, data.reason)';
    case 'supplement':
      return 'data.documentUrls: the corrected documents';
    case 'special-end':
      return 'data.result: the outcome of the special procedure';
    case 'result':
      return 'data.certificateNo (optional)';
    case 'deliver':
      return 'data.method: electronic | collected | mailed';
  }
}
