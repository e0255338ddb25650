import { describe, expect, it } from 'vitest';
import type { StaffChoice } from './ports.ts';
import { eligibleReceivers, staffLabel, staffPickerFor } from './staff-picker.ts';

const choice = (accountId: string, roles: string[], o: Partial<StaffChoice> = {}): StaffChoice => ({
  accountId,
  displayName: `人员${accountId}`,
  organisationId: 'org-market',
  organisationName: '武汉市江岸区市场监督管理局',
  jurisdictionCode: '420102',
  roles,
  ...o,
});

describe('staff picker', () => {
  it('asks the directory for the organisation and the case’s jurisdiction subtree, one entry per account, business roles only', async () => {
    const asked: unknown[] = [];
    const picker = await staffPickerFor(
      {
        staff: {
          findStaff: () => Promise.resolve(null),
          listActiveStaff: (filter) => {
            asked.push(filter);
            return Promise.resolve(
              'organisationId' in filter
                ? [choice('a', ['clerk']), choice('a', ['org_head']), choice('b', ['org_head']), choice('admin', ['sysadmin'])]
                : [choice('a', ['clerk']), choice('c', ['clerk'], { organisationId: 'org-centre' }), choice('s', ['jurisdiction_supervisor']), choice('x', ['secadmin'])],
            );
          },
        },
      },
      { organisation_id: 'org-market', jurisdiction_code: '420102' },
    );
    expect(asked).toEqual([{ organisationId: 'org-market' }, { jurisdictionPrefix: '420102' }]);
    expect(picker?.organisation.map((s) => s.accountId)).toEqual(['a', 'b']);
    expect(picker?.jurisdiction.map((s) => s.accountId)).toEqual(['a', 'c', 's']);
    expect([...(eligibleReceivers(picker!, 'transfer') ?? [])]).toEqual(['a', 'b']);
    expect([...(eligibleReceivers(picker!, 'copy') ?? [])]).toEqual(['a', 'c', 's']);
    expect(eligibleReceivers(picker!, 'urge')).toBeNull();
  });

  it('is absent when the directory cannot list staff (the form then takes account ids)', async () => {
    expect(await staffPickerFor({ staff: { findStaff: () => Promise.resolve(null) } }, { organisation_id: 'o', jurisdiction_code: '420102' })).toBeNull();
    expect(await staffPickerFor({}, { organisation_id: 'o', jurisdiction_code: '420102' })).toBeNull();
  });

  it('labels a person by name and roles, with the organisation for 抄送', () => {
    expect(staffLabel(choice('a', ['clerk', 'org_head']), false)).toBe('人员a（办事员、部门负责人）');
    expect(staffLabel(choice('a', ['clerk']), true)).toBe('人员a（武汉市江岸区市场监督管理局 · 办事员）');
  });
});
