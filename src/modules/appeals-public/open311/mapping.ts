import { APPEAL_TYPE_LABEL, STATE_LABEL, publicStatus, type AppealType, type appealPublicQueries } from '../../appeals/index.ts';
import { maskPersonalText } from '../masking.ts';
import { isoShanghai, type XmlObject } from './format.ts';

type PublicTicketRow = appealPublicQueries.PublicTicketRow;
type ServiceCategory = appealPublicQueries.ServiceCategory;

/** Tickets without a catalogue category (the dispatcher classifies them) are service `other`. */
export const OTHER_SERVICE: ServiceCategory = { code: 'other', name: '其他事项', groupName: '其他' };
/** Types a client may file through Open311 (petitions 信访 need real-name sign-in on our own pages). */
export const OPEN311_TYPES: AppealType[] = ['complaint', 'help', 'consultation', 'report', 'suggestion', 'praise'];

/** GET services: one service per leaf of the dispatch catalogue (派单目录), plus `other`. */
export function presentService(c: ServiceCategory): XmlObject {
  return {
    service_code: c.code,
    service_name: c.name,
    description: `${c.groupName ? `${c.groupName} · ` : ''}${c.name}：可提交投诉、求助、咨询、建议、举报或表扬，由 12345 热线派单至承办单位办理`,
    metadata: true,
    type: 'realtime',
    keywords: [c.name, c.groupName ?? '', '12345'].filter(Boolean).join(','),
    group: c.groupName,
  };
}

/** GET services/{code}: the attributes that carry our one-form fields Open311 lacks. */
export function presentDefinition(code: string, divisions: { code: string; name: string }[]): XmlObject {
  return {
    service_code: code,
    attributes: [
      {
        variable: true,
        code: 'type',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '诉求类型，不填按投诉处理',
        order: 1,
        description: '诉求类型',
        values: OPEN311_TYPES.map((t) => ({ key: t, name: APPEAL_TYPE_LABEL[t] })),
      },
      {
        variable: true,
        code: 'division_code',
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: '事发地所在县级行政区划代码（GB/T 2260，6 位；也可用 address_id 传 6 或 9 位代码）',
        order: 2,
        description: '事发地行政区划',
        values: divisions.map((d) => ({ key: d.code, name: d.name })),
      },
      { variable: true, code: 'title', datatype: 'string', required: false, datatype_description: '4–60 个字，不填取描述的前 30 个字', order: 3, description: '标题', values: [] },
      {
        variable: true,
        code: 'anonymous',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '仅举报可匿名；匿名时举报人身份对承办单位和公众均保密',
        order: 4,
        description: '匿名举报',
        values: [
          { key: 'false', name: '实名' },
          { key: 'true', name: '匿名' },
        ],
      },
      {
        variable: true,
        code: 'consent_publish',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '同意后，办结答复可在政民互动信箱公开（个人信息隐去）',
        order: 5,
        description: '同意公开',
        values: [
          { key: 'false', name: '不同意公开' },
          { key: 'true', name: '同意公开' },
        ],
      },
    ],
  };
}

/**
 * A ticket as a GeoReport request. Never the reporter: no name, phone, account or caller number.
 * The text and the exact place only when the citizen consented to publication and is not anonymous;
 * otherwise only the service, the division (address_id), the state and the handling unit.
 */
export function presentRequest(t: PublicTicketRow): XmlObject {
  const open = publicStatus(t.state) === 'open';
  const shareText = t.consentPublish && !t.anonymous;
  const notes = [STATE_LABEL[t.state]];
  if (t.leadOrgName) notes.push(`承办单位：${t.leadOrgName}`);
  if (!open && shareText && t.finalReply) notes.push(`答复：${maskPersonalText(t.finalReply)}`);
  return {
    service_request_id: t.number,
    status: open ? 'open' : 'closed',
    status_notes: notes.join('；'),
    service_name: t.categoryName ?? OTHER_SERVICE.name,
    service_code: t.categoryCode ?? OTHER_SERVICE.code,
    description: shareText ? maskPersonalText(t.description).slice(0, 4000) : null,
    agency_responsible: t.leadOrgName,
    service_notice: null,
    requested_datetime: isoShanghai(t.createdAt),
    updated_datetime: isoShanghai(t.closedAt ?? t.updatedAt),
    expected_datetime: open ? isoShanghai(t.handleDueAt ?? t.dueAt) : null,
    address: shareText && t.address ? t.address : null,
    address_id: t.divisionCode,
    zipcode: null,
    lat: shareText ? t.lat : null,
    long: shareText ? t.lon : null,
    media_url: null,
  };
}
