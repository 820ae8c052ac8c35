import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { freePort, startInflux, waitFor, type InfluxServer } from '@bedside/testing';
import { InfluxTelemetryStore, type InfluxTelemetryStoreOptions } from '../src/influx/influx-telemetry.store';
import type { TelemetryPoint } from '../src/telemetry-point';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

const BED = '6f1c2a0e-1b2c-4d3e-8f90-a1b2c3d4e5f6';

class MemoryLogger implements LoggerService {
  readonly lines: string[] = [];
  log(m: unknown) {
    this.lines.push(`log ${String(m)}`);
  }
  warn(m: unknown) {
    this.lines.push(`warn ${String(m)}`);
  }
  error(m: unknown) {
    this.lines.push(`error ${String(m)}`);
  }
}

let influx: InfluxServer;
const dirs: string[] = [];
const stores: InfluxTelemetryStore[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bedside-spool-'));
  dirs.push(d);
  return d;
}

async function createDb(name: string): Promise<void> {
  const r = await influx.query(`CREATE DATABASE "${name}"`);
  if (r.error ?? r.results?.[0]?.error) throw new Error(r.error ?? r.results?.[0]?.error);
}

async function count(db: string, measurement = 'telemetry'): Promise<number> {
  const res = await fetch(
    `${influx.url}/query?db=${db}&q=${encodeURIComponent(`SELECT COUNT("seq") FROM "${measurement}"`)}`,
  );
  const body = (await res.json()) as { results: { series?: { values: [unknown, number][] }[] }[] };
  return body.results[0].series?.[0]?.values[0][1] ?? 0;
}

function makeStore(database: string, extra: Partial<InfluxTelemetryStoreOptions> = {}): InfluxTelemetryStore {
  const store = new InfluxTelemetryStore({
    url: influx.url,
    database,
    batchSize: 500,
    flushMs: 50,
    spoolDir: tempDir(),
    spoolMaxBytes: 64 * 1024 * 1024,
    writeTimeoutMs: 2000,
    retryMinMs: 50,
    retryMaxMs: 400,
    logger: new MemoryLogger(),
    ...extra,
  });
  stores.push(store);
  return store;
}

/** Distinct (device, ts) for every index. */
function point(i: number, t0: number): TelemetryPoint {
  return {
    deviceId: `dev-${i % 10}`,
    bedId: BED,
    kind: 'mattress',
    seq: i,
    ts: t0 + Math.floor(i / 10),
    inBed: true,
    heartRate: 60 + (i % 30),
    respirationRate: 14,
  };
}

beforeAll(async () => {
  influx = await startInflux({ database: 'contract' });
}, 60_000);

afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  await influx?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

describeTelemetryStoreContract('InfluxDB 1.6 (v1 HTTP API)', async () => {
  const store = makeStore('contract');
  return { store, teardown: () => store.close() };
});

describe('InfluxTelemetryStore durability', () => {
  it('keeps acknowledging while influxd is down and lands every acknowledged point once it returns', async () => {
    await createDb('outage');
    const store = makeStore('outage');
    const t0 = Date.UTC(2025, 1, 1);
    let issued = 0;
    let acked = 0;
    let ackedDuringOutage = 0;
    let down = false;
    let stop = false;
    const failures: unknown[] = [];
    const producer = (async () => {
      while (!stop) {
        const batch = Array.from({ length: 50 }, (_, k) => point(issued + k, t0));
        issued += batch.length;
        // Not awaited one by one: many writes in flight, like ingest.
        void store.write(batch).then(
          () => {
            acked += batch.length;
            if (down) ackedDuringOutage += batch.length;
          },
          (err) => failures.push(err),
        );
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    await waitFor(() => acked > 2000, { timeoutMs: 10_000, what: 'writes before the outage' });
    await influx.kill();
    down = true;
    await waitFor(() => store.stats().spooling && store.stats().spoolDepthPoints > 0, {
      timeoutMs: 10_000,
      what: 'spooling',
    });
    const ackedAtKill = acked;
    await new Promise((r) => setTimeout(r, 1500));
    expect(acked).toBeGreaterThan(ackedAtKill + 2000); // write() kept resolving: durable in the spool
    const during = store.stats();
    expect(during.spoolBytes).toBeGreaterThan(0);
    expect(during.spoolOldestAgeMs).toBeGreaterThan(500);

    await influx.restart();
    down = false;
    await new Promise((r) => setTimeout(r, 700));
    stop = true;
    await producer;
    await store.flush();
    expect(await store.drain(30_000)).toBe(true);

    expect(failures).toEqual([]);
    expect(acked).toBe(issued);
    expect(ackedDuringOutage).toBeGreaterThan(1000);
    expect(await count('outage')).toBe(acked);
    const s = store.stats();
    expect(s).toMatchObject({ spoolDepthPoints: 0, spoolOldestAgeMs: 0, dropped: 0, rejected: 0, spooling: false });
    expect(s.replayed).toBeGreaterThan(0);
  }, 40_000);

  it('spools when influxd hangs (write timeout) and replays without doubling', async () => {
    await createDb('hang');
    const store = makeStore('hang', { writeTimeoutMs: 300 });
    const t0 = Date.UTC(2025, 1, 2);
    await store.write(Array.from({ length: 1000 }, (_, i) => point(i, t0)));
    influx.pause();
    try {
      const t = Date.now();
      await store.write(Array.from({ length: 3000 }, (_, i) => point(1000 + i, t0)));
      expect(Date.now() - t).toBeLessThan(5000);
      expect(store.stats().spooling).toBe(true);
    } finally {
      influx.resume();
    }
    expect(await store.drain(20_000)).toBe(true);
    expect(await count('hang')).toBe(4000);
  }, 30_000);

  it('replays a spool left by a closed store when a new store starts on the same folder', async () => {
    await createDb('restart');
    const spoolDir = tempDir();
    const t0 = Date.UTC(2025, 1, 3);
    await influx.kill();
    const first = makeStore('restart', { spoolDir });
    const n = 7000;
    await Promise.all([
      first.write(Array.from({ length: 4000 }, (_, i) => point(i, t0))),
      first.write(Array.from({ length: n - 4000 }, (_, i) => point(4000 + i, t0))),
    ]);
    await first.flush();
    expect(first.stats().spoolDepthPoints).toBe(n);
    await first.close();
    expect(readdirSync(spoolDir).some((f) => f.startsWith('seg-'))).toBe(true);

    await influx.restart();
    const second = makeStore('restart', { spoolDir });
    expect(second.stats().spoolDepthPoints).toBe(n);
    expect(await second.drain(20_000)).toBe(true);
    expect(second.stats().replayed).toBe(n);
    expect(await count('restart')).toBe(n);
    expect(readdirSync(spoolDir).filter((f) => f.startsWith('seg-'))).toEqual([]);
    await second.close();

    // A third start finds nothing to replay.
    const third = makeStore('restart', { spoolDir });
    expect(third.stats().spoolDepthPoints).toBe(0);
    await third.close();
    expect(await count('restart')).toBe(n);
  }, 40_000);

  it('counts lines InfluxDB refuses (field type conflict) as rejected and does not wedge the spool', async () => {
    await createDb('conflict');
    const t0 = Date.UTC(2025, 1, 4);
    // heart_rate becomes a string field in this shard: our float heart_rate lines conflict.
    const res = await fetch(`${influx.url}/write?db=conflict&precision=ms`, {
      method: 'POST',
      body: `telemetry,device_id=seed,kind=mattress heart_rate="n/a",seq=0i ${t0}`,
    });
    expect(res.status).toBe(204);
    const logger = new MemoryLogger();
    const store = makeStore('conflict', { logger });
    const bad = (i: number): TelemetryPoint => ({
      deviceId: `bad-${i}`,
      bedId: BED,
      kind: 'mattress',
      seq: i,
      ts: t0 + 1 + i,
      heartRate: 70,
    });
    const good = (i: number): TelemetryPoint => ({
      deviceId: `good-${i}`,
      bedId: BED,
      kind: 'button',
      seq: i,
      ts: t0 + 1 + i,
      battery: 80,
    });

    await store.write([
      ...Array.from({ length: 5 }, (_, i) => bad(i)),
      ...Array.from({ length: 5 }, (_, i) => good(i)),
    ]);
    expect(store.stats()).toMatchObject({ rejected: 5, written: 5 });
    expect(logger.lines.some((l) => l.startsWith('warn') && /rejected 5/.test(l) && /conflict/.test(l))).toBe(true);

    // The same through the spool: replay gets past the refused lines.
    await influx.kill();
    await store.write([
      ...Array.from({ length: 5 }, (_, i) => bad(100 + i)),
      ...Array.from({ length: 5 }, (_, i) => good(100 + i)),
    ]);
    expect(store.stats().spoolDepthPoints).toBe(10);
    await influx.restart();
    expect(await store.drain(20_000)).toBe(true);
    expect(store.stats()).toMatchObject({ rejected: 10, written: 10, spoolDepthPoints: 0 });
    expect(await count('conflict')).toBe(11); // seed + 10 good
  }, 30_000);

  it('rejects points the line protocol cannot carry, and counts them', async () => {
    await createDb('invalid');
    const store = makeStore('invalid');
    const t0 = Date.UTC(2025, 1, 5);
    await store.write([
      { deviceId: 'trailing\\', bedId: BED, kind: 'button', seq: 1, ts: t0, battery: 1 },
      { deviceId: 'new\nline', bedId: BED, kind: 'button', seq: 1, ts: t0, battery: 1 },
      { deviceId: 'nan', bedId: BED, kind: 'mattress', seq: 1, ts: t0, heartRate: Number.NaN },
      { deviceId: 'ok', bedId: BED, kind: 'button', seq: 1, ts: t0, battery: 1 },
    ]);
    expect(store.stats()).toMatchObject({ rejected: 3, written: 1 });
  });

  it('bounds the spool: drops the oldest lines, counts and logs them', async () => {
    const port = await freePort(); // nothing listens there: connection refused
    const logger = new MemoryLogger();
    const maxBytes = 64 * 1024;
    const store = new InfluxTelemetryStore({
      url: `http://127.0.0.1:${port}`,
      database: 'none',
      batchSize: 100,
      flushMs: 20,
      spoolDir: tempDir(),
      spoolMaxBytes: maxBytes,
      retryMinMs: 50,
      retryMaxMs: 200,
      logger,
    });
    stores.push(store);
    const t0 = Date.UTC(2025, 1, 6);
    const total = 5000;
    for (let i = 0; i < total; i += 250) await store.write(Array.from({ length: 250 }, (_, k) => point(i + k, t0)));
    await store.flush();
    const s = store.stats();
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.spoolBytes).toBeLessThanOrEqual(maxBytes);
    expect(s.spoolDepthPoints + s.dropped).toBe(total);
    expect(s.written).toBe(0);
    expect(
      logger.lines.some((l) => l.startsWith('warn') && /spool full/.test(l) && /dropped \d+ oldest lines/.test(l)),
    ).toBe(true);
    await store.close();
  });
});
