import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';

@Injectable()
export class DisplayRepository {
  constructor(private readonly database: Database) {}

  /** Records the first display only; later ones change nothing. Resolves true if this was the first. */
  async confirm(alarmId: string, by: string, at: Date): Promise<boolean> {
    const r = await this.database.db
      .insertInto('alarm_displays')
      .values({ alarm_id: alarmId, first_displayed_at: at, displayed_by: by })
      .onConflict((oc) => oc.column('alarm_id').doNothing())
      .returning('alarm_id')
      .execute();
    return r.length > 0;
  }

  /** Raised alarms (not silenced, not yet escalated) that no console has confirmed showing. */
  async undisplayedRaised(): Promise<{ id: string; raisedAt: Date }[]> {
    return this.database.db
      .selectFrom('alarms')
      .leftJoin('alarm_displays', 'alarm_displays.alarm_id', 'alarms.id')
      .select(['alarms.id as id', 'alarms.raised_at as raisedAt'])
      .where('alarms.state', '=', 'raised')
      .where('alarms.suppressed', '=', false)
      .where('alarms.escalation_level', '=', 0)
      .where('alarm_displays.alarm_id', 'is', null)
      .execute();
  }

  async displayed(alarmId: string): Promise<boolean> {
    return !!(await this.database.db
      .selectFrom('alarm_displays')
      .select('alarm_id')
      .where('alarm_id', '=', alarmId)
      .executeTakeFirst());
  }
}
