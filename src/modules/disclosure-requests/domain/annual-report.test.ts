import { describe, expect, it } from 'vitest';
import { type ReportRequest, computeAnnualTables, proactiveStats, resultRow } from './annual-report.ts';

const req = (over: Partial<ReportRequest>): ReportRequest => ({
  requesterKind: 'natural',
  legalCategory: null,
  receivedOn: '2025-03-01',
  finishedOn: null,
  replyType: null,
  replyReason: null,
  closedReason: null,
  remedies: [],
  ...over,
});

describe('annual report tables (DOMAIN.md §7.3)', () => {
  it('maps reply types and reasons to Table III rows', () => {
    expect(resultRow({ replyType: 'PUBLISHED', replyReason: null, closedReason: null })).toBe('r1');
    expect(resultRow({ replyType: 'PARTIAL', replyReason: 'process_info', closedReason: null })).toBe('r2');
    expect(resultRow({ replyType: 'WITHHELD', replyReason: 'state_secret', closedReason: null })).toBe('r3_1');
    expect(resultRow({ replyType: 'WITHHELD', replyReason: 'admin_inquiry', closedReason: null })).toBe('r3_8');
    expect(resultRow({ replyType: 'NOT_EXIST', replyReason: null, closedReason: null })).toBe('r4_1');
    expect(resultRow({ replyType: 'NOT_OURS', replyReason: null, closedReason: null })).toBe('r4_1');
    expect(resultRow({ replyType: 'NEEDS_CREATION', replyReason: null, closedReason: null })).toBe('r4_2');
    expect(resultRow({ replyType: 'REPEATED', replyReason: null, closedReason: null })).toBe('r5_2');
    expect(resultRow({ replyType: 'NOT_PROCESSED', replyReason: 'petition', closedReason: null })).toBe('r5_1');
    expect(resultRow({ replyType: 'SPECIAL_RULES', replyReason: null, closedReason: null })).toBe('r6_3');
    expect(resultRow({ replyType: null, replyReason: null, closedReason: 'ABANDONED' })).toBe('r6_1');
    expect(resultRow({ replyType: null, replyReason: null, closedReason: 'FEE_UNPAID' })).toBe('r6_2');
  });

  it('counts new, carried over, results and carried forward so that 一 + 二 = 三(七) + 四', () => {
    const t = computeAnnualTables(
      2025,
      [
        req({ receivedOn: '2024-12-20', finishedOn: '2025-01-10', replyType: 'DISCLOSED' }), // carried in, finished
        req({ receivedOn: '2024-11-01', finishedOn: '2024-12-01', replyType: 'DISCLOSED' }), // finished last year: not counted
        req({ receivedOn: '2025-05-06', finishedOn: '2025-05-20', replyType: 'WITHHELD', replyReason: 'third_party_rights', requesterKind: 'legal', legalCategory: 'commercial' }),
        req({ receivedOn: '2025-12-25', finishedOn: '2026-01-08', replyType: 'DISCLOSED', requesterKind: 'legal', legalCategory: 'legal_service' }), // carried to next year
        req({ receivedOn: '2025-07-01', finishedOn: '2025-08-01', closedReason: 'ABANDONED', remedies: [{ kind: 'reconsideration', outcome: 'upheld', recordedOn: '2025-09-01' }] }),
        req({ receivedOn: '2025-02-01', finishedOn: '2025-03-01', replyType: 'PARTIAL', replyReason: 'process_info', remedies: [{ kind: 'lawsuit', outcome: 'pending', recordedOn: '2025-04-01', afterReconsideration: true }] }),
      ],
      null,
    );
    expect(t.table3.new.total).toBe(4);
    expect(t.table3.new.commercial).toBe(1);
    expect(t.table3.new.legal_service).toBe(1);
    expect(t.table3.carried.total).toBe(1);
    expect(t.table3.r1.total).toBe(1);
    expect(t.table3.r3_4.commercial).toBe(1);
    expect(t.table3.r6_1.natural).toBe(1);
    expect(t.table3.r2.natural).toBe(1);
    expect(t.table3.r7.total).toBe(4);
    expect(t.table3.next.total).toBe(1);
    expect(t.table3.new.total + t.table3.carried.total).toBe(t.table3.r7.total + t.table3.next.total);
    expect(t.table4.reconsideration).toEqual({ upheld: 1, corrected: 0, other: 0, pending: 0, total: 1 });
    expect(t.table4.lawsuitAfter.pending).toBe(1);
    expect(t.table4.lawsuit.total).toBe(0);
  });

  it('sums the proactive-disclosure statistics by catalog category', () => {
    const s = proactiveStats([
      { categoryCode: 'fgwj-gfxwj', created: 3, published: 2, withdrawn: 0 },
      { categoryCode: 'fgwj-gfxwj', created: 1, published: 1, withdrawn: 1 },
      { categoryCode: 'xzxk', created: 5, published: 5, withdrawn: 0 },
    ]);
    expect(s.byCategory).toEqual([
      { code: 'fgwj-gfxwj', label: '规范性文件', created: 4, published: 3, withdrawn: 1 },
      { code: 'xzxk', label: '行政许可', created: 5, published: 5, withdrawn: 0 },
    ]);
    expect(s.total).toEqual({ created: 9, published: 8, withdrawn: 1 });
  });
});
