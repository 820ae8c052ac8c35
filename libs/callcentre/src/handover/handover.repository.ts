import { Injectable } from '@nestjs/common';
import { Database, type HandoverItem } from '@bedside/database';

export interface Handover {
  id: string;
  summary: string;
  items: HandoverItem[];
  writtenBy: string;
  writtenByName: string | null;
  writtenAt: string;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
  acknowledgedAt: string | null;
}

/** Shift handover notes and their acknowledgement. */
@Injectable()
export class HandoverRepository {
  constructor(private readonly database: Database) {}

  async create(h: {
    id: string;
    organisationId: string;
    summary: string;
    items: HandoverItem[];
    writtenBy: string;
    writtenAt: Date;
  }): Promise<void> {
    await this.database.db
      .insertInto('handovers')
      .values({
        id: h.id,
        organisation_id: h.organisationId,
        summary: h.summary,
        items: JSON.stringify(h.items),
        written_by: h.writtenBy,
        written_at: h.writtenAt,
      })
      .execute();
  }

  /** Sets the acknowledgement once; false when there is no such unacknowledged handover. */
  async acknowledge(organisationId: string, id: string, by: string, at: Date): Promise<boolean> {
    const r = await this.database.db
      .updateTable('handovers')
      .set({ acknowledged_by: by, acknowledged_at: at })
      .where('id', '=', id)
      .where('organisation_id', '=', organisationId)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async list(organisationId: string, limit: number, id?: string): Promise<Handover[]> {
    let q = this.database.db
      .selectFrom('handovers')
      .leftJoin('users as writer', 'writer.username', 'handovers.written_by')
      .leftJoin('users as acker', 'acker.username', 'handovers.acknowledged_by')
      .selectAll('handovers')
      .select(['writer.display_name as writer_name', 'acker.display_name as acker_name'])
      .where('handovers.organisation_id', '=', organisationId);
    if (id) q = q.where('handovers.id', '=', id);
    const rows = await q.orderBy('handovers.written_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      summary: r.summary,
      items: r.items,
      writtenBy: r.written_by,
      writtenByName: r.writer_name,
      writtenAt: r.written_at.toISOString(),
      acknowledgedBy: r.acknowledged_by,
      acknowledgedByName: r.acker_name,
      acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    }));
  }

  /** Open alarms of the organisation now, held ones marked, for the outgoing shift's list. */
  async openAlarms(organisationId: string): Promise<HandoverItem[]> {
    const rows = await this.database.db
      .selectFrom('alarms')
      .leftJoin('beds', 'beds.id', 'alarms.bed_id')
      .leftJoin('households', 'households.id', 'beds.household_id')
      .leftJoin('residents', 'residents.id', 'beds.resident_id')
      .select([
        'alarms.id',
        'alarms.kind',
        'alarms.severity',
        'alarms.state',
        'alarms.held_until',
        'alarms.hold_reason',
        'residents.name as resident_name',
        'households.name as household_name',
      ])
      .where('alarms.organisation_id', '=', organisationId)
      .where('alarms.state', '<>', 'resolved')
      .where('alarms.suppressed', '=', false)
      .orderBy('alarms.raised_at')
      .limit(500)
      .execute();
    return rows.map((r) => ({
      type: r.held_until ? ('held' as const) : ('open' as const),
      alarmId: r.id,
      text: '',
      kind: r.kind,
      severity: r.severity,
      state: r.state,
      residentName: r.resident_name,
      householdName: r.household_name,
      heldUntil: r.held_until?.toISOString() ?? null,
      holdReason: r.hold_reason,
    }));
  }
}
