import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { Clock, RepeatingSweep } from '@bedside/common';
import { DatabaseHealth } from '@bedside/database';
import { IngestEvents } from '@bedside/ingest';
import { TelemetryStore } from '@bedside/telemetry';
import { addNights, lastEndedNight, nightWindow } from '../domain/night-window';
import { BedNightSourceRepository } from '../persistence/bed-night-source.repository';
import { NightRequestRepository } from '../persistence/night-request.repository';
import { LateDataTracker } from './late-data.tracker';
import { NightComputer } from './night-computer.service';
import { WellnessConfig } from './wellness.config';

/** First sweep soon after start, to fill in nights that ended while the hub was down. */
const FIRST_SWEEP_MS = 10_000;
const REQUESTS_PER_SWEEP = 1_000;

/**
 * Summarises every occupied bed's night once it has ended (plus a grace period) in its
 * household's zone, fills in nights missed while the hub was down, and recomputes nights that
 * late telemetry reopened. Runs every WELLNESS_SWEEP_MS on a timer; a sweep never overlaps the
 * previous one, and computing a night twice stores the same figures.
 */
@Injectable()
export class WellnessJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Wellness');
  private sub: Subscription | null = null;
  private readonly sweeps: RepeatingSweep;
  /** A sweep in flight stops between beds once shutdown begins. */
  private stopped = false;

  constructor(
    private readonly events: IngestEvents,
    private readonly tracker: LateDataTracker,
    private readonly computer: NightComputer,
    private readonly source: BedNightSourceRepository,
    private readonly requests: NightRequestRepository,
    private readonly store: TelemetryStore,
    private readonly config: WellnessConfig,
    private readonly clock: Clock,
    private readonly database: DatabaseHealth,
  ) {
    // sweep() reports its own failures.
    this.sweeps = new RepeatingSweep(
      () => this.sweep(),
      this.config.sweepMs,
      () => undefined,
    );
  }

  onApplicationBootstrap(): void {
    this.sub = this.events.telemetry$.subscribe((points) => this.tracker.note(points));
    this.sweeps.start(Math.min(FIRST_SWEEP_MS, this.config.sweepMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.sub?.unsubscribe();
    await this.sweeps.stop();
    // Late data noted since the last sweep is kept for the next start.
    await this.saveRequests(this.clock.now()).catch((err: Error) =>
      this.log.warn({ msg: 'late-data requests not saved at shutdown', err: err.message }),
    );
  }

  /** One pass: ended nights first, then the requested ones. Public for tests. */
  async sweep(): Promise<void> {
    try {
      const now = this.clock.now();
      // Samples noted as late must be stored before their nights are read again.
      await this.store.flush();
      await this.saveRequests(now);
      const due = await this.dueNights(now);
      await this.computeAll(due, (d) => this.computer.compute(d.bedId, d.night));
      const pending = (await this.requests.pending(REQUESTS_PER_SWEEP)).sort(byNight);
      await this.computeAll(pending, async (r) => {
        const startedAt = this.clock.now();
        await this.computer.compute(r.bedId, r.night);
        await this.requests.done(r.bedId, r.night, startedAt);
      });
      if (due.length || pending.length)
        this.log.log({
          msg: 'nights summarised',
          ended: due.length,
          requested: pending.length,
          ms: this.clock.now() - now,
        });
    } catch (err) {
      if (!this.database.unavailable('wellness', err))
        this.log.error({ msg: 'wellness sweep failed', err: (err as Error).message });
    }
  }

  private async saveRequests(now: number): Promise<void> {
    const requests = await this.tracker.drain(now);
    try {
      await this.requests.request(requests);
    } catch (err) {
      this.tracker.retry(requests);
      throw err;
    }
  }

  /** Ended nights of occupied beds without a summary, the last WELLNESS_CATCH_UP_NIGHTS of each zone. */
  private async dueNights(now: number): Promise<{ bedId: string; night: string }[]> {
    const out: { bedId: string; night: string }[] = [];
    for (const zone of await this.source.occupiedZones()) {
      const last = lastEndedNight(now, zone, this.config.hours, this.config.graceMs);
      for (let back = 0; back < this.config.catchUpNights; back++) {
        const night = addNights(last, -back);
        for (const bedId of await this.source.unsummarised(
          zone,
          night,
          nightWindow(night, zone, this.config.hours).end,
        ))
          out.push({ bedId, night });
      }
    }
    // Oldest night first, so a bed's baselines are built in order.
    return out.sort(byNight);
  }

  /**
   * Beds in parallel, each bed's nights one after the other in the given order: a night's
   * baseline is read from the nights stored before it, so two of one bed must not race.
   */
  private async computeAll<T extends { bedId: string; night: string }>(
    items: readonly T[],
    fn: (item: T) => Promise<unknown>,
  ): Promise<void> {
    const byBed = new Map<string, T[]>();
    for (const item of items) {
      const list = byBed.get(item.bedId);
      if (list) list.push(item);
      else byBed.set(item.bedId, [item]);
    }
    const beds = [...byBed.values()];
    let next = 0;
    const worker = async () => {
      while (!this.stopped && next < beds.length) {
        for (const item of beds[next++]) {
          if (this.stopped) return;
          try {
            await fn(item);
          } catch (err) {
            this.log.error({
              msg: 'night not summarised',
              bedId: item.bedId,
              night: item.night,
              err: (err as Error).message,
            });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: this.config.concurrency }, worker));
  }
}

const byNight = (a: { night: string }, b: { night: string }) => (a.night < b.night ? -1 : a.night > b.night ? 1 : 0);
