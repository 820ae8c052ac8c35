import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';

export interface HistoryFilter {
  /** Only this organisation's alarms (a user bound to one). */
  organisationId?: string;
  residentId?: string;
  householdId?: string;
  bedId?: string;
  kind?: string[];
  /** Outcome codes; `open` = not resolved. */
  outcome?: string[];
  q?: string;
  from?: Date;
  to?: Date;
}

export interface HistoryItem {
  id: string;
  kind: string;
  severity: string;
  state: string;
  outcome: string | null;
  reason: string;
  message: string;
  details: Record<string, unknown>;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolvedByName: string | null;
  escalationLevel: number;
  bedId: string;
  bedLabel: string | null;
  residentId: string | null;
  residentName: string | null;
  householdId: string | null;
  householdName: string | null;
  address: string | null;
  timeZone: string | null;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
/** ILIKE pattern for words typed by a person: % and _ are literal. */
const likePattern = (q: string) => `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Past (and open) alarms searched by who, where, what and when, newest first, in pages. */
@Injectable()
export class HistoryRepository {
  constructor(private readonly database: Database) {}

  async search(f: HistoryFilter, page: number, pageSize: number): Promise<{ items: HistoryItem[]; total: number }> {
    const base = this.query(f);
    const [rows, count] = await Promise.all([
      base
        .orderBy('alarms.raised_at', 'desc')
        .orderBy('alarms.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      this.query(f)
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ]);
    return { items: rows.map(toItem), total: Number(count?.n ?? 0) };
  }

  /** Every match, newest first, up to `limit` (exports). */
  async all(f: HistoryFilter, limit: number): Promise<HistoryItem[]> {
    const rows = await this.query(f).orderBy('alarms.raised_at', 'desc').orderBy('alarms.id').limit(limit).execute();
    return rows.map(toItem);
  }

  private query(f: HistoryFilter) {
    let q = this.database.db
      .selectFrom('alarms')
      .leftJoin('beds', 'beds.id', 'alarms.bed_id')
      .leftJoin('households', 'households.id', 'beds.household_id')
      .leftJoin('residents', 'residents.id', 'beds.resident_id')
      .leftJoin('users as ack_user', 'ack_user.username', 'alarms.acknowledged_by')
      .leftJoin('users as res_user', 'res_user.username', 'alarms.resolved_by')
      .select([
        'alarms.id',
        'alarms.kind',
        'alarms.severity',
        'alarms.state',
        'alarms.outcome',
        'alarms.reason',
        'alarms.message',
        'alarms.details',
        'alarms.raised_at',
        'alarms.acknowledged_at',
        'alarms.acknowledged_by',
        'alarms.resolved_at',
        'alarms.resolved_by',
        'alarms.escalation_level',
        'alarms.bed_id',
        'beds.label as bed_label',
        'residents.id as resident_id',
        'residents.name as resident_name',
        'households.id as household_id',
        'households.name as household_name',
        'households.address',
        'households.time_zone',
        'ack_user.display_name as ack_name',
        'res_user.display_name as res_name',
      ])
      .where('alarms.suppressed', '=', false);
    if (f.organisationId) q = q.where('alarms.organisation_id', '=', f.organisationId);
    if (f.residentId) q = q.where('beds.resident_id', '=', f.residentId);
    if (f.householdId) q = q.where('beds.household_id', '=', f.householdId);
    if (f.bedId) q = q.where('alarms.bed_id', '=', f.bedId);
    if (f.kind?.length) q = q.where('alarms.kind', 'in', f.kind);
    if (f.outcome?.length) {
      const codes = f.outcome.filter((o) => o !== 'open');
      const open = f.outcome.includes('open');
      q = q.where((eb) =>
        eb.or([
          ...(codes.length ? [eb('alarms.outcome', 'in', codes)] : []),
          ...(open ? [eb('alarms.state', '<>', 'resolved')] : []),
        ]),
      );
    }
    if (f.q?.trim()) {
      const p = likePattern(f.q);
      q = q.where((eb) =>
        eb.or([
          eb('residents.name', 'ilike', p),
          eb('households.name', 'ilike', p),
          eb('households.address', 'ilike', p),
          eb('beds.label', 'ilike', p),
        ]),
      );
    }
    if (f.from) q = q.where('alarms.raised_at', '>=', f.from);
    if (f.to) q = q.where('alarms.raised_at', '<', f.to);
    return q;
  }

  /**
   * A resident's alarms and device events (of the beds they are in now) between `from` and `to`,
   * newest first, at most `limit` of each.
   */
  async residentTimeline(residentId: string, from: Date, to: Date, limit: number) {
    const db = this.database.db;
    const beds = db.selectFrom('beds').select('id').where('resident_id', '=', residentId);
    const [alarms, events] = await Promise.all([
      this.all({ residentId, from, to }, limit),
      db
        .selectFrom('device_events')
        .leftJoin('devices', 'devices.id', 'device_events.device_id')
        .select([
          'device_events.device_id',
          'device_events.event_id',
          'device_events.type',
          'device_events.bed_id',
          'device_events.device_ts',
          'device_events.received_at',
          'devices.kind as device_kind',
        ])
        .where('device_events.bed_id', 'in', beds)
        .where('device_events.device_ts', '>=', from)
        .where('device_events.device_ts', '<', to)
        .orderBy('device_events.device_ts', 'desc')
        .limit(limit)
        .execute(),
    ]);
    const items = [
      ...alarms.map((a) => ({ type: 'alarm' as const, at: a.raisedAt, alarm: a })),
      ...events.map((e) => ({
        type: 'device_event' as const,
        at: e.device_ts.toISOString(),
        event: {
          deviceId: e.device_id,
          deviceKind: e.device_kind,
          eventId: e.event_id,
          type: e.type,
          bedId: e.bed_id,
          receivedAt: e.received_at.toISOString(),
        },
      })),
    ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return { residentId, from: from.toISOString(), to: to.toISOString(), items };
  }
}

function toItem(r: {
  id: string;
  kind: string;
  severity: string;
  state: string;
  outcome: string | null;
  reason: string;
  message: string;
  details: Record<string, unknown>;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  escalation_level: number;
  bed_id: string;
  bed_label: string | null;
  resident_id: string | null;
  resident_name: string | null;
  household_id: string | null;
  household_name: string | null;
  address: string | null;
  time_zone: string | null;
  ack_name: string | null;
  res_name: string | null;
}): HistoryItem {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity,
    state: r.state,
    outcome: r.outcome,
    reason: r.reason,
    message: r.message,
    details: r.details,
    raisedAt: r.raised_at.toISOString(),
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedByName: r.ack_name,
    resolvedAt: iso(r.resolved_at),
    resolvedBy: r.resolved_by,
    resolvedByName: r.res_name,
    escalationLevel: r.escalation_level,
    bedId: r.bed_id,
    bedLabel: r.bed_label,
    residentId: r.resident_id,
    residentName: r.resident_name,
    householdId: r.household_id,
    householdName: r.household_name,
    address: r.address,
    timeZone: r.time_zone,
  };
}
