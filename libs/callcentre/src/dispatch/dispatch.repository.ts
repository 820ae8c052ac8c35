import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { Database, type DispatchesTable } from '@bedside/database';
import { newId, notFound } from '@bedside/common';
import type { DispatchStatus } from './domain/dispatch-due';

export interface Dispatch {
  id: string;
  alarmId: string;
  responderType: string;
  responderName: string;
  status: DispatchStatus;
  note: string | null;
  history: { at: string; actor: string; status: string; note: string | null }[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  dueAt: Date | null;
  overdueAt: Date | null;
}

/** An open work order with the alarm and resident it is for. */
export interface OpenDispatch extends Dispatch {
  organisationId: string;
  alarmKind: string;
  bedId: string;
  bedLabel: string;
  residentName: string | null;
  householdName: string;
}

const toDispatch = (r: Selectable<DispatchesTable>): Dispatch => ({
  id: r.id,
  alarmId: r.alarm_id,
  responderType: r.responder_type,
  responderName: r.responder_name,
  status: r.status,
  note: r.note,
  history: r.history,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  dueAt: r.due_at,
  overdueAt: r.overdue_at,
});

/** Work orders (派单): who was sent to an alarm, and how far they have got, with timestamps. */
@Injectable()
export class DispatchRepository {
  constructor(private readonly database: Database) {}

  async create(d: {
    alarmId: string;
    organisationId: string;
    responderType: Dispatch['responderType'];
    responderName: string;
    note: string | null;
    actor: string;
    at: Date;
    dueAt: Date | null;
  }): Promise<Dispatch> {
    const history = [{ at: d.at.toISOString(), actor: d.actor, status: 'dispatched', note: d.note }];
    const r = await this.database.db
      .insertInto('dispatches')
      .values({
        id: newId(),
        alarm_id: d.alarmId,
        organisation_id: d.organisationId,
        responder_type: d.responderType as DispatchesTable['responder_type'],
        responder_name: d.responderName,
        status: 'dispatched',
        note: d.note,
        history: JSON.stringify(history),
        created_by: d.actor,
        created_at: d.at,
        updated_at: d.at,
        due_at: d.dueAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDispatch(r);
  }

  async get(alarmId: string, id: string): Promise<Dispatch | null> {
    const r = await this.database.db
      .selectFrom('dispatches')
      .selectAll()
      .where('id', '=', id)
      .where('alarm_id', '=', alarmId)
      .executeTakeFirst();
    return r ? toDispatch(r) : null;
  }

  /**
   * Moves the dispatch on from `from` (unless another request moved it first: not found then),
   * with the due time and flag of the step it now waits for.
   */
  async setStatus(
    alarmId: string,
    id: string,
    from: DispatchStatus,
    change: {
      status: DispatchStatus;
      actor: string;
      note: string | null;
      at: Date;
      dueAt: Date | null;
      overdueAt: Date | null;
    },
  ): Promise<Dispatch> {
    const step = { at: change.at.toISOString(), actor: change.actor, status: change.status, note: change.note };
    const r = await this.database.db
      .updateTable('dispatches')
      .set({
        status: change.status,
        history: sql`history || ${JSON.stringify([step])}::jsonb`,
        updated_at: change.at,
        due_at: change.dueAt,
        overdue_at: change.overdueAt,
        // A new step starts unflagged; a kept flag keeps its note mark.
        ...(change.overdueAt === null ? { overdue_noted_at: null } : {}),
      })
      .where('id', '=', id)
      .where('alarm_id', '=', alarmId)
      .where('status', '=', from)
      .returningAll()
      .executeTakeFirst();
    if (!r) throw notFound('dispatch', id);
    return toDispatch(r);
  }

  async list(alarmId: string): Promise<Dispatch[]> {
    return (
      await this.database.db
        .selectFrom('dispatches')
        .selectAll()
        .where('alarm_id', '=', alarmId)
        .orderBy('created_at')
        .execute()
    ).map(toDispatch);
  }

  /**
   * The organisation's open work orders (not closed, on an alarm not resolved), soonest due
   * first; with `overdueAt` only those past due at that instant.
   */
  async open(f: { organisationId?: string; overdueAt?: Date; limit: number }): Promise<OpenDispatch[]> {
    let q = this.database.db
      .selectFrom('dispatches as d')
      .innerJoin('alarms as a', 'a.id', 'd.alarm_id')
      .innerJoin('beds as b', 'b.id', 'a.bed_id')
      .innerJoin('households as h', 'h.id', 'b.household_id')
      .leftJoin('residents as r', 'r.id', 'b.resident_id')
      .selectAll('d')
      .select(['a.kind as alarm_kind', 'b.label as bed_label', 'r.name as resident_name', 'h.name as household_name'])
      .select('a.bed_id as alarm_bed_id')
      .where('d.status', '<>', 'closed')
      .where('a.state', '<>', 'resolved');
    if (f.organisationId) q = q.where('d.organisation_id', '=', f.organisationId);
    if (f.overdueAt) q = q.where('d.due_at', '<', f.overdueAt);
    const rows = await q
      .orderBy(sql`d.due_at asc nulls last`)
      .orderBy('d.created_at')
      .orderBy('d.id')
      .limit(f.limit)
      .execute();
    return rows.map((r) => ({
      ...toDispatch(r),
      organisationId: r.organisation_id,
      alarmKind: r.alarm_kind,
      bedId: r.alarm_bed_id,
      bedLabel: r.bed_label,
      residentName: r.resident_name,
      householdName: r.household_name,
    }));
  }

  /**
   * Claims up to `limit` open work orders past due and not flagged yet: marks them flagged at
   * `now` and answers them. One statement, and SKIP LOCKED: hubs of a cluster sweeping at the
   * same moment each claim different rows, so every dispatch is flagged by exactly one node,
   * and a restart finds the mark and does not flag it again.
   */
  async claimOverdue(now: Date, limit: number): Promise<(Dispatch & { organisationId: string })[]> {
    const rows = await sql<Selectable<DispatchesTable>>`
      update dispatches set overdue_at = ${now}, first_overdue_at = coalesce(first_overdue_at, ${now})
      where id in (
        select d.id from dispatches d join alarms a on a.id = d.alarm_id
        where d.overdue_at is null and d.due_at < ${now} and d.status <> 'closed' and a.state <> 'resolved'
        order by d.due_at limit ${limit}
        for update of d skip locked)
      and overdue_at is null and status <> 'closed' and due_at < ${now}
      returning *`.execute(this.database.db);
    return rows.rows.map((r) => ({ ...toDispatch(r), organisationId: r.organisation_id }));
  }

  /**
   * Open work orders flagged before `flaggedBefore` whose note was never marked written: the
   * node that flagged one died or failed between the flag and the note. Oldest flag first.
   */
  async unnoted(flaggedBefore: Date, limit: number): Promise<(Dispatch & { organisationId: string })[]> {
    const rows = await this.database.db
      .selectFrom('dispatches as d')
      .innerJoin('alarms as a', 'a.id', 'd.alarm_id')
      .selectAll('d')
      .where('d.overdue_noted_at', 'is', null)
      .where('d.overdue_at', '<', flaggedBefore)
      .where('d.status', '<>', 'closed')
      .where('a.state', '<>', 'resolved')
      .orderBy('d.overdue_at')
      .orderBy('d.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...toDispatch(r), organisationId: r.organisation_id }));
  }

  /** Marks the note of the flag raised at `overdueAt` written (no-op once the flag changed). */
  async markNoted(id: string, overdueAt: Date, at: Date): Promise<boolean> {
    const r = await this.database.db
      .updateTable('dispatches')
      .set({ overdue_noted_at: at })
      .where('id', '=', id)
      .where('overdue_at', '=', overdueAt)
      .where('overdue_noted_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
