import { actorId } from '../../../platform/auth/actor.ts';
import { formatCivilDate, parseCivilDate, yearOf } from '../../../platform/calendar/index.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { CHANNELS, DELIVERY_LABEL, FORM_LABEL, type Channel, type Delivery, type PreferredForm, initialFacts, needsReceiptConfirmation, replyDueOn } from '../domain/request-machine.ts';
import { PERMISSIONS } from '../policies.ts';
import type { RequestRow } from '../request.repository.ts';
import type { CommandDeps, OrganisationInfo } from './deps.ts';

/** The organisation a requester addresses, looked up before the transaction opens. */
export async function resolveAddressee(deps: CommandDeps, input: SubmitInput): Promise<OrganisationInfo | null> {
  const id = typeof input.organisationId === 'string' ? input.organisationId.trim() : '';
  return id && id.length <= 100 ? deps.ext.findOrganisation(id) : null;
}

export type SubmitRefusal = 'forbidden' | 'invalid' | 'not_found';

export interface SubmitInput {
  organisationId?: unknown;
  description?: unknown;
  documentNumber?: unknown;
  purpose?: unknown;
  preferredForm?: unknown;
  delivery?: unknown;
  contactPhone?: unknown;
  contactEmail?: unknown;
  contactAddress?: unknown;
  legalCategory?: unknown;
  idempotencyKey?: unknown;
  // staff registration of paper, letter and fax requests only:
  channel?: unknown;
  receivedOn?: unknown;
  requesterKind?: unknown;
  requesterName?: unknown;
  requesterIdNumber?: unknown;
}

const LEGAL_CATEGORIES = ['commercial', 'research', 'social_welfare', 'legal_service', 'other'] as const;
const EMAIL = /^[^\s@<>,;"()[\]\\]+@[^\s@<>,;"()[\]\\]+\.[^\s@<>,;"()[\]\\]+$/;
const PHONE = /^(\+?\d[\d-]{4,18}\d)$/;

const str = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '');
const len = (s: string) => [...s].length;

/**
 * 条例 Art. 29: a written request names the requester, identity proof and contact, describes the
 * information, and states the preferred form and delivery. Online, the identity comes from the
 * signed-in account; staff register paper, letter and fax requests for their own organisation.
 * A retried submission with the same idempotency key returns the first request.
 */
export async function submitRequest(
  deps: CommandDeps,
  uow: UnitOfWork,
  input: SubmitInput,
  /** The addressed organisation, looked up by the caller before the transaction (resolveAddressee). */
  addressee: OrganisationInfo | null,
): Promise<Result<{ request: RequestRow; replayed: boolean }, SubmitRefusal>> {
  const actor = uow.ctx.actor;
  const byStaff = actor.kind === 'staff';
  if (byStaff && !deps.permissions.has(actor, PERMISSIONS.handle)) return refuse('forbidden', '您当前的岗位不能登记政府信息公开申请');
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise' && actor.kind !== 'staff') return refuse('forbidden', '请先登录后再提出申请');
  const createdBy = actorId(actor) ?? 'unknown';
  const idempotencyKey = str(input.idempotencyKey).slice(0, 100) || null;
  if (idempotencyKey) {
    const existing = await deps.requests.getByIdempotencyKey(createdBy, idempotencyKey, uow.tx);
    if (existing) return ok({ request: existing, replayed: true });
  }

  const errors: FieldError[] = [];
  const today = deps.today();
  const description = str(input.description);
  const documentNumber = str(input.documentNumber) || null;
  const purpose = str(input.purpose) || null;
  const preferredForm = str(input.preferredForm) as PreferredForm;
  const delivery = str(input.delivery) as Delivery;
  const contactPhone = str(input.contactPhone).replace(/\s/g, '') || null;
  const contactEmail = str(input.contactEmail) || null;
  const contactAddress = str(input.contactAddress) || null;

  let organisation = byStaff ? { id: actor.position.organisationId, name: actor.position.organisationName, jurisdictionCode: actor.position.jurisdictionCode } : null;
  if (!byStaff) {
    const orgId = str(input.organisationId);
    if (!orgId) errors.push({ field: 'organisationId', message: '请选择受理申请的机关' });
    else {
      organisation = addressee && addressee.id === orgId ? addressee : null;
      if (!organisation) errors.push({ field: 'organisationId', message: '所选机关不存在，请重新选择' });
    }
  }
  if (!description) errors.push({ field: 'description', message: '请描述所需政府信息（名称、文号或便于查询的其他特征）' });
  else if (len(description) > 5000) errors.push({ field: 'description', message: '所需信息描述不能超过 5000 个字' });
  if (documentNumber && len(documentNumber) > 100) errors.push({ field: 'documentNumber', message: '文号不能超过 100 个字' });
  if (purpose && len(purpose) > 500) errors.push({ field: 'purpose', message: '用途说明不能超过 500 个字' });
  if (!(preferredForm in FORM_LABEL)) errors.push({ field: 'preferredForm', message: '请选择获取信息的形式（纸质或电子）' });
  if (!(delivery in DELIVERY_LABEL)) errors.push({ field: 'delivery', message: '请选择获取信息的方式' });
  if (contactPhone && !PHONE.test(contactPhone)) errors.push({ field: 'contactPhone', message: '联系电话格式不正确' });
  if (contactEmail && (!EMAIL.test(contactEmail) || contactEmail.length > 200)) errors.push({ field: 'contactEmail', message: '电子邮箱格式不正确' });
  if (!contactPhone && !contactEmail && !contactAddress) errors.push({ field: 'contactPhone', message: '请至少填写一种联系方式' });
  if (delivery === 'email' && !contactEmail) errors.push({ field: 'contactEmail', message: '选择电子邮件方式的，请填写电子邮箱' });
  if (delivery === 'post' && !contactAddress) errors.push({ field: 'contactAddress', message: '选择邮寄方式的，请填写通信地址' });
  if (contactAddress && len(contactAddress) > 200) errors.push({ field: 'contactAddress', message: '通信地址不能超过 200 个字' });

  let channel: Channel = 'online';
  let receivedOn = formatCivilDate(today);
  let requesterKind: 'natural' | 'legal' = actor.kind === 'enterprise' ? 'legal' : 'natural';
  let requesterName = actor.kind === 'staff' ? '' : actor.displayName;
  let requesterIdNumber: string | null = actor.kind === 'enterprise' ? actor.uscc : null;
  if (byStaff) {
    channel = str(input.channel) as Channel;
    if (!CHANNELS.includes(channel) || channel === 'online') errors.push({ field: 'channel', message: '请选择申请的提交方式（当面、邮寄或传真）' });
    const received = str(input.receivedOn);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(received)) errors.push({ field: 'receivedOn', message: '请填写收到申请的日期' });
    else if (parseCivilDate(received) > today) errors.push({ field: 'receivedOn', message: '收到申请的日期不能晚于今天' });
    else receivedOn = received;
    requesterKind = str(input.requesterKind) === 'legal' ? 'legal' : 'natural';
    requesterName = str(input.requesterName);
    if (!requesterName) errors.push({ field: 'requesterName', message: '请填写申请人姓名或名称' });
    else if (len(requesterName) > 100) errors.push({ field: 'requesterName', message: '申请人姓名或名称不能超过 100 个字' });
    requesterIdNumber = str(input.requesterIdNumber) || null;
    if (requesterIdNumber && len(requesterIdNumber) > 40) errors.push({ field: 'requesterIdNumber', message: '证件号码不能超过 40 个字符' });
  }
  let legalCategory: string | null = null;
  if (requesterKind === 'legal') {
    const c = str(input.legalCategory) || 'commercial';
    if (!(LEGAL_CATEGORIES as readonly string[]).includes(c)) errors.push({ field: 'legalCategory', message: '请选择法人或其他组织的类别' });
    legalCategory = c;
  }
  if (errors.length > 0 || !organisation) return refuse('invalid', '请修改标记的内容', errors);

  const year = yearOf(parseCivilDate(receivedOn));
  const seq = await deps.requests.nextSequence(uow.tx, organisation.jurisdictionCode, year);
  const requestNo = `${organisation.jurisdictionCode}-${year}-${String(seq).padStart(5, '0')}`;
  const facts = initialFacts(channel, receivedOn);
  const calendar = await deps.calendar(organisation.jurisdictionCode, uow.tx);
  const inserted = await deps.requests.insert(uow.tx, {
    ...facts,
    requestNo,
    organisationId: organisation.id,
    organisationName: organisation.name,
    jurisdictionCode: organisation.jurisdictionCode,
    requesterKind,
    legalCategory,
    requesterAccountId: byStaff ? null : (actorId(actor) ?? null),
    requesterName,
    requesterIdNumber,
    contactPhone,
    contactEmail,
    contactAddress,
    description,
    documentNumber,
    purpose,
    preferredForm,
    delivery,
    replyDueOn: replyDueOn(facts, calendar),
    createdBy,
    idempotencyKey,
  });
  if (!inserted) {
    // A concurrent retry with the same key committed first.
    const existing = idempotencyKey ? await deps.requests.getByIdempotencyKey(createdBy, idempotencyKey, uow.tx) : null;
    if (existing) return ok({ request: existing, replayed: true });
    return refuse('invalid', '申请未能保存，请重试');
  }
  const confirm = needsReceiptConfirmation(channel);
  await deps.requests.addEvent(uow.tx, inserted.id, {
    kind: 'submit',
    text: byStaff ? `登记申请（${requestNo}），收到日期${receivedOn}` : `提交申请（${requestNo}）${confirm ? '，待政府信息公开工作机构确认收到' : ''}`,
    actorName: actor.kind === 'staff' ? actor.displayName : requesterName,
    public: true,
  });
  await uow.audit({ action: 'disclosure_request.submit', objectType: 'disclosure_request', objectId: inserted.id, detail: { requestNo, organisationId: organisation.id, channel } });
  if (inserted.requesterAccountId) {
    await notify(uow, {
      recipientAccountId: inserted.requesterAccountId,
      channel: 'inbox',
      subject: `政府信息公开申请已提交（${requestNo}）`,
      body: `您向${organisation.name}提出的政府信息公开申请已提交。${confirm ? '依照《政府信息公开条例》第三十一条，答复期限自双方确认收到申请之日起计算，工作人员将与您确认。' : ''}`,
      dedupeKey: `disclosure-request:${inserted.id}:submitted`,
    });
  }
  return ok({ request: inserted, replayed: false });
}
