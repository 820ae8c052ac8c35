import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import { newId } from '@bedside/common';
import type { Executor } from './alarm.repository';

export interface MaintenanceWindow {
  id: string;
  bedId: string;
  since: string;
  until: string;
  reason: string;
  actor: string;
  endedAt: string | null;
  endedBy: string | null;
}

/** Record of maintenance silences (the rules keep the live silence in the bed state). */
@Injectable()
export class MaintenanceRepository {
  constructor(private readonly database: Database) {}

  async start(
    ex: Executor,
    bedId: string,
    since: number,
    until: number,
    reason: string,
    actor: string,
  ): Promise<MaintenanceWindow> {
    const r = await ex
      .insertInto('maintenance')
      .values({ id: newId(), bed_id: bedId, since: new Date(since), until: new Date(until), reason, actor })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toWindow(r);
  }

  /** Ends every silence of the bed still in force at `at`; returns how many. */
  async end(ex: Executor, bedId: string, at: number, actor: string): Promise<number> {
    const rows = await ex
      .updateTable('maintenance')
      .set({ ended_at: new Date(at), ended_by: actor })
      .where('bed_id', '=', bedId)
      .where('ended_at', 'is', null)
      .where('until', '>', new Date(at))
      .returning('id')
      .execute();
    return rows.length;
  }

  async list(bedId: string): Promise<MaintenanceWindow[]> {
    const rows = await this.database.db
      .selectFrom('maintenance')
      .selectAll()
      .where('bed_id', '=', bedId)
      .orderBy('since', 'desc')
      .limit(100)
      .execute();
    return rows.map(toWindow);
  }
}

function toWindow(r: {
  id: string;
  bed_id: string;
  since: Date;
  until: Date;
  reason: string;
  actor: string;
  ended_at: Date | null;
  ended_by: string | null;
}): MaintenanceWindow {
  return {
    id: r.id,
    bedId: r.bed_id,
    since: r.since.toISOString(),
    until: r.until.toISOString(),
    reason: r.reason,
    actor: r.actor,
    endedAt: r.ended_at?.toISOString() ?? null,
    endedBy: r.ended_by,
  };
}
