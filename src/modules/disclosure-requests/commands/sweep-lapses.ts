import { systemContext } from '../../../platform/auth/actor.ts';
import { type CivilDay, parseCivilDate } from '../../../platform/calendar/index.ts';
import type { Transactor } from '../../../platform/unit-of-work.ts';
import { type RequestAction, actionAvailable } from '../domain/request-machine.ts';
import { actOnRequest } from './act-on-request.ts';
import type { CommandDeps } from './deps.ts';

/**
 * The periods that lapse on their own (DOMAIN.md §7.2 "period lapses (system)"):
 * a consultation without an opinion after 15 WD (third party → the agency decides; co-author
 * agency → deemed consent, Arts. 32, 34), a correction not supplied in its period (abandoned,
 * Art. 30) and an information-processing fee not paid in time (FEE_UNPAID). Each request is its
 * own transaction, audited as the system actor. Returns how many requests changed.
 */
export async function sweepLapses(deps: CommandDeps, transactor: Transactor): Promise<number> {
  const today = deps.today();
  let changed = 0;
  for (const candidate of await deps.requests.withOpenPeriods()) {
    const calendar = await deps.calendar(candidate.jurisdictionCode);
    const action: RequestAction | null =
      candidate.state === 'CONSULTING' && actionAvailable(candidate, 'record_opinion', today, calendar) && lapsedConsultation(candidate.process.consultations, today)
        ? { kind: 'record_opinion', opinion: 'none', note: '期限届满未提出意见（系统记录）' }
        : candidate.state === 'CORRECTION_REQUESTED' && actionAvailable(candidate, 'correction_lapsed', today, calendar)
          ? { kind: 'correction_lapsed' }
          : candidate.state === 'FEE_PENDING' && actionAvailable(candidate, 'fee_unpaid', today, calendar)
            ? { kind: 'fee_unpaid' }
            : null;
    if (!action) continue;
    const r = await transactor.run(systemContext('disclosure-requests.lapses'), (uow) => actOnRequest(deps, uow, candidate.id, candidate.version, action));
    if (r.ok) changed++;
  }
  return changed;
}

function lapsedConsultation(list: { dueOn: string; endedOn?: string }[] | undefined, today: CivilDay): boolean {
  const open = list?.[list.length - 1];
  return Boolean(open && !open.endedOn && today > parseCivilDate(open.dueOn));
}
