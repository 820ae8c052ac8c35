import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
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

  /** Device events of a bed received at or after `since` (ingest stores them before PUBACK), in arrival order. */
  async eventsSince(bedId: string, since: number, until?: number): Promise<LoggedDeviceEvent[]> {
    let q = this.loggedEvents(since).where('device_events.bed_id', '=', bedId);
    if (until !== undefined) q = q.where('device_events.received_at', '<', new Date(until));
    return toLogged(await q.orderBy('device_events.received_at').orderBy('device_events.device_ts').execute());
  }

  /** Device events of the beds in these partitions received at or after `since`, in arrival order, at most `limit`. */
  async partitionEventsSince(
    partitions: readonly number[],
    since: number,
    limit: number,
  ): Promise<LoggedDeviceEvent[]> {
    if (partitions.length === 0) return [];
    const rows = await this.loggedEvents(since)
      .innerJoin('beds', 'beds.id', 'device_events.bed_id')
      .where('beds.partition', 'in', partitions)
      .orderBy('device_events.received_at')
      .limit(limit)
      .execute();
    return toLogged(rows);
  }

  private loggedEvents(since: number) {
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
      ])
      .where('device_events.received_at', '>=', new Date(since));
  }

  /** Beds with device events since `since` but no saved rule state: their first events may not have been evaluated. */
  async bedsWithEventsSince(since: number): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('device_events')
      .select('bed_id')
      .distinct()
      .where('received_at', '>=', new Date(since))
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
  }));
}
