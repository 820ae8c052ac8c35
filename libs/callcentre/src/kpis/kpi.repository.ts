import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '@bedside/database';

export interface Kpis {
  from: string;
  to: string;
  alarms: number;
  /** raise -> acknowledge, seconds, over alarms acknowledged in the window. */
  ackSeconds: { p50: number | null; p95: number | null };
  /** Telecare targets: 97.5 % within 60 s, 99 % within 180 s (share of all alarms raised). */
  ackedWithin60s: number | null;
  ackedWithin180s: number | null;
  openByAge: { bucket: '<1m' | '1-5m' | '5-15m' | '>15m'; count: number }[];
  falseAlarmRate: { kind: string; rate: number; total: number }[];
}

/** Supervisor KPIs straight from the alarms table (PostgreSQL and PGlite alike). */
@Injectable()
export class KpiRepository {
  constructor(private readonly database: Database) {}

  async compute(organisationId: string | undefined, from: Date, to: Date, now: Date): Promise<Kpis> {
    const db = this.database.db;
    const org = organisationId ? sql`and organisation_id = ${organisationId}` : sql``;
    const ack = await sql<{
      alarms: number;
      p50: number | null;
      p95: number | null;
      w60: number | null;
      w180: number | null;
    }>`
      select count(*)::int as alarms,
        percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - raised_at)) as p50,
        percentile_cont(0.95) within group (order by extract(epoch from acknowledged_at - raised_at)) as p95,
        avg(case when acknowledged_at is not null and acknowledged_at - raised_at <= interval '60 seconds' then 1.0 else 0.0 end)::float8 as w60,
        avg(case when acknowledged_at is not null and acknowledged_at - raised_at <= interval '180 seconds' then 1.0 else 0.0 end)::float8 as w180
      from alarms where not suppressed and raised_at >= ${from} and raised_at < ${to} ${org}`.execute(db);
    const open = await sql<{ bucket: Kpis['openByAge'][number]['bucket']; count: number }>`
      select case
          when ${now}::timestamptz - raised_at < interval '1 minute' then '<1m'
          when ${now}::timestamptz - raised_at < interval '5 minutes' then '1-5m'
          when ${now}::timestamptz - raised_at < interval '15 minutes' then '5-15m'
          else '>15m' end as bucket, count(*)::int as count
      from alarms where state <> 'resolved' and not suppressed ${org} group by 1`.execute(db);
    const falseAlarms = await sql<{ kind: string; rate: number; total: number }>`
      select kind, avg(case when outcome = 'false_alarm' then 1.0 else 0.0 end)::float8 as rate, count(*)::int as total
      from alarms where state = 'resolved' and resolved_at >= ${from} and resolved_at < ${to} ${org} group by kind order by kind`.execute(
      db,
    );
    const a = ack.rows[0];
    const buckets: Kpis['openByAge'][number]['bucket'][] = ['<1m', '1-5m', '5-15m', '>15m'];
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      alarms: Number(a?.alarms ?? 0),
      ackSeconds: { p50: num(a?.p50), p95: num(a?.p95) },
      ackedWithin60s: Number(a?.alarms ?? 0) > 0 ? num(a?.w60) : null,
      ackedWithin180s: Number(a?.alarms ?? 0) > 0 ? num(a?.w180) : null,
      openByAge: buckets.map((bucket) => ({
        bucket,
        count: Number(open.rows.find((r) => r.bucket === bucket)?.count ?? 0),
      })),
      falseAlarmRate: falseAlarms.rows.map((r) => ({ kind: r.kind, rate: Number(r.rate), total: Number(r.total) })),
    };
  }
}
