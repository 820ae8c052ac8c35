import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '@bedside/database';
import type { BedRuleState } from '@bedside/rules';
import type { Executor } from './alarm.repository';

export interface StoredBedState {
  bedId: string;
  state: BedRuleState;
  nextDeadline: number | null;
  eventCursor: number | null;
  /** Monotonic per bed (in memory); a save with a lower version than the stored one is ignored. */
  version: number;
}

/** Per-bed rule state (pending conditions and timers), saved in the same transaction as the alarm changes. */
@Injectable()
export class BedRuleStateRepository {
  constructor(private readonly database: Database) {}

  save(ex: Executor, s: StoredBedState): Promise<void> {
    return this.saveMany(ex, [s]);
  }

  /** One statement for many beds (the periodic checkpoint); stale versions lose. */
  async saveMany(ex: Executor, list: readonly StoredBedState[]): Promise<void> {
    if (list.length > 0) await this.saveQuery(ex, list).execute();
  }

  /** The upsert as a query (see AlarmRepository.insertRaised's `alongside`); `list` must not be empty. */
  saveQuery(ex: Executor, list: readonly StoredBedState[]) {
    const now = new Date();
    return ex
      .insertInto('bed_rule_state')
      .values(
        list.map((s) => ({
          bed_id: s.bedId,
          state: JSON.stringify(s.state),
          next_deadline: s.nextDeadline === null ? null : new Date(s.nextDeadline),
          event_cursor: s.eventCursor === null ? null : new Date(s.eventCursor),
          updated_at: now,
          version: s.version,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('bed_id')
          .doUpdateSet({
            state: sql`excluded.state`,
            next_deadline: sql`excluded.next_deadline`,
            event_cursor: sql`excluded.event_cursor`,
            updated_at: sql`excluded.updated_at`,
            version: sql`excluded.version`,
          })
          .where('bed_rule_state.version', '<=', sql<number>`excluded.version`),
      );
  }

  async get(bedId: string): Promise<StoredBedState | null> {
    const r = await this.database.db
      .selectFrom('bed_rule_state')
      .selectAll()
      .where('bed_id', '=', bedId)
      .executeTakeFirst();
    return r ? this.toStored(r) : null;
  }

  /** The beds with a saved state (ids only: recovery loads each state as it restores the bed). */
  async bedIds(): Promise<string[]> {
    const rows = await this.database.db.selectFrom('bed_rule_state').select('bed_id').execute();
    return rows.map((r) => r.bed_id);
  }

  private toStored(r: {
    bed_id: string;
    state: unknown;
    next_deadline: Date | null;
    event_cursor: Date | null;
    version: number;
  }): StoredBedState {
    return {
      bedId: r.bed_id,
      state: r.state as BedRuleState,
      nextDeadline: r.next_deadline?.getTime() ?? null,
      eventCursor: r.event_cursor?.getTime() ?? null,
      version: Number(r.version),
    };
  }
}
