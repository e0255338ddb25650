import { describe, expect, it } from 'vitest';
import { type CivilDay, nationalCalendar, parseCivilDate } from '../../../platform/calendar/index.ts';
import { type RequestAction, type RequestFacts, apply, availableStaffActions, initialFacts, replyDueOn, requestClocks } from './request-machine.ts';

const cal = nationalCalendar();
const day = (s: string): CivilDay => parseCivilDate(s);

function step(f: RequestFacts, action: RequestAction, on: string): RequestFacts {
  const r = apply(f, action, day(on), cal);
  if (!r.ok) throw new Error(`${action.kind} on ${on}: ${r.message}`);
  return r.value.facts;
}

/** In person on Mon 2025-09-29 (DOMAIN.md §1.1.5 examples use the 2025 arrangement). */
const registered = () => step(initialFacts('in_person', '2025-09-29'), { kind: 'register' }, '2025-09-29');

describe('disclosure request machine (条例 Arts. 30–37, DOMAIN.md §7.2)', () => {
  it('in person: receipt is the day of submission; reply due in 20 WD (Mon 2025-09-29 → Mon 2025-11-03)', () => {
    const f = registered();
    expect(f.state).toBe('PROCESSING');
    expect(replyDueOn(f, cal)).toBe('2025-11-03');
  });

  it('online: no clock until receipt is confirmed with the requester (Art. 31); the confirmed date starts it', () => {
    const f0 = initialFacts('online', '2025-09-27');
    expect(f0.receiptConfirmedOn).toBeNull();
    expect(replyDueOn(f0, cal)).toBeNull();
    expect(availableStaffActions(f0, day('2025-09-29'), cal)).toEqual(['confirm_receipt']);
    const r = apply(f0, { kind: 'register' }, day('2025-09-29'), cal);
    expect(r.ok).toBe(false);
    const f1 = step(f0, { kind: 'confirm_receipt', on: '2025-09-29' }, '2025-09-29');
    expect(replyDueOn(f1, cal)).toBe('2025-11-03');
    const future = apply(f0, { kind: 'confirm_receipt', on: '2025-10-09' }, day('2025-09-29'), cal);
    expect(future.ok).toBe(false);
  });

  it('consultation pauses the reply clock: Oct 9 → Oct 14 adds 4 WD (due Fri 2025-11-07)', () => {
    let f = registered();
    f = step(f, { kind: 'consult', party: 'third_party', name: '某某建设有限公司' }, '2025-10-09');
    expect(f.state).toBe('CONSULTING');
    expect(replyDueOn(f, cal)).toBeNull();
    const clocks = requestClocks(f, day('2025-10-10'), cal);
    expect(clocks.find((c) => c.key === 'reply')?.status).toBe('paused');
    expect(clocks.find((c) => c.key === 'consultation')?.dueOn).toBe('2025-10-29'); // 15 WD from Thu Oct 9 (Sat Oct 11 is a make-up working day)
    f = step(f, { kind: 'record_opinion', opinion: 'consent', note: '' }, '2025-10-14');
    expect(f.state).toBe('PROCESSING');
    expect(replyDueOn(f, cal)).toBe('2025-11-07');
  });

  it('silence of a third party can only be recorded after its 15 WD; an objection allows the public-interest override', () => {
    let f = step(registered(), { kind: 'consult', party: 'third_party', name: '第三方' }, '2025-10-09');
    const early = apply(f, { kind: 'record_opinion', opinion: 'none', note: '' }, day('2025-10-20'), cal);
    expect(early.ok).toBe(false);
    f = step(f, { kind: 'record_opinion', opinion: 'object', note: '涉及商业秘密' }, '2025-10-20');
    expect(f.process.thirdPartyObjected).toBe(true);
    expect(availableStaffActions(f, day('2025-10-20'), cal)).toContain('public_interest_override');
    f = step(f, { kind: 'public_interest_override', reasons: '涉及公共安全' }, '2025-10-21');
    expect(availableStaffActions(f, day('2025-10-21'), cal)).not.toContain('public_interest_override');
  });

  it('correction notice: within 7 WD, once, one complete list; the clock restarts from the corrected request', () => {
    const f0 = initialFacts('in_person', '2025-09-29');
    // 7 WD from Mon 2025-09-29 = Wed 2025-10-15 (Sep 30, Oct 9, 10, 11 make-up, 13, 14, 15).
    const late = apply(f0, { kind: 'request_correction', items: ['请说明信息名称'], periodDays: 10 }, day('2025-10-16'), cal);
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.message).toContain('7 个工作日');
    const empty = apply(f0, { kind: 'request_correction', items: ['  '], periodDays: 10 }, day('2025-10-10'), cal);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.fields?.[0]?.field).toBe('items');
    let f = step(f0, { kind: 'request_correction', items: ['请说明信息名称', '请说明文号或其他特征'], periodDays: 10 }, '2025-10-10');
    expect(f.state).toBe('CORRECTION_REQUESTED');
    expect(f.process.correction?.supplyBy).toBe('2025-10-23');
    expect(replyDueOn(f, cal)).toBeNull();
    f = step(f, { kind: 'supply_correction', description: '2025年老旧小区改造资金安排文件', documentNumber: null }, '2025-10-13');
    expect(f.state).toBe('PROCESSING');
    expect(f.clockStartedOn).toBe('2025-10-13');
    // 20 WD from Mon 2025-10-13 → Mon 2025-11-10.
    expect(replyDueOn(f, cal)).toBe('2025-11-10');
    // A correction notice cannot be sent twice.
    expect(availableStaffActions(f, day('2025-10-14'), cal)).not.toContain('request_correction');
  });

  it('abandoned only after the supply period lapses', () => {
    const f = step(initialFacts('in_person', '2025-09-29'), { kind: 'request_correction', items: ['请说明信息名称'], periodDays: 5 }, '2025-09-30');
    expect(apply(f, { kind: 'correction_lapsed' }, day('2025-10-14'), cal).ok).toBe(false); // 5 WD from Sep 30: Tue Oct 14 itself
    const closed = step(f, { kind: 'correction_lapsed' }, '2025-10-15');
    expect(closed.state).toBe('CLOSED');
    expect(closed.closedReason).toBe('ABANDONED');
  });

  it('one extension of at most 20 WD, approved once (Art. 33)', () => {
    const f = registered();
    const tooLong = apply(f, { kind: 'extend', days: 21, reason: '需要调取档案', approvedBy: '刘强' }, day('2025-10-20'), cal);
    expect(tooLong.ok).toBe(false);
    const f2 = step(f, { kind: 'extend', days: 20, reason: '需要调取档案', approvedBy: '刘强' }, '2025-10-20');
    expect(replyDueOn(f2, cal)).toBe('2025-12-01'); // 40 WD from 2025-09-29
    expect(apply(f2, { kind: 'extend', days: 5, reason: '再次', approvedBy: '刘强' }, day('2025-10-21'), cal).ok).toBe(false);
  });

  it('fee notice pauses the clock; unpaid after the period closes the request (FEE_UNPAID)', () => {
    let f = step(registered(), { kind: 'fee_notice', amount: 100 }, '2025-10-09');
    expect(f.state).toBe('FEE_PENDING');
    expect(apply(f, { kind: 'fee_unpaid' }, day('2025-10-10'), cal).ok).toBe(false);
    f = step(f, { kind: 'fee_unpaid' }, '2025-11-10');
    expect(f.closedReason).toBe('FEE_UNPAID');
  });

  it('replies need a withholding reason for WITHHELD and PARTIAL, then delivery and remedies', () => {
    const f = registered();
    const missing = apply(f, { kind: 'reply', replyType: 'PARTIAL', reason: null, text: '部分公开', competentAgency: null }, day('2025-10-20'), cal);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.fields?.map((e) => e.field)).toContain('reason');
    let r = step(f, { kind: 'reply', replyType: 'PARTIAL', reason: 'third_party_rights', text: '可以区分处理的部分予以公开', competentAgency: null }, '2025-10-20');
    expect(r.state).toBe('REPLIED');
    expect(requestClocks(r, day('2025-10-20'), cal)).toEqual([]);
    expect(availableStaffActions(r, day('2025-10-20'), cal)).toEqual(['deliver', 'record_remedy']);
    r = step(r, { kind: 'deliver', method: 'online', note: '' }, '2025-10-20');
    expect(availableStaffActions(r, day('2025-10-21'), cal)).toEqual(['record_remedy']);
  });

  it('colours the reply clock yellow in the last 3 WD and red when overdue', () => {
    const f = registered();
    const at = (s: string) => requestClocks(f, day(s), cal).find((c) => c.key === 'reply');
    expect(at('2025-10-09')?.status).toBe('running');
    expect(at('2025-10-29')?.status).toBe('warn'); // 3 WD left (Oct 30, 31, Nov 3)
    expect(at('2025-11-03')?.status).toBe('warn');
    expect(at('2025-11-04')?.status).toBe('overdue');
  });
});
