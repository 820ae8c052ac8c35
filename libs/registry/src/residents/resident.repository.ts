import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Database, type ResidentsTable } from '@bedside/database';
import { newId, notFound } from '@bedside/common';

export interface Resident {
  id: string;
  householdId: string;
  name: string;
  birthYear: number | null;
  conditions: string[];
  notes: string | null;
  createdAt: Date;
}

const toResident = (r: Selectable<ResidentsTable>): Resident => ({
  id: r.id,
  householdId: r.household_id,
  name: r.name,
  birthYear: r.birth_year,
  conditions: r.conditions,
  notes: r.notes,
  createdAt: r.created_at,
});

@Injectable()
export class ResidentRepository {
  constructor(private readonly database: Database) {}

  async create(r: Omit<Resident, 'id' | 'createdAt'>): Promise<Resident> {
    const row = await this.database.db
      .insertInto('residents')
      .values({
        id: newId(),
        household_id: r.householdId,
        name: r.name,
        birth_year: r.birthYear,
        conditions: JSON.stringify(r.conditions),
        notes: r.notes,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toResident(row);
  }

  async update(
    id: string,
    patch: { name?: string; birthYear?: number; conditions?: string[]; notes?: string },
  ): Promise<Resident> {
    const row = await this.database.db
      .updateTable('residents')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.birthYear !== undefined && { birth_year: patch.birthYear }),
        ...(patch.conditions !== undefined && { conditions: JSON.stringify(patch.conditions) }),
        ...(patch.notes !== undefined && { notes: patch.notes }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('resident', id);
    return toResident(row);
  }

  async get(id: string): Promise<Resident> {
    const r = await this.database.db.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('resident', id);
    return toResident(r);
  }

  async list(householdId?: string, organisationId?: string): Promise<Resident[]> {
    let q = this.database.db.selectFrom('residents').selectAll('residents');
    if (householdId) q = q.where('residents.household_id', '=', householdId);
    if (organisationId)
      q = q.where('residents.household_id', 'in', (eb) =>
        eb.selectFrom('households').select('id').where('organisation_id', '=', organisationId),
      );
    return (await q.orderBy('residents.created_at').execute()).map(toResident);
  }
}
