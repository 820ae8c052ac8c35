import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@bedside/common';
import type { TelemetryPoint } from '@bedside/telemetry';
import { nightOf, nightWindow, nightsBetween } from '../domain/night-window';
import { BedNightSourceRepository } from '../persistence/bed-night-source.repository';
import type { NightRequest } from '../persistence/night-request.repository';
import { WellnessConfig } from './wellness.config';

const MINUTE = 60_000;
/** Per bed between two sweeps: a week of minutes. Beyond it a replay is already reopening every night it touches. */
const MAX_MINUTES_PER_BED = 10_080;

/**
 * Notices telemetry for nights that have already been summarised (a device that was offline
 * sending its buffer, a gateway replaying a spool). Live samples cost one comparison: only a
 * sample older than the grace period can belong to an ended night. Those are remembered by bed
 * and minute (night boundaries fall on whole local minutes in every zone), and turned into
 * requests, with the bed's zone, when the job sweeps.
 */
@Injectable()
export class LateDataTracker {
  private readonly log = new Logger('Wellness');
  private marks = new Map<string, Set<number>>();
  /** Requests drained but not stored (the database was away): handed out again at the next drain. */
  private unsaved: NightRequest[] = [];

  constructor(
    private readonly source: BedNightSourceRepository,
    private readonly config: WellnessConfig,
    private readonly clock: Clock,
  ) {}

  note(points: readonly TelemetryPoint[]): void {
    const horizon = this.clock.now() - this.config.graceMs;
    for (const p of points) {
      if (p.ts >= horizon || !p.bedId) continue;
      let minutes = this.marks.get(p.bedId);
      if (!minutes) this.marks.set(p.bedId, (minutes = new Set()));
      if (minutes.size < MAX_MINUTES_PER_BED) minutes.add(Math.floor(p.ts / MINUTE) * MINUTE);
    }
  }

  /** The ended nights the noted samples fall in, once each; forgets them. */
  async drain(now: number): Promise<NightRequest[]> {
    const retried = this.unsaved;
    this.unsaved = [];
    if (!this.marks.size) return retried;
    const marks = this.marks;
    this.marks = new Map();
    let zones: Map<string, string>;
    try {
      zones = await this.source.zonesOf([...marks.keys()]);
    } catch (err) {
      this.restore(marks);
      throw err;
    }
    const requests = new Map<string, NightRequest>(retried.map((r) => [`${r.bedId}|${r.night}`, r]));
    const today = new Date(now).toISOString().slice(0, 10);
    for (const [bedId, minutes] of marks) {
      const zone = zones.get(bedId);
      if (!zone) continue;
      for (const minute of minutes) {
        const night = nightOf(minute, zone, this.config.hours);
        if (!night || requests.has(`${bedId}|${night}`)) continue;
        if (nightWindow(night, zone, this.config.hours).end + this.config.graceMs > now) continue;
        if (nightsBetween(night, today) > this.config.maxLateNights) continue;
        requests.set(`${bedId}|${night}`, { bedId, night, requestedAt: now, reason: 'late_data' });
      }
    }
    if (requests.size) this.log.log({ msg: 'late telemetry reopens nights', nights: requests.size, beds: marks.size });
    return [...requests.values()];
  }

  /** Requests that could not be stored: they come back with the next drain. */
  retry(requests: readonly NightRequest[]): void {
    this.unsaved.push(...requests);
  }

  private restore(marks: Map<string, Set<number>>): void {
    for (const [bedId, minutes] of marks) {
      const current = this.marks.get(bedId);
      if (!current) this.marks.set(bedId, minutes);
      else for (const m of minutes) if (current.size < MAX_MINUTES_PER_BED) current.add(m);
    }
  }
}
