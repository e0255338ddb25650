/**
 * Test fixtures for the cases module (imported by tests only): a published 食品经营许可 item
 * as the catalog hands it to an application, and an item source over fixed items.
 */
import type { FormDefinition } from '../../platform/forms/index.ts';
import type { ApplicationItem, CaseItemSource } from './ports.ts';

export const FOOD_FORM: FormDefinition = {
  version: 1,
  fields: [
    { name: 'applicantName', label: '申请人姓名', type: 'text', required: true, prefill: 'applicant.name', maxLength: 50 },
    { name: 'idNumber', label: '公民身份号码', type: 'idNumber', required: true, prefill: 'applicant.idNumber' },
    { name: 'mobile', label: '联系电话', type: 'mobile', required: true, prefill: 'applicant.mobile' },
    { name: 'shopName', label: '经营者名称', type: 'text', required: true, maxLength: 100 },
    { name: 'address', label: '经营场所', type: 'address', required: true, maxLength: 200 },
    {
      name: 'scope',
      label: '经营项目',
      type: 'checkbox',
      required: true,
      options: [
        { value: 'prepackaged', label: '预包装食品销售' },
        { value: 'hotFood', label: '热食类食品制售' },
      ],
    },
  ],
};

export function foodLicenceItem(org: { id: string; name: string; jurisdictionCode: string }, overrides: Partial<ApplicationItem> = {}): ApplicationItem {
  return {
    id: overrides.id ?? `food-${org.id}`,
    version: 3,
    name: '食品经营许可',
    organisationId: org.id,
    organisationName: org.name,
    jurisdictionCode: org.jurisdictionCode,
    promisedLimit: { n: 10, unit: '1' },
    materials: [
      { code: 'M1', name: '营业执照', required: true },
      { code: 'M2', name: '经营场所平面布局图', required: true },
      { code: 'M3', name: '从业人员健康证明', required: false },
    ],
    form: FOOD_FORM,
    ...overrides,
  };
}

export function fixedItems(items: ApplicationItem[], unavailable: Record<string, string> = {}): CaseItemSource {
  return {
    itemForApplication: (id) => {
      if (unavailable[id]) return Promise.resolve({ ok: false, reason: 'unavailable', message: unavailable[id] });
      const item = items.find((i) => i.id === id);
      return Promise.resolve(item ? { ok: true, item } : { ok: false, reason: 'not_found', message: '事项不存在' });
    },
  };
}

export const FOOD_VALUES = (idNumber: string, mobile: string) => ({
  applicantName: '张三',
  idNumber,
  mobile,
  shopName: '江岸小吃店',
  address: '武汉市江岸区解放大道 1 号',
  scope: ['hotFood'],
});

/** Valid values for any form (by field type): what a careful applicant would type. */
export function fillForm(form: FormDefinition, p: { idNumber: string; mobile: string; uscc?: string; name?: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.fields) {
    switch (f.type) {
      case 'idNumber':
        out[f.name] = p.idNumber;
        break;
      case 'mobile':
        out[f.name] = p.mobile;
        break;
      case 'uscc':
        out[f.name] = p.uscc ?? '';
        break;
      case 'email':
        out[f.name] = 'applicant@example.cn';
        break;
      case 'date':
        out[f.name] = '2026-01-05';
        break;
      case 'number':
        out[f.name] = String(f.min ?? 10);
        break;
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
      default:
        out[f.name] = f.prefill === 'applicant.name' || f.prefill === 'enterprise.legalRepresentative' ? (p.name ?? '张三') : '示例内容';
    }
  }
  return out;
}
