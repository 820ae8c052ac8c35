import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';

/** Held alarms, for the hold timer after a start. */
@Injectable()
export class HoldRepository {
  constructor(private readonly database: Database) {}

  async held(): Promise<{ id: string; until: number }[]> {
    const rows = await this.database.db
      .selectFrom('alarms')
      .select(['id', 'held_until'])
      .where('held_until', 'is not', null)
      .where('state', '<>', 'resolved')
      .execute();
    return rows.map((r) => ({ id: r.id, until: r.held_until!.getTime() }));
  }
}
