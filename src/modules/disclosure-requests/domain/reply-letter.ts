/**
 * The reply letter (政府信息公开申请答复书) as a PDF spec for platform/pdf, with the remedy notice
 * by reply type (DOMAIN.md §7.2 "Replies state remedies by reply type"; periods from the deadline
 * registry: remedy.reconsideration 60 days, remedy.lawsuitAfterReconsideration 15 days,
 * remedy.lawsuit 6 months).
 */
import { deadlineRule, describeLimit } from '../../../platform/calendar/index.ts';
import type { PdfBlock, PdfDocumentSpec } from '../../../platform/pdf/index.ts';
import { NOT_PROCESSED_REASONS, REPLY_TYPE_BASIS, REPLY_TYPE_LABEL, type ReplyType, WITHHELD_REASONS, chineseDate } from './request-machine.ts';

const period = (key: string) => describeLimit(deadlineRule(key).limit).replace(/\s+/g, '');

/**
 * 不予公开 (WITHHELD, PARTIAL): reconsideration first (行政复议法 2023 Art. 23(1)(4)), then a lawsuit
 * within 15 days of the decision (行政诉讼法 Art. 45). Other types: reconsideration within 60 days
 * or a lawsuit within 6 months (行政诉讼法 Art. 46).
 */
export function remedyNotice(type: ReplyType): string {
  if (type === 'WITHHELD' || type === 'PARTIAL') {
    return `如对本答复不服，可以自知道本答复之日起${period('remedy.reconsideration')}内依法申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起${period('remedy.lawsuitAfterReconsideration')}内依法向人民法院提起行政诉讼。`;
  }
  return `如对本答复不服，可以自知道本答复之日起${period('remedy.reconsideration')}内依法申请行政复议，或者自知道本答复之日起${period('remedy.lawsuit')}内依法向人民法院提起行政诉讼。`;
}

export interface ReplyLetterInput {
  requestNo: string;
  replyNo: string;
  organisationName: string;
  requesterName: string;
  description: string;
  receivedOn: string;
  correctionSuppliedOn: string | null;
  replyType: ReplyType;
  replyReason: string | null;
  replyText: string;
  competentAgency: string | null;
  repliedOn: string;
  repliedAt: Date;
}

export function replyLetterSpec(r: ReplyLetterInput): PdfDocumentSpec {
  const blocks: PdfBlock[] = [
    `本机关于${chineseDate(r.receivedOn)}收到您提出的政府信息公开申请（申请编号：${r.requestNo}），您申请获取“${r.description}”。${r.correctionSuppliedOn ? `您于${chineseDate(r.correctionSuppliedOn)}补正了申请内容。` : ''}`,
    '经审查，现答复如下：',
    { kind: 'heading', text: `一、答复类型：${REPLY_TYPE_LABEL[r.replyType]}` },
    ...r.replyText.split(/\n+/).map((t) => t.trim()).filter(Boolean),
  ];
  if (r.replyReason && r.replyReason in WITHHELD_REASONS) {
    blocks.push(`不予公开的理由：${WITHHELD_REASONS[r.replyReason as keyof typeof WITHHELD_REASONS]}。`);
  }
  if (r.replyReason && r.replyReason in NOT_PROCESSED_REASONS) {
    blocks.push(`不予处理的理由：${NOT_PROCESSED_REASONS[r.replyReason as keyof typeof NOT_PROCESSED_REASONS]}。`);
  }
  if (r.replyType === 'NOT_OURS' && r.competentAgency) blocks.push(`经了解，该信息的公开机关为${r.competentAgency}，请向其提出申请。`);
  blocks.push(`依据：《中华人民共和国政府信息公开条例》${REPLY_TYPE_BASIS[r.replyType]}。`);
  blocks.push({ kind: 'heading', text: '二、救济途径' }, remedyNotice(r.replyType));
  return {
    title: '政府信息公开申请答复书',
    documentNumber: r.replyNo,
    addressee: `${r.requesterName}：`,
    blocks,
    signature: { organisation: r.organisationName, date: r.repliedOn },
    notes: ['（此件依申请公开，送申请人）'],
    meta: { author: r.organisationName, subject: `政府信息公开申请答复 ${r.requestNo}`, createdAt: r.repliedAt },
  };
}
