import { subtreePrefix } from '../../platform/auth/scope.ts';
import type { CaseRecord } from './case.repository.ts';
import type { FlowOperation } from './commands/flow-operations.ts';
import type { CaseDeps } from './commands/deps.ts';
import type { StaffChoice } from './ports.ts';

/** Who may receive work: 转办 / 委托 / 加签 a handler of the handling organisation; 抄送 any business staff of the case's jurisdiction. */
const HANDLER_ROLES = ['clerk', 'org_head'];
const BUSINESS_ROLES = ['clerk', 'org_head', 'jurisdiction_supervisor', 'province_supervisor'];

export interface StaffPicker {
  /** Active clerks and heads of the handling organisation (转办 / 委托 / 加签). */
  organisation: StaffChoice[];
  /** Active business staff of the case's jurisdiction subtree (抄送). */
  jurisdiction: StaffChoice[];
}

const ROLE_LABEL: Record<string, string> = { clerk: '办事员', org_head: '部门负责人', jurisdiction_supervisor: '监督员', province_supervisor: '省级监督员' };

/** One entry per account (the first matching position), in the directory's order (by name). */
function distinct(rows: StaffChoice[], roles: string[]): StaffChoice[] {
  const seen = new Set<string>();
  const out: StaffChoice[] = [];
  for (const r of rows) {
    if (seen.has(r.accountId) || !r.roles.some((x) => roles.includes(x))) continue;
    seen.add(r.accountId);
    out.push(r);
  }
  return out;
}

/** The picker's lists for a case, or null when the staff directory cannot list (the form then takes account ids). */
export async function staffPickerFor(deps: Pick<CaseDeps, 'staff'>, c: Pick<CaseRecord, 'organisation_id' | 'jurisdiction_code'>): Promise<StaffPicker | null> {
  const directory = deps.staff;
  if (!directory?.listActiveStaff) return null;
  const organisation = await directory.listActiveStaff({ organisationId: c.organisation_id });
  const jurisdiction = await directory.listActiveStaff({ jurisdictionPrefix: subtreePrefix(c.jurisdiction_code) });
  return { organisation: distinct(organisation, HANDLER_ROLES), jurisdiction: distinct(jurisdiction, BUSINESS_ROLES) };
}

/** The accounts an operation may go to; null when the operation has no receiver. */
export function eligibleReceivers(picker: StaffPicker, op: FlowOperation): Set<string> | null {
  if (op === 'transfer' || op === 'delegate' || op === 'add-signer') return new Set(picker.organisation.map((s) => s.accountId));
  if (op === 'copy') return new Set(picker.jurisdiction.map((s) => s.accountId));
  return null;
}

/** “张三（江岸区市场监督管理局 · 办事员）” */
export function staffLabel(s: StaffChoice, withOrganisation: boolean): string {
  const roles = s.roles.filter((r) => r in ROLE_LABEL).map((r) => ROLE_LABEL[r]).join('、');
  return `${s.displayName}（${withOrganisation ? `${s.organisationName} · ` : ''}${roles}）`;
}
