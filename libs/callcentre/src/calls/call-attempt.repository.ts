import { Injectable } from '@nestjs/common';
import { Database, type Contact } from '@bedside/database';
import type { CallOutcome } from './call.dto';

export interface CallAttempt {
  id: string;
  alarmId: string;
  calleeType: 'contact' | 'responder';
  calleeName: string;
  phone: string;
  outcome: CallOutcome;
  note: string | null;
  actor: string;
  actorName: string | null;
  at: string;
}

/** Calls made for an alarm, and the household contacts to call. */
@Injectable()
export class CallAttemptRepository {
  constructor(private readonly database: Database) {}

  async add(a: Omit<CallAttempt, 'at' | 'actorName'> & { organisationId: string; at: Date }): Promise<void> {
    await this.database.db
      .insertInto('call_attempts')
      .values({
        id: a.id,
        alarm_id: a.alarmId,
        organisation_id: a.organisationId,
        callee_type: a.calleeType,
        callee_name: a.calleeName,
        phone: a.phone,
        outcome: a.outcome,
        note: a.note,
        actor: a.actor,
        at: a.at,
      })
      .execute();
  }

  async list(alarmId: string): Promise<CallAttempt[]> {
    const rows = await this.database.db
      .selectFrom('call_attempts')
      .leftJoin('users', 'users.username', 'call_attempts.actor')
      .selectAll('call_attempts')
      .select('users.display_name as actor_name')
      .where('alarm_id', '=', alarmId)
      .orderBy('at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      alarmId: r.alarm_id,
      calleeType: r.callee_type,
      calleeName: r.callee_name,
      phone: r.phone,
      outcome: r.outcome,
      note: r.note,
      actor: r.actor,
      actorName: r.actor_name,
      at: r.at.toISOString(),
    }));
  }

  /** The contacts of the household the alarm's bed is in, in call order. */
  async householdContacts(bedId: string): Promise<Contact[]> {
    const row = await this.database.db
      .selectFrom('beds')
      .innerJoin('households', 'households.id', 'beds.household_id')
      .select('households.contacts')
      .where('beds.id', '=', bedId)
      .executeTakeFirst();
    return [...(row?.contacts ?? [])].sort((a, b) => a.callOrder - b.callOrder);
  }
}
