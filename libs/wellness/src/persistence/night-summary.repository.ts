import { Injectable } from '@nestjs/common';
import type { Insertable } from 'kysely';
import { Database, type NightSummariesTable } from '@bedside/database';
import type { Baseline } from '../domain/baseline';
import type { Deviation } from '../domain/deviations';
import type { NightSummary } from '../domain/night-summary';
import type { NightDate } from '../domain/night-window';

/** A night as stored: the summary, the baseline it was assessed against and what departed from it. */
export interface StoredNight {
  bedId: string;
  night: NightDate;
  residentId: string | null;
  organisationId: string;
  summary: NightSummary;
  baseline: Baseline;
  deviations: Deviation[];
  revision: number;
  computedAt: number;
}

export interface FlaggedResident {
  residentId: string;
  residentName: string;
  householdId: string;
  householdName: string;
  bedId: string;
  night: NightDate;
  deviations: Deviation[];
}

type Row = {
  bed_id: string;
  night: string;
  resident_id: string | null;
  organisation_id: string;
  summary: unknown;
  baseline: unknown;
  deviations: unknown;
  revision: number;
  computed_at: Date;
};

const COLUMNS = [
  'bed_id',
  'night',
  'resident_id',
  'organisation_id',
  'summary',
  'baseline',
  'deviations',
  'revision',
  'computed_at',
] as const;

function fromRow(r: Row): StoredNight {
  return {
    bedId: r.bed_id,
    night: r.night,
    residentId: r.resident_id,
    organisationId: r.organisation_id,
    summary: r.summary as NightSummary,
    baseline: r.baseline as Baseline,
    deviations: r.deviations as Deviation[],
    revision: r.revision,
    computedAt: new Date(r.computed_at).getTime(),
  };
}

@Injectable()
export class NightSummaryRepository {
  constructor(private readonly database: Database) {}

  /** Inserts or replaces; a replaced night's revision goes up by one. */
  async save(nights: readonly Omit<StoredNight, 'revision'>[]): Promise<void> {
    if (!nights.length) return;
    const rows: Insertable<NightSummariesTable>[] = nights.map((n) => ({
      bed_id: n.bedId,
      night: n.night,
      resident_id: n.residentId,
      organisation_id: n.organisationId,
      time_zone: n.summary.timeZone,
      window_start: new Date(n.summary.window.start),
      window_end: new Date(n.summary.window.end),
      has_data: n.summary.hasData,
      summary: JSON.stringify(n.summary),
      baseline: JSON.stringify(n.baseline),
      deviations: JSON.stringify(n.deviations),
      flagged: n.deviations.length > 0,
      summary_version: n.summary.version,
      computed_at: new Date(n.computedAt),
    }));
    await this.database.db
      .insertInto('night_summaries')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['bed_id', 'night']).doUpdateSet((eb) => ({
          resident_id: eb.ref('excluded.resident_id'),
          organisation_id: eb.ref('excluded.organisation_id'),
          time_zone: eb.ref('excluded.time_zone'),
          window_start: eb.ref('excluded.window_start'),
          window_end: eb.ref('excluded.window_end'),
          has_data: eb.ref('excluded.has_data'),
          summary: eb.ref('excluded.summary'),
          baseline: eb.ref('excluded.baseline'),
          deviations: eb.ref('excluded.deviations'),
          flagged: eb.ref('excluded.flagged'),
          summary_version: eb.ref('excluded.summary_version'),
          computed_at: eb.ref('excluded.computed_at'),
          revision: eb(eb.ref('night_summaries.revision'), '+', 1),
        })),
      )
      .execute();
  }

  /** A bed's nights in [from, to], oldest first. */
  async ofBed(bedId: string, from: NightDate, to: NightDate): Promise<StoredNight[]> {
    const rows = await this.database.db
      .selectFrom('night_summaries')
      .select(COLUMNS)
      .where('bed_id', '=', bedId)
      .where('night', '>=', from)
      .where('night', '<=', to)
      .orderBy('night')
      .execute();
    return rows.map(fromRow);
  }

  /** A resident's nights in [from, to], in whichever bed they slept; oldest first. */
  async ofResident(residentId: string, from: NightDate, to: NightDate): Promise<StoredNight[]> {
    const rows = await this.database.db
      .selectFrom('night_summaries')
      .select(COLUMNS)
      .where('resident_id', '=', residentId)
      .where('night', '>=', from)
      .where('night', '<=', to)
      .orderBy('night')
      .orderBy('bed_id')
      .execute();
    return rows.map(fromRow);
  }

  /** Residents of the organisation whose night departed from their baseline: a visit list. */
  async flagged(organisationId: string, night: NightDate): Promise<FlaggedResident[]> {
    const rows = await this.database.db
      .selectFrom('night_summaries as s')
      .innerJoin('residents as r', 'r.id', 's.resident_id')
      .innerJoin('households as h', 'h.id', 'r.household_id')
      .select([
        's.resident_id as residentId',
        'r.name as residentName',
        'h.id as householdId',
        'h.name as householdName',
        's.bed_id as bedId',
        's.night as night',
        's.deviations as deviations',
      ])
      .where('s.organisation_id', '=', organisationId)
      .where('s.night', '=', night)
      .where('s.flagged', '=', true)
      .orderBy('h.name')
      .orderBy('r.name')
      .execute();
    return rows.map((r) => ({ ...r, residentId: r.residentId!, deviations: r.deviations as unknown as Deviation[] }));
  }
}
