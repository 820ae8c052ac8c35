import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { BedRuleState } from '@bedside/rules';
import type { Executor } from './alarm.repository';

export interface StoredBedState {
  bedId: string;
  state: BedRuleState;
  nextDeadline: number | null;
  eventCursor: number | null;
}

/** Per-bed rule state (pending conditions and timers), saved in the same transaction as the alarm changes. */
@Injectable()
export class BedRuleStateRepository {
  constructor(private readonly database: Database) {}

  async save(ex: Executor, s: StoredBedState): Promise<void> {
    const values = {
      state: JSON.stringify(s.state), next_deadline: s.nextDeadline === null ? null : new Date(s.nextDeadline),
      event_cursor: s.eventCursor === null ? null : new Date(s.eventCursor), updated_at: new Date(),
    };
    await ex.insertInto('bed_rule_state').values({ bed_id: s.bedId, ...values })
      .onConflict((oc) => oc.column('bed_id').doUpdateSet(values)).execute();
  }

  async get(bedId: string): Promise<StoredBedState | null> {
    const r = await this.database.db.selectFrom('bed_rule_state').selectAll().where('bed_id', '=', bedId).executeTakeFirst();
    return r ? this.toStored(r) : null;
  }

  async all(): Promise<StoredBedState[]> {
    const rows = await this.database.db.selectFrom('bed_rule_state').selectAll().execute();
    return rows.map((r) => this.toStored(r));
  }

  private toStored(r: { bed_id: string; state: unknown; next_deadline: Date | null; event_cursor: Date | null }): StoredBedState {
    return { bedId: r.bed_id, state: r.state as BedRuleState, nextDeadline: r.next_deadline?.getTime() ?? null, eventCursor: r.event_cursor?.getTime() ?? null };
  }
}
