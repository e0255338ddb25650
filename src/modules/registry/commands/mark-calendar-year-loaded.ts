import { nationalLoadedYears } from '../../../platform/calendar/index.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CalendarYearRow } from '../calendar.repository.ts';
import { NATIONAL } from '../jurisdiction-chain.ts';
import { canManageCalendar } from '../policies.ts';
import { actorRef, type CalendarCommandDeps } from './add-calendar-entry.ts';
import { validateCalendarYearInput } from './validate-calendar-input.ts';

/**
 * Records that a year's holiday arrangement is loaded (DOMAIN.md §1.1.2): from then on deadlines
 * in that year are no longer provisional. For the national calendar the year's days must have
 * been entered first — marking an empty year loaded would make weekday-rule deadlines look final.
 */
export async function markCalendarYearLoaded(
  deps: CalendarCommandDeps,
  uow: UnitOfWork,
  raw: { jurisdictionCode?: unknown; year?: unknown; notice?: unknown },
): Promise<Result<CalendarYearRow, 'forbidden' | 'invalid' | 'duplicate'>> {
  const actor = uow.ctx.actor;
  if (!deps.permissions.has(actor, 'calendar.manage')) return refuse('forbidden', '您当前的岗位不能维护工作日历');
  const { value, errors } = validateCalendarYearInput(raw);
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  if (!canManageCalendar(deps.permissions, actor, value.jurisdictionCode)) {
    await uow.audit({ action: 'calendar.year.load', objectType: 'calendar_year', objectId: `${value.jurisdictionCode}/${value.year}`, outcome: 'denied' });
    const message = value.jurisdictionCode === NATIONAL ? '全国放假安排只能由省级平台的系统管理员录入' : '您只能维护本辖区及下级地区的工作日历';
    return refuse('forbidden', message, [{ field: 'year', message }]);
  }

  if (value.jurisdictionCode === NATIONAL) {
    if (nationalLoadedYears().includes(value.year)) {
      const message = `${value.year} 年的全国放假安排已随系统内置数据载入，无需标记`;
      return refuse('duplicate', message, [{ field: 'year', message }]);
    }
    if ((await deps.calendars.countEntriesInYear(uow.tx, NATIONAL, value.year)) === 0) {
      const message = `尚未录入 ${value.year} 年的放假和调休上班日期，请先逐日录入，再标记为已载入`;
      return refuse('invalid', message, [{ field: 'year', message }]);
    }
  }

  const row = await deps.calendars.insertYear(uow.tx, { jurisdictionCode: value.jurisdictionCode, year: value.year, source: value.notice, loadedBy: actorRef(uow) });
  if (!row) {
    const message = `${value.year} 年的安排已标记为已载入`;
    return refuse('duplicate', message, [{ field: 'year', message }]);
  }
  await uow.audit({
    action: 'calendar.year.load',
    objectType: 'calendar_year',
    objectId: `${row.jurisdictionCode}/${row.year}`,
    detail: { jurisdictionCode: row.jurisdictionCode, year: row.year, source: row.source },
  });
  return ok(row);
}
