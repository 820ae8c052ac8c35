import { Clock } from '@bedside/common';
import type { DatabaseHealth } from '@bedside/database';
import { SupervisionConfig } from '../supervision.config';
import type { Visit } from './domain/visit';
import type { PlanningResident } from './domain/visit-planner';
import type { PlanningSourceRepository } from './planning-source.repository';
import { VisitEvents, type VisitEvent } from './visit-events';
import { VisitPlannerJob } from './visit-planner.job';
import type { VisitRepository } from './visit.repository';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 2, 0);

class FixedClock extends Clock {
  constructor(public t: number) {
    super();
  }
  now() {
    return this.t;
  }
}

/** In-memory stand-ins for the two repositories the job uses. */
function setup(residents: PlanningResident[]) {
  const stored: Visit[] = [];
  const source = {
    flaggedSince: () => Promise.resolve([]),
    residents: () => Promise.resolve(residents),
    policies: () => Promise.resolve(new Map([['o1', [{ category: 'living_alone', intervalDays: 7 }]]])),
  } as unknown as PlanningSourceRepository;
  let refuseNextMark = false;
  const visits = {
    insertNew: (vs: Visit[]) => {
      const fresh = vs.filter(
        (v) =>
          !stored.some((s) => s.residentId === v.residentId && s.source === v.source && s.sourceKey === v.sourceKey),
      );
      stored.push(...fresh);
      return Promise.resolve(fresh);
    },
    unflaggedOverdue: (now: number) =>
      Promise.resolve(stored.filter((v) => v.overdueAt === null && v.state === 'planned' && v.dueAt < now)),
    markOverdue: (v: Visit) => {
      if (refuseNextMark) {
        refuseNextMark = false;
        return Promise.resolve(false);
      }
      Object.assign(
        stored.find((s) => s.id === v.id)!,
        { overdueAt: v.overdueAt, history: v.history },
      );
      return Promise.resolve(true);
    },
  } as unknown as VisitRepository;
  const events = new VisitEvents();
  const seen: VisitEvent[] = [];
  events.events$.subscribe((e) => seen.push(e));
  const clock = new FixedClock(NOW);
  const job = new VisitPlannerJob(source, visits, events, new SupervisionConfig(60_000, DAY), clock, {
    unavailable: () => false,
  } as unknown as DatabaseHealth);
  return { job, stored, seen, clock, refuseMark: () => (refuseNextMark = true) };
}

const living = (id: string, since: number): PlanningResident => ({
  residentId: id,
  householdId: `h-${id}`,
  organisationId: 'o1',
  categories: [{ category: 'living_alone', since }],
  lastSeenAt: null,
  openDueAts: [],
  lastClosedVisitId: null,
});

describe('visit planner job', () => {
  it('plans, announces and flags overdue visits once, however often it runs', async () => {
    const { job, stored, seen } = setup([living('r1', NOW - 30 * DAY)]);
    expect(await job.sweep()).toEqual({ planned: 1, overdue: 1 });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toEqual(expect.objectContaining({ source: 'policy', state: 'planned', overdueAt: NOW }));
    expect(seen.map((e) => e.type)).toEqual(['visit.planned', 'visit.overdue']);
    expect(await job.sweep()).toEqual({ planned: 0, overdue: 0 });
    expect(seen).toHaveLength(2);
  });

  it('sends no overdue event for a visit a concurrent change got to first, and flags it on a later sweep', async () => {
    const { job, seen, refuseMark, clock } = setup([living('r1', NOW - 30 * DAY)]);
    refuseMark();
    expect(await job.sweep()).toEqual({ planned: 1, overdue: 0 });
    expect(seen.map((e) => e.type)).toEqual(['visit.planned']);
    clock.t += 60_000;
    expect(await job.sweep()).toEqual({ planned: 0, overdue: 1 });
  });

  it('a visit not yet due is planned but not flagged until its due time passes', async () => {
    const { job, clock, seen } = setup([living('r1', NOW - 6 * DAY)]);
    expect(await job.sweep()).toEqual({ planned: 1, overdue: 0 });
    clock.t = NOW + DAY + 1;
    expect(await job.sweep()).toEqual({ planned: 0, overdue: 1 });
    expect(seen.map((e) => e.type)).toEqual(['visit.planned', 'visit.overdue']);
  });
});
