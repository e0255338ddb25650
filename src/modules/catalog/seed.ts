import { systemContext } from '../../platform/auth/actor.ts';
import type { FormDefinition, FormField } from '../../platform/forms/definition.ts';
import type { Platform } from '../../platform/platform.ts';
import type { CatalogRepository } from './catalog.repository.ts';
import { changeItem } from './commands/change-item.ts';
import type { CatalogDeps } from './commands/deps.ts';
import { levelOfDivision } from './commands/deps.ts';
import { namePinyin } from './pinyin.ts';
import { checkQuality } from './quality-rules.ts';
import { SEED_LIFE_EVENTS, SEED_TEMPLATES, type SeedTemplate } from './seed-data.ts';
import { emptyElements, type ItemElements, type ProcessStep } from './types.ts';

export interface SeedOrganisation {
  id: string;
  name: string;
  jurisdictionCode: string;
}

const PERSON_FIELDS: FormField[] = [
  { name: 'applicantName', label: '申请人姓名', type: 'text', required: true, maxLength: 30, prefill: 'applicant.name' },
  { name: 'applicantIdNumber', label: '申请人身份证号码', type: 'idNumber', required: true, prefill: 'applicant.idNumber' },
  { name: 'applicantMobile', label: '联系电话', type: 'mobile', required: true, prefill: 'applicant.mobile' },
];
const ENTERPRISE_FIELDS: FormField[] = [
  { name: 'entityName', label: '申请单位名称', type: 'text', required: true, maxLength: 100, prefill: 'enterprise.name' },
  { name: 'entityUscc', label: '统一社会信用代码', type: 'uscc', required: true, prefill: 'enterprise.uscc' },
  { name: 'legalRepresentative', label: '法定代表人（负责人）', type: 'text', required: true, maxLength: 30, prefill: 'enterprise.legalRepresentative' },
  { name: 'contactName', label: '联系人', type: 'text', required: true, maxLength: 30, prefill: 'applicant.name' },
  { name: 'applicantMobile', label: '联系电话', type: 'mobile', required: true, prefill: 'applicant.mobile' },
];
const PROMISE: FormField = { name: 'truthfulness', label: '本人（单位）承诺所填写内容和提交的材料真实、有效，并承担相应的法律责任', type: 'checkbox', required: true };

export function seedForm(t: SeedTemplate): FormDefinition {
  const enterprise = !t.objects.includes('1');
  return { version: 1, fields: [...(enterprise ? ENTERPRISE_FIELDS : PERSON_FIELDS), ...t.extraFields, PROMISE] };
}

/** Step limits that add up to the promised limit (Q8): 受理 → 审查 → 决定 → 办结. */
function steps(t: SeedTemplate): ProcessStep[] {
  const names = ['受理', '审查', '决定', '办结（送达）'];
  const desc = ['窗口或网上受理，材料不全的一次性告知补正内容', '审查申请材料，需要现场核查的组织现场核查', '作出准予或者不予许可的决定', '制发证照，通过窗口领取、邮寄或电子证照送达'];
  if (!t.promised) return names.map((name, i) => ({ name, limit: { n: 15, unit: '4' }, description: desc[i] ?? '' }));
  const n = t.promised[0];
  const unit = t.promised[1];
  if (unit === '1' && n >= 4) {
    const parts = [1, n - 3, 1, 1];
    return names.map((name, i) => ({ name, limit: { n: parts[i] ?? 1, unit: '1' }, description: desc[i] ?? '' }));
  }
  const hours = unit === '1' ? n * 8 : unit === '2' ? Math.floor((n * 5 * 8) / 7) : 8;
  const parts = [Math.floor(hours / 4), Math.floor(hours / 4), Math.floor(hours / 4), hours - 3 * Math.floor(hours / 4)];
  return names.map((name, i) => ({ name, limit: { n: Math.max(1, parts[i] ?? 1), unit: '3' }, description: desc[i] ?? '' }));
}

interface Place {
  phoneArea: string;
  hall: string;
}
function placeOf(org: SeedOrganisation): Place {
  if (org.jurisdictionCode.startsWith('420281')) return { phoneArea: '0714', hall: '大冶市政务服务中心一楼' };
  if (org.jurisdictionCode.startsWith('420102')) return { phoneArea: '027', hall: '江岸区政务服务中心二楼' };
  if (org.jurisdictionCode.startsWith('4201')) return { phoneArea: '027', hall: '武汉市民之家三楼' };
  return { phoneArea: '027', hall: '湖北省政务服务中心一楼' };
}

function digits(seed: string, n: number): string {
  let h = 7;
  for (const c of seed) h = (h * 31 + c.charCodeAt(0)) % 1_000_000_007;
  return String(h).padStart(n, '0').slice(-n);
}

export function seedElements(t: SeedTemplate, index: number, org: SeedOrganisation, resultSampleId: string | null): ItemElements {
  const e = emptyElements();
  const place = placeOf(org);
  const window = 10 + (index % 30);
  const phone = (k: string) => `${place.phoneArea}-${place.phoneArea === '027' ? '8' : '6'}${digits(org.name + t.key + k, place.phoneArea === '027' ? 7 : 6)}`;
  const instant = t.promised === null;
  return {
    ...e,
    name: t.name,
    basicCode: basicCode(t, index),
    itemType: t.itemType,
    legalBasis: t.legalBasis,
    exerciseLevel: levelOfDivision(org.jurisdictionCode),
    contentExercised: `${t.name}（${org.name}管辖范围内）`,
    implementerNature: '1',
    legalLimit: t.legal ? { n: t.legal[0], unit: t.legal[1] } : null,
    legalLimitNote: t.legal ? '自受理之日起计算，依法需要听证、检验、检测、鉴定、专家评审的时间不计算在内' : '',
    promisedLimit: t.promised ? { n: t.promised[0], unit: t.promised[1] } : null,
    promisedLimitNote: instant ? '材料齐全、符合法定形式的当场办结' : '承诺时限自受理之日起按工作日计算',
    caseType: instant ? 'instant' : 'promised',
    reviewType: instant ? 'immediate' : 'review_then_approve',
    acceptanceConditions: t.conditions,
    processSteps: steps(t),
    resultName: t.result,
    resultType: t.resultType,
    resultSampleAttachmentId: t.result ? resultSampleId : null,
    feeCharged: Boolean(t.fee),
    fees: t.fee ? [t.fee] : [],
    feeBasis: t.fee?.basis ?? '',
    serviceObjects: t.objects,
    themes: { naturalPerson: t.natural ?? [], legalPerson: t.legalThemes ?? [] },
    handlingForms: t.fullyOnline ? ['2', '3'] : ['1', '2', '4'],
    bookingSupported: !t.fullyOnline,
    onlinePaymentSupported: Boolean(t.fee),
    courierSupported: !t.fullyOnline,
    online: true,
    onlineDepth: t.fullyOnline ? 'IV' : t.visitReason ? 'II' : 'III',
    visitCount: t.fullyOnline ? 0 : t.visitReason ? 1 : 0,
    visitReason: t.fullyOnline ? '' : (t.visitReason ?? ''),
    location: `${place.hall}${t.fullyOnline ? '综合受理区' : ''} ${window} 号窗口`,
    officeHours: '周一至周五（法定节假日除外）上午 9:00—12:00，下午 13:30—17:30',
    consultationMethod: `窗口咨询；电话咨询；湖北政务服务网“${t.name}”在线咨询`,
    consultationPhone: phone('c'),
    supervisionPhone: phone('s'),
    faq: `问：${t.name}可以网上办理吗？\n答：可以。登录湖北政务服务网或“鄂汇办”App，搜索“${t.name}”即可在线申请。`,
    materials: t.materials.map((m, i) => ({
      code: `M${String(i + 1).padStart(3, '0')}`,
      name: m.name,
      required: m.required ?? true,
      form: m.form ?? 'both',
      originals: m.originals ?? 0,
      copies: m.copies ?? 0,
      source: m.source ?? 'applicant',
      issuingBody: m.source === 'government' ? '相关政府部门' : '',
      note: m.note ?? '',
      fromSharing: m.fromSharing ?? false,
      blankFormAttachmentId: null,
      sampleAttachmentId: null,
    })),
    workflowKey: null,
  };
}

function basicCode(t: SeedTemplate, index: number): string {
  return `${t.itemType}${String(index + 1).padStart(3, '0')}00100`;
}

/** 实施编码: division (6) + basic code (10) + organisation number (2). */
export function seedImplementationCode(t: SeedTemplate, index: number, org: SeedOrganisation, orgIndex: number): string {
  return `${org.jurisdictionCode.slice(0, 6)}${basicCode(t, index)}${String(orgIndex + 1).padStart(2, '0')}`;
}

/** A one-page PDF used as the result sample (审批结果样本) of the demo items. */
function samplePdf(): Buffer {
  const body = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
  return Buffer.from(body, 'latin1');
}

/**
 * Demo catalog (part of `zhengwu seed`): ≥ 60 published items across 11 departments and
 * the province, Wuhan, 江岸区 and 大冶市, plus 一件事 bundles. Idempotent by implementation
 * code; every item goes through submit → approve, so the quality rules check the seed too.
 */
export async function seedCatalog(
  platform: Platform,
  deps: CatalogDeps,
  findOrganisation: (name: string) => Promise<SeedOrganisation | null>,
): Promise<{ created: number; skipped: number }> {
  const catalog: CatalogRepository = deps.catalog;
  const ctx = systemContext('seed');
  let created = 0;
  let skipped = 0;
  let sampleId: string | null = null;
  const byKey = new Map<string, Map<string, string>>(); // template key → division → item id
  for (const [index, t] of SEED_TEMPLATES.entries()) {
    for (const [orgIndex, orgName] of t.orgs.entries()) {
      const org = await findOrganisation(orgName);
      if (!org) {
        platform.logger.warn({ organisation: orgName }, 'catalog seed: organisation not found, skipped');
        skipped += 1;
        continue;
      }
      const code = seedImplementationCode(t, index, org, orgIndex);
      const existing = await catalog.getItemByCode(code);
      if (existing) {
        byKey.set(t.key, (byKey.get(t.key) ?? new Map<string, string>()).set(org.jurisdictionCode, existing.id));
        continue;
      }
      if (!sampleId) {
        const put = await platform.attachments.put(samplePdf(), { originalName: '审批结果样本.pdf', claimedType: 'application/pdf', ctx, ownerAccountId: 'system:seed' });
        sampleId = put.ok ? put.value.id : null;
      }
      const elements = seedElements(t, index, org, sampleId);
      const itemId = await platform.transactor.run(ctx, async (uow) => {
        const py = namePinyin(elements.name);
        const item = await catalog.insertItem(uow.tx, {
          implementationCode: code,
          basicCode: elements.basicCode,
          organisationId: org.id,
          organisationName: org.name,
          jurisdictionCode: org.jurisdictionCode,
          name: elements.name,
          namePinyin: py.full,
          nameInitials: py.initials,
          itemType: elements.itemType,
          exerciseLevel: elements.exerciseLevel,
          themes: [...elements.themes.naturalPerson, ...elements.themes.legalPerson],
          createdBy: 'system:seed',
        });
        const v = await catalog.insertVersion(uow.tx, { itemId: item.id, versionNo: 1, elements, form: seedForm(t), issues: checkQuality(elements), createdBy: 'system:seed' });
        await uow.audit({ action: 'catalog.create', objectType: 'service_item', objectId: item.id, detail: { seed: true, implementationCode: code } });
        const submitted = await changeItem(deps, uow, item.id, v.lockVersion, { kind: 'submit' });
        if (!submitted.ok) throw new Error(`catalog seed: ${t.name} @ ${org.name} fails the quality rules: ${JSON.stringify(submitted.fields)}`);
        const approved = await changeItem(deps, uow, item.id, submitted.value.version?.lockVersion ?? 0, { kind: 'approve', comment: '初始化数据' });
        if (!approved.ok) throw new Error(`catalog seed: ${t.name} @ ${org.name} not published: ${approved.message}`);
        return item.id;
      });
      byKey.set(t.key, (byKey.get(t.key) ?? new Map<string, string>()).set(org.jurisdictionCode, itemId));
      created += 1;
    }
  }
  for (const le of SEED_LIFE_EVENTS) {
    if (await catalog.getLifeEventByCode(le.code)) continue;
    const itemIds = le.items.map((k) => byKey.get(k)?.get(le.division)).filter((id): id is string => Boolean(id));
    if (itemIds.length !== le.items.length) continue;
    await platform.transactor.run(ctx, async (uow) => {
      const row = await catalog.insertLifeEvent(uow.tx, { code: le.code, name: le.name, description: le.description, audience: le.audience, jurisdictionCode: le.division, itemIds, createdBy: 'system:seed' });
      await uow.audit({ action: 'catalog.life_event.create', objectType: 'life_event', objectId: row.id, detail: { seed: true, code: le.code } });
    });
  }
  return { created, skipped };
}
