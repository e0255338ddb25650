import type { FormDefinition } from '../../platform/forms/definition.ts';

/** Legal-limit units (DOMAIN.md §1.1.4): G working days, Z calendar days. */
export type LegalLimitUnit = 'G' | 'Z';
/** Promised-limit units (TIME_UNIT): 1 working day, 2 calendar day, 3 hour, 4 minute, 5 month. */
export type PromisedLimitUnit = '1' | '2' | '3' | '4' | '5';
export type StepLimitUnit = PromisedLimitUnit;

export type CaseType = 'instant' | 'promised';
/** Q1: 即审即办 (instant) or 前审后批 (review then approve). */
export type ReviewType = 'immediate' | 'review_then_approve';
export type ResultType = 'approval' | 'certificate' | 'document' | '';
export type OnlineDepth = '' | 'I' | 'II' | 'III' | 'IV';
export type MaterialForm = 'paper' | 'electronic' | 'both';
export type MaterialSource = 'applicant' | 'government' | 'other';

export interface Material {
  code: string;
  name: string;
  required: boolean;
  form: MaterialForm;
  originals: number;
  copies: number;
  source: MaterialSource;
  issuingBody: string;
  note: string;
  /** Obtainable from data sharing / e-licences, so the applicant is not asked for it (§9.2). */
  fromSharing: boolean;
  blankFormAttachmentId: string | null;
  sampleAttachmentId: string | null;
}

export interface ProcessStep {
  name: string;
  limit: { n: number; unit: StepLimitUnit } | null;
  description: string;
}

export interface FeeItem {
  name: string;
  standard: string;
  basis: string;
}

/**
 * The GB/T 39046 element list of one implementation-item version (DOMAIN.md §2.3), as stored
 * (jsonb) and edited. Identity and authority live on the item row; everything a version may
 * change lives here.
 */
export interface ItemElements {
  name: string;
  basicCode: string;
  /** A.1 item type code, e.g. '01' 行政许可, '20' 公共服务. */
  itemType: string;
  legalBasis: string;
  /** A.2 exercise level: 1 national … 4 county, 5 township. */
  exerciseLevel: string;
  contentExercised: string;
  /** A.3 implementer nature. */
  implementerNature: string;
  coImplementers: string;
  legalLimit: { n: number; unit: LegalLimitUnit } | null;
  legalLimitNote: string;
  promisedLimit: { n: number; unit: PromisedLimitUnit } | null;
  promisedLimitNote: string;
  caseType: CaseType;
  reviewType: ReviewType;
  acceptanceConditions: string;
  processSteps: ProcessStep[];
  intermediaryServices: string;
  quantityLimit: string;
  specialProcedures: string;
  resultName: string;
  resultType: ResultType;
  resultSampleAttachmentId: string | null;
  feeCharged: boolean;
  fees: FeeItem[];
  feeBasis: string;
  /** A.4 service object codes. */
  serviceObjects: string[];
  themes: { naturalPerson: string[]; legalPerson: string[] };
  /** A.5 handling forms: 1 window, 2 online (computer), 3 online (mobile), 4 courier/post, 9 other. */
  handlingForms: string[];
  bookingSupported: boolean;
  onlinePaymentSupported: boolean;
  courierSupported: boolean;
  online: boolean;
  onlineDepth: OnlineDepth;
  visitCount: number;
  visitReason: string;
  location: string;
  officeHours: string;
  consultationMethod: string;
  consultationPhone: string;
  supervisionPhone: string;
  faq: string;
  materials: Material[];
  workflowKey: string | null;
}

export type VersionStatus = 'draft' | 'in_review' | 'published' | 'superseded' | 'withdrawn';
export type ItemStatus = 'draft' | 'published' | 'suspended' | 'cancelled';

/**
 * What the cases module needs of an item version (the version in force at submission is kept
 * by the case: running cases never change version).
 */
export interface ItemForApplication {
  versionId: string;
  implementationItemId: string;
  version: number;
  implementationCode: string;
  basicCode: string;
  name: string;
  itemType: string;
  organisationId: string;
  organisationName: string;
  divisionCode: string;
  caseType: CaseType;
  legalLimit: { n: number; unit: LegalLimitUnit } | null;
  promisedLimit: { n: number; unit: PromisedLimitUnit } | null;
  materials: { code: string; name: string; required: boolean; form: MaterialForm; originals: number; copies: number; note: string; fromSharing: boolean }[];
  form: FormDefinition;
  feeCharged: boolean;
  workflowKey: string | null;
  serviceObjects: string[];
}

export interface LifeEventForApplication {
  id: string;
  code: string;
  name: string;
  description: string;
  audience: 'person' | 'enterprise';
  items: ItemForApplication[];
  /** One form for the whole bundle: the items' fields de-duplicated by name. */
  form: FormDefinition;
}

/** Why a life event cannot be applied for online (CatalogService.lifeEventForApplication). */
export type LifeEventUnavailableReason =
  /** No such life event. */
  | 'not_found'
  /** Still a draft. */
  | 'not_published'
  | 'withdrawn'
  /** One of its items is suspended (暂停办理); `itemName` names it. */
  | 'item_suspended'
  /** One of its items is cancelled, not (yet) published or gone; `itemName` names it when known. */
  | 'item_unavailable';

export type LifeEventLookup =
  | { ok: true; lifeEvent: LifeEventForApplication }
  | { ok: false; reason: LifeEventUnavailableReason; message: string; itemName?: string };

export const ITEM_TYPES: Record<string, string> = {
  '01': '行政许可',
  '02': '行政处罚',
  '03': '行政强制',
  '04': '行政征收',
  '05': '行政给付',
  '06': '行政检查',
  '07': '行政确认',
  '08': '行政奖励',
  '09': '行政裁决',
  '10': '其他行政权力',
  '11': '行政备案',
  '20': '公共服务',
};
export const EXERCISE_LEVELS: Record<string, string> = { '1': '国家级', '2': '省级', '3': '市级', '4': '县级', '5': '乡级', '6': '村级', '7': '分级管理' };
export const IMPLEMENTER_NATURES: Record<string, string> = { '1': '法定机关', '2': '授权组织', '3': '受委托组织', '9': '其他' };
export const SERVICE_OBJECTS: Record<string, string> = { '1': '自然人', '2': '企业法人', '3': '事业单位法人', '4': '社会组织法人', '5': '行政机关', '6': '其他组织' };
export const HANDLING_FORMS: Record<string, string> = { '1': '窗口办理', '2': '网上办理', '3': '移动端办理', '4': '快递申请', '9': '其他' };
export const LEGAL_UNITS: Record<LegalLimitUnit, string> = { G: '个工作日', Z: '个自然日' };
export const PROMISED_UNITS: Record<PromisedLimitUnit, string> = { '1': '个工作日', '2': '个自然日', '3': '小时', '4': '分钟', '5': '个月' };
export const RESULT_TYPES: Record<Exclude<ResultType, ''>, string> = { approval: '审批办结', certificate: '出证办结', document: '出文办结' };
export const MATERIAL_FORMS: Record<MaterialForm, string> = { paper: '纸质', electronic: '电子', both: '纸质和电子' };
export const MATERIAL_SOURCES: Record<MaterialSource, string> = { applicant: '申请人自备', government: '政府部门核发', other: '其他' };
export const NATURAL_PERSON_THEMES = ['生育收养', '户籍办理', '民族宗教', '教育科研', '就业创业', '社会保障', '医疗卫生', '住房保障', '交通出行', '婚姻登记', '养老服务', '证件办理', '职业资格', '公共安全'];
export const LEGAL_PERSON_THEMES = ['设立变更', '准营准办', '资质认证', '年检年审', '税收财务', '人力资源', '社会保障', '投资审批', '建设工程', '环境保护', '交通运输', '医疗卫生', '食品药品', '安全生产', '注销清算'];
export const VERSION_STATUS_LABEL: Record<VersionStatus, string> = { draft: '草稿', in_review: '待审核', published: '已发布', superseded: '已被新版本替代', withdrawn: '已撤回' };
export const ITEM_STATUS_LABEL: Record<ItemStatus, string> = { draft: '未发布', published: '已发布', suspended: '已暂停', cancelled: '已取消' };

/** An empty element set (the "new item" form). */
export function emptyElements(): ItemElements {
  return {
    name: '',
    basicCode: '',
    itemType: '01',
    legalBasis: '',
    exerciseLevel: '4',
    contentExercised: '',
    implementerNature: '1',
    coImplementers: '',
    legalLimit: null,
    legalLimitNote: '',
    promisedLimit: null,
    promisedLimitNote: '',
    caseType: 'promised',
    reviewType: 'review_then_approve',
    acceptanceConditions: '',
    processSteps: [],
    intermediaryServices: '无',
    quantityLimit: '无数量限制',
    specialProcedures: '无',
    resultName: '',
    resultType: '',
    resultSampleAttachmentId: null,
    feeCharged: false,
    fees: [],
    feeBasis: '',
    serviceObjects: [],
    themes: { naturalPerson: [], legalPerson: [] },
    handlingForms: ['1', '2'],
    bookingSupported: false,
    onlinePaymentSupported: false,
    courierSupported: false,
    online: true,
    onlineDepth: 'III',
    visitCount: 1,
    visitReason: '',
    location: '',
    officeHours: '',
    consultationMethod: '',
    consultationPhone: '',
    supervisionPhone: '',
    faq: '',
    materials: [],
    workflowKey: null,
  };
}
