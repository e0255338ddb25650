import { actorId } from '../../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import { nationalCalendar, parseCivilDate, type WorkCalendar } from '../../../platform/calendar/index.ts';
import type { Tx } from '../../../platform/db/database.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CalendarEntryRow, CalendarRepository } from '../calendar.repository.ts';
import { calendarChain, NATIONAL } from '../jurisdiction-chain.ts';
import { canManageCalendar } from '../policies.ts';
import { validateCalendarEntryInput } from './validate-calendar-input.ts';

export interface CalendarCommandDeps {
  calendars: CalendarRepository;
  permissions: PermissionRegistry;
  /** The calendar of a jurisdiction as currently stored, read inside the command's transaction. */
  calendarFor(jurisdictionCode: string, tx: Tx): Promise<WorkCalendar>;
}

export const KIND_LABEL = { HOLIDAY: '放假', MAKEUP_WORKDAY: '调休上班' } as const;

/**
 * Adds one dated override to a jurisdiction's calendar (DOMAIN.md §1.1.2): a day off, or a
 * working day (调休上班, or cancelling an inherited day off). Refused when it changes nothing
 * against the calendar the jurisdiction inherits, or when the date already has an entry.
 */
export async function addCalendarEntry(
  deps: CalendarCommandDeps,
  uow: UnitOfWork,
  raw: { jurisdictionCode?: unknown; date?: unknown; kind?: unknown; name?: unknown; source?: unknown },
): Promise<Result<CalendarEntryRow, 'forbidden' | 'invalid' | 'duplicate'>> {
  const actor = uow.ctx.actor;
  if (!deps.permissions.has(actor, 'calendar.manage')) return refuse('forbidden', '您当前的岗位不能维护工作日历');
  const { value, errors } = validateCalendarEntryInput(raw);
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  if (!canManageCalendar(deps.permissions, actor, value.jurisdictionCode)) {
    await uow.audit({ action: 'calendar.entry.add', objectType: 'calendar_entry', objectId: null, outcome: 'denied', detail: { jurisdictionCode: value.jurisdictionCode, date: value.date } });
    const message = value.jurisdictionCode === NATIONAL ? '全国放假安排只能由省级平台的系统管理员录入' : '您只能维护本辖区及下级地区的工作日历';
    return refuse('forbidden', message, [{ field: 'jurisdictionCode', message }]);
  }

  const existing = await deps.calendars.getEntryOn(uow.tx, value.jurisdictionCode, value.date);
  if (existing) {
    const message = `该地区在 ${value.date} 已有日历条目“${existing.name}”（${KIND_LABEL[existing.kind]}）`;
    return refuse('duplicate', message, [{ field: 'date', message }]);
  }

  // Against the calendar the jurisdiction inherits (for the national one: the built-in data).
  const chain = calendarChain(value.jurisdictionCode);
  const parent = chain.length >= 2 ? await deps.calendarFor(chain[chain.length - 2]!, uow.tx) : nationalCalendar();
  const day = parseCivilDate(value.date);
  const inherited = parent.entryOn(day);
  if (value.kind === 'MAKEUP_WORKDAY' && parent.isWorkingDay(day)) {
    const message = '该日在上级日历中已是工作日，无需设为调休上班';
    return refuse('invalid', message, [{ field: 'kind', message }]);
  }
  if (value.kind === 'HOLIDAY' && inherited?.kind === 'HOLIDAY') {
    const message = `该日在上级日历中已是假日（${inherited.name ?? '放假'}），无需重复录入`;
    return refuse('invalid', message, [{ field: 'kind', message }]);
  }

  const entry = await deps.calendars.insertEntry(uow.tx, { ...value, createdBy: actorRef(uow) });
  if (!entry) {
    const message = `该地区在 ${value.date} 已有日历条目`;
    return refuse('duplicate', message, [{ field: 'date', message }]);
  }
  await uow.audit({
    action: 'calendar.entry.add',
    objectType: 'calendar_entry',
    objectId: entry.id,
    detail: { jurisdictionCode: entry.jurisdictionCode, date: entry.date, kind: entry.kind, name: entry.name, source: entry.source },
  });
  return ok(entry);
}

/** Who to record as having made a change. */
export function actorRef(uow: UnitOfWork): string {
  return actorId(uow.ctx.actor) ?? 'anonymous';
}
