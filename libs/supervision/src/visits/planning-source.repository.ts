import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import { OPEN_STATES } from './domain/visit';
import type { FlaggedNight, PlanningResident, VisitPolicy } from './domain/visit-planner';

/** What the planner reads: residents with a category or a recent flagged night, and every policy. */
@Injectable()
export class PlanningSourceRepository {
  constructor(private readonly database: Database) {}

  /** Flagged nights whose window closed at or after `since`, for residents still registered. */
  async flaggedSince(since: number): Promise<(FlaggedNight & { organisationId: string })[]> {
    const rows = await this.database.db
      .selectFrom('night_summaries')
      .select(['resident_id', 'night', 'window_end', 'deviations', 'organisation_id'])
      .where('flagged', '=', true)
      .where('resident_id', 'is not', null)
      .where('window_end', '>=', new Date(since))
      .execute();
    return rows.map((r) => ({
      residentId: r.resident_id!,
      night: r.night,
      windowEnd: r.window_end.getTime(),
      organisationId: r.organisation_id,
      codes: (r.deviations as { code: string }[]).map((d) => d.code),
    }));
  }

  async residents(ids: readonly string[]): Promise<PlanningResident[]> {
    const db = this.database.db;
    const categorised = await db.selectFrom('resident_categories').select('resident_id').distinct().execute();
    const all = [...new Set([...ids, ...categorised.map((r) => r.resident_id)])];
    if (!all.length) return [];
    const people = await db
      .selectFrom('residents')
      .innerJoin('households', 'households.id', 'residents.household_id')
      .select(['residents.id', 'residents.household_id', 'households.organisation_id'])
      .where('residents.id', 'in', all)
      .execute();
    const categories = await db.selectFrom('resident_categories').selectAll().where('resident_id', 'in', all).execute();
    const seen = await db
      .selectFrom('visits')
      .select(['resident_id', (eb) => eb.fn.max('checked_in_at').as('last')])
      .where('state', '=', 'visited')
      .where('resident_id', 'in', all)
      .groupBy('resident_id')
      .execute();
    const open = await db
      .selectFrom('visits')
      .select(['resident_id', 'due_at'])
      .where('state', 'in', OPEN_STATES)
      .where('resident_id', 'in', all)
      .execute();
    const closed = await db
      .selectFrom('visits')
      .distinctOn('resident_id')
      .select(['resident_id', 'id'])
      .where('state', 'not in', OPEN_STATES)
      .where('resident_id', 'in', all)
      .orderBy('resident_id')
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    const lastClosed = new Map(closed.map((c) => [c.resident_id, c.id]));
    const lastSeen = new Map(seen.map((s) => [s.resident_id, s.last ? new Date(s.last).getTime() : null]));
    return people.map((p) => ({
      residentId: p.id,
      householdId: p.household_id,
      organisationId: p.organisation_id,
      categories: categories
        .filter((c) => c.resident_id === p.id)
        .map((c) => ({ category: c.category, since: c.since.getTime() })),
      lastSeenAt: lastSeen.get(p.id) ?? null,
      openDueAts: open.filter((o) => o.resident_id === p.id).map((o) => o.due_at.getTime()),
      lastClosedVisitId: lastClosed.get(p.id) ?? null,
    }));
  }

  async policies(): Promise<Map<string, VisitPolicy[]>> {
    const rows = await this.database.db.selectFrom('visit_policies').selectAll().execute();
    const byOrg = new Map<string, VisitPolicy[]>();
    for (const r of rows)
      byOrg.set(r.organisation_id, [
        ...(byOrg.get(r.organisation_id) ?? []),
        { category: r.category, intervalDays: r.interval_days },
      ]);
    return byOrg;
  }
}
