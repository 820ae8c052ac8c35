import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type {
  ReportAlarm,
  ReportBed,
  ReportDispatch,
  ReportNight,
  ReportPeriod,
  ReportVisit,
} from './domain/supervision-report';
import { nightsOfMonth } from './domain/report-period';
import { BedServiceRepository } from './bed-service.repository';

export interface ReportHousehold {
  householdId: string;
  districtId: string | null;
  districtName: string | null;
  streetId: string | null;
}

/** The rows a month's report is computed from, for one organisation. */
@Injectable()
export class ReportSourceRepository {
  constructor(
    private readonly database: Database,
    private readonly service: BedServiceRepository,
  ) {}

  async households(organisationId: string): Promise<ReportHousehold[]> {
    const rows = await this.database.db
      .selectFrom('households')
      .leftJoin('regions as street', 'street.id', 'households.region_id')
      .leftJoin('regions as district', 'district.id', 'street.parent_id')
      .select([
        'households.id',
        'street.id as street_id',
        'district.id as district_id',
        'district.name as district_name',
      ])
      .where('households.organisation_id', '=', organisationId)
      .execute();
    return rows.map((r) => ({
      householdId: r.id,
      districtId: r.district_id,
      districtName: r.district_name,
      streetId: r.street_id,
    }));
  }

  /** The organisation's beds with their periods in service in the period (brought up to `now` first). */
  async beds(organisationId: string, period: ReportPeriod, now: number): Promise<ReportBed[]> {
    await this.service.reconcile(now);
    const periods = await this.service.overlapping(organisationId, period.from, period.to);
    const byBed = new Map<string, { from: number; to: number | null }[]>();
    for (const p of periods) {
      const list = byBed.get(p.bedId) ?? [];
      list.push({ from: p.from, to: p.to });
      byBed.set(p.bedId, list);
    }
    const rows = await this.database.db
      .selectFrom('beds')
      .innerJoin('households', 'households.id', 'beds.household_id')
      .leftJoin('regions as street', 'street.id', 'households.region_id')
      .select((eb) => [
        'beds.id',
        'beds.label',
        'beds.resident_id',
        'beds.household_id',
        'beds.created_at',
        'street.id as street_id',
        'street.parent_id as district_id',
        eb
          .selectFrom('devices')
          .select((d) => d.fn.countAll<string>().as('n'))
          .whereRef('devices.bed_id', '=', 'beds.id')
          .where('devices.revoked_at', 'is', null)
          .as('devices'),
      ])
      .where('households.organisation_id', '=', organisationId)
      .execute();
    return rows.map((r) => ({
      bedId: r.id,
      label: r.label,
      residentId: r.resident_id,
      householdId: r.household_id,
      districtId: r.district_id,
      streetId: r.street_id,
      createdAt: r.created_at.getTime(),
      devices: Number(r.devices ?? 0),
      service: byBed.get(r.id) ?? [],
    }));
  }

  async nights(organisationId: string, period: ReportPeriod): Promise<ReportNight[]> {
    const { first, last } = nightsOfMonth(period.month);
    const rows = await this.database.db
      .selectFrom('night_summaries')
      .select(['bed_id', 'night', (eb) => eb.ref('summary', '->').key('devices').as('devices')])
      .where('organisation_id', '=', organisationId)
      .where('night', '>=', first)
      .where('night', '<=', last)
      .execute();
    return rows.map((r) => {
      const devices = (r.devices ?? []) as { kind: string; uptime: number }[];
      const mattress = devices.filter((d) => d.kind === 'mattress').map((d) => d.uptime);
      return { bedId: r.bed_id, night: r.night, mattressUptime: mattress.length ? Math.max(...mattress) : null };
    });
  }

  async alarms(organisationId: string, period: ReportPeriod): Promise<ReportAlarm[]> {
    const rows = await this.database.db
      .selectFrom('alarms')
      .select(['bed_id', 'kind', 'raised_at', 'acknowledged_at', 'outcome'])
      .where('organisation_id', '=', organisationId)
      .where('suppressed', '=', false)
      .where('raised_at', '>=', new Date(period.from))
      .where('raised_at', '<', new Date(period.to))
      .execute();
    return rows.map((r) => ({
      bedId: r.bed_id,
      kind: r.kind,
      raisedAt: r.raised_at.getTime(),
      acknowledgedAt: r.acknowledged_at?.getTime() ?? null,
      outcome: r.outcome,
    }));
  }

  async dispatches(organisationId: string, period: ReportPeriod): Promise<ReportDispatch[]> {
    const rows = await this.database.db
      .selectFrom('dispatches')
      .innerJoin('alarms', 'alarms.id', 'dispatches.alarm_id')
      .select([
        'alarms.bed_id',
        'dispatches.created_at',
        'dispatches.responder_type',
        'dispatches.status',
        'dispatches.first_overdue_at',
      ])
      .where('dispatches.organisation_id', '=', organisationId)
      .where('dispatches.created_at', '>=', new Date(period.from))
      .where('dispatches.created_at', '<', new Date(period.to))
      .execute();
    return rows.map((r) => ({
      bedId: r.bed_id,
      createdAt: r.created_at.getTime(),
      responderType: r.responder_type,
      status: r.status,
      ranLate: r.first_overdue_at !== null,
    }));
  }

  async visits(organisationId: string, period: ReportPeriod): Promise<ReportVisit[]> {
    const from = new Date(period.from);
    const to = new Date(period.to);
    const rows = await this.database.db
      .selectFrom('visits')
      .select(['household_id', 'state', 'source', 'due_at', 'checked_in_at'])
      .where('organisation_id', '=', organisationId)
      .where((eb) =>
        eb.or([
          eb.and([eb('due_at', '>=', from), eb('due_at', '<', to)]),
          eb.and([eb('checked_in_at', '>=', from), eb('checked_in_at', '<', to)]),
        ]),
      )
      .execute();
    return rows.map((r) => ({
      householdId: r.household_id,
      state: r.state,
      source: r.source,
      dueAt: r.due_at.getTime(),
      checkedInAt: r.checked_in_at?.getTime() ?? null,
    }));
  }
}
