import { DomainError } from '@bedside/common';
import type { WriteCounters } from './write-counters';

export interface InfluxConnection {
  /** Base URL of the v1-compatible HTTP API (InfluxDB 1.x, 2.x v1 compatibility, 3.x). */
  url: string;
  /** 1.x database, or the v1 database name mapped to a 2.x/3.x bucket (DBRP mapping). */
  database: string;
  retentionPolicy?: string;
  /** 2.x/3.x token, sent as `Authorization: Token …`. Takes precedence over username/password. */
  token?: string;
  username?: string;
  password?: string;
}

export type SendResult = { ok: true } | { ok: false; reason: string };

export interface InfluxSeries {
  name?: string;
  columns: string[];
  values?: unknown[][];
}

interface InfluxQueryResponse {
  error?: string;
  results?: { statement_id?: number; error?: string; series?: InfluxSeries[] }[];
}

function unavailable(why: string): DomainError {
  return new DomainError(
    'UNAVAILABLE',
    `telemetry cannot be read now: ${why}; readings sent meanwhile are kept and can be read once it is back`,
  );
}

function errorMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof j.error === 'string') return j.error;
    if (typeof j.message === 'string') return j.message;
  } catch {
    /* not JSON */
  }
  return text.trim();
}

/** The InfluxDB v1 HTTP API (never /api/v2): line protocol to `/write?precision=ms`, InfluxQL on `/query`. */
export class InfluxHttp {
  private readonly writeUrl: string;
  private readonly queryUrl: string;
  private readonly headers: Record<string, string>;

  constructor(
    opts: InfluxConnection,
    private readonly counters: WriteCounters,
    private readonly writeTimeoutMs: number,
    private readonly queryTimeoutMs: number,
  ) {
    const base = opts.url.replace(/\/+$/, '');
    const common = new URLSearchParams({ db: opts.database });
    if (!opts.token && opts.username) {
      common.set('u', opts.username);
      common.set('p', opts.password ?? '');
    }
    const write = new URLSearchParams(common);
    if (opts.retentionPolicy) write.set('rp', opts.retentionPolicy);
    write.set('precision', 'ms');
    this.writeUrl = `${base}/write?${write.toString()}`;
    const query = new URLSearchParams(common);
    query.set('epoch', 'ms');
    this.queryUrl = `${base}/query?${query.toString()}`;
    this.headers = opts.token ? { authorization: `Token ${opts.token}` } : {};
  }

  /**
   * POSTs lines; ok when InfluxDB took them or refused them for good (counted as rejected),
   * not ok when it is unreachable, slow or failing (the caller spools or retries).
   */
  async sendLines(body: string, lines: number): Promise<SendResult> {
    let res: Response;
    try {
      res = await fetch(this.writeUrl, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'text/plain; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(this.writeTimeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason =
        e.name === 'TimeoutError'
          ? `no answer within ${this.writeTimeoutMs} ms`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { ok: false, reason };
    }
    const text = res.status === 204 ? '' : await res.text().catch(() => '');
    if (res.status === 204 || res.status === 200) {
      this.counters.written += lines;
      return { ok: true };
    }
    if (res.status === 413 && lines > 1) {
      const all = body.split('\n');
      const half = Math.ceil(all.length / 2);
      const a = await this.sendLines(all.slice(0, half).join('\n'), half);
      if (!a.ok) return a;
      return this.sendLines(all.slice(half).join('\n'), all.length - half);
    }
    if (res.status === 400 || res.status === 413 || res.status === 422) {
      const message = errorMessage(text) || `HTTP ${res.status}`;
      const m = /dropped=(\d+)/.exec(message);
      const refused = m ? Math.min(lines, Number(m[1])) : lines;
      this.counters.written += lines - refused;
      this.counters.noteRejected(refused, message);
      return { ok: true };
    }
    return { ok: false, reason: `HTTP ${res.status}${text ? `: ${errorMessage(text).slice(0, 200)}` : ''}` };
  }

  /** One InfluxQL statement's series; InfluxDB down or overloaded is UNAVAILABLE (503 at the edge). */
  async query(q: string): Promise<InfluxSeries[]> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.queryUrl}&q=${encodeURIComponent(q)}`, {
        headers: this.headers,
        signal: AbortSignal.timeout(this.queryTimeoutMs),
      });
      text = await res.text();
    } catch (err) {
      // Down or not answering: the caller gets 503 with the reason, not an opaque 500.
      throw unavailable(`InfluxDB is not answering (${(err as Error).message})`);
    }
    if (res.status >= 500 || res.status === 429) throw unavailable(`InfluxDB answered HTTP ${res.status}`);
    let body: InfluxQueryResponse;
    try {
      body = JSON.parse(text) as InfluxQueryResponse;
    } catch {
      throw new Error(`InfluxDB query failed: HTTP ${res.status} ${text.slice(0, 200)}`);
    }
    const err = body.error ?? body.results?.[0]?.error;
    if (err) throw new Error(`InfluxDB query failed: ${err}`);
    if (!res.ok) throw new Error(`InfluxDB query failed: HTTP ${res.status}`);
    return body.results?.[0]?.series ?? [];
  }
}
