import { Injectable } from '@nestjs/common';
import { sql, type ExpressionBuilder } from 'kysely';
import { Database, type DB } from '@bedside/database';
import { notFound } from '@bedside/common';
import type { DeviceKind, EventType } from '@bedside/contracts';

export interface BedContext {
  bedId: string;
  organisationId: string;
  householdId: string;
  timeZone: string;
  devices: { id: string; kind: DeviceKind; lastSeenAt: number | null }[];
}

export interface LoggedDeviceEvent {
  deviceId: string;
  kind: DeviceKind;
  bedId: string;
  eventId: string;
  type: EventType;
  ts: number;
  receivedAt: number;
  /** The database's clock when the event was stored, where known (read back from the database). */
  storedAt?: number;
}

/** Read-only views of registry and ingest tables that the rules runner needs. */
@Injectable()
export class BedContextRepository {
  constructor(private readonly database: Database) {}

  async get(bedId: string): Promise<BedContext> {
    const bed = await this.database.db
      .selectFrom('beds')
      .innerJoin('households', 'households.id', 'beds.household_id')
      .select([
        'beds.id as bedId',
        'households.organisation_id as organisationId',
        'households.id as householdId',
        'households.time_zone as timeZone',
      ])
      .where('beds.id', '=', bedId)
      .executeTakeFirst();
    if (!bed) throw notFound('bed', bedId);
    const devices = await this.database.db
      .selectFrom('devices')
      .select(['id', 'kind', 'last_seen_at'])
      .where('bed_id', '=', bedId)
      .where('revoked_at', 'is', null)
      .execute();
    return {
      ...bed,
      devices: devices.map((d) => ({ id: d.id, kind: d.kind, lastSeenAt: d.last_seen_at?.getTime() ?? null })),
    };
  }

  async bedsOfHousehold(householdId: string): Promise<string[]> {
    return (
      await this.database.db.selectFrom('beds').select('id').where('household_id', '=', householdId).execute()
    ).map((r) => r.id);
  }

  async bedsOfOrganisation(organisationId: string): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('beds')
      .innerJoin('households', 'households.id', 'beds.household_id')
      .select('beds.id')
      .where('households.organisation_id', '=', organisationId)
      .execute();
    return rows.map((r) => r.id);
  }

  /** When each of these devices was last heard from by any hub, as stored (a few seconds behind at most). */
  async lastSeenOf(deviceIds: readonly string[]): Promise<Map<string, number>> {
    if (deviceIds.length === 0) return new Map();
    const rows = await this.database.db
      .selectFrom('devices')
      .select(['id', 'last_seen_at'])
      .where('id', 'in', deviceIds)
      .where('last_seen_at', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.id, new Date(r.last_seen_at!).getTime()]));
  }

  /** Device events of a bed received in [from, until) by the receiving nodes' clocks, in arrival order (backtests). */
  async eventsReceivedBetween(bedId: string, from: number, until: number): Promise<LoggedDeviceEvent[]> {
    const rows = await this.loggedEvents()
      .where('device_events.bed_id', '=', bedId)
      .where('device_events.received_at', '>=', new Date(from))
      .where('device_events.received_at', '<', new Date(until))
      .orderBy('device_events.received_at')
      .orderBy('device_events.device_ts')
      .execute();
    return toLogged(rows);
  }

  /**
   * Device events of a bed stored at or after `since` by the database's clock, in arrival
   * order. Rows stored before the database kept that time are read by their receive time.
   */
  async eventsStoredSince(bedId: string, since: number): Promise<LoggedDeviceEvent[]> {
    const rows = await this.loggedEvents()
      .where('device_events.bed_id', '=', bedId)
      .where((eb) => storedSince(eb, since))
      .orderBy('device_events.received_at')
      .orderBy('device_events.device_ts')
      .execute();
    return toLogged(rows);
  }

  /** The database's clock: what reads of stored events are cursored by, so no node's clock decides what they see. */
  async databaseNow(): Promise<number> {
    const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(this.database.db);
    return new Date(rows[0].now).getTime();
  }

  /** Device events of the beds in these partitions stored at or after `since` (database time), in storing order, at most `limit`. */
  async partitionEventsStoredSince(
    partitions: readonly number[],
    since: number,
    limit: number,
  ): Promise<LoggedDeviceEvent[]> {
    if (partitions.length === 0) return [];
    const rows = await this.loggedEvents()
      .innerJoin('beds', 'beds.id', 'device_events.bed_id')
      .where('device_events.stored_at', '>=', new Date(since))
      .where('beds.partition', 'in', partitions)
      .orderBy('device_events.stored_at')
      .limit(limit)
      .execute();
    return toLogged(rows);
  }

  private loggedEvents() {
    return this.database.db
      .selectFrom('device_events')
      .innerJoin('devices', 'devices.id', 'device_events.device_id')
      .select([
        'device_events.device_id',
        'devices.kind',
        'device_events.bed_id',
        'device_events.event_id',
        'device_events.type',
        'device_events.device_ts',
        'device_events.received_at',
        'device_events.stored_at',
      ]);
  }

  /** Beds with device events stored since `since` but no saved rule state: their first events may not have been evaluated. */
  async bedsWithEventsSince(since: number): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('device_events')
      .select('bed_id')
      .distinct()
      .where((eb) => storedSince(eb, since))
      .where('bed_id', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('bed_rule_state')
              .select('bed_id')
              .whereRef('bed_rule_state.bed_id', '=', 'device_events.bed_id'),
          ),
        ),
      )
      .execute();
    return rows.map((r) => r.bed_id!);
  }
}

function toLogged(
  rows: readonly {
    device_id: string;
    kind: LoggedDeviceEvent['kind'];
    bed_id: string | null;
    event_id: string;
    type: string;
    device_ts: Date;
    received_at: Date;
    stored_at: Date | null;
  }[],
): LoggedDeviceEvent[] {
  return rows.map((r) => ({
    deviceId: r.device_id,
    kind: r.kind,
    bedId: r.bed_id!,
    eventId: r.event_id,
    type: r.type as EventType,
    ts: r.device_ts.getTime(),
    receivedAt: r.received_at.getTime(),
    ...(r.stored_at && { storedAt: r.stored_at.getTime() }),
  }));
}

/**
 * Stored at or after `since` by the database's clock; rows stored before it kept that time, by
 * their receive time. Two index ranges, not a filter over every event ever stored.
 */
function storedSince(eb: ExpressionBuilder<DB, 'device_events'>, since: number) {
  const at = new Date(since);
  return eb.or([
    eb('device_events.stored_at', '>=', at),
    eb.and([eb('device_events.stored_at', 'is', null), eb('device_events.received_at', '>=', at)]),
  ]);
}
