import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@bedside/common';
import { TelemetryStore } from '@bedside/telemetry';
import { mergeThresholds, type DeviationThresholds } from '../domain/deviations';
import { addNights, isNightDate, nightsBetween, type NightDate } from '../domain/night-window';
import { BedNightSourceRepository } from '../persistence/bed-night-source.repository';
import {
  NightSummaryRepository,
  type FlaggedResident,
  type StoredNight,
} from '../persistence/night-summary.repository';
import { WellnessThresholdsRepository } from '../persistence/wellness-thresholds.repository';
import { NightComputer } from './night-computer.service';
import { WellnessConfig } from './wellness.config';

/** Longest range of nights one call reads. */
export const MAX_READ_NIGHTS = 366;
/** Longest range of nights one call recomputes (each is a telemetry read). */
export const MAX_RECOMPUTE_NIGHTS = 62;
/** Nights shown when no range is given. */
export const DEFAULT_NIGHTS = 28;

export interface NightRange {
  from: NightDate;
  to: NightDate;
}

/** What the wellness routes answer: stored nights, visit lists, and recomputation on request. */
@Injectable()
export class WellnessService {
  constructor(
    private readonly summaries: NightSummaryRepository,
    private readonly source: BedNightSourceRepository,
    private readonly computer: NightComputer,
    private readonly store: TelemetryStore,
    private readonly organisationThresholds: WellnessThresholdsRepository,
    private readonly config: WellnessConfig,
    private readonly clock: Clock,
  ) {}

  async thresholds(organisationId: string): Promise<{ thresholds: DeviationThresholds; defaults: boolean }> {
    const own = await this.organisationThresholds.of(organisationId);
    return { thresholds: own ?? this.config.thresholds, defaults: own === null };
  }

  /**
   * The organisation's thresholds become the defaults with the given parts replaced (a part left
   * out is the default again). Nights computed from now on use them; stored nights keep the
   * flags they were assessed with until recomputed.
   */
  async setThresholds(
    organisationId: string,
    change: Parameters<typeof mergeThresholds>[1],
    by: string,
  ): Promise<{ thresholds: DeviationThresholds; defaults: boolean }> {
    const thresholds = mergeThresholds(this.config.thresholds, change);
    await this.organisationThresholds.save(organisationId, thresholds, by, new Date(this.clock.now()));
    return { thresholds, defaults: false };
  }

  async residentNights(
    residentId: string,
    from: string | undefined,
    to: string | undefined,
  ): Promise<NightRange & { nights: StoredNight[] }> {
    const range = this.range(from, to, MAX_READ_NIGHTS);
    return { ...range, nights: await this.summaries.ofResident(residentId, range.from, range.to) };
  }

  async flagged(organisationId: string, night: string): Promise<{ night: NightDate; residents: FlaggedResident[] }> {
    if (!isNightDate(night)) throw invalid('date', 'date must be a night date, YYYY-MM-DD');
    return { night, residents: await this.summaries.flagged(organisationId, night) };
  }

  /** Computes the resident's nights in the range again, in each of their beds, oldest first. */
  async recompute(residentId: string, from: string, to: string): Promise<NightRange & { nights: StoredNight[] }> {
    const range = this.range(from, to, MAX_RECOMPUTE_NIGHTS);
    // Telemetry accepted moments ago may still be on its way to storage.
    await this.store.flush();
    for (const bedId of await this.source.bedsOfResident(residentId)) {
      for (let night = range.from; night <= range.to; night = addNights(night, 1))
        await this.computer.compute(bedId, night);
    }
    return { ...range, nights: await this.summaries.ofResident(residentId, range.from, range.to) };
  }

  private range(from: string | undefined, to: string | undefined, max: number): NightRange {
    if (from !== undefined && !isNightDate(from)) throw invalid('from', 'from must be a night date, YYYY-MM-DD');
    if (to !== undefined && !isNightDate(to)) throw invalid('to', 'to must be a night date, YYYY-MM-DD');
    const end =
      to ?? (from ? addNights(from, DEFAULT_NIGHTS - 1) : new Date(this.clock.now()).toISOString().slice(0, 10));
    const start = from ?? addNights(end, -(DEFAULT_NIGHTS - 1));
    if (start > end) throw invalid('from', 'from must not be after to');
    if (nightsBetween(start, end) + 1 > max) throw invalid('to', `at most ${max} nights at a time`);
    return { from: start, to: end };
  }
}

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, { field });
