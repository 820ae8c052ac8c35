import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '@bedside/database';
import { GroupCommit } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { PRIORITY_EVENT_TYPES } from '@bedside/contracts';
import { ALARM_ACKED_EVENT_TYPES } from './alarm-ack-outbox.repository';
import type { StoredDeviceEvent } from './ingest.events';

/**
 * A priority batch stays small: it is written the turn it was gathered in, whatever else the
 * devices sent, and an SOS press of one bed need not wait for a thousand others' rows.
 */
const PRIORITY_MAX_BATCH = 200;

/** Device events, stored once per (device, event id) with group commit. */
@Injectable()
export class DeviceEventRepository {
  private readonly commit: GroupCommit<StoredDeviceEvent, number | null>;
  /** Calls for help (PRIORITY_EVENT_TYPES): their own batches, written at once, never behind a batch of other events. */
  private readonly priority: GroupCommit<StoredDeviceEvent, number | null>;

  constructor(
    private readonly database: Database,
    env: EnvDto,
  ) {
    this.commit = new GroupCommit((events) => this.insertBatch(events), {
      delayMs: env.INGEST_COMMIT_DELAY_MS,
      maxBatch: env.INGEST_COMMIT_MAX_BATCH,
    });
    this.priority = new GroupCommit((events) => this.insertBatch(events), {
      delayMs: 0,
      maxBatch: PRIORITY_MAX_BATCH,
    });
  }

  /** Resolves with the database's time of storing it, or null if it was already there (a redelivery). */
  store(event: StoredDeviceEvent): Promise<number | null> {
    return (PRIORITY_EVENT_TYPES.has(event.type) ? this.priority : this.commit).submit(event);
  }

  async drain(): Promise<void> {
    await Promise.all([this.priority.drain(), this.commit.drain()]);
  }

  private async insertBatch(events: StoredDeviceEvent[]): Promise<(number | null)[]> {
    // Within one batch a redelivery can sit beside its original: keep the first.
    const seen = new Set<string>();
    const unique = events.filter((e) => {
      const k = `${e.deviceId}\u0000${e.eventId}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    const rows = unique.map((e) => ({
      device_id: e.deviceId,
      event_id: e.eventId,
      type: e.type,
      bed_id: e.bedId,
      device_ts: new Date(e.ts),
      seq: e.seq ?? null,
      confidence: e.confidence ?? null,
      received_at: new Date(e.receivedAt),
    }));
    // An event the rules may answer with an alarm gets its pending alarm ack row in the same
    // statement: once the event is stored (and acknowledged), the ack cannot be forgotten.
    const inserted = await this.database.db
      .with('inserted', (db) =>
        db
          .insertInto('device_events')
          .values(rows)
          .onConflict((oc) => oc.columns(['device_id', 'event_id']).doNothing())
          .returning(['device_id', 'event_id', 'type', 'bed_id', 'received_at', 'stored_at']),
      )
      .with('pending', (db) =>
        db
          .insertInto('alarm_ack_outbox')
          .columns(['device_id', 'event_id', 'bed_id', 'received_at'])
          .expression((eb) =>
            eb
              .selectFrom('inserted')
              .select(['device_id', 'event_id', sql<string>`bed_id`.as('bed_id'), 'received_at'])
              .where('type', 'in', ALARM_ACKED_EVENT_TYPES)
              .where('bed_id', 'is not', null),
          ),
      )
      .selectFrom('inserted')
      .select(['device_id', 'event_id', 'stored_at'])
      .execute();
    const fresh = new Map(inserted.map((r) => [`${r.device_id}\u0000${r.event_id}`, new Date(r.stored_at!).getTime()]));
    return events.map((e) => {
      const k = `${e.deviceId}\u0000${e.eventId}`;
      const storedAt = fresh.get(k);
      if (storedAt === undefined) return null;
      // A redelivery beside its original in the same batch: only the first is new.
      fresh.delete(k);
      return storedAt;
    });
  }

  async list(deviceId: string, from: Date, to: Date, limit: number) {
    const rows = await this.database.db
      .selectFrom('device_events')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('device_ts', '>=', from)
      .where('device_ts', '<', to)
      .orderBy('device_ts')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      eventId: r.event_id,
      type: r.type,
      bedId: r.bed_id,
      ts: r.device_ts,
      receivedAt: r.received_at,
      seq: r.seq,
      confidence: r.confidence,
    }));
  }
}
