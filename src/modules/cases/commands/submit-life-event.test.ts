import { describe, expect, it } from 'vitest';
import { foodLicenceItem } from '../test-fixtures.ts';
import { bundleProgress } from '../life-event-service.ts';
import type { ApplicationLifeEvent } from '../ports.ts';
import { audienceRefusal, bundleMaterials, materialKey } from './submit-life-event.ts';

const ORG_A = { id: 'a', name: '市场监督管理局', jurisdictionCode: '420102' };
const ORG_B = { id: 'b', name: '卫生健康局', jurisdictionCode: '420102' };

describe('一件事 materials and status', () => {
  it('merges the items’ materials by name: a shared one is asked once, required when any item requires it', () => {
    const food = foodLicenceItem(ORG_A);
    const place = foodLicenceItem(ORG_B, {
      id: 'place',
      name: '公共场所卫生许可',
      materials: [
        { code: 'M1', name: '从业人员健康证明', required: true },
        { code: 'M2', name: '卫生管理制度', required: true },
      ],
    });
    const merged = bundleMaterials([food, place]);
    expect(merged.map((m) => m.name)).toEqual(['营业执照', '经营场所平面布局图', '从业人员健康证明', '卫生管理制度']);
    const health = merged.find((m) => m.name === '从业人员健康证明')!;
    expect(health.required).toBe(true);
    expect(health.uses).toEqual([
      { itemId: food.id, itemName: '食品经营许可', code: 'M3', required: false },
      { itemId: 'place', itemName: '公共场所卫生许可', code: 'M1', required: true },
    ]);
    expect(health.key).toBe(materialKey('从业人员健康证明'));
    expect(new Set(merged.map((m) => m.key)).size).toBe(merged.length);
    expect(health.key).toMatch(/^m[0-9a-f]{10}$/);
  });

  it('counts finished cases for the combined status', () => {
    expect(bundleProgress([{ state: 'SUBMITTED' }, { state: 'CLOSED' }, { state: 'IN_PROCESS' }])).toEqual({ total: 3, finished: 1, label: '3 个事项中已办结 1 个' });
    expect(bundleProgress([{ state: 'DELIVERED' }, { state: 'CLOSED' }])).toEqual({ total: 2, finished: 2, label: '2 个事项已全部办结' });
  });

  it('keeps a life event to its audience', () => {
    const le = (audience: ApplicationLifeEvent['audience']): ApplicationLifeEvent => ({ id: 'x', code: 'X', name: 'x', description: '', audience, items: [], form: { version: 1, fields: [] } });
    expect(audienceRefusal(le('enterprise'), 'citizen')).toContain('面向企业');
    expect(audienceRefusal(le('person'), 'enterprise')).toContain('面向个人');
    expect(audienceRefusal(le('person'), 'citizen')).toBeNull();
    expect(audienceRefusal(le(null), 'enterprise')).toBeNull();
  });
});
