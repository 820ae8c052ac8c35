import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '@bedside/database';

export interface PendingAlarmAck {
  deviceId: string;
  eventId: string;
  alarmId: string | null;
  receivedAt: number;
}

/**
 * Device event types the rules answer at once with an alarm (an SOS press, tamper), with the
 * alarm kind: their pending ack row is written with the event itself. Any other event whose
 * evaluation raises or updates an alarm gets its row when that happens (recordAlarm).
 */
const ALARM_KIND_OF: Readonly<Record<string, string>> = { 'button.pressed': 'sos', tamper: 'tamper' };
export const ALARM_ACKED_EVENT_TYPES: readonly string[] = Object.keys(ALARM_KIND_OF);

/** The alarm_ack_outbox table: alarm acks not yet acknowledged by their device. */
@Injectable()
export class AlarmAckOutboxRepository {
  constructor(private readonly database: Database) {}

  /** The event raised or updated this alarm (the row is created if the event's own was not). */
  async recordAlarm(deviceId: string, eventId: string, alarmId: string): Promise<void> {
    await this.database.db
      .insertInto('alarm_ack_outbox')
      .columns(['device_id', 'event_id', 'bed_id', 'received_at', 'alarm_id'])
      .expression((eb) =>
        eb
          .selectFrom('device_events')
          .select([
            'device_id',
            'event_id',
            sql<string>`bed_id`.as('bed_id'),
            'received_at',
            sql<string>`${alarmId}::uuid`.as('alarm_id'),
          ])
          .where('device_id', '=', deviceId)
          .where('event_id', '=', eventId)
          .where('bed_id', 'is not', null),
      )
      .onConflict((oc) => oc.columns(['device_id', 'event_id']).doUpdateSet({ alarm_id: alarmId }))
      .execute();
  }

  async get(deviceId: string, eventId: string): Promise<PendingAlarmAck | null> {
    const row = await this.database.db
      .selectFrom('alarm_ack_outbox')
      .select(['device_id', 'event_id', 'alarm_id', 'received_at'])
      .where('device_id', '=', deviceId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return row ? toPending(row) : null;
  }

  async forDevice(deviceId: string): Promise<PendingAlarmAck[]> {
    const rows = await this.database.db
      .selectFrom('alarm_ack_outbox')
      .select(['device_id', 'event_id', 'alarm_id', 'received_at'])
      .where('device_id', '=', deviceId)
      .orderBy('received_at')
      .execute();
    return rows.map(toPending);
  }

  /** Rows still waiting for their evaluation's outcome, received before `before`. */
  async unresolved(before: number, limit: number): Promise<PendingAlarmAck[]> {
    const rows = await this.database.db
      .selectFrom('alarm_ack_outbox')
      .select(['device_id', 'event_id', 'alarm_id', 'received_at'])
      .where('alarm_id', 'is', null)
      .where('received_at', '<', new Date(before))
      .orderBy('received_at')
      .limit(limit)
      .execute();
    return rows.map(toPending);
  }

  /**
   * The alarm the event raised or updated, for a row whose evaluation outcome was lost (the hub
   * stopped after the alarm was stored and before its id reached this table; the event's replay
   * then raises nothing new). First the rule journal, written with the alarm; a journal entry
   * can be absent (one per episode, action and instant, and inputs that arrive while the bed is
   * busy are evaluated at one instant), so then the bed's alarm of the event's kind that was
   * open when the event arrived.
   */
  async alarmOf(deviceId: string, eventId: string): Promise<string | null> {
    const journal = await this.database.db
      .selectFrom('alarm_ack_outbox as o')
      .innerJoin('rule_actions as r', 'r.bed_id', 'o.bed_id')
      .innerJoin('alarms as a', 'a.idempotency_key', 'r.key')
      .select('a.id')
      .where('o.device_id', '=', deviceId)
      .where('o.event_id', '=', eventId)
      .where('r.at', '>=', sql<Date>`o.received_at - interval '1 minute'`)
      .where('r.type', 'in', ['raise', 'update'])
      .where('r.suppressed', '=', false)
      .where(sql<string>`r.action->'details'->>'eventId'`, '=', eventId)
      .where(sql<string>`r.action->'details'->>'deviceId'`, '=', deviceId)
      .orderBy('r.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (journal) return journal.id;
    const event = await this.database.db
      .selectFrom('alarm_ack_outbox as o')
      .innerJoin('device_events as e', (j) =>
        j.onRef('e.device_id', '=', 'o.device_id').onRef('e.event_id', '=', 'o.event_id'),
      )
      .select(['o.bed_id', 'o.received_at', 'e.type'])
      .where('o.device_id', '=', deviceId)
      .where('o.event_id', '=', eventId)
      .executeTakeFirst();
    const kind = event ? ALARM_KIND_OF[event.type] : undefined;
    if (!event || !kind) return null;
    const open = await this.database.db
      .selectFrom('alarms')
      .select('id')
      .where('bed_id', '=', event.bed_id)
      .where('kind', '=', kind)
      .where('suppressed', '=', false)
      .where('raised_at', '<=', sql<Date>`${event.received_at}::timestamptz + interval '1 minute'`)
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', event.received_at)]))
      .$if(kind === 'tamper', (qb) => qb.where('subject', '=', deviceId))
      .orderBy('raised_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return open?.id ?? null;
  }

  async setAlarm(deviceId: string, eventId: string, alarmId: string): Promise<void> {
    await this.database.db
      .updateTable('alarm_ack_outbox')
      .set({ alarm_id: alarmId })
      .where('device_id', '=', deviceId)
      .where('event_id', '=', eventId)
      .execute();
  }

  async remove(deviceId: string, eventId: string): Promise<void> {
    await this.database.db
      .deleteFrom('alarm_ack_outbox')
      .where('device_id', '=', deviceId)
      .where('event_id', '=', eventId)
      .execute();
  }

  /** Rows for events received before `before`, whatever their state. */
  async expire(before: number): Promise<number> {
    const r = await this.database.db
      .deleteFrom('alarm_ack_outbox')
      .where('received_at', '<', new Date(before))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

function toPending(r: { device_id: string; event_id: string; alarm_id: string | null; received_at: Date }) {
  return { deviceId: r.device_id, eventId: r.event_id, alarmId: r.alarm_id, receivedAt: r.received_at.getTime() };
}
