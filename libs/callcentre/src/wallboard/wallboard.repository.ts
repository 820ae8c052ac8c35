import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '@bedside/database';

export interface Wallboard {
  at: string;
  from: string;
  to: string;
  queue: {
    open: number;
    unacknowledged: number;
    held: number;
    escalated: number;
    bySeverity: Record<string, number>;
    oldestUnacknowledgedSeconds: number | null;
  };
  operators: {
    username: string;
    displayName: string | null;
    /** Open alarms this operator acknowledged and has not resolved. */
    handlingNow: number;
    acknowledged: number;
    resolved: number;
    calls: number;
    answerSecondsP50: number | null;
  }[];
  escalations: { inWindow: number; openEscalated: number };
  /**
   * Work orders now: open (not closed, on an alarm not resolved), and of those the ones past
   * the due time of the step they wait for, as GET /api/dispatches?overdue=true lists them.
   */
  dispatches: { open: number; overdue: number };
  /**
   * Alarms raised in the window. Answer-time shares count only alarms a person had to handle:
   * device alarms that cleared and resolved by themselves are counted apart, never in the denominator.
   */
  totals: {
    raised: number;
    humanHandled: number;
    autoResolved: number;
    ackedWithin60sOfHuman: number | null;
    ackedWithin180sOfHuman: number | null;
  };
  /** One row per day in `timeZone`, oldest first. */
  trends: {
    day: string;
    raised: number;
    humanHandled: number;
    autoResolved: number;
    ackedWithin60sOfHuman: number | null;
    answerSecondsP50: number | null;
    falseAlarms: number;
  }[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The supervisor wallboard, straight from the alarms tables (PostgreSQL and PGlite alike). */
@Injectable()
export class WallboardRepository {
  constructor(private readonly database: Database) {}

  async compute(
    organisationId: string | undefined,
    now: Date,
    from: Date,
    days: number,
    timeZone: string,
  ): Promise<Wallboard> {
    const db = this.database.db;
    const org = organisationId ? sql`and a.organisation_id = ${organisationId}` : sql``;
    // A human handled it unless the system closed it without anyone acknowledging it.
    const human = sql`not (a.outcome is not null and a.outcome = 'auto_resolved')`;
    const trendFrom = new Date(now.getTime() - days * 86_400_000);
    const orgOfDispatch = organisationId ? sql`and d.organisation_id = ${organisationId}` : sql``;
    const [queue, severities, operators, escalations, totals, trends, dispatches] = await Promise.all([
      sql<{ open: number; unacked: number; held: number; escalated: number; oldest: number | null }>`
        select count(*)::int as open,
          count(*) filter (where a.state = 'raised')::int as unacked,
          count(*) filter (where a.held_until is not null)::int as held,
          count(*) filter (where a.escalation_level > 0 and a.state = 'raised')::int as escalated,
          extract(epoch from ${now}::timestamptz - min(a.raised_at) filter (where a.state = 'raised'))::float8 as oldest
        from alarms a where a.state <> 'resolved' and not a.suppressed ${org}`.execute(db),
      sql<{ severity: string; n: number }>`
        select a.severity, count(*)::int as n from alarms a
        where a.state <> 'resolved' and not a.suppressed ${org} group by a.severity`.execute(db),
      sql<{
        username: string;
        display_name: string | null;
        handling: number;
        acked: number;
        resolved: number;
        calls: number;
        p50: number | null;
      }>`
        with actors as (
          select a.acknowledged_by as username from alarms a
            where a.acknowledged_by is not null and (a.acknowledged_at >= ${from} or a.state = 'acknowledged') ${org}
          union select a.resolved_by from alarms a
            where a.resolved_by is not null and a.resolved_by <> 'system' and a.resolved_at >= ${from} ${org}
          union select c.actor from call_attempts c join alarms a on a.id = c.alarm_id where c.at >= ${from} ${org}
        )
        select x.username, u.display_name,
          (select count(*) from alarms a where a.acknowledged_by = x.username and a.state = 'acknowledged' ${org})::int as handling,
          (select count(*) from alarms a where a.acknowledged_by = x.username and a.acknowledged_at >= ${from} ${org})::int as acked,
          (select count(*) from alarms a where a.resolved_by = x.username and a.resolved_at >= ${from} ${org})::int as resolved,
          (select count(*) from call_attempts c join alarms a on a.id = c.alarm_id where c.actor = x.username and c.at >= ${from} ${org})::int as calls,
          (select percentile_cont(0.5) within group (order by extract(epoch from a.acknowledged_at - a.raised_at))
             from alarms a where a.acknowledged_by = x.username and a.acknowledged_at >= ${from} ${org}) as p50
        from actors x left join users u on u.username = x.username
        order by handling desc, acked desc, x.username`.execute(db),
      sql<{ in_window: number; open_escalated: number }>`
        select (select count(*) from alarm_audit e join alarms a on a.id = e.alarm_id
                  where e.action = 'escalate' and e.at >= ${from} ${org})::int as in_window,
               (select count(*) from alarms a where a.state = 'raised' and a.escalation_level > 0 and not a.suppressed ${org})::int as open_escalated`.execute(
        db,
      ),
      sql<{ raised: number; human: number; auto: number; w60: number | null; w180: number | null }>`
        select count(*)::int as raised,
          count(*) filter (where ${human})::int as human,
          count(*) filter (where not (${human}))::int as auto,
          avg(case when a.acknowledged_at is not null and a.acknowledged_at - a.raised_at <= interval '60 seconds' then 1.0 else 0.0 end)
            filter (where ${human})::float8 as w60,
          avg(case when a.acknowledged_at is not null and a.acknowledged_at - a.raised_at <= interval '180 seconds' then 1.0 else 0.0 end)
            filter (where ${human})::float8 as w180
        from alarms a where not a.suppressed and a.raised_at >= ${from} and a.raised_at < ${now} ${org}`.execute(db),
      sql<{
        day: string;
        raised: number;
        human: number;
        auto: number;
        w60: number | null;
        p50: number | null;
        false_alarms: number;
      }>`
        select to_char((a.raised_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as day,
          count(*)::int as raised,
          count(*) filter (where ${human})::int as human,
          count(*) filter (where not (${human}))::int as auto,
          avg(case when a.acknowledged_at is not null and a.acknowledged_at - a.raised_at <= interval '60 seconds' then 1.0 else 0.0 end)
            filter (where ${human})::float8 as w60,
          percentile_cont(0.5) within group (order by extract(epoch from a.acknowledged_at - a.raised_at)) as p50,
          count(*) filter (where a.outcome = 'false_alarm')::int as false_alarms
        from alarms a where not a.suppressed and a.raised_at >= ${trendFrom} and a.raised_at < ${now} ${org}
        group by 1 order by 1`.execute(db),
      sql<{ open: number; overdue: number }>`
        select count(*)::int as open, count(*) filter (where d.due_at < ${now})::int as overdue
        from dispatches d join alarms a on a.id = d.alarm_id
        where d.status <> 'closed' and a.state <> 'resolved' ${orgOfDispatch}`.execute(db),
    ]);
    const w = dispatches.rows[0];
    const q = queue.rows[0];
    const t = totals.rows[0];
    const e = escalations.rows[0];
    const humanCount = Number(t?.human ?? 0);
    return {
      at: now.toISOString(),
      from: from.toISOString(),
      to: now.toISOString(),
      queue: {
        open: Number(q?.open ?? 0),
        unacknowledged: Number(q?.unacked ?? 0),
        held: Number(q?.held ?? 0),
        escalated: Number(q?.escalated ?? 0),
        bySeverity: Object.fromEntries(severities.rows.map((r) => [r.severity, Number(r.n)])),
        oldestUnacknowledgedSeconds:
          q?.oldest === null || q?.oldest === undefined ? null : Math.round(Number(q.oldest)),
      },
      operators: operators.rows.map((r) => ({
        username: r.username,
        displayName: r.display_name,
        handlingNow: Number(r.handling),
        acknowledged: Number(r.acked),
        resolved: Number(r.resolved),
        calls: Number(r.calls),
        answerSecondsP50: num(r.p50),
      })),
      escalations: { inWindow: Number(e?.in_window ?? 0), openEscalated: Number(e?.open_escalated ?? 0) },
      dispatches: { open: Number(w?.open ?? 0), overdue: Number(w?.overdue ?? 0) },
      totals: {
        raised: Number(t?.raised ?? 0),
        humanHandled: humanCount,
        autoResolved: Number(t?.auto ?? 0),
        ackedWithin60sOfHuman: humanCount > 0 ? num(t?.w60) : null,
        ackedWithin180sOfHuman: humanCount > 0 ? num(t?.w180) : null,
      },
      trends: trends.rows.map((r) => ({
        day: r.day,
        raised: Number(r.raised),
        humanHandled: Number(r.human),
        autoResolved: Number(r.auto),
        ackedWithin60sOfHuman: Number(r.human) > 0 ? num(r.w60) : null,
        answerSecondsP50: num(r.p50),
        falseAlarms: Number(r.false_alarms),
      })),
    };
  }
}
