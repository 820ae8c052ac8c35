import { Injectable } from '@nestjs/common';
import { DEVICE_ID_PATTERN } from '@bedside/contracts';
import { Database } from '@bedside/database';
import type { Resource } from './route-access';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shape of each record's id, checked before any lookup so nothing malformed reaches SQL. */
export const ID_FORMAT: Record<Resource, { pattern: RegExp; description: string }> = {
  organisation: { pattern: UUID, description: 'a UUID' },
  household: { pattern: UUID, description: 'a UUID' },
  resident: { pattern: UUID, description: 'a UUID' },
  bed: { pattern: UUID, description: 'a UUID' },
  device: { pattern: DEVICE_ID_PATTERN, description: 'a device id (3-64 characters of A-Z a-z 0-9 _ -)' },
  alarm: { pattern: UUID, description: 'a UUID' },
  webhook: { pattern: UUID, description: 'a UUID' },
  user: { pattern: UUID, description: 'a UUID' },
  region: { pattern: UUID, description: 'a UUID' },
  visit: { pattern: UUID, description: 'a UUID' },
};

/** Absent: no such record. null: a record of the platform itself (a platform administrator). */
export type Owner = string | null | undefined;

/** Which organisation owns a record: one indexed lookup per reference a route declares. */
@Injectable()
export class AccessRepository {
  constructor(private readonly database: Database) {}

  async organisationOf(resource: Resource, id: string): Promise<Owner> {
    const db = this.database.db;
    switch (resource) {
      case 'organisation':
        return (await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst())?.id;
      case 'household':
        return (await db.selectFrom('households').select('organisation_id').where('id', '=', id).executeTakeFirst())
          ?.organisation_id;
      case 'resident':
        return (
          await db
            .selectFrom('residents')
            .innerJoin('households', 'households.id', 'residents.household_id')
            .select('households.organisation_id')
            .where('residents.id', '=', id)
            .executeTakeFirst()
        )?.organisation_id;
      case 'bed':
        return (
          await db
            .selectFrom('beds')
            .innerJoin('households', 'households.id', 'beds.household_id')
            .select('households.organisation_id')
            .where('beds.id', '=', id)
            .executeTakeFirst()
        )?.organisation_id;
      case 'device':
        return (await db.selectFrom('devices').select('organisation_id').where('id', '=', id).executeTakeFirst())
          ?.organisation_id;
      case 'alarm':
        return (await db.selectFrom('alarms').select('organisation_id').where('id', '=', id).executeTakeFirst())
          ?.organisation_id;
      case 'webhook':
        return (await db.selectFrom('webhooks').select('organisation_id').where('id', '=', id).executeTakeFirst())
          ?.organisation_id;
      case 'region':
        return (await db.selectFrom('regions').select('organisation_id').where('id', '=', id).executeTakeFirst())
          ?.organisation_id;
      case 'visit':
        return (await db.selectFrom('visits').select('organisation_id').where('id', '=', id).executeTakeFirst())
          ?.organisation_id;
      case 'user': {
        const row = await db
          .selectFrom('users')
          .select('organisation_id')
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        return row ? row.organisation_id : undefined;
      }
    }
  }
}
