import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Actor, Position, RealNameLevel, RequestContext, RoleCode } from '../../platform/auth/actor.ts';
import { citizenIdCheckCharacter } from '../../platform/codes/validators.ts';
import type { FormDefinition } from '../../platform/forms/index.ts';
import type { Platform } from '../../platform/platform.ts';
import type { CaseRecord, CorrectionItem } from './case.repository.ts';
import type { MaterialChoice } from './commands/submit-application.ts';
import { isDecisionTask } from './commands/case-workflow.ts';
import type { ApplicationItem } from './ports.ts';
import { CaseService, type CaseAction } from './service.ts';

/**
 * Demo cases for `npm start` (issue 3): without them the workbench 办件 list, 电子监察, 差评整改 and
 * the citizen's 我的办件 are empty on a fresh install. About thirty applications of the demo citizen
 * 张三 and the demo enterprise to the items of 武汉市江岸区民政局 (the organisation where the demo
 * clerk `clerk.jiangan` works), driven through the REAL CaseService commands.
 *
 * CLOCK: the commands read `deps.now`, so each case runs on a CaseService whose clock is set to
 * the day of each step (days in the past): received, accepted and decided dates and the legal
 * clocks are the commands' own, no SQL backdating. Audit entries carry the real time (append-only).
 * A deadline sweep at the end sets today's yellow/red signals.
 *
 * Idempotent: each case has the fixed idempotency key `seed-case-<k>` and is skipped when it exists.
 */

type Stage =
  | 'submitted'
  | 'correction'
  | 'supplemented'
  | 'refusedAcceptance'
  | 'accepted'
  /** Accepted and passed through this many review steps (承办 / 审核). */
  | 'reviewing'
  | 'atDecision'
  | 'approved'
  | 'refused'
  | 'resultReady'
  | 'closed'
  | 'refusedClosed';

type ItemKey = 'marriage' | 'dibao' | 'elderly';

interface DemoCase {
  k: string;
  item: ItemKey;
  /** Submitted this many calendar days ago. */
  ago: number;
  go: Stage;
  /** Review steps passed for 'reviewing'. */
  passes?: number;
  /** Correction requested first (then supplemented, unless go is 'correction'). */
  corrected?: boolean;
  score?: number;
  reasons?: string[];
  comment?: string;
  /** The handling unit's answer to a bad rating. */
  answer?: string;
}

const ITEM_NAMES: Record<ItemKey, string> = { marriage: '结婚登记', dibao: '最低生活保障', elderly: '养老机构备案' };

const C: DemoCase[] = [
  // 办结 with ratings
  { k: '01', item: 'dibao', ago: 120, go: 'closed', score: 5, comment: '窗口指导很细致，网上就办好了' },
  { k: '02', item: 'marriage', ago: 110, go: 'closed', score: 5, comment: '预约方便，当天办结' },
  { k: '03', item: 'elderly', ago: 100, go: 'closed', score: 4, comment: '备案流程清楚' },
  { k: '04', item: 'dibao', ago: 95, go: 'closed', corrected: true, score: 2, reasons: ['办理时间长', '材料要求不清楚'], comment: '第一次提交没说清楚要哪些收入证明，补正后又等了很久', answer: '已在办事指南中逐项列明收入证明的要求，并安排专人电话提醒补正，审核环节压缩至 10 个工作日。' },
  { k: '05', item: 'marriage', ago: 90, go: 'closed', score: 4 },
  { k: '06', item: 'elderly', ago: 80, go: 'closed', score: 5, comment: '全程网办，不用跑' },
  { k: '07', item: 'dibao', ago: 70, go: 'closed', score: 1, reasons: ['多次跑动', '服务态度差'], comment: '网上提交后还被要求到窗口跑了两趟' },
  { k: '08', item: 'marriage', ago: 60, go: 'closed', score: 5 },
  { k: '09', item: 'dibao', ago: 55, go: 'closed' },
  { k: '10', item: 'elderly', ago: 50, go: 'refusedClosed' },
  // 不予受理 / 不予许可 / 准予许可 awaiting the result
  { k: '11', item: 'dibao', ago: 45, go: 'refusedAcceptance' },
  { k: '12', item: 'marriage', ago: 40, go: 'refusedAcceptance' },
  { k: '13', item: 'dibao', ago: 35, go: 'refused' },
  { k: '14', item: 'elderly', ago: 12, go: 'approved' },
  { k: '15', item: 'marriage', ago: 9, go: 'resultReady' },
  // 办理中 at different steps; the older ones run close to or past their promised limit (yellow / red)
  { k: '16', item: 'dibao', ago: 40, go: 'reviewing', passes: 1 },
  { k: '17', item: 'dibao', ago: 27, go: 'atDecision' },
  { k: '18', item: 'dibao', ago: 24, go: 'reviewing', passes: 1 },
  { k: '19', item: 'elderly', ago: 20, go: 'accepted' },
  { k: '20', item: 'dibao', ago: 10, go: 'reviewing', passes: 1, corrected: true },
  { k: '21', item: 'marriage', ago: 6, go: 'accepted' },
  { k: '22', item: 'dibao', ago: 3, go: 'accepted' },
  // 待补正
  { k: '23', item: 'dibao', ago: 5, go: 'correction' },
  { k: '24', item: 'elderly', ago: 2, go: 'correction' },
  { k: '25', item: 'dibao', ago: 4, go: 'supplemented' },
  // 已提交 (waiting for acceptance; the 5-working-day notice clock runs: the oldest are yellow / red)
  { k: '26', item: 'dibao', ago: 9, go: 'submitted' },
  { k: '27', item: 'marriage', ago: 6, go: 'submitted' },
  { k: '28', item: 'elderly', ago: 4, go: 'submitted' },
  { k: '29', item: 'dibao', ago: 1, go: 'submitted' },
  { k: '30', item: 'marriage', ago: 0, go: 'submitted' },
];

const ORG_NAME = '武汉市江岸区民政局';
const CITIZEN = { login: 'zhangsan', name: '张三', idNumber: '420102199003071232', mobile: '13800138000' };
const ENTERPRISE = { login: '91420102ma4k00010n', name: '武汉江岸示例科技有限公司', uscc: '91420102MA4K00010N', legalRep: '李四', mobile: '13800138001' };
const DAY = 86_400_000;

/** A one-page PDF standing in for each uploaded material. */
const SAMPLE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

function validIdNumber(first17: string): string {
  return first17 + citizenIdCheckCharacter(first17);
}

/** Valid values for the item's form, as the applicant would type them. */
function fillForm(form: FormDefinition, who: 'citizen' | 'enterprise', at: Date, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.fields) {
    switch (f.type) {
      case 'idNumber':
        out[f.name] = f.prefill === 'applicant.idNumber' ? CITIZEN.idNumber : validIdNumber(`42010219920415${String(100 + n).slice(-3)}`);
        break;
      case 'mobile':
        out[f.name] = who === 'citizen' ? CITIZEN.mobile : ENTERPRISE.mobile;
        break;
      case 'uscc':
        out[f.name] = ENTERPRISE.uscc;
        break;
      case 'email':
        out[f.name] = 'applicant@example.cn';
        break;
      case 'date':
        out[f.name] = new Date(at.getTime() + 7 * DAY).toISOString().slice(0, 10);
        break;
      case 'number': {
        const byName: Record<string, number> = { familySize: 3, monthlyIncome: 1500, beds: 120 };
        const v = byName[f.name] ?? f.min ?? 1;
        out[f.name] = String(Math.min(f.max ?? v, Math.max(f.min ?? v, v)));
        break;
      }
      case 'select':
      case 'radio':
        out[f.name] = f.options?.[0]?.value ?? '';
        break;
      case 'checkbox':
        out[f.name] = f.options ? [f.options[0]!.value] : 'on';
        break;
      case 'address':
        out[f.name] = '武汉市江岸区解放大道 1 号';
        break;
      default: {
        const byName: Record<string, string> = {
          spouseName: '李梅',
          reason: '爱人长期患病住院，家庭仅靠本人打零工维持，人均收入低于本市低保标准。',
          homeName: '江岸区示例康养中心',
          entityName: ENTERPRISE.name,
          legalRepresentative: ENTERPRISE.legalRep,
        };
        if (f.prefill === 'applicant.name') out[f.name] = who === 'citizen' ? CITIZEN.name : ENTERPRISE.legalRep;
        else if (f.prefill === 'enterprise.name') out[f.name] = ENTERPRISE.name;
        else if (f.prefill === 'enterprise.legalRepresentative') out[f.name] = ENTERPRISE.legalRep;
        else out[f.name] = byName[f.name] ?? '示例内容';
      }
    }
  }
  return out;
}

/** Deterministic uuid-shaped id from a seed string (demo-only actors). */
function seededUuid(s: string): string {
  const h = crypto.createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function staffActor(accountId: string, displayName: string, org: { id: string; name: string; jurisdictionCode: string }, roles: RoleCode[]): Actor {
  const position: Position = { id: `seed-${seededUuid(`${accountId}:${org.id}`).slice(0, 12)}`, organisationId: org.id, organisationName: org.name, jurisdictionCode: org.jurisdictionCode, jurisdictionName: '', roles };
  return { kind: 'staff', accountId, displayName, realNameLevel: 2, positions: [position], position, totpVerified: true };
}

interface Account {
  id: string;
  kind: string;
  display_name: string;
  real_name_level: number;
}

/**
 * Seeds the demo cases; returns how many were added. Never throws: a case that fails is logged
 * as a warning and skipped, so the start-up goes on.
 */
export async function seedDemoCases(platform: Platform, service: CaseService): Promise<number> {
  const log = platform.logger;
  // WORKAROUND (read-only): the cases module is not wired to identity's login lookup nor to a
  // catalog item list, so the demo applicants and the items are found by one SELECT each.
  const accounts = await sql<Account>`SELECT id, kind, display_name, real_name_level FROM identity.account WHERE login_name IN (${CITIZEN.login}, ${ENTERPRISE.login})`.execute(platform.db);
  const citizenRow = accounts.rows.find((a) => a.kind === 'citizen');
  const enterpriseRow = accounts.rows.find((a) => a.kind === 'enterprise');
  if (!citizenRow) {
    log.warn('cases seed: demo citizen zhangsan not found, no demo cases');
    return 0;
  }
  const citizen: Actor = { kind: 'citizen', accountId: citizenRow.id, displayName: citizenRow.display_name, realNameLevel: citizenRow.real_name_level as RealNameLevel };
  const enterprise: Actor | null = enterpriseRow
    ? { kind: 'enterprise', accountId: enterpriseRow.id, displayName: enterpriseRow.display_name, realNameLevel: enterpriseRow.real_name_level as RealNameLevel, uscc: ENTERPRISE.uscc }
    : null;

  const itemRows = await sql<{ id: string; name: string }>`SELECT id, name FROM catalog.implementation_item WHERE organisation_name = ${ORG_NAME} AND status = 'published'`.execute(platform.db);
  const items = new Map<ItemKey, ApplicationItem>();
  for (const key of Object.keys(ITEM_NAMES) as ItemKey[]) {
    const row = itemRows.rows.find((r) => r.name.includes(ITEM_NAMES[key]));
    if (!row) continue;
    const found = await service.deps.items.itemForApplication(row.id);
    if (found.ok) items.set(key, found.item);
  }
  const anyItem = [...items.values()][0];
  if (!anyItem) {
    log.warn({ organisation: ORG_NAME }, 'cases seed: no published items, no demo cases');
    return 0;
  }
  const org = { id: anyItem.organisationId, name: anyItem.organisationName, jurisdictionCode: anyItem.jurisdictionCode };

  // Staff: the real demo accounts of the organisation (clerk.jiangan); where identity has no
  // 负责人 of it, a demo-only head acting in it (as the appeals seed does), named as such.
  const staff = service.deps.staff?.listActiveStaff ? await service.deps.staff.listActiveStaff({ organisationId: org.id }) : [];
  const clerkChoice = staff.find((s) => s.roles.includes('clerk'));
  const headChoice = staff.find((s) => s.roles.includes('org_head'));
  const clerk = clerkChoice ? staffActor(clerkChoice.accountId, clerkChoice.displayName, org, ['clerk']) : staffActor(seededUuid(`zhengwu-seed-clerk:${org.id}`), `${org.name}窗口（演示）`, org, ['clerk']);
  const head = headChoice ? staffActor(headChoice.accountId, headChoice.displayName, org, ['org_head']) : staffActor(seededUuid(`zhengwu-seed-head:${org.id}`), `${org.name}负责人（演示）`, org, ['org_head']);

  let clock = new Date();
  const clocked = new CaseService({ ...service.deps, now: () => clock }, platform.transactor, platform.attachments);
  const library = new Map<string, string>(); // applicant:material → attachment id (this run)
  const today = new Date();
  // Steps at 10:00 Beijing time (02:00Z) of the day `ago` days back.
  const dayAt = (ago: number, hour = 2) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ago, hour, 0, 0));

  let added = 0;
  for (const d of C) {
    const key = `seed-case-${d.k}`;
    try {
      const item = items.get(d.item);
      if (!item) continue;
      const enterpriseItem = item.form.fields.some((f) => f.type === 'uscc');
      const applicant = enterpriseItem ? enterprise : citizen;
      if (!applicant || (applicant.kind !== 'citizen' && applicant.kind !== 'enterprise')) continue;
      if (await service.deps.cases.getByIdempotencyKey(applicant.accountId, key)) continue;
      const ctx = (actor: Actor): RequestContext => ({ actor, requestId: key, clientIp: null });

      const material = async (code: string, name: string): Promise<string> => {
        const k = `${applicant.accountId}:${code}`;
        const known = library.get(k);
        if (known) return known;
        const up = await clocked.uploadMaterial(ctx(applicant), { source: SAMPLE_PDF, fileName: `${name}.pdf`, claimedType: 'application/pdf', label: name });
        if (!up.ok) throw new Error(`upload ${name}: ${up.message}`);
        library.set(k, up.value.attachment_id);
        return up.value.attachment_id;
      };
      const materials: MaterialChoice[] = [];
      for (const m of item.materials.filter((x) => x.required)) materials.push({ code: m.code, attachmentId: await material(m.code, m.name) });

      // Step days: spread from `ago` towards today, never in the future.
      let day = d.ago;
      const next = (gap: number) => {
        day = Math.max(0, day - gap);
        clock = dayAt(day, 2 + Math.min(6, gap));
      };
      clock = dayAt(day);
      const sub = await clocked.submit(ctx(applicant), { itemId: item.id, idempotencyKey: key, values: fillForm(item.form, applicant.kind, clock, Number(d.k)), materials, channel: '1' });
      if (!sub.ok) throw new Error(`submit: ${sub.message} ${JSON.stringify('fields' in sub ? sub.fields : [])}`);
      let c: CaseRecord = sub.value.record;
      added += 1;
      const act = async (actor: Actor, a: CaseAction) => {
        const r = await clocked.act(ctx(actor), c.id, c.version, a);
        if (!r.ok) throw new Error(`${a.action}: ${r.message}`);
        c = r.value;
      };

      if (d.go === 'submitted') continue;
      if (d.corrected || d.go === 'correction' || d.go === 'supplemented') {
        next(1);
        const first = item.materials[0];
        const items: CorrectionItem[] = first ? [{ target: first.code, label: first.name, problem: '扫描件不清晰，请重新上传清晰完整的彩色扫描件' }] : [{ target: 'other', label: '其他', problem: '请补充说明' }];
        await act(clerk, { action: 'correction', items });
        if (d.go === 'correction') continue;
        next(1);
        const fix = first ? [{ code: first.code, attachmentId: await material(first.code, first.name) }] : materials.slice(0, 1);
        const r = await clocked.supplement(ctx(applicant), { caseId: c.id, version: c.version, materials: fix, note: '已重新上传清晰扫描件' });
        if (!r.ok) throw new Error(`supplement: ${r.message}`);
        c = r.value;
        if (d.go === 'supplemented') continue;
      }
      if (d.go === 'refusedAcceptance') {
        next(1);
        await act(clerk, { action: 'refuse-acceptance', reason: '申请人户籍及经常居住地均不在本区，不属于本机关管辖，请向户籍所在地民政部门申请' });
        continue;
      }
      next(1);
      await act(clerk, { action: 'accept' });
      if (d.go === 'accepted') continue;

      // Review steps (承办 → 审核 → 批准, or the item's workflow): pass until the decision step.
      const decide = ['approved', 'refused', 'resultReady', 'closed', 'refusedClosed'].includes(d.go);
      const maxPasses = d.go === 'reviewing' ? (d.passes ?? 1) : 6;
      for (let i = 0; i < maxPasses; i++) {
        if (d.go !== 'reviewing' && c.state === 'IN_PROCESS' && (await atDecision(clocked, head, c))) break;
        next(d.go === 'reviewing' || d.go === 'atDecision' ? 2 : 3);
        const r = await clocked.act(ctx(clerk), c.id, c.version, { action: 'pass', opinion: i === 0 ? '材料齐全，符合法定形式，建议通过' : '经审核，符合条件' });
        if (r.ok) c = r.value;
        else await act(head, { action: 'pass', opinion: '同意' });
      }
      if (!decide) continue;
      next(2);
      if (d.go === 'refused' || d.go === 'refusedClosed') await act(head, { action: 'refuse', reason: '经入户核查，申请人家庭人均收入高于本市最低生活保障标准，不符合条件' });
      else await act(head, { action: 'approve', reason: '符合条件，准予' });
      if (d.go === 'approved' || d.go === 'refused') continue;
      next(1);
      const cert = d.go === 'refusedClosed' ? {} : { certificateNo: `MZ${c.case_no?.replace(/\D/g, '').slice(-12) ?? d.k}` };
      await act(clerk, { action: 'result', ...cert });
      if (d.go === 'resultReady') continue;
      next(1);
      await act(clerk, { action: 'deliver', method: 'electronic' });
      if (d.score !== undefined) {
        next(1);
        const r = await clocked.rate(ctx(applicant), { caseId: c.id, score: d.score, reasons: d.reasons ?? [], comment: d.comment ?? '' });
        if (!r.ok) throw new Error(`rate: ${r.message}`);
        if (d.answer) {
          next(3);
          const fb = await clocked.answerRating(ctx(clerk), { caseId: c.id, version: r.value.version, outcome: 'rectified', feedback: d.answer });
          if (!fb.ok) throw new Error(`answerRating: ${fb.message}`);
        }
      }
    } catch (e) {
      log.warn({ err: e, key }, 'cases seed: demo case skipped');
    }
  }
  if (added > 0) {
    try {
      await service.sweep(); // today's yellow / red signals for 电子监察
    } catch (e) {
      log.warn({ err: e }, 'cases seed: deadline sweep failed');
    }
  }
  return added;
}

/** Whether the head may decide now (the default flow's 批准 node, or a decision task of the item's workflow). */
async function atDecision(service: CaseService, head: Actor, c: CaseRecord): Promise<boolean> {
  if (!c.workflow_instance_id) return c.node_index === 2;
  const view = await service.flowView(head, c);
  return Boolean(view && view.open.length > 0 && view.open.some(isDecisionTask));
}
