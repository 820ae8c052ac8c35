/**
 * Write throughput of InfluxTelemetryStore into a real influxd 1.6 (v1 HTTP API), started on a
 * random loopback port in a temp folder. Not a timed test: run it by hand.
 *
 *   npx tsc -p tsconfig.build.json && npx tsc-alias -p tsconfig.build.json
 *   node dist/bench/influx-write.bench.js [points=500000] [batchSize=5000] [maxInFlight=2]
 *
 * Prints one JSON line. Library imports are relative so the file runs without path aliases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInflux } from '../libs/testing/src/influx-server';
import { InfluxTelemetryStore } from '../libs/telemetry/src/influx/influx-telemetry.store';
import type { TelemetryPoint } from '../libs/telemetry/src/telemetry-point';

const quiet = {
  log: () => undefined,
  warn: (m: unknown) => console.error(String(m)),
  error: (m: unknown) => console.error(String(m)),
};

export interface InfluxWriteResult {
  bench: 'influx-write';
  influxd: string;
  points: number;
  batchSize: number;
  maxInFlight: number;
  pointsPerWriteCall: number;
  seconds: number;
  pointsPerSecond: number;
  counted: number;
  written: number;
  spooled: number;
  rejected: number;
}

/** One run: a fresh influxd, `total` points through InfluxTelemetryStore, counted back. Used by run-all. */
export async function influxWriteBench(total = 500_000, batchSize = 5000, maxInFlight = 2): Promise<InfluxWriteResult> {
  const devices = 1000;
  const chunk = 1000; // points per write() call, like an ingest group commit
  const influx = await startInflux({ database: 'bench' });
  const spoolDir = mkdtempSync(join(tmpdir(), 'bedside-bench-spool-'));
  try {
    const store = new InfluxTelemetryStore({
      url: influx.url,
      database: 'bench',
      batchSize,
      flushMs: 500,
      maxInFlight,
      spoolDir,
      spoolMaxBytes: 1 << 30,
      logger: quiet,
    });
    const t0 = Date.UTC(2025, 0, 1);
    const make = (i: number): TelemetryPoint => ({
      deviceId: `mat-${String(i % devices).padStart(5, '0')}`,
      bedId: `00000000-0000-4000-8000-${String(i % devices).padStart(12, '0')}`,
      kind: 'mattress',
      seq: Math.floor(i / devices),
      ts: t0 + Math.floor(i / devices) * 1000,
      inBed: true,
      heartRate: 55 + (i % 40) + 0.5,
      respirationRate: 12 + (i % 8),
      movement: i % 100,
      signalQuality: 90,
    });
    const started = process.hrtime.bigint();
    const pending = new Set<Promise<void>>();
    for (let i = 0; i < total; i += chunk) {
      const points = Array.from({ length: Math.min(chunk, total - i) }, (_, k) => make(i + k));
      const p = store.write(points).finally(() => pending.delete(p));
      pending.add(p);
      if (pending.size >= 32) await Promise.race(pending);
    }
    await Promise.all(pending);
    await store.flush();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const stats = store.stats();
    await store.close();
    const res = await influx.query('SELECT COUNT("seq") FROM "telemetry"');
    const counted = Number(res.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0);
    return {
      bench: 'influx-write',
      influxd: '1.6.7',
      points: total,
      batchSize,
      maxInFlight,
      pointsPerWriteCall: chunk,
      seconds: Number(seconds.toFixed(3)),
      pointsPerSecond: Math.round(total / seconds),
      counted,
      written: stats.written,
      spooled: stats.spooled,
      rejected: stats.rejected,
    };
  } finally {
    await influx.stop();
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const r = await influxWriteBench(
    Number(process.argv[2] ?? 500_000),
    Number(process.argv[3] ?? 5000),
    Number(process.argv[4] ?? 2),
  );
  console.log(JSON.stringify(r));
  if (r.counted !== r.points) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
