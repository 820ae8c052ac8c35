/**
 * How long the nightly summaries take for a fleet (a measurement, not a test).
 *
 *   npm run build && node dist/libs/wellness/bench/summaries.bench.js [--beds 10000] [--cadence-ms 1000] [--db-beds 20] [--postgres]
 *
 * 1. Domain: summariseNight over `beds` beds, each a full night of mattress samples at
 *    `cadence-ms` plus a wearable once a minute (one generated night, summarised once per bed).
 * 2. Storage: `db-beds` beds written to a fresh embedded database (PGlite) through the SQL
 *    telemetry store (with --postgres: a throwaway PostgreSQL server instead), then each night
 *    computed as the job does (read, summarise, assess, save); the per-bed time is scaled to
 *    `beds`, one bed at a time and at the job's concurrency.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SystemClock } from '@bedside/common';
import { Database, createKysely, migrateToLatest } from '@bedside/database';
import { MinuteRollupRepository, SqlTelemetryStore } from '@bedside/telemetry';
import { summariseNight } from '../src/domain/summarise-night';
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
const DB_BEDS = arg('db-beds', 20);
const POSTGRES = process.argv.includes('--postgres');
const timeZone = 'Asia/Shanghai';
const night = '2026-03-10';

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
  console.log(
    `domain: ${BEDS} beds x ${samples.length} samples (mattress every ${CADENCE_MS} ms, wearable every minute)`,
  );
  const started = process.hrtime.bigint();
  let exits = 0;
  for (let bed = 0; bed < BEDS; bed++) exits += summariseNight(samples, [], { night, timeZone }).bedExits.count;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`domain: ${(ms / 1000).toFixed(1)} s in all, ${(ms / BEDS).toFixed(2)} ms a bed (check: ${exits} exits)`);
}

async function storage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bedside-wellness-bench-'));
  let server: PostgresServer | null = null;
  if (POSTGRES) server = await startPostgres();
  const { db, engine } = createKysely({
    dataDir: dir,
    url: server ? await server.createDatabase('wellness_bench') : undefined,
  });
  await migrateToLatest(db);
  const database = new Database(db, engine);
  try {
    const store = new SqlTelemetryStore(database);
    const orgId = randomUUID();
    const householdId = randomUUID();
    await db.insertInto('organisations').values({ id: orgId, name: 'bench' }).execute();
    await db
      .insertInto('households')
      .values({ id: householdId, organisation_id: orgId, name: 'h', address: 'a', time_zone: timeZone, contacts: '[]' })
      .execute();
    const beds: string[] = [];
    const writeStarted = Date.now();
    for (let i = 0; i < DB_BEDS; i++) {
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
      const points = fleetNight(`m-${i}`).map((s) => ({ ...s, bedId, seq: 1 }));
      await store.write(points);
      beds.push(bedId);
    }
    await store.flush();
    console.log(
      `storage: ${DB_BEDS} bed-nights written to ${engine} in ${((Date.now() - writeStarted) / 1000).toFixed(1)} s`,
    );

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
    console.log(
      `storage: ${(ms / 1000).toFixed(1)} s for ${DB_BEDS} beds one at a time, ${(ms / DB_BEDS).toFixed(0)} ms a bed; scaled to ${BEDS} beds: ${(((ms / DB_BEDS) * BEDS) / 60_000).toFixed(1)} min`,
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
      `storage: ${(ms / 1000).toFixed(1)} s for ${DB_BEDS} beds ${config.concurrency} at a time; scaled to ${BEDS} beds: ${(((ms / DB_BEDS) * BEDS) / 60_000).toFixed(1)} min`,
    );
  } finally {
    await database.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  domain();
  if (DB_BEDS > 0) await storage();
}

void main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
