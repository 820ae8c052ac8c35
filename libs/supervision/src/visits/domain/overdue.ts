import { OPEN_STATES, type Visit } from './visit';

/** Open (planned or assigned) and past its due time. */
export function isOverdue(visit: Pick<Visit, 'state' | 'dueAt'>, now: number): boolean {
  return OPEN_STATES.includes(visit.state) && now > visit.dueAt;
}

/**
 * Visits to flag now: overdue and not flagged before. Each is marked once, with an entry on
 * its timeline, so the live event is sent once per visit however often the job runs.
 */
export function newlyOverdue(visits: readonly Visit[], now: number): Visit[] {
  return visits
    .filter((v) => v.overdueAt === null && isOverdue(v, now))
    .map((v) => ({
      ...v,
      overdueAt: now,
      history: [
        ...v.history,
        { at: now, actor: 'system', action: 'overdue' as const, from: v.state, to: v.state, note: null },
      ],
    }));
}
