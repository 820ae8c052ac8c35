import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AlarmService } from '@bedside/alarms';
import type { AuthUser } from '@bedside/auth';
import { Clock, RepeatingSweep } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { DatabaseHealth } from '@bedside/database';
import { DispatchRepository, type Dispatch } from './dispatch.repository';
import { awaitedStep, minutesLate } from './domain/dispatch-due';

/** Work orders flagged in one pass at most; the rest wait for the next pass. */
const PER_SWEEP = 200;

const SYSTEM: AuthUser = {
  userId: null,
  username: 'system',
  displayName: 'system',
  role: 'admin',
  organisationId: null,
};

/**
 * Every DISPATCH_OVERDUE_SWEEP_MS: claims open work orders past their due time that were not
 * flagged yet (arrival, or close-out once on site), then writes a coded note on each alarm's
 * timeline, which also tells the consoles of the alarm's organisation live
 * (alarm.dispatch_overdue on the alarm stream). The claim is the idempotency of the flag:
 * stored per dispatch, taken by one node of a cluster only (SKIP LOCKED), never taken again
 * after a restart. The note is a second transaction, on the alarm's owner node: once it is
 * written the flag is marked noted, and a flag left unnoted for a whole sweep period (the node
 * died, or the note failed) is noted by the next sweep of any node. The alarm's owner writes a
 * note at most once per flag (same dispatch, step and due time), so a retry racing a slow first
 * attempt writes nothing twice. A sweep never overlaps the previous one.
 */
@Injectable()
export class DispatchOverdueJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('DispatchOverdue');
  private readonly sweeps: RepeatingSweep;

  constructor(
    private readonly dispatches: DispatchRepository,
    private readonly alarms: AlarmService,
    private readonly env: EnvDto,
    private readonly clock: Clock,
    private readonly database: DatabaseHealth,
  ) {
    this.sweeps = new RepeatingSweep(
      () => this.sweep(),
      this.env.DISPATCH_OVERDUE_SWEEP_MS,
      (err) => {
        if (!this.database.unavailable('overdue work orders', err))
          this.log.error({ msg: 'overdue work orders not checked', err: err.message });
      },
    );
  }

  onApplicationBootstrap(): void {
    this.sweeps.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sweeps.stop();
  }

  /** One pass; answers how many work orders it flagged. Public for tests. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    // Flags older than one sweep period: their node had a whole pass to write the note.
    const stale = await this.dispatches.unnoted(new Date(now - this.env.DISPATCH_OVERDUE_SWEEP_MS), PER_SWEEP);
    const late = await this.dispatches.claimOverdue(new Date(now), PER_SWEEP);
    for (const d of [...stale, ...late]) await this.note(d, now);
    if (stale.length) this.log.warn({ msg: 'overdue notes written again', count: stale.length });
    if (late.length) this.log.warn({ msg: 'work orders overdue', count: late.length });
    return late.length;
  }

  /** The coded note and stream event of a flag, then the mark that they are written. */
  private async note(d: Dispatch, now: number): Promise<void> {
    const step = awaitedStep(d.status) ?? 'arrival';
    const minutes = minutesLate(d.dueAt!.getTime(), now);
    try {
      await this.alarms.recordActivity(
        d.alarmId,
        SYSTEM,
        'dispatch.overdue',
        `${d.responderName}: ${step === 'arrival' ? 'not on site' : 'not closed'} ${minutes} min after the due time`,
        {
          code: 'dispatch_overdue',
          params: {
            dispatchId: d.id,
            type: d.responderType,
            name: d.responderName,
            step,
            due: d.dueAt!.toISOString(),
            minutes,
          },
        },
        'alarm.dispatch_overdue',
        ['dispatchId', 'step', 'due'],
      );
      await this.dispatches.markNoted(d.id, d.overdueAt!, new Date(this.clock.now()));
    } catch (err) {
      // The flag is stored (the order shows overdue in the lists) but not marked noted: a later sweep tries again.
      this.log.error({ msg: 'overdue note not written', dispatchId: d.id, err: (err as Error).message });
    }
  }
}
