/**
 * Duty contacts per handling unit (值班联系人): the mobile and email that receive overdue notices
 * (超期通知) by SMS and email. Organisations carry no contact data in jurisdictions, so the appeals
 * module keeps them by organisation id.
 *
 * Who: the unit's own head (org_head of that organisation), or the head of a centre (12345 hotline
 * office or petition department) whose division subtree holds the unit. Every change: validation
 * naming the field in Chinese, optimistic version (409), one transaction with an audit entry.
 */
import { actorId, type Actor, type RequestContext } from '../../../platform/auth/actor.ts';
import { subtreePrefix } from '../../../platform/auth/scope.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { centreOf } from '../policies.ts';
import type { Centre } from '../ticket.repository.ts';
import { DutyContactRepository, type DutyContact } from './duty-contact.repository.ts';

export type DutyRefusal = 'forbidden' | 'not_found' | 'invalid' | 'conflict';
export type Unit = { id: string; name: string; jurisdictionCode: string };

export const DUTY_PERMISSION = 'appeals.duty-contacts';

export interface DutyContactsDeps {
  platform: Platform;
  centres: () => Promise<Centre[]>;
  organisation: (id: string) => Promise<Unit | null>;
  /** Organisations in a division's subtree, paged (the jurisdictions service). */
  unitsIn: (divisionCode: string, page: number, pageSize: number) => Promise<{ items: Unit[]; total: number }>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const MOBILE = /^1\d{10}$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The contacts of a unit, or an empty record (version 0) when none are recorded yet. */
export const emptyContact = (u: Unit): DutyContact => ({ organisationId: u.id, organisationName: u.name, dutyMobile: '', dutyEmail: '', version: 0, updatedAt: null });

export class DutyContacts {
  readonly repo: DutyContactRepository;

  constructor(private readonly d: DutyContactsDeps) {
    this.repo = new DutyContactRepository(d.platform.db);
  }

  private isHead(actor: Actor): actor is Extract<Actor, { kind: 'staff' }> {
    return actor.kind === 'staff' && actor.position.roles.includes('org_head') && this.d.platform.permissions.has(actor, DUTY_PERMISSION);
  }

  /** The centre this actor heads (it may edit every unit in its subtree), or null. */
  async headedCentre(actor: Actor): Promise<Centre | null> {
    return this.isHead(actor) ? centreOf(actor, await this.d.centres()) : null;
  }

  /** May the actor change this unit's contacts: its own head, or the head of a centre over it. */
  async mayEdit(actor: Actor, unit: Unit): Promise<boolean> {
    if (!this.isHead(actor)) return false;
    if (actor.position.organisationId === unit.id) return true;
    const centre = await this.headedCentre(actor);
    return !!centre && unit.jurisdictionCode.startsWith(subtreePrefix(centre.divisionCode));
  }

  /** The units whose contacts the actor may change, with their contacts, paged. */
  async list(actor: Actor, page: number, pageSize: number): Promise<{ rows: DutyContact[]; total: number }> {
    if (!this.isHead(actor)) return { rows: [], total: 0 };
    const centre = await this.headedCentre(actor);
    let units: Unit[];
    let total: number;
    if (centre) {
      ({ items: units, total } = await this.d.unitsIn(centre.divisionCode, page, pageSize));
    } else {
      const own = await this.d.organisation(actor.position.organisationId);
      units = own && page === 1 ? [own] : [];
      total = own ? 1 : 0;
    }
    const stored = await this.repo.forOrganisations(units.map((u) => u.id));
    return { rows: units.map((u) => stored.get(u.id) ?? emptyContact(u)), total };
  }

  /** The unit's contacts for the actor, or a refusal (not found / not the actor's to edit). */
  async view(ctx: RequestContext, organisationId: string, opts: { audit?: boolean } = {}): Promise<Result<DutyContact, DutyRefusal>> {
    const unit = await this.unit(organisationId);
    if (!unit) return refuse('not_found', '单位不存在');
    if (!(await this.mayEdit(ctx.actor, unit))) return this.denied(ctx, organisationId);
    const contact = (await this.repo.get(unit.id)) ?? emptyContact(unit);
    // The full (unmasked) numbers: an audited view.
    if (opts.audit && contact.version > 0) await this.d.platform.transactor.auditOnly(ctx, { action: 'appeal.duty_contact.view', objectType: 'appeal_duty_contact', objectId: unit.id });
    return ok(contact);
  }

  private async unit(id: string): Promise<Unit | null> {
    return /^[0-9a-f-]{36}$/i.test(id) ? this.d.organisation(id) : null;
  }

  private async denied(ctx: RequestContext, organisationId: string) {
    await this.d.platform.transactor.auditOnly(ctx, { action: 'appeal.duty_contact.update', objectType: 'appeal_duty_contact', objectId: organisationId, outcome: 'denied' });
    return refuse('forbidden' as const, '只有本单位负责人或所属热线中心（信访部门）负责人可以修改值班联系方式');
  }

  async save(ctx: RequestContext, organisationId: string, raw: Record<string, unknown>): Promise<Result<DutyContact, DutyRefusal>> {
    // Read the organisation before the transaction opens (the embedded database has one connection).
    const unit = await this.unit(organisationId);
    if (!unit) return refuse('not_found', '单位不存在');
    if (!(await this.mayEdit(ctx.actor, unit))) return this.denied(ctx, organisationId);
    const dutyMobile = str(raw.dutyMobile).replace(/[\s-]+/g, '');
    const dutyEmail = str(raw.dutyEmail);
    const versionText = str(raw.version);
    const version = Number(versionText);
    const errors: FieldError[] = [];
    if (dutyMobile && !MOBILE.test(dutyMobile)) errors.push({ field: 'dutyMobile', message: '值班手机应为 11 位手机号码，如 13912345678' });
    if (dutyEmail && !EMAIL.test(dutyEmail)) errors.push({ field: 'dutyEmail', message: '值班邮箱格式不正确，如 zhiban@example.gov.cn' });
    else if (dutyEmail.length > 100) errors.push({ field: 'dutyEmail', message: '值班邮箱不能超过 100 个字符' });
    if (!dutyMobile && !dutyEmail) errors.push({ field: 'dutyMobile', message: '请至少填写值班手机或值班邮箱中的一项' });
    if (!versionText || !Number.isInteger(version) || version < 0) errors.push({ field: 'version', message: '缺少版本号，请刷新页面后重试' });
    if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
    return this.d.platform.transactor.run(ctx, async (uow) => {
      const saved = await this.repo.save(uow.tx, { organisationId: unit.id, organisationName: unit.name, dutyMobile, dutyEmail, version, updatedBy: actorId(ctx.actor) });
      if (!saved) return refuse('conflict', `“${unit.name}”的值班联系方式已被他人修改，请刷新页面查看最新内容后再改`);
      // Contact data is personal: the audit entry records that it changed, not the numbers.
      await uow.audit({ action: 'appeal.duty_contact.update', objectType: 'appeal_duty_contact', objectId: unit.id, detail: { organisationName: unit.name, version: saved.version, hasMobile: !!dutyMobile, hasEmail: !!dutyEmail } });
      return ok(saved);
    });
  }
}
