import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Database, type BedsTable } from '@bedside/database';
import { newId, notFound } from '@bedside/common';

export interface Bed {
  id: string;
  householdId: string;
  residentId: string | null;
  label: string;
  createdAt: Date;
}

const toBed = (r: Selectable<BedsTable>): Bed => ({
  id: r.id,
  householdId: r.household_id,
  residentId: r.resident_id,
  label: r.label,
  createdAt: r.created_at,
});

@Injectable()
export class BedRepository {
  constructor(private readonly database: Database) {}

  async create(b: Omit<Bed, 'id' | 'createdAt'>): Promise<Bed> {
    const row = await this.database.db
      .insertInto('beds')
      .values({ id: newId(), household_id: b.householdId, resident_id: b.residentId, label: b.label })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toBed(row);
  }

  async get(id: string): Promise<Bed> {
    const r = await this.database.db.selectFrom('beds').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('bed', id);
    return toBed(r);
  }

  async list(householdId?: string, organisationId?: string): Promise<Bed[]> {
    let q = this.database.db.selectFrom('beds').selectAll('beds');
    if (householdId) q = q.where('beds.household_id', '=', householdId);
    if (organisationId)
      q = q.where('beds.household_id', 'in', (eb) =>
        eb.selectFrom('households').select('id').where('organisation_id', '=', organisationId),
      );
    return (await q.orderBy('beds.created_at').execute()).map(toBed);
  }

  async assignResident(id: string, residentId: string | null): Promise<Bed> {
    const row = await this.database.db
      .updateTable('beds')
      .set({ resident_id: residentId })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('bed', id);
    return toBed(row);
  }
}
