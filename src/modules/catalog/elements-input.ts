import type { FieldError } from '../../platform/errors.ts';
import {
  EXERCISE_LEVELS,
  HANDLING_FORMS,
  IMPLEMENTER_NATURES,
  ITEM_TYPES,
  SERVICE_OBJECTS,
  emptyElements,
  type ItemElements,
  type Material,
  type MaterialForm,
  type MaterialSource,
  type ProcessStep,
  type PromisedLimitUnit,
} from './types.ts';

/**
 * Structural checks of submitted elements (types, code-table values, lengths). These refuse
 * the save; the §2.5 quality rules (quality-rules.ts) only warn on save and block publishing.
 */
type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

const TEXT_LIMITS: Partial<Record<keyof ItemElements, number>> = {
  name: 200,
  legalBasis: 5000,
  contentExercised: 1000,
  coImplementers: 500,
  legalLimitNote: 500,
  promisedLimitNote: 500,
  acceptanceConditions: 5000,
  intermediaryServices: 1000,
  quantityLimit: 500,
  specialProcedures: 1000,
  resultName: 200,
  feeBasis: 1000,
  visitReason: 500,
  location: 500,
  officeHours: 200,
  consultationMethod: 500,
  consultationPhone: 40,
  supervisionPhone: 40,
  faq: 5000,
};

const LABELS: Record<string, string> = {
  name: '事项名称',
  basicCode: '基本编码',
  itemType: '事项类型',
  legalBasis: '设定依据',
  exerciseLevel: '行使层级',
  contentExercised: '行使内容',
  implementerNature: '实施主体性质',
  coImplementers: '联办机构',
  legalLimit: '法定办结时限',
  legalLimitNote: '法定时限说明',
  promisedLimit: '承诺办结时限',
  promisedLimitNote: '承诺时限说明',
  caseType: '办件类型',
  reviewType: '审查类型',
  acceptanceConditions: '受理条件',
  processSteps: '办理流程',
  intermediaryServices: '中介服务',
  quantityLimit: '数量限制',
  specialProcedures: '特别程序',
  resultName: '审批结果名称',
  resultType: '审批结果类型',
  resultSampleAttachmentId: '审批结果样本',
  feeCharged: '是否收费',
  fees: '收费项目',
  feeBasis: '收费依据',
  serviceObjects: '服务对象',
  themes: '服务主题',
  handlingForms: '办理形式',
  bookingSupported: '支持预约',
  onlinePaymentSupported: '支持网上支付',
  courierSupported: '支持物流快递',
  online: '是否网办',
  onlineDepth: '网上办理深度',
  visitCount: '到办事现场次数',
  visitReason: '必须现场办理原因',
  location: '办理地点',
  officeHours: '办理时间',
  consultationMethod: '咨询方式',
  consultationPhone: '咨询电话',
  supervisionPhone: '监督投诉电话',
  faq: '常见问题',
  materials: '申请材料',
  workflowKey: '审批流程',
  implementationCode: '实施编码',
  form: '申请表单',
  formJson: '申请表单',
  legalLimitN: '法定办结时限',
  promisedLimitN: '承诺办结时限',
  themesNaturalPerson: '自然人主题',
  themesLegalPerson: '法人主题',
  materialsText: '申请材料',
  processStepsText: '办理流程',
  feesText: '收费项目',
};

/** Element error paths as the edit page's field names (legalLimit → legalLimitN, materials[2].name → materialsText …). */
export function pageFieldOf(field: string): string {
  if (field === 'legalLimit') return 'legalLimitN';
  if (field === 'promisedLimit') return 'promisedLimitN';
  if (field === 'themes') return 'themesNaturalPerson';
  if (field.startsWith('materials')) return 'materialsText';
  if (field.startsWith('processSteps')) return 'processStepsText';
  if (field === 'fees') return 'feesText';
  if (field.startsWith('form.')) return 'formJson';
  return field;
}
export const ELEMENT_LABELS: Readonly<Record<string, string>> = LABELS;

function str(v: unknown): string {
  return typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : typeof v === 'number' ? String(v) : '';
}

function bool(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 'on' || v === '是';
}

function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str).filter(Boolean);
  if (typeof v === 'string') return v.split(/[,，、;；\n]/).map((s) => s.trim()).filter(Boolean);
  return [];
}

function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,6}$/.test(v.trim())) return Number(v.trim());
  return null;
}

const MATERIAL_FORM_WORDS: Record<string, MaterialForm> = { paper: 'paper', electronic: 'electronic', both: 'both', 纸质: 'paper', 电子: 'electronic', 纸质和电子: 'both', 纸质或电子: 'both' };
const MATERIAL_SOURCE_WORDS: Record<string, MaterialSource> = { applicant: 'applicant', government: 'government', other: 'other', 申请人自备: 'applicant', 政府部门核发: 'government', 其他: 'other' };
const UNIT_WORDS: Record<string, PromisedLimitUnit> = { '1': '1', '2': '2', '3': '3', '4': '4', '5': '5', 工作日: '1', 个工作日: '1', 自然日: '2', 个自然日: '2', 日: '2', 天: '2', 小时: '3', 分钟: '4', 月: '5', 个月: '5' };

export function parseMaterial(raw: unknown, i: number, errors: FieldError[]): Material | null {
  const at = `materials[${i}]`;
  if (!isRecord(raw)) {
    errors.push({ field: at, message: `第 ${i + 1} 项材料格式不正确` });
    return null;
  }
  const name = str(raw.name);
  const form = MATERIAL_FORM_WORDS[str(raw.form) || 'both'];
  const source = MATERIAL_SOURCE_WORDS[str(raw.source) || 'applicant'];
  const originals = raw.originals === undefined || raw.originals === '' ? 0 : int(raw.originals);
  const copies = raw.copies === undefined || raw.copies === '' ? 0 : int(raw.copies);
  if ([...name].length > 200) errors.push({ field: `${at}.name`, message: `第 ${i + 1} 项材料名称不能超过 200 个字` });
  if (!form) errors.push({ field: `${at}.form`, message: `第 ${i + 1} 项材料的材料形式应为“纸质”“电子”或“纸质和电子”` });
  if (!source) errors.push({ field: `${at}.source`, message: `第 ${i + 1} 项材料的来源应为“申请人自备”“政府部门核发”或“其他”` });
  if (originals === null || originals > 99) errors.push({ field: `${at}.originals`, message: `第 ${i + 1} 项材料的原件份数应为 0 至 99 的整数` });
  if (copies === null || copies > 99) errors.push({ field: `${at}.copies`, message: `第 ${i + 1} 项材料的复印件份数应为 0 至 99 的整数` });
  const code = str(raw.code) || `M${String(i + 1).padStart(3, '0')}`;
  return {
    code,
    name,
    required: raw.required === undefined ? true : bool(raw.required),
    form: form ?? 'both',
    originals: originals ?? 0,
    copies: copies ?? 0,
    source: source ?? 'applicant',
    issuingBody: str(raw.issuingBody),
    note: str(raw.note),
    fromSharing: bool(raw.fromSharing),
    blankFormAttachmentId: str(raw.blankFormAttachmentId) || null,
    sampleAttachmentId: str(raw.sampleAttachmentId) || null,
  };
}

function parseLimit<U extends string>(raw: unknown, units: readonly U[], field: string, errors: FieldError[]): { n: number; unit: U } | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (!isRecord(raw)) {
    errors.push({ field, message: `${LABELS[field] ?? field}格式不正确` });
    return null;
  }
  if (raw.n === '' || raw.n === undefined || raw.n === null) return null;
  const n = int(raw.n);
  const unit = str(raw.unit) as U;
  if (n === null || n > 3650) {
    errors.push({ field, message: `${LABELS[field] ?? field}应为 0 至 3650 的整数` });
    return null;
  }
  if (!units.includes(unit)) {
    errors.push({ field, message: `请选择${LABELS[field] ?? field}的单位` });
    return null;
  }
  return { n, unit };
}

/** Checks and normalises elements from the API (JSON) or the page (after `elementsFromForm`). */
export function parseElements(raw: unknown): { value: ItemElements; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const e = emptyElements();
  if (!isRecord(raw)) return { value: e, errors: [{ field: 'elements', message: '事项要素应为一个对象' }] };
  for (const k of Object.keys(TEXT_LIMITS) as (keyof ItemElements)[]) {
    const v = str(raw[k]);
    const max = TEXT_LIMITS[k] ?? 1000;
    if ([...v].length > max) errors.push({ field: k, message: `${LABELS[k]}不能超过 ${max} 个字` });
    (e as unknown as Record<string, unknown>)[k] = v;
  }
  e.basicCode = str(raw.basicCode).toUpperCase();
  const itemType = str(raw.itemType) || e.itemType;
  if (!ITEM_TYPES[itemType]) errors.push({ field: 'itemType', message: '请选择事项类型' });
  e.itemType = itemType;
  const level = str(raw.exerciseLevel) || e.exerciseLevel;
  if (!EXERCISE_LEVELS[level]) errors.push({ field: 'exerciseLevel', message: '请选择行使层级' });
  e.exerciseLevel = level;
  const nature = str(raw.implementerNature) || e.implementerNature;
  if (!IMPLEMENTER_NATURES[nature]) errors.push({ field: 'implementerNature', message: '请选择实施主体性质' });
  e.implementerNature = nature;
  e.legalLimit = parseLimit(raw.legalLimit, ['G', 'Z'] as const, 'legalLimit', errors);
  e.promisedLimit = parseLimit(raw.promisedLimit, ['1', '2', '3', '4', '5'] as const, 'promisedLimit', errors);
  const caseType = str(raw.caseType) || e.caseType;
  if (caseType !== 'instant' && caseType !== 'promised') errors.push({ field: 'caseType', message: '办件类型应为“即办件”或“承诺件”' });
  else e.caseType = caseType;
  const reviewType = str(raw.reviewType) || e.reviewType;
  if (reviewType !== 'immediate' && reviewType !== 'review_then_approve') errors.push({ field: 'reviewType', message: '审查类型应为“即审即办”或“前审后批”' });
  else e.reviewType = reviewType;
  const resultType = str(raw.resultType);
  if (!['', 'approval', 'certificate', 'document'].includes(resultType)) errors.push({ field: 'resultType', message: '审批结果类型不在可选范围内' });
  else e.resultType = resultType as ItemElements['resultType'];
  e.resultSampleAttachmentId = str(raw.resultSampleAttachmentId) || null;
  e.feeCharged = bool(raw.feeCharged);
  e.fees = Array.isArray(raw.fees)
    ? raw.fees.filter(isRecord).map((f) => ({ name: str(f.name), standard: str(f.standard), basis: str(f.basis) })).filter((f) => f.name)
    : [];
  e.serviceObjects = strList(raw.serviceObjects);
  const badObject = e.serviceObjects.find((o) => !SERVICE_OBJECTS[o]);
  if (badObject) errors.push({ field: 'serviceObjects', message: `服务对象代码“${badObject}”不在代码表内` });
  const themes = isRecord(raw.themes) ? raw.themes : {};
  e.themes = { naturalPerson: strList(themes.naturalPerson), legalPerson: strList(themes.legalPerson) };
  e.handlingForms = strList(raw.handlingForms);
  const badForm = e.handlingForms.find((o) => !HANDLING_FORMS[o]);
  if (badForm) errors.push({ field: 'handlingForms', message: `办理形式代码“${badForm}”不在代码表内` });
  e.bookingSupported = bool(raw.bookingSupported);
  e.onlinePaymentSupported = bool(raw.onlinePaymentSupported);
  e.courierSupported = bool(raw.courierSupported);
  e.online = bool(raw.online);
  const depth = str(raw.onlineDepth);
  if (!['', 'I', 'II', 'III', 'IV'].includes(depth)) errors.push({ field: 'onlineDepth', message: '网上办理深度应为Ⅰ至Ⅳ级之一' });
  else e.onlineDepth = depth as ItemElements['onlineDepth'];
  const visits = raw.visitCount === undefined || raw.visitCount === '' ? 0 : int(raw.visitCount);
  if (visits === null || visits > 20) errors.push({ field: 'visitCount', message: '到办事现场次数应为 0 至 20 的整数' });
  else e.visitCount = visits;
  e.processSteps = [];
  if (raw.processSteps !== undefined && !Array.isArray(raw.processSteps)) errors.push({ field: 'processSteps', message: '办理流程应为环节列表' });
  else
    (raw.processSteps ?? []).forEach((s: unknown, i: number) => {
      if (!isRecord(s)) return;
      const limit = parseLimit(s.limit, ['1', '2', '3', '4', '5'] as const, `processSteps[${i}]`, errors);
      e.processSteps.push({ name: str(s.name), limit, description: str(s.description) } satisfies ProcessStep);
    });
  e.materials = [];
  if (raw.materials !== undefined && !Array.isArray(raw.materials)) errors.push({ field: 'materials', message: '申请材料应为材料列表' });
  else
    (raw.materials ?? []).forEach((m: unknown, i: number) => {
      const parsed = parseMaterial(m, i, errors);
      if (parsed) e.materials.push(parsed);
    });
  if (e.materials.length > 100) errors.push({ field: 'materials', message: '申请材料最多 100 项' });
  const workflowKey = str(raw.workflowKey);
  e.workflowKey = workflowKey || null;
  return { value: e, errors };
}

// ---- the page's flat form fields ⇄ elements ----

const split = (line: string) => line.split(/[|｜]/).map((s) => s.trim());

/** One material per line: 名称 | 必要(是/否) | 形式 | 原件 | 复印件 | 来源 | 说明 | 共享获取(是/否) */
export function materialsToLines(materials: Material[]): string {
  const forms: Record<MaterialForm, string> = { paper: '纸质', electronic: '电子', both: '纸质和电子' };
  const sources: Record<MaterialSource, string> = { applicant: '申请人自备', government: '政府部门核发', other: '其他' };
  return materials.map((m) => [m.name, m.required ? '是' : '否', forms[m.form], m.originals, m.copies, sources[m.source], m.note, m.fromSharing ? '是' : '否'].join(' | ')).join('\n');
}

export function linesToMaterials(text: string): Raw[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const [name = '', required = '是', form = '纸质和电子', originals = '0', copies = '0', source = '申请人自备', note = '', fromSharing = '否'] = split(l);
      return { code: `M${String(i + 1).padStart(3, '0')}`, name, required: required !== '否', form, originals, copies, source, note, fromSharing: fromSharing === '是' };
    });
}

/** One step per line: 环节 | 时限 | 单位(工作日/自然日/小时) | 说明 */
export function stepsToLines(steps: ProcessStep[]): string {
  const units: Record<PromisedLimitUnit, string> = { '1': '工作日', '2': '自然日', '3': '小时', '4': '分钟', '5': '月' };
  return steps.map((s) => [s.name, s.limit?.n ?? '', s.limit ? units[s.limit.unit] : '', s.description].join(' | ')).join('\n');
}

export function linesToSteps(text: string): Raw[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name = '', n = '', unit = '工作日', description = ''] = split(l);
      return { name, limit: n ? { n, unit: UNIT_WORDS[unit] ?? unit } : null, description };
    });
}

/** One fee per line: 名称 | 标准 | 依据 */
export function linesToFees(text: string): Raw[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name = '', standard = '', basis = ''] = split(l);
      return { name, standard, basis };
    });
}

/** The page's flat fields (urlencoded) turned into the element object parseElements takes. */
export function elementsFromForm(body: Record<string, unknown>): Raw {
  const out: Raw = { ...body };
  out.legalLimit = { n: body.legalLimitN, unit: body.legalLimitUnit };
  out.promisedLimit = { n: body.promisedLimitN, unit: body.promisedLimitUnit };
  out.themes = { naturalPerson: body.themesNaturalPerson, legalPerson: body.themesLegalPerson };
  out.materials = linesToMaterials(str(body.materialsText));
  out.processSteps = linesToSteps(str(body.processStepsText));
  out.fees = linesToFees(str(body.feesText));
  for (const k of ['feeCharged', 'bookingSupported', 'onlinePaymentSupported', 'courierSupported', 'online']) out[k] = bool(body[k]);
  return out;
}
