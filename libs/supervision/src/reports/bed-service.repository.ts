import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '@bedside/database';

/** One spell of a bed in service; `to` null while it lasts. */
export interface ServicePeriod {
  bedId: string;
  from: number;
  to: number | null;
}

/**
 * Beds' periods in service: a bed is in service while it has a resident and at least one device
 * with valid credentials. `reconcile` closes the open period of each bed no longer in service and
 * opens one for each bed newly in service, both at `now`; run concurrently (several hubs, a sweep
 * and a report) the partial unique index keeps one open period per bed.
 */
@Injectable()
export class BedServiceRepository {
  constructor(private readonly database: Database) {}

  async reconcile(now: number): Promise<{ opened: number; closed: number }> {
    const at = new Date(now);
    const db = this.database.db;
    const closed = await sql`
      update bed_service_periods p set ended_at = greatest(${at}, p.started_at)
      where p.ended_at is null and not exists (
        select 1 from beds b
        where b.id = p.bed_id and b.resident_id is not null
          and exists (select 1 from devices d where d.bed_id = b.id and d.revoked_at is null)
      )
    `.execute(db);
    const opened = await sql`
      insert into bed_service_periods (bed_id, started_at)
      select b.id, ${at}::timestamptz from beds b
      where b.resident_id is not null
        and exists (select 1 from devices d where d.bed_id = b.id and d.revoked_at is null)
        and not exists (select 1 from bed_service_periods p where p.bed_id = b.id and p.ended_at is null)
      on conflict do nothing
    `.execute(db);
    return { opened: Number(opened.numAffectedRows ?? 0), closed: Number(closed.numAffectedRows ?? 0) };
  }

  /** The organisation's periods that overlap [from, to). */
  async overlapping(organisationId: string, from: number, to: number): Promise<ServicePeriod[]> {
    const rows = await this.database.db
      .selectFrom('bed_service_periods as p')
      .innerJoin('beds', 'beds.id', 'p.bed_id')
      .innerJoin('households', 'households.id', 'beds.household_id')
      .select(['p.bed_id', 'p.started_at', 'p.ended_at'])
      .where('households.organisation_id', '=', organisationId)
      .where('p.started_at', '<', new Date(to))
      .where((eb) => eb.or([eb('p.ended_at', 'is', null), eb('p.ended_at', '>', new Date(from))]))
      .orderBy('p.bed_id')
      .orderBy('p.started_at')
      .execute();
    return rows.map((r) => ({ bedId: r.bed_id, from: r.started_at.getTime(), to: r.ended_at?.getTime() ?? null }));
  }
}
