import type { DeadlineState } from '../deadline.ts';
import type { PublicationStatus } from '../publication.repository.ts';

export const STATUS_LABEL: Record<PublicationStatus, [string, string]> = {
  draft: ['草稿', 'Draft'],
  in_review: ['待保密审查', 'Awaiting review'],
  approved: ['审查通过待发布', 'Approved'],
  published: ['已发布', 'Published'],
  withdrawn: ['已撤销', 'Withdrawn'],
};
export const STATUS_BADGE: Record<PublicationStatus, string> = { draft: 'badge', in_review: 'badge warn', approved: 'badge warn', published: 'badge ok', withdrawn: 'badge bad' };

export const DEADLINE_BADGE: Record<DeadlineState, string> = { done: 'badge ok', ok: 'badge ok', warn: 'badge warn', overdue: 'badge bad' };

export const EVENT_LABEL: Record<string, [string, string]> = {
  created: ['起草', 'Drafted'],
  edited: ['修改草稿', 'Draft edited'],
  submitted: ['提交保密审查', 'Submitted for review'],
  review_passed: ['保密审查通过', 'Review passed'],
  review_returned: ['保密审查退回修改', 'Returned by review'],
  published: ['发布', 'Published'],
  withdrawn: ['撤销', 'Withdrawn'],
  revised: ['修订', 'Revised'],
};
