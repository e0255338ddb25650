import { buildStaff } from '../../../test/support/test-auth.ts';
import { emptyElements, type ItemElements } from './types.ts';

/** Test fixtures shared by the catalog's integration tests. */

/** The 江岸区 market-supervision bureau, and a clerk and head of it. */
export const jiangan = { organisationId: 'org-ja-scj', organisationName: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102' };
export const jianganClerk = buildStaff({ ...jiangan, roles: ['clerk'] });
export const jianganHead = buildStaff({ ...jiangan, roles: ['org_head'] });

/** Elements that pass every quality rule (a licensing item with steps inside the promised limit). */
export function goodElements(name: string, basicCode = '0199900100'): ItemElements {
  return {
    ...emptyElements(),
    name,
    basicCode,
    itemType: '01',
    legalBasis: '《中华人民共和国行政许可法》第十二条',
    legalLimit: { n: 20, unit: 'G' },
    promisedLimit: { n: 5, unit: '1' },
    caseType: 'promised',
    reviewType: 'review_then_approve',
    acceptanceConditions: '具备相应条件',
    processSteps: [
      { name: '受理', limit: { n: 1, unit: '1' }, description: '' },
      { name: '审查', limit: { n: 2, unit: '1' }, description: '' },
      { name: '决定', limit: { n: 1, unit: '1' }, description: '' },
      { name: '办结', limit: { n: 1, unit: '1' }, description: '' },
    ],
    serviceObjects: ['2'],
    themes: { naturalPerson: [], legalPerson: ['准营准办'] },
    handlingForms: ['1', '2'],
    online: true,
    onlineDepth: 'III',
    visitCount: 0,
    location: '江岸区政务服务中心二楼 12 号窗口',
    officeHours: '周一至周五（法定节假日除外）9:00—17:00',
    consultationPhone: '027-82830001',
    supervisionPhone: '027-82830002',
    materials: [{ code: 'M001', name: '申请书', required: true, form: 'both', originals: 1, copies: 0, source: 'applicant', issuingBody: '', note: '', fromSharing: false, blankFormAttachmentId: null, sampleAttachmentId: null }],
  };
}
