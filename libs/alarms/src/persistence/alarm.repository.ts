import { Injectable, Optional } from '@nestjs/common';
import {
  sql,
  type Compilable,
  type InsertResult,
  type Kysely,
  type OperationNodeSource,
  type RawBuilder,
  type Selectable,
} from 'kysely';
import { Database, type AlarmsTable, type DB } from '@bedside/database';
import type { AlarmAuditEntry, AlarmOutcome, AlarmStatus, RuleAction, RuleKind, Severity } from '@bedside/rules';
import { DEFAULT_INCIDENT_GAP_MS, SEVERITIES } from '@bedside/rules';
import { AlarmsConfig } from '../alarms.config';
import type { ContextualAlarmView } from '../model/alarm-context';
import {
  toAlarmView,
  type AlarmEventType,
  type AlarmRecord,
  type AlarmStreamEvent,
  type AlarmView,
  type EventDraft,
} from '../model/alarm-record';

/** What one statement part reports: at most one row. */
interface PartRow {
  incident_id: string | null;
  event_id: number | string | null;
}

/**
 * One write of a statement that may carry several (AlarmRepository.writeParts): its CTEs, named
 * through `name` so that parts do not clash, the select of its one result row, and how that row
 * (absent when nothing was written) reads.
 */
export type StatementPart<R> = (name: (cte: string) => string) => {
  ctes: RawBuilder<unknown>[];
  result: RawBuilder<unknown>;
  read: (row: PartRow | undefined) => R;
};

/** What insertRaised wrote: null for a replay (the episode key was known). */
export type RaiseResult = { incidentId: string; event: AlarmStreamEvent | null } | null;

/** A connection or an open transaction: every write of one evaluation shares the caller's transaction. */
export type Executor = Kysely<DB>;

/** A write that can run inside another statement as a data-modifying CTE (one round trip for several writes). */
export type AlongsideWrite = OperationNodeSource & Compilable<InsertResult>;

export interface AlarmFilter {
  /** Only this organisation's alarms (a user bound to one). */
  organisationId?: string;
  state?: AlarmStatus[];
  severity?: Severity[];
  kind?: string[];
  bedId?: string;
  /** Only households in a street of this district (regions). */
  districtId?: string;
  from?: Date;
  to?: Date;
  includeSuppressed?: boolean;
  limit?: number;
}

/** A queue row: the alarm in context, with the district and street of its household (null if unassigned). */
export type QueueAlarmView = ContextualAlarmView & {
  district: { id: string; name: string } | null;
  street: { id: string; name: string } | null;
};

/**
 * pg_advisory_xact_lock(int, int) key of the alarm log's append turn ("ALOG", 0): in clustered
 * mode an append takes it before its ids are drawn and holds it to the commit, so alarm_events
 * ids commit in id order across nodes and a reader following `id > last seen` never passes an id
 * that a slower transaction commits later.
 */
export const ALARM_LOG_LOCK = [0x414c4f47, 0] as const;
/** NOTIFY channel an append signals at its commit (clustered mode), waking every node's tailer. */
export const ALARM_LOG_CHANNEL = 'bedside_alarm_events';

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());
const date = (n: number | null): Date | null => (n === null ? null : new Date(n));

function toRecord(r: Selectable<AlarmsTable>, audit: AlarmAuditEntry[]): AlarmRecord {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    bedId: r.bed_id,
    kind: r.kind as RuleKind,
    subject: r.subject,
    key: r.idempotency_key,
    severity: r.severity as Severity,
    status: r.state as AlarmStatus,
    raisedAt: r.raised_at.getTime(),
    startedAt: r.started_at.getTime(),
    acknowledgedAt: ms(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: ms(r.resolved_at),
    resolvedBy: r.resolved_by,
    outcome: r.outcome as AlarmOutcome | null,
    cleared: r.cleared,
    clearedAt: ms(r.cleared_at),
    cancelledByResidentAt: ms(r.cancelled_by_resident_at),
    repeatCount: r.repeat_count,
    escalationLevel: r.escalation_level,
    lastEscalatedAt: ms(r.last_escalated_at),
    nextEscalationAt: ms(r.next_escalation_at),
    incidentId: r.incident_id,
    suppressed: r.suppressed,
    reason: r.reason,
    message: r.message,
    details: r.details,
    hold:
      r.held_until === null || r.held_since === null
        ? null
        : {
            since: r.held_since.getTime(),
            until: r.held_until.getTime(),
            reason: r.hold_reason ?? '',
            by: r.held_by ?? '',
            escalates: r.hold_escalates ?? false,
          },
    audit,
  };
}

/** An audit entry as alarm_audit columns (a Date serialises as ISO for jsonb_to_recordset too). */
const auditColumns = (e: Omit<AlarmAuditEntry, 'action'> & { action: string }) => ({
  at: new Date(e.at),
  actor: e.actor,
  action: e.action,
  from_state: e.from,
  to_state: e.to,
  note: e.note,
  note_code: e.code ?? null,
  note_params: e.code === undefined ? null : JSON.stringify(e.params ?? {}),
});

/** An alarm_audit row as read with its alarm (auditRows), `at` in ms. */
interface AuditRow {
  at: number;
  actor: string;
  action: string;
  from_state: string | null;
  to_state: string;
  note: string | null;
  note_code: string | null;
  note_params: Record<string, string | number | boolean> | null;
}

/**
 * The alarm's audit timeline as a column of its own row, in id order: an alarm is read in one
 * round trip, which an evaluation that updates it pays before its write.
 */
const auditRows = sql<AuditRow[]>`(select coalesce(json_agg(json_build_object(
    'at', (extract(epoch from au.at) * 1000)::float8, 'actor', au.actor, 'action', au.action,
    'from_state', au.from_state, 'to_state', au.to_state, 'note', au.note,
    'note_code', au.note_code, 'note_params', au.note_params) order by au.id), '[]'::json)
  from alarm_audit au where au.alarm_id = alarms.id)`.as('audit_rows');

function fromAuditRow(r: AuditRow): AlarmAuditEntry {
  return {
    at: r.at,
    actor: r.actor,
    action: r.action as AlarmAuditEntry['action'],
    from: r.from_state as AlarmStatus | null,
    to: r.to_state as AlarmStatus,
    note: r.note,
    ...(r.note_code === null ? {} : { code: r.note_code, params: r.note_params ?? {} }),
  };
}

/** Inserts `entries` into alarm_audit for the alarm of the single-row CTE `source` (raisePart, savePart). */
function auditOf(source: string, entries: readonly AlarmAuditEntry[]) {
  return sql`insert into alarm_audit (alarm_id, at, actor, action, from_state, to_state, note, note_code, note_params)
    select ${sql.ref(`${source}.id`)}, x.at, x.actor, x.action, x.from_state, x.to_state, x.note, x.note_code, x.note_params::jsonb
      from ${sql.table(source)}, jsonb_to_recordset(${JSON.stringify(entries.map(auditColumns))}::jsonb)
      as x(at timestamptz, actor text, action text, from_state text, to_state text, note text, note_code text, note_params text)`;
}

/** The alarm_events payload: what the stream sends, and replays after a reconnect. */
function streamPayload(alarm: AlarmView, at: number): { atIso: string; json: string } {
  const atIso = new Date(at).toISOString();
  return { atIso, json: JSON.stringify({ alarm, at: atIso }) };
}

function columns(a: AlarmRecord) {
  return {
    severity: a.severity,
    state: a.status,
    cleared: a.cleared,
    cleared_at: date(a.clearedAt),
    cancelled_by_resident_at: date(a.cancelledByResidentAt),
    repeat_count: a.repeatCount,
    acknowledged_at: date(a.acknowledgedAt),
    acknowledged_by: a.acknowledgedBy,
    resolved_at: date(a.resolvedAt),
    resolved_by: a.resolvedBy,
    outcome: a.outcome,
    escalation_level: a.escalationLevel,
    last_escalated_at: date(a.lastEscalatedAt),
    next_escalation_at: date(a.nextEscalationAt),
    held_since: date(a.hold?.since ?? null),
    held_until: date(a.hold?.until ?? null),
    hold_reason: a.hold?.reason ?? null,
    held_by: a.hold?.by ?? null,
    hold_escalates: a.hold?.escalates ?? null,
    updated_at: new Date(),
  };
}

/** Alarms, their append-only audit timeline, the stream log and the rule action journal. */
@Injectable()
export class AlarmRepository {
  /** Several processes append to alarm_events: appends take the database turn (ALARM_LOG_LOCK). */
  private readonly sharedLog: boolean;

  constructor(
    private readonly database: Database,
    @Optional() config?: AlarmsConfig,
  ) {
    this.sharedLog = (config?.clusterNodeId ?? null) !== null && database.engine === 'postgres';
  }

  /** The append turn and the wake-up of the other nodes, for a statement or a transaction. */
  private logTurn() {
    return sql`select pg_advisory_xact_lock(${ALARM_LOG_LOCK[0]}::int, ${ALARM_LOG_LOCK[1]}::int), pg_notify(${ALARM_LOG_CHANNEL}, '')`;
  }

  get db(): Executor {
    return this.database.db;
  }

  /**
   * A raised alarm in one statement, so one round trip and atomic without BEGIN/COMMIT (see
   * raisePart). Without `alongside` it runs inside a transaction, which appends its events last
   * (appendEvents): the caller drafts this one. With `alongside` it appends its stream event too.
   * Which of the two is AlarmCommitter's choice.
   */
  async insertRaised(
    ex: Executor,
    a: AlarmRecord,
    alongside?: readonly AlongsideWrite[],
    gapMs = DEFAULT_INCIDENT_GAP_MS,
  ): Promise<RaiseResult> {
    const [result] = await this.writeParts(ex, [this.raisePart(ex, a, alongside, gapMs)]);
    return result;
  }

  /**
   * A raise as part of a statement: it joins the bed's incident when the bed's latest alarm is
   * within the gap (libs/rules groupIntoIncidents), and the row, its audit entries and, with
   * `alongside` (writes of the same evaluation: rule state, action journal), its `alarm.raised`
   * stream event are written only if the episode key is new (a replay after a crash finds it and
   * reads null). A suppressed alarm (maintenance silence) is recorded only: its own incident, no
   * stream event.
   */
  raisePart(
    ex: Executor,
    a: AlarmRecord,
    alongside?: readonly AlongsideWrite[],
    gapMs = DEFAULT_INCIDENT_GAP_MS,
  ): StatementPart<RaiseResult> {
    const streamed = !a.suppressed;
    const withEvent = streamed && alongside !== undefined;
    const chained = ex
      .selectFrom('alarms')
      .select('incident_id')
      .where('bed_id', '=', a.bedId)
      .where('suppressed', '=', false)
      .where('raised_at', '<=', new Date(a.raisedAt))
      .where('raised_at', '>=', new Date(a.raisedAt - gapMs))
      .orderBy('raised_at', 'desc')
      .limit(1);
    const inserted = ex
      .insertInto('alarms')
      .values({
        id: a.id,
        organisation_id: a.organisationId,
        bed_id: a.bedId,
        subject: a.subject,
        kind: a.kind,
        started_at: new Date(a.startedAt),
        raised_at: new Date(a.raisedAt),
        suppressed: a.suppressed,
        reason: a.reason,
        message: a.message,
        details: JSON.stringify(a.details),
        idempotency_key: a.key,
        ...columns(a),
        incident_id: streamed ? sql<string>`coalesce((${chained}), ${a.id})` : a.id,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning(['id', 'incident_id']);
    const view = toAlarmView(a);
    const payload = streamPayload(view, a.raisedAt);
    return (name) => {
      const [ins, event] = [name('inserted'), name('event')];
      const ctes = [
        ...(alongside ?? []).map((w, i) => sql`${sql.table(name(`alongside_${i}`))} as (${w})`),
        sql`${sql.table(ins)} as (${inserted})`,
        sql`${sql.table(name('audit'))} as (${auditOf(ins, a.audit)})`,
      ];
      // The stored payload carries the incident chosen above, like the event returned here.
      if (withEvent)
        ctes.push(
          ...this.eventCtes(
            name,
            event,
            sql`select ${sql.ref(`${ins}.id`)}, ${'alarm.raised'}, ${new Date(a.raisedAt)}::timestamptz,
              jsonb_set(${payload.json}::jsonb, '{alarm,incidentId}', to_jsonb(${sql.ref(`${ins}.incident_id`)}))
              from ${sql.table(ins)}`,
          ),
        );
      return {
        ctes,
        result: sql`select ${sql.ref(`${ins}.incident_id`)}::text as incident_id,
          ${withEvent ? sql`(select id from ${sql.table(event)})` : sql`null::bigint`} as event_id from ${sql.table(ins)}`,
        read: (row) => {
          if (!row?.incident_id) return null;
          const incidentId = row.incident_id;
          return {
            incidentId,
            event:
              row.event_id === null
                ? null
                : { id: Number(row.event_id), type: 'alarm.raised', alarm: { ...view, incidentId }, at: payload.atIso },
          };
        },
      };
    };
  }

  /**
   * An alarm change as part of a statement: the changed columns, the audit entries `next` has
   * beyond `prev`, its stream event (`type` at `at`) and `alongside` (writes of the same
   * evaluation: rule state, action journal). Reads null when the alarm row is gone: then only
   * `alongside` is written.
   */
  savePart(
    ex: Executor,
    prev: AlarmRecord,
    next: AlarmRecord,
    type: AlarmEventType,
    at: number,
    alongside: readonly AlongsideWrite[],
  ): StatementPart<AlarmStreamEvent | null> {
    const updated = ex.updateTable('alarms').set(columns(next)).where('id', '=', next.id).returning('id');
    const entries = next.audit.slice(prev.audit.length);
    const view = toAlarmView(next);
    const payload = streamPayload(view, at);
    return (name) => {
      const [upd, event] = [name('updated'), name('event')];
      const ctes = [
        ...alongside.map((w, i) => sql`${sql.table(name(`alongside_${i}`))} as (${w})`),
        sql`${sql.table(upd)} as (${updated})`,
      ];
      if (entries.length > 0) ctes.push(sql`${sql.table(name('audit'))} as (${auditOf(upd, entries)})`);
      ctes.push(
        ...this.eventCtes(
          name,
          event,
          sql`select ${sql.ref(`${upd}.id`)}, ${type}, ${new Date(at)}::timestamptz, ${payload.json}::jsonb from ${sql.table(upd)}`,
        ),
      );
      return {
        ctes,
        result: sql`select null::text as incident_id, id as event_id from ${sql.table(event)}`,
        read: (row) => (row ? { id: Number(row.event_id), type, alarm: view, at: payload.atIso } : null),
      };
    };
  }

  /**
   * Writes the parts in one statement, so one round trip and atomic without BEGIN/COMMIT; each
   * part reads its own outcome. The stream events of several parts are appended in no set order
   * among them (data-modifying CTEs run concurrently): they commit together, and the caller
   * streams them in id order.
   */
  async writeParts<R extends readonly unknown[]>(
    ex: Executor,
    parts: { [K in keyof R]: StatementPart<R[K]> },
  ): Promise<R> {
    const built = parts.map((part, i) => part((cte) => (parts.length === 1 ? cte : `p${i}_${cte}`)));
    const results = built.map((b, i) => sql`(select ${i}::int as part, r.* from (${b.result}) r)`);
    const { rows } = await sql<PartRow & { part: number }>`with ${sql.join(built.flatMap((b) => b.ctes))}
      ${sql.join(results, sql` union all `)}`.execute(ex);
    const byPart = new Map(rows.map((r) => [r.part, r]));
    return built.map((b, i) => b.read(byPart.get(i))) as unknown as R;
  }

  /**
   * The CTEs appending one stream event selected by `select` as `event`. Shared log: the event
   * row is produced only after the turn is taken, so its id is drawn under the lock, held until
   * the statement's commit.
   */
  private eventCtes(name: (cte: string) => string, event: string, select: RawBuilder<unknown>) {
    const turn = name('log_turn');
    const ctes = this.sharedLog ? [sql`${sql.table(turn)} as (${this.logTurn()})`] : [];
    const source = this.sharedLog ? sql`select s.* from (${select}) s, ${sql.table(turn)}` : select;
    ctes.push(
      sql`${sql.table(event)} as (insert into alarm_events (alarm_id, type, at, payload) ${source} returning id)`,
    );
    return ctes;
  }

  /** Writes the changed columns and the audit entries `next` has beyond `prev`. */
  async save(ex: Executor, prev: AlarmRecord, next: AlarmRecord): Promise<void> {
    await ex.updateTable('alarms').set(columns(next)).where('id', '=', next.id).execute();
    await this.appendAudit(ex, next.id, next.audit.slice(prev.audit.length));
  }

  /**
   * `note` and call-centre entries (`dispatch`, `dispatch.on_site`, …) change no state, so the
   * state machine does not know them; the timeline shows them all.
   */
  async appendAudit(
    ex: Executor,
    alarmId: string,
    entries: readonly (Omit<AlarmAuditEntry, 'action'> & { action: string })[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await ex
      .insertInto('alarm_audit')
      .values(entries.map((e) => ({ alarm_id: alarmId, ...auditColumns(e) })))
      .execute();
  }

  /**
   * Appends to the stream log in one statement; the ids are the SSE event ids, in `drafts` order
   * (a multi-row VALUES draws its bigserial ids row by row). With a shared log `ex` must be a
   * transaction: the turn it takes lasts until the commit.
   */
  async appendEvents(ex: Executor, drafts: readonly EventDraft[]): Promise<AlarmStreamEvent[]> {
    if (drafts.length === 0) return [];
    if (this.sharedLog) {
      if (!ex.isTransaction) throw new Error('alarm events of a shared log are appended inside a transaction');
      await this.logTurn().execute(ex);
    }
    const views = drafts.map((d) => toAlarmView(d.alarm));
    const payloads = drafts.map((d, i) => streamPayload(views[i], d.at));
    const rows = await ex
      .insertInto('alarm_events')
      .values(
        drafts.map((d, i) => ({ alarm_id: d.alarm.id, type: d.type, at: new Date(d.at), payload: payloads[i].json })),
      )
      .returning('id')
      .execute();
    const ids = rows.map((r) => Number(r.id)).sort((x, y) => x - y);
    return drafts.map((d, i) => ({ id: ids[i], type: d.type, alarm: views[i], at: payloads[i].atIso }));
  }

  async eventsAfter(afterId: number, limit = 1000): Promise<AlarmStreamEvent[]> {
    const rows = await this.db
      .selectFrom('alarm_events')
      .select(['id', 'type', 'payload'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type as AlarmEventType,
      ...(r.payload as { alarm: AlarmView; at: string }),
    }));
  }

  async lastEventId(): Promise<number> {
    const row = await this.db
      .selectFrom('alarm_events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  /** The bed an alarm belongs to, or null when there is no such alarm. */
  async bedOf(id: string): Promise<string | null> {
    const row = await this.db.selectFrom('alarms').select('bed_id').where('id', '=', id).executeTakeFirst();
    return row?.bed_id ?? null;
  }

  async get(ex: Executor, id: string, forUpdate = false): Promise<AlarmRecord | null> {
    let q = ex.selectFrom('alarms').selectAll().select(auditRows).where('id', '=', id);
    if (forUpdate && this.database.engine === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? toRecord(row, row.audit_rows.map(fromAuditRow)) : null;
  }

  async getByKey(ex: Executor, key: string): Promise<AlarmRecord | null> {
    const row = await ex
      .selectFrom('alarms')
      .selectAll()
      .select(auditRows)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row ? toRecord(row, row.audit_rows.map(fromAuditRow)) : null;
  }

  async incident(incidentId: string): Promise<AlarmView[]> {
    const rows = await this.db
      .selectFrom('alarms')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('raised_at')
      .execute();
    return rows.map((r) => toAlarmView(toRecord(r, [])));
  }

  /**
   * Ordered like the console queue: most severe first, then oldest. Each alarm carries its bed,
   * resident and household and the display names of who acknowledged and resolved it, joined
   * here so a queue of many households needs one query.
   */
  async list(f: AlarmFilter): Promise<QueueAlarmView[]> {
    let q = this.db
      .selectFrom('alarms')
      .leftJoin('beds', 'beds.id', 'alarms.bed_id')
      .leftJoin('households', 'households.id', 'beds.household_id')
      .leftJoin('residents', 'residents.id', 'beds.resident_id')
      .leftJoin('regions as street', 'street.id', 'households.region_id')
      .leftJoin('regions as district', 'district.id', 'street.parent_id')
      .leftJoin('users as ack_user', 'ack_user.username', 'alarms.acknowledged_by')
      .leftJoin('users as res_user', 'res_user.username', 'alarms.resolved_by')
      .selectAll('alarms')
      .select([
        'beds.label as ctx_bed_label',
        'residents.name as ctx_resident_name',
        'households.id as ctx_household_id',
        'households.name as ctx_household_name',
        'households.address as ctx_address',
        'households.time_zone as ctx_time_zone',
        'ack_user.display_name as ctx_ack_name',
        'res_user.display_name as ctx_res_name',
        'street.id as ctx_street_id',
        'street.name as ctx_street_name',
        'district.id as ctx_district_id',
        'district.name as ctx_district_name',
      ]);
    if (f.state?.length) q = q.where('alarms.state', 'in', f.state);
    if (f.severity?.length) q = q.where('alarms.severity', 'in', f.severity);
    if (f.kind?.length) q = q.where('alarms.kind', 'in', f.kind);
    if (f.bedId) q = q.where('alarms.bed_id', '=', f.bedId);
    if (f.organisationId) q = q.where('alarms.organisation_id', '=', f.organisationId);
    if (f.districtId) q = q.where('district.id', '=', f.districtId);
    if (f.from) q = q.where('alarms.raised_at', '>=', f.from);
    if (f.to) q = q.where('alarms.raised_at', '<', f.to);
    if (!f.includeSuppressed) q = q.where('alarms.suppressed', '=', false);
    const rank = sql<number>`case alarms.severity ${sql.join(
      SEVERITIES.map((s, i) => sql`when ${s} then ${i}`),
      sql` `,
    )} end`;
    const rows = await q
      .orderBy(rank)
      .orderBy('alarms.raised_at')
      .limit(f.limit ?? 500)
      .execute();
    return rows.map((r) => ({
      ...toAlarmView(toRecord(r, [])),
      bedLabel: r.ctx_bed_label,
      residentName: r.ctx_resident_name,
      householdId: r.ctx_household_id,
      householdName: r.ctx_household_name,
      address: r.ctx_address,
      timeZone: r.ctx_time_zone,
      acknowledgedByName: r.ctx_ack_name,
      resolvedByName: r.ctx_res_name,
      district: r.ctx_district_id ? { id: r.ctx_district_id, name: r.ctx_district_name! } : null,
      street: r.ctx_street_id ? { id: r.ctx_street_id, name: r.ctx_street_name! } : null,
    }));
  }

  /** Unacknowledged alarms with an escalation due, for the per-bed timers after a restart. */
  async pendingEscalations(): Promise<{ id: string; bedId: string; at: number }[]> {
    const rows = await this.db
      .selectFrom('alarms')
      .select(['id', 'bed_id', 'next_escalation_at'])
      .where('state', '=', 'raised')
      .where('next_escalation_at', 'is not', null)
      .execute();
    return rows.map((r) => ({ id: r.id, bedId: r.bed_id, at: r.next_escalation_at!.getTime() }));
  }

  /** Journal of every rule action; a replayed action (same key, type, instant) is written once. */
  async logActions(ex: Executor, bedId: string, actions: readonly RuleAction[]): Promise<void> {
    if (actions.length > 0) await this.logActionsQuery(ex, bedId, actions).execute();
  }

  /** The journal write as a query (see insertRaised's `alongside`); `actions` must not be empty. */
  logActionsQuery(ex: Executor, bedId: string, actions: readonly RuleAction[]) {
    return ex
      .insertInto('rule_actions')
      .values(
        actions.map((a) => ({
          bed_id: bedId,
          key: a.key,
          type: a.type,
          kind: a.kind,
          at: new Date(a.at),
          suppressed: a.suppressed,
          action: JSON.stringify(a),
        })),
      )
      .onConflict((oc) => oc.columns(['key', 'type', 'at']).doNothing());
  }

  async actions(bedId: string, from: Date, to: Date): Promise<RuleAction[]> {
    const rows = await this.db
      .selectFrom('rule_actions')
      .select('action')
      .where('bed_id', '=', bedId)
      .where('at', '>=', from)
      .where('at', '<', to)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.action as unknown as RuleAction);
  }
}
