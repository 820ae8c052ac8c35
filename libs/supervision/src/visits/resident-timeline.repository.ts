import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { VisitHistoryEntry } from './domain/visit';

/** One entry of a resident's timeline, newest first: an alarm, a step of a visit, or a night off their baseline. */
export type TimelineEntry =
  | {
      at: number;
      type: 'alarm';
      alarmId: string;
      kind: string;
      severity: string;
      state: string;
      outcome: string | null;
    }
  | ({ type: 'visit'; visitId: string; source: string } & VisitHistoryEntry)
  | { at: number; type: 'deviation'; night: string; codes: string[] };

/** The resident's alarms (in their beds), visit steps and flagged nights in a time range. */
@Injectable()
export class ResidentTimelineRepository {
  constructor(private readonly database: Database) {}

  async of(residentId: string, from: Date, to: Date, limit: number): Promise<TimelineEntry[]> {
    const db = this.database.db;
    const alarms = await db
      .selectFrom('alarms')
      .innerJoin('beds', 'beds.id', 'alarms.bed_id')
      .select(['alarms.id', 'alarms.kind', 'alarms.severity', 'alarms.state', 'alarms.outcome', 'alarms.raised_at'])
      .where('beds.resident_id', '=', residentId)
      .where('alarms.suppressed', '=', false)
      .where('alarms.raised_at', '>=', from)
      .where('alarms.raised_at', '<', to)
      .orderBy('alarms.raised_at', 'desc')
      .limit(limit)
      .execute();
    const visits = await db
      .selectFrom('visits')
      .select(['id', 'source', 'history'])
      .where('resident_id', '=', residentId)
      .where('updated_at', '>=', from)
      .where('created_at', '<', to)
      .execute();
    const nights = await db
      .selectFrom('night_summaries')
      .select(['night', 'window_end', 'deviations'])
      .where('resident_id', '=', residentId)
      .where('flagged', '=', true)
      .where('window_end', '>=', from)
      .where('window_end', '<', to)
      .execute();
    const entries: TimelineEntry[] = [
      ...alarms.map((a) => ({
        at: a.raised_at.getTime(),
        type: 'alarm' as const,
        alarmId: a.id,
        kind: a.kind,
        severity: a.severity,
        state: a.state,
        outcome: a.outcome,
      })),
      ...visits.flatMap(
        (v) =>
          v.history
            .map((h) => ({ ...h, at: Date.parse(h.at), type: 'visit' as const, visitId: v.id, source: v.source }))
            .filter((h) => h.at >= from.getTime() && h.at < to.getTime()) as TimelineEntry[],
      ),
      ...nights.map((n) => ({
        at: n.window_end.getTime(),
        type: 'deviation' as const,
        night: n.night,
        codes: (n.deviations as { code: string }[]).map((d) => d.code),
      })),
    ];
    // Newest first; entries at the same instant (a visit planned and flagged in one sweep) in reverse of their order.
    return entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => b.e.at - a.e.at || b.i - a.i)
      .slice(0, limit)
      .map(({ e }) => e);
  }
}
