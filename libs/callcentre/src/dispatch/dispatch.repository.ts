import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Database, type DispatchesTable } from '@bedside/database';
import { newId, notFound } from '@bedside/common';
import type { DispatchStatus } from './dispatch.dto';

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
        updated_at: d.at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDispatch(r);
  }

  async setStatus(
    alarmId: string,
    id: string,
    status: DispatchStatus,
    actor: string,
    note: string | null,
    at: Date,
  ): Promise<Dispatch> {
    const current = await this.database.db
      .selectFrom('dispatches')
      .selectAll()
      .where('id', '=', id)
      .where('alarm_id', '=', alarmId)
      .executeTakeFirst();
    if (!current) throw notFound('dispatch', id);
    const history = [...current.history, { at: at.toISOString(), actor, status, note }];
    const r = await this.database.db
      .updateTable('dispatches')
      .set({ status, history: JSON.stringify(history), updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
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
}
