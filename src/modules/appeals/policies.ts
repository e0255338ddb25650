import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, subtreePrefix } from '../../platform/auth/scope.ts';
import type { Centre, TicketRow, TicketScope } from './ticket.repository.ts';
import { eventsFrom, ruleFor, type Party, type TicketEvent } from './ticket-machine.ts';

export const APPEAL_PERMISSIONS = [
  { code: 'appeals.read', label: '查看诉求工单', kind: 'business' },
  { code: 'appeals.intake', label: '热线受理登记', kind: 'business' },
  { code: 'appeals.dispatch', label: '派单、改派与合并', kind: 'business' },
  { code: 'appeals.handle', label: '签收、办理与答复工单', kind: 'business' },
  { code: 'appeals.review-return', label: '审核退单', kind: 'business' },
  { code: 'appeals.approve-extension', label: '审批延期', kind: 'business' },
  { code: 'appeals.callback', label: '回访与答复审核', kind: 'business' },
  { code: 'appeals.supervise', label: '督办', kind: 'business' },
  { code: 'appeals.kb-manage', label: '维护知识库', kind: 'business' },
  { code: 'appeals.catalogue', label: '维护派单目录和派单规则（热线中心负责人）', kind: 'business' },
  { code: 'appeals.centres', label: '维护热线中心与信访部门', kind: 'system' },
  { code: 'appeals.duty-contacts', label: '维护承办单位值班联系方式（单位负责人、中心负责人）', kind: 'business' },
] as const;

/**
 * Who is a dispatcher: staff of an organisation registered as a 12345 hotline office (or a petition
 * department, for petitions). Roles alone cannot say this — every organisation has clerks — so the
 * centre table names the offices; their staff act on tickets in their division's subtree.
 */
export function centreOf(actor: Actor, centres: readonly Centre[], kind?: Centre['kind']): Centre | null {
  if (actor.kind !== 'staff') return null;
  return centres.find((c) => c.organisationId === actor.position.organisationId && (!kind || c.kind === kind)) ?? null;
}

/** The SQL scope of the inbox: a centre sees its subtree (and what it leads), a unit its own tickets, supervisors their jurisdiction. */
export function ticketScope(permissions: PermissionRegistry, actor: Actor, centres: readonly Centre[]): TicketScope {
  if (actor.kind === 'system') return { kind: 'all' };
  if (actor.kind !== 'staff' || !permissions.has(actor, 'appeals.read')) return { kind: 'none' };
  const centre = centreOf(actor, centres);
  if (centre) return { kind: 'centre', prefix: subtreePrefix(centre.divisionCode), organisationId: actor.position.organisationId };
  const roles = actor.position.roles;
  if (roles.includes('province_supervisor') || roles.includes('jurisdiction_supervisor')) {
    const s = listScope(actor);
    return s.kind === 'jurisdiction' ? { kind: 'division', prefix: s.prefix } : { kind: 'none' };
  }
  return { kind: 'organisation', organisationId: actor.position.organisationId };
}

export function scopeCoversTicket(scope: TicketScope, t: TicketRow): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'division':
      return t.divisionCode.startsWith(scope.prefix);
    case 'organisation':
      return t.leadOrgId === scope.organisationId || t.coOrgIds.includes(scope.organisationId);
    case 'centre':
      return t.divisionCode.startsWith(scope.prefix) || t.leadOrgId === scope.organisationId;
  }
}

/** The parts the actor plays for this ticket. */
export function partiesOf(actor: Actor, t: TicketRow, centres: readonly Centre[]): Set<Party> {
  const out = new Set<Party>();
  if (actor.kind !== 'staff') return out;
  const centre = centreOf(actor, centres, t.track);
  const head = actor.position.roles.includes('org_head');
  if (centre && t.divisionCode.startsWith(subtreePrefix(centre.divisionCode))) {
    out.add('centre');
    if (head) out.add('centre_head');
  }
  if (t.leadOrgId && t.leadOrgId === actor.position.organisationId) {
    out.add('lead');
    if (head) out.add('lead_head');
  }
  return out;
}

/** May this actor perform the event on the ticket (permission + part played), regardless of its state? */
export function mayAct(permissions: PermissionRegistry, actor: Actor, t: TicketRow, centres: readonly Centre[], event: TicketEvent): boolean {
  const rule = ruleFor(t.track, event);
  if (!rule || !rule.permission || actor.kind !== 'staff') return false;
  if (event === 'supervise') return permissions.has(actor, 'appeals.supervise') && scopeCoversTicket(ticketScope(permissions, actor, centres), t);
  if (!permissions.has(actor, rule.permission)) return false;
  return partiesOf(actor, t, centres).has(rule.party);
}

/** The actions to show (policies sent to the page): the state allows them and the actor may take them. */
export function allowedEvents(permissions: PermissionRegistry, actor: Actor, t: TicketRow, centres: readonly Centre[]): TicketEvent[] {
  return eventsFrom(t.track, t.state).filter((e) => {
    if (!mayAct(permissions, actor, t, centres, e)) return false;
    if (e === 'supervise' && t.supervised) return false;
    if ((e === 'approve_extension' || e === 'reject_extension') && t.extensionPending === null) return false;
    if (e === 'request_extension' && (t.extensionUsed || t.extensionPending !== null)) return false;
    return true;
  });
}
