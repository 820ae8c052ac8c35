import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Database, type Contact, type HouseholdsTable } from '@bedside/database';
import { DomainError, newId, notFound } from '@bedside/common';

export interface Household {
  id: string;
  organisationId: string;
  name: string;
  address: string;
  timeZone: string;
  /** Sorted by call order. */
  contacts: Contact[];
  createdAt: Date;
}

const byCallOrder = (a: Contact, b: Contact) => a.callOrder - b.callOrder;

function toHousehold(r: Selectable<HouseholdsTable>): Household {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    name: r.name,
    address: r.address,
    timeZone: r.time_zone,
    contacts: [...r.contacts].sort(byCallOrder),
    createdAt: r.created_at,
  };
}

function checkCallOrder(contacts: Contact[]): void {
  const orders = contacts.map((c) => c.callOrder);
  if (new Set(orders).size !== orders.length) {
    throw new DomainError('VALIDATION_FAILED', 'contacts must have distinct callOrder values', { callOrders: orders });
  }
}

@Injectable()
export class HouseholdRepository {
  constructor(private readonly database: Database) {}

  async create(h: Omit<Household, 'id' | 'createdAt'>): Promise<Household> {
    checkCallOrder(h.contacts);
    const row = await this.database.db
      .insertInto('households')
      .values({
        id: newId(),
        organisation_id: h.organisationId,
        name: h.name,
        address: h.address,
        time_zone: h.timeZone,
        contacts: JSON.stringify(h.contacts),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toHousehold(row);
  }

  async update(id: string, patch: Partial<Omit<Household, 'id' | 'createdAt' | 'organisationId'>>): Promise<Household> {
    if (patch.contacts) checkCallOrder(patch.contacts);
    const row = await this.database.db
      .updateTable('households')
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.address !== undefined && { address: patch.address }),
        ...(patch.timeZone !== undefined && { time_zone: patch.timeZone }),
        ...(patch.contacts !== undefined && { contacts: JSON.stringify(patch.contacts) }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('household', id);
    return toHousehold(row);
  }

  async get(id: string): Promise<Household> {
    const r = await this.database.db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('household', id);
    return toHousehold(r);
  }

  async list(organisationId?: string): Promise<Household[]> {
    let q = this.database.db.selectFrom('households').selectAll();
    if (organisationId) q = q.where('organisation_id', '=', organisationId);
    return (await q.orderBy('created_at').execute()).map(toHousehold);
  }
}
