import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { NightAlarm, WellnessDeviceKind } from '../domain/night-summary';
import type { NightDate } from '../domain/night-window';

/** What a bed's night is computed with, besides its telemetry. */
export interface BedContext {
  bedId: string;
  residentId: string | null;
  organisationId: string;
  timeZone: string;
  createdAt: number;
  devices: { deviceId: string; kind: WellnessDeviceKind }[];
}

/** Registry and alarm reads for the wellness job: beds, their zones and devices, the alarms of a night. */
@Injectable()
export class BedNightSourceRepository {
  constructor(private readonly database: Database) {}

  async bed(bedId: string): Promise<BedContext | null> {
    const bed = await this.database.db
      .selectFrom('beds as b')
      .innerJoin('households as h', 'h.id', 'b.household_id')
      .select([
        'b.id as bedId',
        'b.resident_id as residentId',
        'h.organisation_id as organisationId',
        'h.time_zone as timeZone',
        'b.created_at as createdAt',
      ])
      .where('b.id', '=', bedId)
      .executeTakeFirst();
    if (!bed) return null;
    const devices = await this.database.db
      .selectFrom('devices')
      .select(['id', 'kind'])
      .where('bed_id', '=', bedId)
      .where('revoked_at', 'is', null)
      .orderBy('id')
      .execute();
    return {
      ...bed,
      createdAt: new Date(bed.createdAt).getTime(),
      devices: devices.map((d) => ({ deviceId: d.id, kind: d.kind })),
    };
  }

  async bedsOfResident(residentId: string): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('beds')
      .select('id')
      .where('resident_id', '=', residentId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** The time zone of each bed's household (beds not found are left out). */
  async zonesOf(bedIds: readonly string[]): Promise<Map<string, string>> {
    if (!bedIds.length) return new Map();
    const rows = await this.database.db
      .selectFrom('beds as b')
      .innerJoin('households as h', 'h.id', 'b.household_id')
      .select(['b.id as bedId', 'h.time_zone as timeZone'])
      .where('b.id', 'in', [...bedIds])
      .execute();
    return new Map(rows.map((r) => [r.bedId, r.timeZone]));
  }

  /** Zones of households with an occupied bed. */
  async occupiedZones(): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('beds as b')
      .innerJoin('households as h', 'h.id', 'b.household_id')
      .select('h.time_zone as timeZone')
      .distinct()
      .where('b.resident_id', 'is not', null)
      .execute();
    return rows.map((r) => r.timeZone);
  }

  /** Occupied beds of a zone, installed before the night ended, that have no summary of it yet. */
  async unsummarised(timeZone: string, night: NightDate, windowEnd: number): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('beds as b')
      .innerJoin('households as h', 'h.id', 'b.household_id')
      .select('b.id')
      .where('h.time_zone', '=', timeZone)
      .where('b.resident_id', 'is not', null)
      .where('b.created_at', '<', new Date(windowEnd))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('night_summaries as s')
              .select('s.bed_id')
              .whereRef('s.bed_id', '=', 'b.id')
              .where('s.night', '=', night),
          ),
        ),
      )
      .orderBy('b.id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Alarms of the bed that started in [from, to). */
  async alarms(bedId: string, from: number, to: number): Promise<NightAlarm[]> {
    const rows = await this.database.db
      .selectFrom('alarms')
      .select(['id', 'kind', 'severity', 'started_at', 'suppressed'])
      .where('bed_id', '=', bedId)
      .where('started_at', '>=', new Date(from))
      .where('started_at', '<', new Date(to))
      .orderBy('started_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      severity: r.severity,
      startedAt: new Date(r.started_at).getTime(),
      suppressed: r.suppressed,
    }));
  }
}
