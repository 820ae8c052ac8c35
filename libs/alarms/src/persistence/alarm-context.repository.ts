import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { AlarmContext } from '../model/alarm-context';

/** Registry and identity facts that make an alarm readable: bed, resident, household, user display names. */
@Injectable()
export class AlarmContextRepository {
  constructor(private readonly database: Database) {}

  async forBeds(bedIds: readonly string[]): Promise<Map<string, AlarmContext>> {
    if (bedIds.length === 0) return new Map();
    const rows = await this.database.db
      .selectFrom('beds')
      .innerJoin('households', 'households.id', 'beds.household_id')
      .leftJoin('residents', 'residents.id', 'beds.resident_id')
      .select([
        'beds.id as bedId',
        'beds.label as bedLabel',
        'residents.name as residentName',
        'households.id as householdId',
        'households.name as householdName',
        'households.address as address',
        'households.time_zone as timeZone',
      ])
      .where('beds.id', 'in', [...new Set(bedIds)])
      .execute();
    return new Map(rows.map(({ bedId, ...context }) => [bedId, context]));
  }

  /** Display names by username; system actors (`system`, `device:…`) have none. */
  async displayNames(usernames: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(usernames)].filter((u) => u && u !== 'system' && !u.startsWith('device'));
    if (wanted.length === 0) return new Map();
    const rows = await this.database.db
      .selectFrom('users')
      .select(['username', 'display_name'])
      .where('username', 'in', wanted)
      .execute();
    return new Map(rows.map((r) => [r.username, r.display_name]));
  }
}
