import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { VisitPolicy } from './domain/visit-planner';

/** Each organisation's visiting policy per resident category, and residents' categories. */
@Injectable()
export class VisitPolicyRepository {
  constructor(private readonly database: Database) {}

  async of(organisationId: string): Promise<VisitPolicy[]> {
    const rows = await this.database.db
      .selectFrom('visit_policies')
      .select(['category', 'interval_days'])
      .where('organisation_id', '=', organisationId)
      .orderBy('category')
      .execute();
    return rows.map((r) => ({ category: r.category, intervalDays: r.interval_days }));
  }

  /** Replaces the organisation's whole policy. */
  async replace(organisationId: string, policies: readonly VisitPolicy[], by: string, at: Date): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('visit_policies').where('organisation_id', '=', organisationId).execute();
      if (policies.length)
        await trx
          .insertInto('visit_policies')
          .values(
            policies.map((p) => ({
              organisation_id: organisationId,
              category: p.category,
              interval_days: p.intervalDays,
              updated_by: by,
              updated_at: at,
            })),
          )
          .execute();
    });
  }

  async categoriesOf(residentId: string): Promise<{ category: string; since: Date }[]> {
    return this.database.db
      .selectFrom('resident_categories')
      .select(['category', 'since'])
      .where('resident_id', '=', residentId)
      .orderBy('category')
      .execute();
  }

  /**
   * Sets the resident's categories. A category given with `since` takes it; one given without
   * keeps the date it already had, or starts at `at` if new.
   */
  async setCategories(
    residentId: string,
    categories: readonly { category: string; since?: Date }[],
    at: Date,
  ): Promise<void> {
    await this.database.db.transaction().execute(async (trx) => {
      let del = trx.deleteFrom('resident_categories').where('resident_id', '=', residentId);
      if (categories.length)
        del = del.where(
          'category',
          'not in',
          categories.map((c) => c.category),
        );
      await del.execute();
      for (const c of categories) {
        await trx
          .insertInto('resident_categories')
          .values({ resident_id: residentId, category: c.category, since: c.since ?? at })
          .onConflict((oc) =>
            c.since ? oc.columns(['resident_id', 'category']).doUpdateSet({ since: c.since }) : oc.doNothing(),
          )
          .execute();
      }
    });
  }
}
