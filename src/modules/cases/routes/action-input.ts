import type { CorrectionItem } from '../case.repository.ts';
import type { CASE_ACTIONS, CaseAction } from '../service.ts';

export type ActionName = (typeof CASE_ACTIONS)[number];

export interface ActionBody {
  version?: number;
  reason?: string;
  opinion?: string;
  toNode?: number | string;
  /** Workflow: the step (node id) to return to. */
  toStep?: string;
  kind?: string;
  plannedDays?: number | string;
  result?: string;
  certificateNo?: string;
  method?: string;
  courierNo?: string;
  /** Correction list: lines "材料：问题" (form) or objects (API). */
  items?: string | CorrectionItem[];
}

export const actionBodySchema = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    version: { type: 'integer', minimum: 1 },
    reason: { type: 'string', maxLength: 2000 },
    opinion: { type: 'string', maxLength: 2000 },
    toNode: { type: 'integer', minimum: 0, maximum: 10 },
    toStep: { type: 'string', maxLength: 100 },
    kind: { type: 'string', maxLength: 40 },
    plannedDays: { type: 'integer', minimum: 0, maximum: 10000 },
    result: { type: 'string', maxLength: 2000 },
    certificateNo: { type: 'string', maxLength: 60 },
    method: { type: 'string', enum: ['collected', 'mailed', 'electronic'] },
    courierNo: { type: 'string', maxLength: 40 },
    items: {
      anyOf: [
        { type: 'string', maxLength: 10000 },
        { type: 'array', maxItems: 50, items: { type: 'object', required: ['problem'], properties: { target: { type: 'string', maxLength: 50 }, label: { type: 'string', maxLength: 100 }, problem: { type: 'string', maxLength: 500 } } } },
      ],
    },
  },
} as const;

/** Correction lines "营业执照：不清晰" → items. */
function correctionItems(items: ActionBody['items']): CorrectionItem[] {
  if (Array.isArray(items)) return items.map((i) => ({ target: i.target ?? 'other', label: i.label ?? '', problem: i.problem }));
  return (items ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^([^：:]{1,50})[：:](.+)$/.exec(line);
      return m ? { target: 'other', label: m[1]!.trim(), problem: m[2]!.trim() } : { target: 'other', label: '', problem: line };
    });
}

export function toAction(name: ActionName, b: ActionBody): CaseAction {
  const s = (v: string | undefined) => v ?? '';
  switch (name) {
    case 'accept':
      return { action: 'accept' };
    case 'correction':
      return { action: 'correction', items: correctionItems(b.items) };
    case 'refuse-acceptance':
      return { action: 'refuse-acceptance', reason: s(b.reason) };
    case 'pass':
      return { action: 'pass', ...(b.opinion !== undefined ? { opinion: b.opinion } : {}) };
    case 'return':
      return { action: 'return', opinion: s(b.opinion ?? b.reason), ...(b.toNode !== undefined && b.toNode !== '' ? { toNode: Number(b.toNode) } : {}), ...(b.toStep ? { toStep: b.toStep } : {}) };
    case 'special-start':
      return { action: 'special-start', kind: s(b.kind), reason: s(b.reason), plannedDays: Number(b.plannedDays ?? 0) };
    case 'special-end':
      return { action: 'special-end', result: s(b.result) };
    case 'extend':
      return { action: 'extend', reason: s(b.reason) };
    case 'approve':
      return { action: 'approve', ...(b.reason !== undefined ? { reason: b.reason } : {}), ...(b.certificateNo !== undefined ? { certificateNo: b.certificateNo } : {}) };
    case 'refuse':
      return { action: 'refuse', reason: s(b.reason) };
    case 'forward':
      return { action: 'forward', reason: s(b.reason) };
    case 'result':
      return { action: 'result', ...(b.certificateNo !== undefined ? { certificateNo: b.certificateNo } : {}) };
    case 'deliver':
      return { action: 'deliver', method: (b.method as 'collected' | 'mailed' | 'electronic' | undefined) ?? 'electronic', ...(b.courierNo !== undefined ? { courierNo: b.courierNo } : {}) };
    case 'void':
      return { action: 'void', reason: s(b.reason) };
    case 'delete':
      return { action: 'delete', reason: s(b.reason) };
    case 'withdraw':
      return { action: 'withdraw', ...(b.reason !== undefined ? { reason: b.reason } : {}) };
  }
}
