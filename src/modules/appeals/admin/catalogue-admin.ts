/**
 * Administration of the dispatch catalogue (派单目录, 国办函〔2025〕66号: "a maintained dispatch
 * catalogue") and of the centres (12345 hotline offices, petition departments).
 *
 * Who: the catalogue — heads (org_head) of a hotline centre with `appeals.catalogue`; categories are
 * one shared tree, rules only for divisions in the centre's subtree. Centres — the system
 * administrator (`appeals.centres`, kind system: 三员分立 keeps the sysadmin out of business data, so
 * the sysadmin does not edit dispatch rules). Every change: validation naming the field in Chinese,
 * optimistic version (409), one transaction with an audit entry; afterwards the service reloads the
 * rules and centres, so the next dispatch suggestion uses them without a restart.
 */
import type { Actor, RequestContext } from '../../../platform/auth/actor.ts';
import { subtreePrefix } from '../../../platform/auth/scope.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { centreOf } from '../policies.ts';
import type { AppealsService } from '../service.ts';
import type { Centre } from '../ticket.repository.ts';
import { CatalogueAdminRepository, type AdminCentre, type AdminRule } from './catalogue-admin.repository.ts';

export type AdminRefusal = 'forbidden' | 'not_found' | 'invalid' | 'conflict';
type Org = { id: string; name: string; jurisdictionCode: string };

export interface CatalogueAdminDeps {
  platform: Platform;
  service: AppealsService;
  divisionName: (code: string) => Promise<string | null>;
  organisation: (id: string) => Promise<Org | null>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : typeof v === 'string' ? v.split(/[,，\s]+/).map((x) => x.trim()) : []).filter(Boolean);
const versionOf = (v: unknown): number => {
  const n = Number(str(v));
  return Number.isInteger(n) && n > 0 ? n : NaN;
};
const STALE = '已被他人修改，请刷新页面查看最新内容后再改';
const MAX_CO = 5;

export class CatalogueAdmin {
  readonly repo: CatalogueAdminRepository;

  constructor(private readonly d: CatalogueAdminDeps) {
    this.repo = new CatalogueAdminRepository(d.platform.db);
  }

  /** The hotline centre whose head this actor is (catalogue administration), or null. */
  async catalogueCentre(actor: Actor): Promise<Centre | null> {
    if (actor.kind !== 'staff' || !this.d.platform.permissions.has(actor, 'appeals.catalogue') || !actor.position.roles.includes('org_head')) return null;
    return centreOf(actor, await this.d.service.centres(), 'hotline');
  }

  mayManageCentres(actor: Actor): boolean {
    return actor.kind === 'staff' && this.d.platform.permissions.has(actor, 'appeals.centres');
  }

  private async denied(ctx: RequestContext, action: string, objectId: string | null, message: string) {
    await this.d.platform.transactor.auditOnly(ctx, { action, objectType: 'appeal_catalogue', objectId, outcome: 'denied' });
    return refuse('forbidden' as const, message);
  }

  // ---- categories ----

  async addCategory(ctx: RequestContext, raw: Record<string, unknown>): Promise<Result<{ code: string }, AdminRefusal>> {
    if (!(await this.catalogueCentre(ctx.actor))) return this.denied(ctx, 'appeal.category.create', null, '只有 12345 热线中心负责人可以维护派单目录');
    const parentCode = str(raw.parentCode) || null;
    const code = str(raw.code);
    const name = str(raw.name);
    const errors: FieldError[] = [];
    if (!/^\d{2,8}$/.test(code) || code.length % 2 !== 0) errors.push({ field: 'code', message: '分类代码应为 2、4、6 或 8 位数字' });
    else if (parentCode && (!code.startsWith(parentCode) || code.length !== parentCode.length + 2)) errors.push({ field: 'code', message: `下级分类代码应为上级代码 ${parentCode} 加两位数字` });
    else if (!parentCode && code.length !== 2) errors.push({ field: 'code', message: '一级分类代码应为两位数字' });
    if (!name) errors.push({ field: 'name', message: '请填写分类名称' });
    else if ([...name].length > 40) errors.push({ field: 'name', message: '分类名称不能超过 40 个字' });
    return this.d.platform.transactor.run(ctx, async (uow) => {
      if (parentCode) {
        await this.repo.lockCategory(uow.tx, parentCode);
        const parent = await this.repo.category(parentCode, uow.tx);
        if (!parent) errors.push({ field: 'parentCode', message: '上级分类不存在' });
        else if (!parent.active) errors.push({ field: 'parentCode', message: '上级分类已停用，不能在其下添加分类' });
        else if (parent.rules > 0 || parent.tickets > 0) errors.push({ field: 'parentCode', message: `“${parent.name}”已有派单规则或工单，不能再添加下级分类` });
      }
      if (errors.length === 0 && (await this.repo.category(code, uow.tx))) errors.push({ field: 'code', message: `分类代码 ${code} 已被使用` });
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      await this.repo.insertCategory(uow.tx, { code, name, parentCode });
      await uow.audit({ action: 'appeal.category.create', objectType: 'appeal_category', objectId: code, detail: { name, parentCode } });
      return ok({ code });
    }).then(async (r) => {
      if (r.ok) await this.d.service.catalogueChanged();
      return r;
    });
  }

  /** Rename, disable or enable (`op`). A category is never deleted: tickets and rules keep pointing at it. */
  async changeCategory(ctx: RequestContext, code: string, op: 'rename' | 'disable' | 'enable', raw: Record<string, unknown>): Promise<Result<{ code: string; version: number }, AdminRefusal>> {
    if (!(await this.catalogueCentre(ctx.actor))) return this.denied(ctx, `appeal.category.${op}`, code, '只有 12345 热线中心负责人可以维护派单目录');
    const version = versionOf(raw.version);
    const name = str(raw.name);
    const r = await this.d.platform.transactor.run(ctx, async (uow) => {
      await this.repo.lockCategory(uow.tx, code);
      const current = await this.repo.category(code, uow.tx);
      if (!current) return refuse('not_found', '分类不存在');
      const errors: FieldError[] = [];
      if (op === 'rename') {
        if (!name) errors.push({ field: 'name', message: '请填写分类名称' });
        else if ([...name].length > 40) errors.push({ field: 'name', message: '分类名称不能超过 40 个字' });
      }
      if (op === 'disable') {
        const all = await this.repo.categories(uow.tx);
        if (all.some((c) => c.parentCode === code && c.active)) errors.push({ field: 'code', message: `“${current.name}”还有启用的下级分类，请先停用下级分类` });
      }
      if (op === 'enable' && current.parentCode) {
        const parent = await this.repo.category(current.parentCode, uow.tx);
        if (parent && !parent.active) errors.push({ field: 'code', message: `上级分类“${parent.name}”已停用，请先启用上级分类` });
      }
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      if (Number.isNaN(version) || version !== current.version) return refuse('conflict', `分类“${current.name}”${STALE}`);
      const patch = op === 'rename' ? { name } : { active: op === 'enable' };
      if (!(await this.repo.updateCategory(uow.tx, code, version, patch))) return refuse('conflict', `分类“${current.name}”${STALE}`);
      await uow.audit({ action: `appeal.category.${op}`, objectType: 'appeal_category', objectId: code, detail: { ...(op === 'rename' ? { from: current.name, to: name } : {}), rules: current.rules, tickets: current.tickets } });
      return ok({ code, version: version + 1 });
    });
    if (r.ok) await this.d.service.catalogueChanged();
    return r;
  }

  // ---- rules ----

  /** Create (key null) or change a rule: active leaf category × division in the centre's subtree → lead unit (+ co-handlers). */
  async saveRule(ctx: RequestContext, key: { categoryCode: string; divisionCode: string } | null, raw: Record<string, unknown>): Promise<Result<AdminRule, AdminRefusal>> {
    const centre = await this.catalogueCentre(ctx.actor);
    const action = key ? 'appeal.rule.update' : 'appeal.rule.create';
    if (!centre) return this.denied(ctx, action, key ? `${key.categoryCode}:${key.divisionCode}` : null, '只有 12345 热线中心负责人可以维护派单规则');
    const prefix = subtreePrefix(centre.divisionCode);
    const categoryCode = key?.categoryCode ?? str(raw.categoryCode);
    const divisionCode = key?.divisionCode ?? str(raw.divisionCode);
    const leadId = str(raw.organisationId);
    const coIds = [...new Set(list(raw.coOrgIds))];
    const errors: FieldError[] = [];
    // Other modules' data is read before the transaction (one connection on the embedded database).
    if (!/^\d{6}(\d{3})?$/.test(divisionCode)) errors.push({ field: 'divisionCode', message: '请填写 6 位或 9 位行政区划代码' });
    else if (!divisionCode.startsWith(prefix)) errors.push({ field: 'divisionCode', message: `只能为本中心管辖范围（${centre.divisionCode}）内的区划设置规则` });
    else if (!(await this.d.divisionName(divisionCode))) errors.push({ field: 'divisionCode', message: `行政区划 ${divisionCode} 不存在或已撤销` });
    const inScope = (o: Org | null) => o !== null && o.jurisdictionCode.startsWith(prefix);
    const lead = leadId ? await this.d.organisation(leadId) : null;
    if (!leadId) errors.push({ field: 'organisationId', message: '请选择主办单位' });
    else if (!inScope(lead)) errors.push({ field: 'organisationId', message: '主办单位不存在或不在本中心管辖范围内' });
    const co: Org[] = [];
    if (coIds.length > MAX_CO) errors.push({ field: 'coOrgIds', message: `协办单位最多 ${MAX_CO} 个` });
    else
      for (const id of coIds) {
        const o = await this.d.organisation(id);
        if (!inScope(o)) errors.push({ field: 'coOrgIds', message: '协办单位不存在或不在本中心管辖范围内' });
        else if (id === leadId) errors.push({ field: 'coOrgIds', message: '协办单位不能与主办单位相同' });
        else co.push(o!);
      }
    const version = versionOf(raw.version);
    const r = await this.d.platform.transactor.run(ctx, async (uow) => {
      await this.repo.lockCategory(uow.tx, categoryCode);
      const category = categoryCode ? await this.repo.category(categoryCode, uow.tx) : null;
      if (!key) {
        if (!category) errors.push({ field: 'categoryCode', message: '请选择诉求分类' });
        else if (!category.active) errors.push({ field: 'categoryCode', message: `分类“${category.name}”已停用` });
        else if (category.children > 0) errors.push({ field: 'categoryCode', message: `“${category.name}”有下级分类，派单规则只能设在末级分类上` });
      }
      const current = key ? await this.repo.rule(key.categoryCode, key.divisionCode, uow.tx) : null;
      if (key && (!current || !current.divisionCode.startsWith(prefix))) return refuse('not_found', '派单规则不存在或不在您的管辖范围内');
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      const values = { categoryCode, divisionCode, organisationId: lead!.id, organisationName: lead!.name, coOrgIds: co.map((o) => o.id), coOrgNames: co.map((o) => o.name) };
      if (current) {
        if (Number.isNaN(version) || version !== current.version || !(await this.repo.updateRule(uow.tx, { ...values, version }))) return refuse('conflict', `该派单规则${STALE}`);
      } else if (!(await this.repo.insertRule(uow.tx, values))) {
        return refuse('invalid', '请修改标记的内容', [{ field: 'divisionCode', message: `“${category!.name}”在区划 ${divisionCode} 已有派单规则，请修改原规则` }]);
      }
      await uow.audit({ action, objectType: 'appeal_rule', objectId: `${categoryCode}:${divisionCode}`, detail: { organisationId: values.organisationId, coOrgIds: values.coOrgIds, ...(current ? { fromOrganisationId: current.organisationId } : {}) } });
      return ok((await this.repo.rule(categoryCode, divisionCode, uow.tx))!);
    });
    if (r.ok) await this.d.service.catalogueChanged();
    return r;
  }

  async deleteRule(ctx: RequestContext, categoryCode: string, divisionCode: string, raw: Record<string, unknown>): Promise<Result<null, AdminRefusal>> {
    const centre = await this.catalogueCentre(ctx.actor);
    if (!centre) return this.denied(ctx, 'appeal.rule.delete', `${categoryCode}:${divisionCode}`, '只有 12345 热线中心负责人可以维护派单规则');
    const version = versionOf(raw.version);
    const r = await this.d.platform.transactor.run(ctx, async (uow) => {
      const current = await this.repo.rule(categoryCode, divisionCode, uow.tx);
      if (!current || !divisionCode.startsWith(subtreePrefix(centre.divisionCode))) return refuse('not_found', '派单规则不存在或不在您的管辖范围内');
      if (Number.isNaN(version) || !(await this.repo.deleteRule(uow.tx, categoryCode, divisionCode, version))) return refuse('conflict', `该派单规则${STALE}`);
      await uow.audit({ action: 'appeal.rule.delete', objectType: 'appeal_rule', objectId: `${categoryCode}:${divisionCode}`, detail: { organisationId: current.organisationId } });
      return ok(null);
    });
    if (r.ok) await this.d.service.catalogueChanged();
    return r;
  }

  // ---- centres ----

  async saveCentre(ctx: RequestContext, id: string | null, raw: Record<string, unknown>): Promise<Result<AdminCentre, AdminRefusal>> {
    const action = id ? 'appeal.centre.update' : 'appeal.centre.create';
    if (!this.mayManageCentres(ctx.actor)) return this.denied(ctx, action, id, '只有系统管理员可以维护热线中心');
    const name = str(raw.name);
    const kind = str(raw.kind);
    const divisionCode = str(raw.divisionCode);
    const organisationId = str(raw.organisationId);
    const hotline = str(raw.hotline).replace(/\s+/g, '');
    const dutyMobile = str(raw.dutyMobile).replace(/[\s-]+/g, '');
    const dutyEmail = str(raw.dutyEmail);
    const errors: FieldError[] = [];
    if ([...name].length < 2) errors.push({ field: 'name', message: '请填写中心名称（至少 2 个字）' });
    else if ([...name].length > 40) errors.push({ field: 'name', message: '中心名称不能超过 40 个字' });
    if (kind !== 'hotline' && kind !== 'petition') errors.push({ field: 'kind', message: '请选择类型：12345 热线或信访部门' });
    if (!/^\d{6}$/.test(divisionCode)) errors.push({ field: 'divisionCode', message: '请填写 6 位行政区划代码（管辖范围为该区划及其下级）' });
    else if (!divisionCode.startsWith('42')) errors.push({ field: 'divisionCode', message: '行政区划应在湖北省内' });
    else if (!(await this.d.divisionName(divisionCode))) errors.push({ field: 'divisionCode', message: `行政区划 ${divisionCode} 不存在或已撤销` });
    if (!/^(\d{3,4}-?)?\d{5,8}$/.test(hotline)) errors.push({ field: 'hotline', message: '热线号码格式不正确，如 12345 或 027-12345' });
    if (dutyMobile && !/^1\d{10}$/.test(dutyMobile)) errors.push({ field: 'dutyMobile', message: '值班手机应为 11 位手机号码' });
    if (dutyEmail && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(dutyEmail)) errors.push({ field: 'dutyEmail', message: '值班邮箱格式不正确' });
    const org = organisationId ? await this.d.organisation(organisationId) : null;
    if (!organisationId) errors.push({ field: 'organisationId', message: '请选择中心的工作机构（其工作人员负责派单）' });
    else if (!org) errors.push({ field: 'organisationId', message: '工作机构不存在' });
    else if (/^\d{6}$/.test(divisionCode) && !org.jurisdictionCode.startsWith(subtreePrefix(divisionCode))) errors.push({ field: 'organisationId', message: `“${org.name}”不在区划 ${divisionCode} 范围内` });
    const version = versionOf(raw.version);
    const r = await this.d.platform.transactor.run(ctx, async (uow) => {
      const current = id ? await this.repo.centre(id, uow.tx) : null;
      if (id && !current) return refuse('not_found', '热线中心不存在');
      if (errors.length === 0) {
        const clash = await this.repo.centreClash(uow.tx, { id, kind, divisionCode, organisationId });
        if (clash === 'organisation') errors.push({ field: 'organisationId', message: `“${org!.name}”已是同类中心的工作机构` });
        if (clash === 'division') errors.push({ field: 'divisionCode', message: `区划 ${divisionCode} 已有同类中心` });
      }
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      const values = { name, kind: kind as AdminCentre['kind'], divisionCode, organisationId, organisationName: org!.name, hotline, dutyMobile, dutyEmail };
      let centreId = id;
      if (current) {
        if (Number.isNaN(version) || version !== current.version || !(await this.repo.updateCentre(uow.tx, { ...values, id: current.id, version }))) return refuse('conflict', `热线中心“${current.name}”${STALE}`);
      } else {
        centreId = await this.repo.insertCentre(uow.tx, values);
      }
      await uow.audit({ action, objectType: 'appeal_centre', objectId: centreId, detail: { name, kind, divisionCode, organisationId, hotline } });
      return ok((await this.repo.centre(centreId!, uow.tx))!);
    });
    if (r.ok) await this.d.service.catalogueChanged();
    return r;
  }
}
