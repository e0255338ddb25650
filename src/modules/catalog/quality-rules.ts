import type { ItemElements, LegalLimitUnit, PromisedLimitUnit } from './types.ts';

/** One finding of the §2.5 quality rules (or a missing required element, rule 'R'). */
export interface QualityIssue {
  rule: 'R' | 'Q1' | 'Q2' | 'Q3' | 'Q4' | 'Q5' | 'Q6' | 'Q7' | 'Q8' | 'Q9' | 'Q10';
  /** The element (form field name) the finding is about. */
  field: string;
  message: string;
}

/** Fixed-line phone with area code: 027-87654321, 0714-8765432, (027)87654321. */
const PHONE_WITH_AREA = /^(?:0\d{2,3}-?\d{7,8}|\(0\d{2,3}\)\d{7,8}|（0\d{2,3}）\d{7,8})(?:-\d{1,6})?$/;

/**
 * Limits in working-day equivalents, to compare limits in different units (Q8, Q10). A
 * calendar day counts 5/7 of a working day, a month 30 calendar days (§1.1.3), an hour 1/8
 * of a working day. Approximate on purpose: Q10 is a plausibility check, not a deadline.
 */
export function workingDayEquivalent(limit: { n: number; unit: LegalLimitUnit | PromisedLimitUnit }): number {
  switch (limit.unit) {
    case 'G':
    case '1':
      return limit.n;
    case 'Z':
    case '2':
      return (limit.n * 5) / 7;
    case '3':
      return limit.n / 8;
    case '4':
      return limit.n / 480;
    case '5':
      return (limit.n * 30 * 5) / 7;
  }
}

const isInstantLimit = (e: ItemElements) => !e.promisedLimit || e.promisedLimit.n === 0;
const LEGAL_PERSON_OBJECTS = new Set(['2', '3', '4', '5', '6']);
/** Items that by nature have no acceptance conditions or materials (§2.3): penalty, coercion, inspection. */
const NO_MATERIALS = new Set(['02', '03', '06']);

/**
 * The quality rules of DOMAIN.md §2.5 [practice, Zhejiang item checks]. They run on every
 * save (shown as warnings) and block submitting for review and publishing. Each message is
 * Chinese and names the element to fix.
 */
export function checkQuality(e: ItemElements): QualityIssue[] {
  const issues: QualityIssue[] = [];
  const add = (rule: QualityIssue['rule'], field: string, message: string) => issues.push({ rule, field, message });

  // R: the elements a service guide cannot do without.
  if (!e.name.trim()) add('R', 'name', '请填写事项名称');
  if (!/^[0-9A-Z]{1,10}$/.test(e.basicCode)) add('R', 'basicCode', '基本编码应为 1 至 10 位数字或大写字母');
  if (!e.legalBasis.trim()) add('R', 'legalBasis', '请填写设定依据（法律法规名称及条款）');
  if (e.serviceObjects.length === 0) add('R', 'serviceObjects', '请至少选择一个服务对象');
  if (!NO_MATERIALS.has(e.itemType)) {
    if (!e.acceptanceConditions.trim()) add('R', 'acceptanceConditions', '请填写受理条件');
    if (e.materials.length === 0) add('R', 'materials', '请至少列出一项申请材料');
  }
  e.materials.forEach((m, i) => {
    if (!m.name.trim()) add('R', `materials[${i}].name`, `第 ${i + 1} 项材料缺少名称`);
  });
  if (e.itemType === '01' && !e.legalLimit) add('R', 'legalLimit', '行政许可事项须填写法定办结时限（《行政许可法》第四十二条）');

  // Q1: instant ⇔ 即办件 and 即审即办.
  if (isInstantLimit(e)) {
    if (e.caseType !== 'instant') add('Q1', 'caseType', '承诺时限为即时办结的事项，办件类型应为“即办件”');
    if (e.reviewType !== 'immediate') add('Q1', 'reviewType', '即办件的审查类型应为“即审即办”');
  } else {
    if (e.caseType !== 'promised') add('Q1', 'caseType', '有承诺办结时限的事项，办件类型应为“承诺件”');
    if (e.reviewType !== 'review_then_approve') add('Q1', 'reviewType', '承诺件的审查类型应为“前审后批”');
  }

  // Q2: result name ⇒ result type by its wording, and a result sample.
  const result = e.resultName.trim();
  if (result) {
    const expected = /批复|批文/.test(result) ? 'approval' : /(证|证书)$/.test(result) ? 'certificate' : /文$/.test(result) ? 'document' : null;
    if (!e.resultType) add('Q2', 'resultType', '填写了审批结果名称，请选择审批结果类型');
    else if (expected && expected !== e.resultType) {
      const label = { approval: '审批办结', certificate: '出证办结', document: '出文办结' }[expected];
      add('Q2', 'resultType', `审批结果“${result}”的结果类型应为“${label}”`);
    }
    if (!e.resultSampleAttachmentId) add('Q2', 'resultSampleAttachmentId', '填写了审批结果名称，请上传审批结果样本');
  }

  // Q3: visits.
  if (!Number.isInteger(e.visitCount) || e.visitCount < 0) add('Q3', 'visitCount', '到办事现场次数应为 0 或正整数');
  else if (e.visitCount > 0 && !e.visitReason.trim()) add('Q3', 'visitReason', '到办事现场次数大于 0，请说明必须到现场的原因');
  else if (e.visitCount === 0 && !e.online && !e.handlingForms.includes('4')) add('Q3', 'handlingForms', '零跑动且不能网上办理的事项，办理形式须包含“快递申请”');

  // Q4: fully online ⇒ zero visits.
  if (e.onlineDepth === 'IV' && e.visitCount !== 0) add('Q4', 'visitCount', '网上办理深度为“全程网办（Ⅳ级）”的事项，到办事现场次数应为 0');

  // Q5: phones.
  const cp = e.consultationPhone.trim();
  const sp = e.supervisionPhone.trim();
  if (!cp) add('Q5', 'consultationPhone', '请填写咨询电话');
  else if (!PHONE_WITH_AREA.test(cp)) add('Q5', 'consultationPhone', '咨询电话应带区号，如 027-82345678');
  if (!sp) add('Q5', 'supervisionPhone', '请填写监督投诉电话');
  else if (!PHONE_WITH_AREA.test(sp)) add('Q5', 'supervisionPhone', '监督投诉电话应带区号，如 027-82345678');
  if (cp && sp && cp.replace(/\D/g, '') === sp.replace(/\D/g, '')) add('Q5', 'supervisionPhone', '监督投诉电话不能与咨询电话相同');

  // Q6: place and hours.
  if (!e.location.trim()) add('Q6', 'location', '请填写办理地点');
  else if (!/(窗口|室|号|柜台|厅\d|区\d)/.test(e.location)) add('Q6', 'location', '办理地点应精确到窗口或房间号');
  if (!e.officeHours.trim()) add('Q6', 'officeHours', '请填写办理时间');
  else if (!/(工作日|周一|星期一|法定节假日)/.test(e.officeHours)) add('Q6', 'officeHours', '办理时间应写明工作日（如“周一至周五（法定节假日除外）”）');

  // Q7: objects and themes.
  const legal = e.serviceObjects.some((o) => LEGAL_PERSON_OBJECTS.has(o));
  const natural = e.serviceObjects.includes('1');
  if (legal && !natural) {
    if (e.themes.legalPerson.length === 0) add('Q7', 'themes', '服务对象为法人的事项，请选择法人主题');
    if (e.themes.naturalPerson.length > 0) add('Q7', 'themes', '服务对象仅为法人的事项，不应选择自然人主题');
  } else if (natural && !legal) {
    if (e.themes.naturalPerson.length === 0) add('Q7', 'themes', '服务对象为自然人的事项，请选择自然人主题');
    if (e.themes.legalPerson.length > 0) add('Q7', 'themes', '服务对象仅为自然人的事项，不应选择法人主题');
  } else if (natural && legal && e.themes.naturalPerson.length + e.themes.legalPerson.length === 0) {
    add('Q7', 'themes', '请至少选择一个服务主题');
  }

  // Q8: licensing items describe the process as steps whose limits fit in the promised limit.
  if (e.itemType === '01') {
    if (e.processSteps.length < 2) add('Q8', 'processSteps', '行政许可事项应按环节描述办理流程（受理、审查、决定、办结等），至少两个环节');
    else {
      const missing = e.processSteps.findIndex((s) => !s.name.trim() || !s.limit);
      if (missing >= 0) add('Q8', 'processSteps', `办理流程第 ${missing + 1} 个环节缺少名称或环节时限`);
      else if (e.promisedLimit && e.promisedLimit.n > 0) {
        const sum = e.processSteps.reduce((acc, s) => acc + (s.limit ? workingDayEquivalent(s.limit) : 0), 0);
        if (sum > workingDayEquivalent(e.promisedLimit) + 1e-9) add('Q8', 'processSteps', `各环节时限之和（约 ${Math.round(sum * 10) / 10} 个工作日）超过了承诺办结时限`);
      }
    }
  }

  // Q9: no fee ⇒ no online payment.
  if (!e.feeCharged && e.onlinePaymentSupported) add('Q9', 'onlinePaymentSupported', '不收费的事项不应支持网上支付');
  if (e.feeCharged && e.fees.length === 0 && !e.feeBasis.trim()) add('Q9', 'feeBasis', '收费事项请填写收费项目或收费依据');

  // Q10: promised ≤ legal.
  if (e.legalLimit && e.promisedLimit && workingDayEquivalent(e.promisedLimit) > workingDayEquivalent(e.legalLimit) + 1e-9) {
    add('Q10', 'promisedLimit', '承诺办结时限不能超过法定办结时限（已按单位换算）');
  }
  return issues;
}
