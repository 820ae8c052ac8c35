import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@bedside/auth';
import { notFound } from '@bedside/common';
import { Database } from '@bedside/database';

export type Owned = 'organisation' | 'household' | 'resident' | 'bed' | 'device';

/**
 * Organisation isolation for the registry: a user bound to an organisation sees only its own
 * records. A record of another organisation answers 404, as if it did not exist, so ids of
 * other call centres' residents cannot be probed.
 */
@Injectable()
export class RegistryAccess {
  constructor(private readonly database: Database) {}

  /** The organisation a user's lists are limited to (undefined: all, for platform admins). */
  scope(user: AuthUser): string | undefined {
    return user.organisationId ?? undefined;
  }

  /** 404 when the record does not exist or belongs to another organisation than the user's. */
  async check(user: AuthUser, what: Owned, id: string): Promise<void> {
    const org = await this.organisationOf(what, id);
    if (org === undefined || (user.organisationId && org !== user.organisationId)) throw notFound(what, id);
  }

  checkOrganisation(user: AuthUser, organisationId: string): void {
    if (user.organisationId && user.organisationId !== organisationId) throw notFound('organisation', organisationId);
  }

  async organisationOf(what: Owned, id: string): Promise<string | undefined> {
    const db = this.database.db;
    switch (what) {
      case 'organisation':
        return id;
      case 'household':
        return (await db.selectFrom('households').select('organisation_id').where('id', '=', id).executeTakeFirst())?.organisation_id;
      case 'resident':
        return (await db.selectFrom('residents').innerJoin('households', 'households.id', 'residents.household_id').select('households.organisation_id').where('residents.id', '=', id).executeTakeFirst())?.organisation_id;
      case 'bed':
        return (await db.selectFrom('beds').innerJoin('households', 'households.id', 'beds.household_id').select('households.organisation_id').where('beds.id', '=', id).executeTakeFirst())?.organisation_id;
      case 'device':
        return (await db.selectFrom('devices').select('organisation_id').where('id', '=', id).executeTakeFirst())?.organisation_id;
    }
  }
}
