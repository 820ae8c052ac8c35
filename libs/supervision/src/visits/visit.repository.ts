import { Injectable } from '@nestjs/common';
import type { Insertable, Selectable, Transaction } from 'kysely';
import { Database, type DB, type VisitsTable } from '@bedside/database';
import { newId, notFound } from '@bedside/common';
import { OPEN_STATES, type Visit, type VisitHistoryEntry, type VisitState } from './domain/visit';
import type { VisitDraft } from './domain/visit-planner';

/** A visit with where it is and who it is for, as lists show it. */
export interface VisitView extends Visit {
  residentName: string;
  householdName: string;
  address: string;
  district: { id: string; name: string } | null;
  street: { id: string; name: string } | null;
  overdue: boolean;
}

export interface VisitFilter {
  organisationId?: string;
  residentId?: string;
  state?: VisitState[];
  /** Open and past due at `now`. */
  overdueAt?: number;
  assignee?: string;
  /** Assigned to this user (the worker's own list). */
  assigneeUserId?: string;
  districtId?: string;
  streetId?: string;
  dueFrom?: Date;
  dueTo?: Date;
  limit?: number;
}

function toVisit(r: Selectable<VisitsTable>): Visit {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    residentId: r.resident_id,
    householdId: r.household_id,
    source: r.source,
    sourceKey: r.source_key,
    alarmId: r.alarm_id,
    reason: r.reason,
    state: r.state,
    assignee:
      r.assignee_kind && r.assignee
        ? {
            kind: r.assignee_kind,
            name: r.assignee,
            ...(r.assignee_user_id !== null && { userId: r.assignee_user_id }),
          }
        : null,
    dueAt: r.due_at.getTime(),
    checkedInAt: r.checked_in_at?.getTime() ?? null,
    outcome: r.outcome as Visit['outcome'],
    notes: r.notes,
    overdueAt: r.overdue_at?.getTime() ?? null,
    history: r.history.map((h) => ({ ...h, at: Date.parse(h.at) }) as VisitHistoryEntry),
    createdBy: r.created_by,
    createdAt: r.created_at.getTime(),
    updatedAt: r.updated_at.getTime(),
  };
}

const historyJson = (history: readonly VisitHistoryEntry[]) =>
  JSON.stringify(history.map((h) => ({ ...h, at: new Date(h.at).toISOString() })));

function toRow(v: Visit): Insertable<VisitsTable> {
  return {
    id: v.id,
    organisation_id: v.organisationId,
    resident_id: v.residentId,
    household_id: v.householdId,
    source: v.source,
    source_key: v.sourceKey,
    alarm_id: v.alarmId,
    reason: v.reason,
    state: v.state,
    assignee_kind: v.assignee?.kind ?? null,
    assignee: v.assignee?.name ?? null,
    assignee_user_id: v.assignee?.userId ?? null,
    due_at: new Date(v.dueAt),
    checked_in_at: v.checkedInAt === null ? null : new Date(v.checkedInAt),
    outcome: v.outcome,
    notes: v.notes,
    overdue_at: v.overdueAt === null ? null : new Date(v.overdueAt),
    history: historyJson(v.history),
    created_by: v.createdBy,
    created_at: new Date(v.createdAt),
    updated_at: new Date(v.updatedAt),
  };
}

/** A new visit, planned, with its first timeline entry. */
export function newVisit(d: VisitDraft & { alarmId?: string | null }, by: string, now: number): Visit {
  return {
    ...d,
    id: newId(),
    alarmId: d.alarmId ?? null,
    state: 'planned',
    assignee: null,
    checkedInAt: null,
    outcome: null,
    notes: null,
    overdueAt: null,
    history: [{ at: now, actor: by, action: 'planned', from: null, to: 'planned', note: d.reason }],
    createdBy: by,
    createdAt: now,
    updatedAt: now,
  };
}

/** Visit work orders. Every change goes through `change`, one row lock at a time. */
@Injectable()
export class VisitRepository {
  constructor(private readonly database: Database) {}

  /** Stores the visits not planned before (same resident, source and key); returns those stored. */
  async insertNew(visits: readonly Visit[]): Promise<Visit[]> {
    if (!visits.length) return [];
    const rows = await this.database.db
      .insertInto('visits')
      .values(visits.map(toRow))
      .onConflict((oc) => oc.columns(['resident_id', 'source', 'source_key']).doNothing())
      .returningAll()
      .execute();
    return rows.map(toVisit);
  }

  async get(id: string): Promise<Visit> {
    const r = await this.database.db.selectFrom('visits').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('visit', id);
    return toVisit(r);
  }

  /** Reads the visit under a row lock, applies `f` and stores the result. */
  async change(id: string, f: (v: Visit) => Visit): Promise<Visit> {
    return this.database.db.transaction().execute(async (trx: Transaction<DB>) => {
      const r = await trx.selectFrom('visits').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!r) throw notFound('visit', id);
      const next = f(toVisit(r));
      await trx.updateTable('visits').set(toRow(next)).where('id', '=', id).execute();
      return next;
    });
  }

  /** The display name of a user of the organisation (active or not), or null when there is none. */
  async userName(userId: string, organisationId: string): Promise<string | null> {
    const r = await this.database.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', userId)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    return r?.display_name ?? null;
  }

  /** Open visits past due that were not flagged yet. */
  async unflaggedOverdue(now: number, limit: number): Promise<Visit[]> {
    const rows = await this.database.db
      .selectFrom('visits')
      .selectAll()
      .where('state', 'in', OPEN_STATES)
      .where('due_at', '<', new Date(now))
      .where('overdue_at', 'is', null)
      .orderBy('due_at')
      .limit(limit)
      .execute();
    return rows.map(toVisit);
  }

  /** Stores the overdue mark unless a concurrent change closed, rescheduled or flagged the visit first. */
  async markOverdue(v: Visit): Promise<boolean> {
    const r = await this.database.db
      .updateTable('visits')
      .set({ overdue_at: new Date(v.overdueAt!), history: historyJson(v.history) })
      .where('id', '=', v.id)
      .where('overdue_at', 'is', null)
      .where('state', 'in', OPEN_STATES)
      .where('due_at', '=', new Date(v.dueAt))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Soonest due first (then first planned); with where each visit is and who it is for. */
  async list(f: VisitFilter): Promise<VisitView[]> {
    let q = this.database.db
      .selectFrom('visits')
      .innerJoin('residents', 'residents.id', 'visits.resident_id')
      .innerJoin('households', 'households.id', 'visits.household_id')
      .leftJoin('regions as street', 'street.id', 'households.region_id')
      .leftJoin('regions as district', 'district.id', 'street.parent_id')
      .selectAll('visits')
      .select([
        'residents.name as ctx_resident_name',
        'households.name as ctx_household_name',
        'households.address as ctx_address',
        'street.id as ctx_street_id',
        'street.name as ctx_street_name',
        'district.id as ctx_district_id',
        'district.name as ctx_district_name',
      ]);
    if (f.organisationId) q = q.where('visits.organisation_id', '=', f.organisationId);
    if (f.residentId) q = q.where('visits.resident_id', '=', f.residentId);
    if (f.state?.length) q = q.where('visits.state', 'in', f.state);
    if (f.overdueAt !== undefined)
      q = q.where('visits.state', 'in', OPEN_STATES).where('visits.due_at', '<', new Date(f.overdueAt));
    if (f.assignee) q = q.where('visits.assignee', '=', f.assignee);
    if (f.assigneeUserId) q = q.where('visits.assignee_user_id', '=', f.assigneeUserId);
    if (f.districtId) q = q.where('district.id', '=', f.districtId);
    if (f.streetId) q = q.where('street.id', '=', f.streetId);
    if (f.dueFrom) q = q.where('visits.due_at', '>=', f.dueFrom);
    if (f.dueTo) q = q.where('visits.due_at', '<', f.dueTo);
    const rows = await q
      .orderBy('visits.due_at')
      .orderBy('visits.created_at')
      .orderBy('visits.id')
      .limit(f.limit ?? 500)
      .execute();
    return rows.map((r) => {
      const v = toVisit(r);
      return {
        ...v,
        residentName: r.ctx_resident_name,
        householdName: r.ctx_household_name,
        address: r.ctx_address,
        street: r.ctx_street_id ? { id: r.ctx_street_id, name: r.ctx_street_name! } : null,
        district: r.ctx_district_id ? { id: r.ctx_district_id, name: r.ctx_district_name! } : null,
        overdue: false,
      };
    });
  }

  /** Who an alarm was about: its bed's resident and household (null when the bed had no resident). */
  async alarmSubject(
    alarmId: string,
  ): Promise<{ organisationId: string; residentId: string | null; householdId: string; kind: string }> {
    const r = await this.database.db
      .selectFrom('alarms')
      .innerJoin('beds', 'beds.id', 'alarms.bed_id')
      .select(['alarms.organisation_id', 'beds.resident_id', 'beds.household_id', 'alarms.kind'])
      .where('alarms.id', '=', alarmId)
      .executeTakeFirst();
    if (!r) throw notFound('alarm', alarmId);
    return { organisationId: r.organisation_id, residentId: r.resident_id, householdId: r.household_id, kind: r.kind };
  }

  async residentHome(residentId: string): Promise<{ organisationId: string; householdId: string }> {
    const r = await this.database.db
      .selectFrom('residents')
      .innerJoin('households', 'households.id', 'residents.household_id')
      .select(['households.organisation_id', 'households.id'])
      .where('residents.id', '=', residentId)
      .executeTakeFirst();
    if (!r) throw notFound('resident', residentId);
    return { organisationId: r.organisation_id, householdId: r.id };
  }
}
