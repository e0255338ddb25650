import type { CaseState, ResultCode } from './state-machine.ts';

/** Applicant-facing statuses (DOMAIN.md §3.7): internal states are never shown as they are. */
export type ApplicantStatus =
  | 'draft'
  | 'submitted'
  | 'needsCorrection'
  | 'accepted'
  | 'notAccepted'
  | 'underReview'
  | 'paused'
  | 'completed'
  | 'readyForCollection'
  | 'delivered';

export const APPLICANT_STATUS_LABEL: Record<ApplicantStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已提交', en: 'Submitted' },
  needsCorrection: { zh: '需补正', en: 'Correction needed' },
  accepted: { zh: '已受理', en: 'Accepted' },
  notAccepted: { zh: '不予受理', en: 'Not accepted' },
  underReview: { zh: '审查中', en: 'Under review' },
  paused: { zh: '特别程序中，暂停计时', en: 'Paused for a special procedure' },
  completed: { zh: '已办结', en: 'Completed' },
  readyForCollection: { zh: '待领取', en: 'Ready for collection' },
  delivered: { zh: '已送达', en: 'Delivered' },
};

export function applicantStatus(state: CaseState, resultCode: ResultCode | null): ApplicantStatus {
  switch (state) {
    case 'DRAFT':
      return 'draft';
    case 'SUBMITTED':
      return 'submitted';
    case 'NEEDS_CORRECTION':
      return 'needsCorrection';
    case 'ACCEPTED':
      return 'accepted';
    case 'IN_PROCESS':
      return 'underReview';
    case 'SUSPENDED':
      return 'paused';
    case 'APPROVED':
    case 'REFUSED':
      return 'completed';
    case 'RESULT_READY':
      return 'readyForCollection';
    case 'DELIVERED':
      return 'delivered';
    case 'CLOSED':
      return resultCode === 6 ? 'notAccepted' : 'completed';
  }
}

/** Completed-result wording for the applicant (approved / refused / forwarded / returned …). */
export function applicantResult(resultCode: ResultCode | null): string | null {
  switch (resultCode) {
    case 0:
      return '准予许可';
    case 1:
      return '不予许可';
    case 2:
      return '已作废';
    case 3:
      return '已删除';
    case 4:
      return '已转报其他机关';
    case 5:
      return '已退件';
    case 6:
      return '不予受理';
    case null:
      return null;
  }
}
