import type { CaseRole } from './state-machine.ts';

/**
 * The review nodes of a case in IN_PROCESS (DOMAIN.md §3.3: 承办 → 审核 → 批准; approval step
 * codes 1/2/3 of §3.6). This is the default flow for items without a workflow definition.
 */
export interface CaseNode {
  key: 'undertake' | 'review' | 'approve';
  name: string;
  /** Approval step code (§3.6, older spec): 1 undertake, 2 review, 3 approve. */
  step: 1 | 2 | 3;
  role: CaseRole;
}

export const DEFAULT_NODES: readonly CaseNode[] = [
  { key: 'undertake', name: '承办', step: 1, role: 'clerk' },
  { key: 'review', name: '审核', step: 2, role: 'clerk' },
  { key: 'approve', name: '批准', step: 3, role: 'org_head' },
];

export function nodeAt(index: number | null): CaseNode | null {
  if (index === null) return null;
  return DEFAULT_NODES[index] ?? null;
}

export function isDecisionNode(index: number | null): boolean {
  return index !== null && index === DEFAULT_NODES.length - 1;
}
