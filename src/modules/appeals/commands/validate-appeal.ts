import type { Actor } from '../../../platform/auth/actor.ts';
import type { FieldError } from '../../../platform/errors.ts';
import type { Channel } from '../ticket.repository.ts';
import { URGENCY_LABEL, type Urgency } from '../deadlines.ts';
import { APPEAL_TYPES, type AppealType } from '../ticket-machine.ts';

/** Raw fields from the web form, the hotline screen or the API (all optional, all unknown). */
export interface AppealInput {
  type?: unknown;
  title?: unknown;
  description?: unknown;
  categoryCode?: unknown;
  divisionCode?: unknown;
  address?: unknown;
  lon?: unknown;
  lat?: unknown;
  contactName?: unknown;
  contactPhone?: unknown;
  callerNumber?: unknown;
  consentPublish?: unknown;
  anonymous?: unknown;
  urgency?: unknown;
  attachmentIds?: unknown;
  idempotencyKey?: unknown;
}

export interface AppealValues {
  type: AppealType;
  title: string;
  description: string;
  categoryCode: string | null;
  divisionCode: string;
  address: string;
  lon: number | null;
  lat: number | null;
  contactName: string;
  contactPhone: string;
  callerNumber: string | null;
  consentPublish: boolean;
  anonymous: boolean;
  urgency: Urgency;
  attachmentIds: string[];
  idempotencyKey: string | null;
}

export const LIMITS = { titleMin: 4, titleMax: 60, descriptionMin: 10, descriptionMax: 3000, addressMax: 200, attachmentsMax: 5 };
/** Hubei's bounding box (WGS-84): about 108.3°–116.2° E, 29.0°–33.3° N. */
export const HUBEI_BOX = { lonMin: 108.3, lonMax: 116.2, latMin: 29.0, latMax: 33.3 };

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
const str = (v: unknown): string => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : typeof v === 'number' ? String(v) : '');
const bool = (v: unknown): boolean => v === true || v === 'on' || v === 'true' || v === '1' || v === 'yes';
const len = (s: string) => [...s].length;

/** Checks the fields every channel shares; Chinese reasons per field. Lookups (division, category) are the command's. */
export function validateAppealInput(raw: AppealInput, channel: Channel, actor: Actor): { value: AppealValues; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const type = str(raw.type) as AppealType;
  if (!APPEAL_TYPES.includes(type)) add('type', '请选择诉求类型');
  const title = str(raw.title);
  if (!title) add('title', '请填写标题');
  else if (len(title) < LIMITS.titleMin) add('title', `标题至少 ${LIMITS.titleMin} 个字`);
  else if (len(title) > LIMITS.titleMax) add('title', `标题不能超过 ${LIMITS.titleMax} 个字`);
  const description = str(raw.description);
  if (!description) add('description', '请填写诉求内容');
  else if (len(description) < LIMITS.descriptionMin) add('description', `诉求内容至少 ${LIMITS.descriptionMin} 个字，请把时间、地点和事情经过写清楚`);
  else if (len(description) > LIMITS.descriptionMax) add('description', `诉求内容不能超过 ${LIMITS.descriptionMax} 个字（现为 ${len(description)} 个字）`);
  const categoryCode = str(raw.categoryCode) || null;
  const divisionCode = str(raw.divisionCode);
  if (!divisionCode) add('divisionCode', '请选择事发地所在的行政区划');
  else if (!/^\d{6}(\d{3})?$/.test(divisionCode)) add('divisionCode', '行政区划代码应为 6 位或 9 位数字');
  else if (!divisionCode.startsWith('42')) add('divisionCode', '本平台只受理湖北省内的诉求');
  const address = str(raw.address);
  if (len(address) > LIMITS.addressMax) add('address', `地址不能超过 ${LIMITS.addressMax} 个字`);
  const lonText = str(raw.lon);
  const latText = str(raw.lat);
  let lon: number | null = null;
  let lat: number | null = null;
  if (lonText || latText) {
    lon = Number(lonText);
    lat = Number(latText);
    if (!lonText || !latText || !Number.isFinite(lon) || !Number.isFinite(lat)) add('lon', '经纬度须同时填写，且为数字');
    else if (lon < HUBEI_BOX.lonMin || lon > HUBEI_BOX.lonMax || lat < HUBEI_BOX.latMin || lat > HUBEI_BOX.latMax) add('lon', '坐标不在湖北省范围内，请核对经纬度');
  }
  const anonymous = bool(raw.anonymous);
  if (anonymous && type !== 'report') add('anonymous', '只有举报可以匿名提出');
  let contactName = str(raw.contactName);
  if (!contactName && (actor.kind === 'citizen' || actor.kind === 'enterprise') && !anonymous) contactName = actor.displayName;
  const contactPhone = str(raw.contactPhone).replace(/\s/g, '');
  if (!anonymous) {
    if (!contactName) add('contactName', '请填写联系人姓名');
    else if (len(contactName) > 30) add('contactName', '联系人姓名不能超过 30 个字');
    if (!contactPhone) add('contactPhone', '请填写联系电话，便于承办单位联系您和回访');
  }
  if (contactPhone && !MOBILE.test(contactPhone) && !LANDLINE.test(contactPhone)) add('contactPhone', '联系电话格式不正确（手机号 11 位，固话如 027-12345678）');
  if (type === 'petition' && anonymous) add('anonymous', '信访事项须实名提出');
  if (type === 'petition' && channel !== 'hotline' && actor.kind !== 'citizen' && actor.kind !== 'enterprise') add('type', '网上信访须先登录（实名）');
  let callerNumber: string | null = null;
  if (channel === 'hotline') {
    callerNumber = str(raw.callerNumber).replace(/[\s-]/g, '');
    if (!callerNumber) add('callerNumber', '请填写来电号码');
    else if (!/^\+?\d{5,15}$/.test(callerNumber)) add('callerNumber', '来电号码应为 5–15 位数字');
  }
  const urgencyText = str(raw.urgency) || 'normal';
  const urgency = (Object.keys(URGENCY_LABEL).includes(urgencyText) ? urgencyText : 'normal') as Urgency;
  const ids = Array.isArray(raw.attachmentIds) ? raw.attachmentIds.map(str).filter(Boolean) : str(raw.attachmentIds) ? str(raw.attachmentIds).split(',').map((s) => s.trim()) : [];
  if (ids.length > LIMITS.attachmentsMax) add('attachmentIds', `附件最多 ${LIMITS.attachmentsMax} 个`);
  const key = str(raw.idempotencyKey);
  if (key.length > 100) add('idempotencyKey', '幂等键不能超过 100 个字符');
  return {
    value: {
      type,
      title,
      description,
      categoryCode,
      divisionCode,
      address,
      lon,
      lat,
      contactName: anonymous ? contactName : contactName,
      contactPhone,
      callerNumber,
      consentPublish: bool(raw.consentPublish) && !anonymous,
      anonymous,
      urgency,
      attachmentIds: ids,
      idempotencyKey: key || null,
    },
    errors,
  };
}
