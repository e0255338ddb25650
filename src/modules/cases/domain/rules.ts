import { deadlineRule } from '../../../platform/calendar/deadline-registry.ts';
import type { DayUnit, TimeLimit } from '../../../platform/calendar/index.ts';

/** A day-unit limit of a registry rule (the case clocks are all day clocks). */
function dayLimit(limit: TimeLimit): TimeLimit<DayUnit> {
  if (limit.unit === '3' || limit.unit === '4') throw new Error('a case clock counts days');
  return { n: limit.n, unit: limit.unit };
}

function extensionOf(key: string): TimeLimit<DayUnit> {
  const ext = deadlineRule(key).extension;
  if (!ext) throw new Error(`rule ${key} has no extension`);
  return dayLimit(ext.max);
}

/** The deadline defaults a case uses, from the shared registry (DOMAIN.md §1.1.6): never numbers of our own. */
export const CASE_RULES = {
  /** licence.correctionNotice — 行政许可法 Art. 32(4): 5 WD */
  correctionNotice: dayLimit(deadlineRule('licence.correctionNotice').limit),
  /** licence.decision — Art. 42(1): 20 WD */
  decision: dayLimit(deadlineRule('licence.decision').limit),
  /** licence.decision extension, once, agency head — Art. 42(1): +10 WD */
  decisionExtension: extensionOf('licence.decision'),
  /** licence.issue — Art. 44: 10 WD */
  issue: dayLimit(deadlineRule('licence.issue').limit),
  /** rating.badReviewFeedback — DOMAIN.md §4: 15 WD */
  badReviewFeedback: dayLimit(deadlineRule('rating.badReviewFeedback').limit),
};
