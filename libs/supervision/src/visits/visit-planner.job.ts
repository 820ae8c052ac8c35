import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock, RepeatingSweep } from '@bedside/common';
import { DatabaseHealth } from '@bedside/database';
import { SupervisionConfig } from '../supervision.config';
import { newlyOverdue } from './domain/overdue';
import { planVisits } from './domain/visit-planner';
import { PlanningSourceRepository } from './planning-source.repository';
import { VisitEvents } from './visit-events';
import { newVisit, VisitRepository } from './visit.repository';

const FIRST_SWEEP_MS = 5_000;

/**
 * Every VISITS_SWEEP_MS: plans the visits recent flagged nights and the visiting policies call
 * for, then flags open visits that passed their due time (once each) and tells the live
 * stream. A sweep never overlaps the previous one; planning the same state twice stores nothing new.
 */
@Injectable()
export class VisitPlannerJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('VisitPlanner');
  private readonly sweeps: RepeatingSweep;

  constructor(
    private readonly source: PlanningSourceRepository,
    private readonly visits: VisitRepository,
    private readonly events: VisitEvents,
    private readonly config: SupervisionConfig,
    private readonly clock: Clock,
    private readonly database: DatabaseHealth,
  ) {
    this.sweeps = new RepeatingSweep(
      () => this.sweep(),
      this.config.sweepMs,
      (err) => {
        if (!this.database.unavailable('visit planning', err))
          this.log.error({ msg: 'visit planning failed', err: err.message });
      },
    );
  }

  onApplicationBootstrap(): void {
    this.sweeps.start(Math.min(FIRST_SWEEP_MS, this.config.sweepMs));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sweeps.stop();
  }

  /** One pass. Public for tests. */
  async sweep(): Promise<{ planned: number; overdue: number }> {
    const now = this.clock.now();
    const flagged = await this.source.flaggedSince(now - this.config.deviationLookbackMs);
    const residents = await this.source.residents(flagged.map((f) => f.residentId));
    const drafts = planVisits({
      now,
      residents,
      flagged,
      policies: await this.source.policies(),
      options: { deviationDueMs: this.config.deviationDueMs, policyLeadMs: this.config.policyLeadMs },
    });
    const stored = await this.visits.insertNew(drafts.map((d) => newVisit(d, 'system', now)));
    for (const visit of stored) this.events.events$.next({ type: 'visit.planned', at: now, visit });

    let overdue = 0;
    const late = newlyOverdue(await this.visits.unflaggedOverdue(now, this.config.overduePerSweep), now);
    for (const visit of late) {
      if (!(await this.visits.markOverdue(visit))) continue;
      overdue++;
      this.events.events$.next({ type: 'visit.overdue', at: now, visit });
    }
    if (stored.length || overdue) this.log.log({ msg: 'visits planned', planned: stored.length, overdue });
    return { planned: stored.length, overdue };
  }
}
