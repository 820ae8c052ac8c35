import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { NightDate } from '../domain/night-window';

export interface NightRequest {
  bedId: string;
  night: NightDate;
  requestedAt: number;
  reason: 'late_data' | 'manual';
}

/** Nights to (re)compute, kept in the database so that late data seen before a crash is not forgotten. */
@Injectable()
export class NightRequestRepository {
  constructor(private readonly database: Database) {}

  async request(requests: readonly NightRequest[]): Promise<void> {
    if (!requests.length) return;
    await this.database.db
      .insertInto('night_summary_requests')
      .values(
        requests.map((r) => ({
          bed_id: r.bedId,
          night: r.night,
          requested_at: new Date(r.requestedAt),
          reason: r.reason,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['bed_id', 'night'])
          .doUpdateSet((eb) => ({ requested_at: eb.ref('excluded.requested_at'), reason: eb.ref('excluded.reason') })),
      )
      .execute();
  }

  /** Oldest requests first. */
  async pending(limit: number): Promise<NightRequest[]> {
    const rows = await this.database.db
      .selectFrom('night_summary_requests')
      .selectAll()
      .orderBy('requested_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      bedId: r.bed_id,
      night: r.night,
      requestedAt: new Date(r.requested_at).getTime(),
      reason: r.reason,
    }));
  }

  /** Done, unless it was requested again after the computation started (more late data). */
  async done(bedId: string, night: NightDate, startedAt: number): Promise<void> {
    await this.database.db
      .deleteFrom('night_summary_requests')
      .where('bed_id', '=', bedId)
      .where('night', '=', night)
      .where('requested_at', '<=', new Date(startedAt))
      .execute();
  }
}
