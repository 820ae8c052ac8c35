import {
  NUMERIC_FIELDS,
  type AggregateQuery,
  type AggregateRow,
  type TelemetryPoint,
  type TelemetryQuery,
} from '../telemetry-point';
import type { InfluxHttp } from './influx-http';
import { durationLiteral, quoteIdent, quoteString, timeLiteral } from './influxql';
import { INFLUX_FIELD } from './line-protocol';

/** Telemetry read back with InfluxQL: raw points and per-interval aggregates. */
export class InfluxQuery {
  /** FROM clause: measurement, qualified by the retention policy when one is configured. */
  private readonly from: string;

  constructor(
    private readonly http: InfluxHttp,
    measurement: string,
    retentionPolicy?: string,
  ) {
    this.from = retentionPolicy ? `${quoteIdent(retentionPolicy)}.${quoteIdent(measurement)}` : quoteIdent(measurement);
  }

  private where(q: TelemetryQuery): string {
    const parts = [`time >= ${timeLiteral(q.from)}`, `time < ${timeLiteral(q.to)}`];
    if (q.bedId !== undefined) parts.push(`${quoteIdent('bed_id')} = ${quoteString(q.bedId)}`);
    if (q.deviceId !== undefined) parts.push(`${quoteIdent('device_id')} = ${quoteString(q.deviceId)}`);
    return parts.join(' AND ');
  }

  async query(q: TelemetryQuery): Promise<TelemetryPoint[]> {
    if (q.to <= q.from) return [];
    const limit = q.limit ?? 10_000;
    const cols = ['device_id', 'bed_id', 'kind', ...Object.values(INFLUX_FIELD)];
    const stmt = `SELECT ${cols.map(quoteIdent).join(', ')} FROM ${this.from} WHERE ${this.where(q)} ORDER BY time ASC LIMIT ${Math.max(1, Math.floor(limit))}`;
    const out: TelemetryPoint[] = [];
    for (const s of await this.http.query(stmt)) {
      const idx = new Map(s.columns.map((c, i) => [c, i]));
      for (const row of s.values ?? []) {
        const v = (c: string): unknown => {
          const i = idx.get(c);
          return i === undefined ? null : row[i];
        };
        const p: TelemetryPoint = {
          deviceId: String(v('device_id')),
          bedId: v('bed_id') === null || v('bed_id') === '' ? null : String(v('bed_id')),
          kind: String(v('kind')) as TelemetryPoint['kind'],
          seq: Number(v('seq')),
          ts: Number(v('time')),
        };
        for (const f of NUMERIC_FIELDS) {
          const x = v(INFLUX_FIELD[f]);
          if (x !== null && x !== undefined) p[f] = Number(x);
        }
        for (const f of ['inBed', 'worn'] as const) {
          const x = v(INFLUX_FIELD[f]);
          if (x !== null && x !== undefined) p[f] = Boolean(x);
        }
        out.push(p);
      }
    }
    out.sort((a, b) => a.ts - b.ts || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
    return out.slice(0, limit);
  }

  async aggregate(q: AggregateQuery): Promise<AggregateRow[]> {
    if (q.to <= q.from || q.fields.length === 0) return [];
    const sel: string[] = [];
    for (const f of q.fields) {
      const col = quoteIdent(INFLUX_FIELD[f]);
      for (const fn of ['min', 'mean', 'max', 'count']) sel.push(`${fn}(${col}) AS ${quoteIdent(`${f}_${fn}`)}`);
    }
    const stmt = `SELECT ${sel.join(', ')} FROM ${this.from} WHERE ${this.where(q)} GROUP BY time(${durationLiteral(q.intervalMs)}) fill(none)`;
    const rows: AggregateRow[] = [];
    for (const s of await this.http.query(stmt)) {
      const idx = new Map(s.columns.map((c, i) => [c, i]));
      for (const row of s.values ?? []) {
        const v = (c: string): number | null => {
          const i = idx.get(c);
          const x = i === undefined ? null : row[i];
          return x === null || x === undefined ? null : Number(x);
        };
        const values: AggregateRow['values'] = {};
        for (const f of q.fields) {
          const count = v(`${f}_count`) ?? 0;
          if (count > 0) values[f] = { min: v(`${f}_min`)!, mean: v(`${f}_mean`)!, max: v(`${f}_max`)!, count };
        }
        if (Object.keys(values).length > 0) rows.push({ ts: Number(row[idx.get('time')!]), values });
      }
    }
    rows.sort((a, b) => a.ts - b.ts);
    return rows;
  }
}
