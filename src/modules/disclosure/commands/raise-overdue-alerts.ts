import { civilDayAt, formatCivilDate } from '../../../platform/calendar/index.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { DisclosureDeps } from './deps.ts';

/**
 * Art. 26 missed: every unpublished publication past its due date gets one alert that
 * supervisors see (and the e-supervision dashboard may read); publishing resolves it.
 */
export async function raiseOverdueAlerts(deps: DisclosureDeps, uow: UnitOfWork, today = formatCivilDate(civilDayAt(new Date()))): Promise<number> {
  const overdue = await deps.publications.overdueWithoutAlert(today, uow.tx);
  let raised = 0;
  for (const p of overdue) {
    if (await deps.publications.raiseAlert(uow.tx, p)) {
      raised += 1;
      await uow.audit({ action: 'disclosure.overdue', objectType: 'publication', objectId: p.id, detail: { dueOn: p.dueOn, organisationId: p.organisationId } });
    }
  }
  return raised;
}
