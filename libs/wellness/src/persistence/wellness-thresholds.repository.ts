import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { DeviationThresholds } from '../domain/deviations';

/**
 * Organisations' own deviation thresholds. Read for every night computed, so kept in memory
 * once read; the hub is the only writer, and a write replaces the cached entry.
 */
@Injectable()
export class WellnessThresholdsRepository {
  private readonly cache = new Map<string, DeviationThresholds | null>();

  constructor(private readonly database: Database) {}

  /** Null when the organisation keeps the defaults. */
  async of(organisationId: string): Promise<DeviationThresholds | null> {
    const cached = this.cache.get(organisationId);
    if (cached !== undefined) return cached;
    const row = await this.database.db
      .selectFrom('wellness_thresholds')
      .select('thresholds')
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    const thresholds = row ? (row.thresholds as unknown as DeviationThresholds) : null;
    this.cache.set(organisationId, thresholds);
    return thresholds;
  }

  async save(organisationId: string, thresholds: DeviationThresholds, by: string, at: Date): Promise<void> {
    await this.database.db
      .insertInto('wellness_thresholds')
      .values({
        organisation_id: organisationId,
        thresholds: JSON.stringify(thresholds),
        updated_by: by,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.column('organisation_id').doUpdateSet((eb) => ({
          thresholds: eb.ref('excluded.thresholds'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    this.cache.set(organisationId, thresholds);
  }
}
