import { Injectable } from '@nestjs/common';
import { Clock } from '@bedside/common';
import { MinuteRollupRepository, ROLLUP_DEFINITIONS, TelemetryStore, type MinuteRollup } from '@bedside/telemetry';
import { assessNights } from '../domain/assess-nights';
import type { WellnessSample } from '../domain/night-summary';
import { addNights, nightWindow, type NightDate } from '../domain/night-window';
import { summariseNight, summariseRollups, type SummariseOptions } from '../domain/summarise-night';
import { BedNightSourceRepository, type BedContext } from '../persistence/bed-night-source.repository';
import { NightSummaryRepository, type StoredNight } from '../persistence/night-summary.repository';
import { WellnessThresholdsRepository } from '../persistence/wellness-thresholds.repository';
import { WellnessConfig } from './wellness.config';

const PAGE = 10_000;

/**
 * Computes and stores one bed's night: reads its telemetry (the per-minute rollups folded at
 * ingest; the raw samples for a night older than the rollups or a bed without any) and alarms,
 * summarises, assesses it
 * against the nights before it, and re-assesses the later nights whose baseline it is part of.
 * Idempotent: computing a night again from the same data stores the same figures.
 */
@Injectable()
export class NightComputer {
  constructor(
    private readonly store: TelemetryStore,
    private readonly rollups: MinuteRollupRepository,
    private readonly source: BedNightSourceRepository,
    private readonly summaries: NightSummaryRepository,
    private readonly organisationThresholds: WellnessThresholdsRepository,
    private readonly config: WellnessConfig,
    private readonly clock: Clock,
  ) {}

  /** Fixed once the migration ran: read once. */
  private completeSince: Promise<number | null> | undefined;

  /** Null when the bed is gone or has no resident (a night of nobody is no one's history). */
  async compute(bedId: string, night: NightDate): Promise<Omit<StoredNight, 'revision'> | null> {
    const bed = await this.source.bed(bedId);
    if (!bed?.residentId) return null;
    const { hours, definitions, baseline } = this.config;
    const thresholds = (await this.organisationThresholds.of(bed.organisationId)) ?? this.config.thresholds;
    const window = nightWindow(night, bed.timeZone, hours);
    const options: SummariseOptions = { night, timeZone: bed.timeZone, hours, devices: bed.devices, definitions };
    const [rollups, alarms] = await Promise.all([
      this.rollupsOf(bed, window.start, window.end),
      this.source.alarms(bedId, window.start, window.end),
    ]);
    const summary = rollups
      ? summariseRollups(rollups, alarms, options)
      : summariseNight(await this.samples(bedId, window.start, window.end), alarms, options);

    const around = (
      await this.summaries.ofBed(
        bedId,
        addNights(night, -baseline.windowNights),
        addNights(night, baseline.windowNights),
      )
    ).filter((s) => s.residentId === bed.residentId && s.night !== night);
    const history = [...around.map((s) => s.summary), summary];
    const [assessed] = assessNights(history, [summary], { baseline, thresholds });
    const computedAt = this.clock.now();
    const target = {
      bedId,
      night,
      residentId: bed.residentId,
      organisationId: bed.organisationId,
      summary,
      baseline: assessed.baseline,
      deviations: assessed.deviations,
      computedAt,
    };

    // Later nights whose assessment this night changes (it is in their baseline window).
    const later = around.filter((s) => s.night > night);
    const reassessed = assessNights(
      history,
      later.map((s) => s.summary),
      { baseline, thresholds },
    );
    const changed = later.flatMap((stored, i) => {
      const a = reassessed[i];
      if (
        JSON.stringify(a.baseline) === JSON.stringify(stored.baseline) &&
        JSON.stringify(a.deviations) === JSON.stringify(stored.deviations)
      )
        return [];
      return [{ ...stored, baseline: a.baseline, deviations: a.deviations, computedAt }];
    });
    await this.summaries.save([target, ...changed]);
    return target;
  }

  /**
   * The bed's rollups of the window, or null when they cannot stand for its samples: the night
   * began before rollups were complete, the bed has none in it (no data, or stored before them),
   * or the summary's definitions are not those the rollups were folded with.
   */
  private async rollupsOf(bed: BedContext, from: number, to: number): Promise<MinuteRollup[] | null> {
    const { minSignalQuality, restlessMovement } = this.config.definitions;
    if (minSignalQuality !== ROLLUP_DEFINITIONS.minSignalQuality) return null;
    if (restlessMovement !== ROLLUP_DEFINITIONS.restlessMovement) return null;
    this.completeSince ??= this.rollups.completeSince();
    const since = await this.completeSince.catch((err: unknown) => {
      this.completeSince = undefined;
      throw err;
    });
    if (since !== null && from < since) return null;
    const rollups = await this.rollups.ofBed(bed.bedId, from, to);
    return rollups.length ? rollups : null;
  }

  /** Every sample of the bed in [from, to), page by page (a night at 1 Hz is 65,000 per device). */
  private async samples(bedId: string, from: number, to: number): Promise<WellnessSample[]> {
    const out: WellnessSample[] = [];
    let cursor = from;
    let seenAtCursor = new Set<string>();
    for (;;) {
      const page = await this.store.query({ bedId, from: cursor, to, limit: PAGE });
      for (const p of page) if (p.ts !== cursor || !seenAtCursor.has(p.deviceId)) out.push(p);
      if (page.length < PAGE) return out;
      const last = page[page.length - 1].ts;
      // The next page starts at the last instant again, since other devices may share it; what
      // this page already had of that instant is skipped. A page of one instant steps past it.
      cursor = last === page[0].ts ? last + 1 : last;
      seenAtCursor = new Set(page.filter((p) => p.ts === cursor).map((p) => p.deviceId));
    }
  }
}
