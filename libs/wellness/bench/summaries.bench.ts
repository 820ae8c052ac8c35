/**
 * How long the nightly summaries take for a fleet, and what folding rollups at ingest costs (a
 * measurement, not a test).
 *
 *   npm run build && node dist/libs/wellness/bench/summaries.bench.js [--beds 10000] [--cadence-ms 1000]
 *     [--domain-beds 500] [--db-beds 200] [--raw-beds 5] [--ingest-devices 2000] [--ingest-seconds 120] [--postgres]
 *
 * 1. Domain: per bed, a full night of mattress samples at `cadence-ms` plus a wearable once a
 *    minute, summarised from the raw samples and from its minute rollups, `domain-beds` times,
 *    scaled to `beds`.
 * 2. Storage: a fresh embedded database (PGlite; with --postgres a throwaway PostgreSQL server)
 *    with `db-beds` beds: the first bed's night goes through the hub's write path (samples and
 *    rollups), the others get copies of its rollup rows. Each night is computed as the job does
 *    (read rollups, summarise, assess, save), one bed at a time and at the job's concurrency;
 *    the per-bed time is scaled to `beds` (no scaling with --db-beds equal to --beds).
 *    `raw-beds` beds stored as before rollups existed are computed from their samples, for
 *    comparison.
 * 3. Ingest: `ingest-devices` mattresses sending one sample a second each (one write per
 *    message, as ingest does), `ingest-seconds` seconds of them, into the SQL telemetry store
 *    alone and then with rollups: CPU of this process per sample, and rollup rows written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { SystemClock } from '@bedside/common';
import { Database, createKysely, migrateToLatest } from '@bedside/database';
import {
  MinuteRollupRepository,
  MinuteRollupWriter,
  RolledUpTelemetryStore,
  SqlTelemetryStore,
  foldMinutes,
  type TelemetryPoint,
  type TelemetryStore,
} from '@bedside/telemetry';
import { summariseNight, summariseRollups } from '../src/domain/summarise-night';
import { BedNightSourceRepository } from '../src/persistence/bed-night-source.repository';
import { NightSummaryRepository } from '../src/persistence/night-summary.repository';
import { WellnessThresholdsRepository } from '../src/persistence/wellness-thresholds.repository';
import { NightComputer } from '../src/services/night-computer.service';
import { WellnessConfig } from '../src/services/wellness.config';
import { syntheticNight } from '../src/testing/night-fixture';
import { startPostgres, type PostgresServer } from '../../testing/src/postgres-server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const BEDS = arg('beds', 10_000);
const CADENCE_MS = arg('cadence-ms', 1000);
const DOMAIN_BEDS = arg('domain-beds', 500);
const DB_BEDS = arg('db-beds', 200);
const RAW_BEDS = arg('raw-beds', 5);
const INGEST_DEVICES = arg('ingest-devices', 2000);
const INGEST_SECONDS = arg('ingest-seconds', 120);
const POSTGRES = process.argv.includes('--postgres');
const timeZone = 'Asia/Shanghai';
const night = '2026-03-10';
const load = () => `load ${loadavg()[0].toFixed(2)}`;

function fleetNight(mattressId: string) {
  const mattress = syntheticNight({
    night,
    timeZone,
    mattressId,
    intervalMs: CADENCE_MS,
    absences: [{ at: '02:00', minutes: 10 }],
  });
  const wearable = syntheticNight({
    night,
    timeZone,
    intervalMs: 60_000,
    wearable: { deviceId: `${mattressId}-w`, from: '22:30', to: '06:30', spo2: 96 },
  }).filter((s) => s.kind === 'wearable');
  return [...mattress, ...wearable];
}

function domain(): void {
  const samples = fleetNight('m');
  const { rollups } = foldMinutes(samples, () => 'bed');
  console.log(
    `domain: a bed's night is ${samples.length} samples (mattress every ${CADENCE_MS} ms, wearable every minute) = ${rollups.length} minute rollups a bed`,
  );
  const timed = (label: string, summarise: () => number) => {
    const started = process.hrtime.bigint();
    let exits = 0;
    for (let bed = 0; bed < DOMAIN_BEDS; bed++) exits += summarise();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(
      `domain, ${label}: ${(ms / DOMAIN_BEDS).toFixed(2)} ms a bed over ${DOMAIN_BEDS} beds; scaled to ${BEDS} beds: ${(((ms / DOMAIN_BEDS) * BEDS) / 1000).toFixed(0)} s (check: ${exits} exits; ${load()})`,
    );
  };
  timed('from raw samples', () => summariseNight(samples, [], { night, timeZone }).bedExits.count);
  timed('from rollups', () => summariseRollups(rollups, [], { night, timeZone }).bedExits.count);
}

async function withDatabase<T>(label: string, run: (database: Database) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `bedside-wellness-bench-${label}-`));
  let server: PostgresServer | null = null;
  if (POSTGRES) server = await startPostgres();
  const { db, engine } = createKysely({
    dataDir: dir,
    url: server ? await server.createDatabase(`wellness_bench_${label}`) : undefined,
  });
  await migrateToLatest(db);
  const database = new Database(db, engine);
  try {
    return await run(database);
  } finally {
    await database.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function addBeds(database: Database, count: number): Promise<string[]> {
  const db = database.db;
  const orgId = randomUUID();
  const householdId = randomUUID();
  await db.insertInto('organisations').values({ id: orgId, name: 'bench' }).execute();
  await db
    .insertInto('households')
    .values({ id: householdId, organisation_id: orgId, name: 'h', address: 'a', time_zone: timeZone, contacts: '[]' })
    .execute();
  const beds: string[] = [];
  for (let i = 0; i < count; i++) {
    const bedId = randomUUID();
    const residentId = randomUUID();
    await db
      .insertInto('residents')
      .values({
        id: residentId,
        household_id: householdId,
        name: `r${i}`,
        birth_year: null,
        conditions: '[]',
        notes: null,
      })
      .execute();
    await db
      .insertInto('beds')
      .values({ id: bedId, household_id: householdId, resident_id: residentId, label: `b${i}` })
      .execute();
    beds.push(bedId);
  }
  return beds;
}

async function computeAll(label: string, database: Database, store: TelemetryStore, beds: string[]): Promise<void> {
  const config = new WellnessConfig(300_000, 1_800_000, 7);
  const computer = new NightComputer(
    store,
    new MinuteRollupRepository(database),
    new BedNightSourceRepository(database),
    new NightSummaryRepository(database),
    new WellnessThresholdsRepository(database),
    config,
    new SystemClock(),
  );
  let started = process.hrtime.bigint();
  for (const bedId of beds) await computer.compute(bedId, night);
  let ms = Number(process.hrtime.bigint() - started) / 1e6;
  const scaled = (total: number) => (((total / beds.length) * BEDS) / 60_000).toFixed(1);
  console.log(
    `storage, ${label}: ${(ms / 1000).toFixed(1)} s for ${beds.length} beds one at a time, ${(ms / beds.length).toFixed(1)} ms a bed; scaled to ${BEDS} beds: ${scaled(ms)} min (${load()})`,
  );
  // Again, as the job runs them: `concurrency` beds at once.
  started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (next < beds.length) await computer.compute(beds[next++], night);
    }),
  );
  ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `storage, ${label}: ${(ms / 1000).toFixed(1)} s for ${beds.length} beds ${config.concurrency} at a time, ${(ms / beds.length).toFixed(1)} ms a bed; scaled to ${BEDS} beds: ${scaled(ms)} min (${load()})`,
  );
}

async function storage(): Promise<void> {
  await withDatabase('storage', async (database) => {
    const raw = new SqlTelemetryStore(database);
    const writer = new MinuteRollupWriter(new MinuteRollupRepository(database));
    const store = new RolledUpTelemetryStore(raw, writer);
    const rolled = await addBeds(database, DB_BEDS);
    const rawOnly = await addBeds(database, RAW_BEDS);
    // The first bed's night goes through the hub's write path (samples and rollups); the other
    // beds get copies of its rollup rows under their own bed and device ids (the summary reads
    // rollups only), so that thousands of beds can be set up in minutes.
    let started = Date.now();
    await store.write(fleetNight('m').map((s) => ({ ...s, bedId: rolled[0], seq: 1 })));
    await store.flush();
    console.log(
      `storage: 1 bed-night (samples and ${writer.rowsWritten} rollup rows) written to ${database.engine} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    started = Date.now();
    for (let i = 1; i < rolled.length; i += 100) {
      await sql`insert into telemetry_minutes (bed_id, minute, device_id, kind, version, samples, base_samples, data)
        select b.id, t.minute, t.device_id || '-' || b.label, t.kind, t.version, t.samples, t.base_samples, t.data
          from telemetry_minutes t cross join beds b
         where t.bed_id = ${rolled[0]} and b.id in (${sql.join(rolled.slice(i, i + 100))})`.execute(database.db);
    }
    for (const [i, bedId] of rawOnly.entries())
      await raw.write(fleetNight(`r-${i}`).map((s) => ({ ...s, bedId, seq: 1 })));
    await raw.flush();
    console.log(
      `storage: rollups copied to ${rolled.length - 1} more beds, ${RAW_BEDS} bed-nights of samples only written, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    await computeAll('from rollups', database, store, rolled);
    if (RAW_BEDS > 0) await computeAll('from raw samples (no rollups)', database, store, rawOnly);
  });
}

/** CPU of this process per sample for one-sample messages from many devices, one second at a time. */
async function ingestRun(store: TelemetryStore, beds: string[], t0: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let s = 0; s < INGEST_SECONDS; s++) {
    const writes: Promise<void>[] = [];
    for (let d = 0; d < beds.length; d++) {
      const p: TelemetryPoint = {
        deviceId: `d-${d}`,
        bedId: beds[d],
        kind: 'mattress',
        seq: s,
        ts: t0 + s * 1000 + d,
        inBed: true,
        heartRate: 60 + (s % 5),
        respirationRate: 14,
        movement: s % 30 === 0 ? 40 : 3,
        signalQuality: 90,
      };
      writes.push(store.write([p]));
    }
    await Promise.all(writes);
  }
  await store.flush();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (INGEST_SECONDS * beds.length);
}

async function ingest(): Promise<void> {
  await withDatabase('ingest', async (database) => {
    const beds = Array.from({ length: INGEST_DEVICES }, () => randomUUID());
    const batching = { delayMs: 50, maxBatch: 2000 };
    const raw = new SqlTelemetryStore(database, batching);
    const writer = new MinuteRollupWriter(new MinuteRollupRepository(database), batching);
    const rolled = new RolledUpTelemetryStore(raw, writer);
    const t0 = Date.UTC(2026, 2, 10, 16);
    // Warm up both paths, then alternate so that load changes touch both alike.
    await ingestRun(raw, beds.slice(0, 100), t0 - 86_400_000);
    await ingestRun(rolled, beds.slice(0, 100), t0 - 2 * 86_400_000);
    const withoutA = await ingestRun(raw, beds, t0);
    const withA = await ingestRun(rolled, beds, t0 + 3_600_000);
    const withoutB = await ingestRun(raw, beds, t0 + 2 * 3_600_000);
    const withB = await ingestRun(rolled, beds, t0 + 3 * 3_600_000);
    const without = (withoutA + withoutB) / 2;
    const withRollups = (withA + withB) / 2;
    console.log(
      `ingest (${database.engine}, ${INGEST_DEVICES} devices x ${INGEST_SECONDS} s at 1 Hz, commit delay 50 ms): CPU of this process ${without.toFixed(1)} µs a sample without rollups (${withoutA.toFixed(1)}, ${withoutB.toFixed(1)}), ${withRollups.toFixed(1)} with (${withA.toFixed(1)}, ${withB.toFixed(1)}): +${(withRollups - without).toFixed(1)} µs; ${writer.rowsWritten} rollup rows written for ${2 * INGEST_DEVICES * INGEST_SECONDS + 100 * INGEST_SECONDS} samples (${load()})`,
    );
  });
}

async function main(): Promise<void> {
  console.log(`start (${load()})`);
  domain();
  if (DB_BEDS > 0) await storage();
  if (INGEST_DEVICES > 0) await ingest();
}

void main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
