import { describe, expect, it } from 'vitest';
import { monthRange, monthStart, summarise } from './figures.ts';
import { maskPersonalText } from './masking.ts';
import { isoShanghai, toXml } from './open311/format.ts';

describe('maskPersonalText', () => {
  it('masks ID numbers, mobiles, landlines and e-mail addresses, and leaves other numbers', () => {
    expect(maskPersonalText('身份证 42010219900307123X，手机 13912345678，座机 027-87654321，邮箱 wang.fang@example.cn')).toBe(
      '身份证 420102********123X，手机 139****5678，座机 027-****4321，邮箱 w***@example.cn',
    );
    expect(maskPersonalText('解放大道1127号，多收了20元，编号 20261129000001')).toBe('解放大道1127号，多收了20元，编号 20261129000001');
  });
});

describe('Open311 XML', () => {
  it('writes the spec shape: plural root, nested lists, empty elements for null, escaped text', () => {
    expect(toXml('service_requests', 'request', [{ service_request_id: '1', description: 'a<b & "c"', lat: null }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request><service_request_id>1</service_request_id><description>a&lt;b &amp; &quot;c&quot;</description><lat/></request></service_requests>',
    );
    expect(toXml('service_definition', null, { service_code: 'x', attributes: [{ code: 'a', values: [{ key: 'k', name: 'n' }] }] })).toContain(
      '<attributes><attribute><code>a</code><values><value><key>k</key><name>n</name></value></values></attribute></attributes>',
    );
  });
  it('writes instants with the +08:00 offset', () => {
    expect(isoShanghai(new Date('2026-11-28T16:30:00Z'))).toBe('2026-11-29T00:30:00+08:00');
  });
});

describe('figures', () => {
  it('spans months across a year end and starts them in Beijing time', () => {
    expect(monthRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthStart('2026-12', true).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
  it('sums per unit and month; rates are null when the base is zero', () => {
    const cell = (orgId: string, month: string, n: number) => ({ orgId, orgName: orgId, month, received: n, closed: n, closedOnTime: n - 1, rated: n, satisfied: n, complaints: 0, repeatComplaints: 0 });
    const f = summarise('2026-01', '2026-03', [cell('a', '2026-01', 2), cell('a', '2026-03', 4), cell('b', '2026-03', 1)]);
    expect(f.byDepartment.map((d) => [d.label, d.received, d.onTimeRate])).toEqual([
      ['a', 6, 66.7],
      ['b', 1, 0],
    ]);
    expect(f.byMonth.map((m) => m.received)).toEqual([2, 0, 5]);
    expect(f.byMonth[1]!.onTimeRate).toBeNull();
    expect(f.total).toMatchObject({ received: 7, repeatRate: null, satisfactionRate: 100 });
  });
});
