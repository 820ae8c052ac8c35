import { randomUUID } from 'node:crypto';
import type { Database } from '@bedside/database';
import { testDatabaseEngines } from '@bedside/testing';
import { foldMinutes, MINUTE_MS, type MinuteRollup } from '../src/rollups/minute-rollup';
import { MinuteRollupRepository } from '../src/rollups/minute-rollup.repository';
import { MinuteRollupWriter } from '../src/rollups/minute-rollup.writer';
import type { TelemetryPoint } from '../src/telemetry-point';

const T0 = Date.UTC(2026, 2, 10, 14, 0);

/** A mattress at 1 Hz: in bed, out of bed for the seconds 20-29 of each minute. */
function mattress(deviceId: string, bedId: string, from: number, seconds: number): TelemetryPoint[] {
  return Array.from({ length: seconds }, (_, i) => ({
    deviceId,
    bedId,
    kind: 'mattress' as const,
    seq: i,
    ts: from + i * 1000,
    inBed: i % 60 < 20 || i % 60 >= 30,
    heartRate: 60 + (i % 3),
    respirationRate: 14,
    movement: 2,
    signalQuality: 90,
  }));
}

const byKey = (rows: MinuteRollup[]) =>
  [...rows].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.minute - b.minute));

describe.each(testDatabaseEngines('rollups'))('minute rollup writer on $name', (engine) => {
  let database: Database;
  let repository: MinuteRollupRepository;
  beforeAll(async () => {
    database = await engine.open();
    repository = new MinuteRollupRepository(database);
  }, 60_000);
  afterAll(() => engine.close());

  const stored = (bedId: string) => repository.ofBed(bedId, T0 - 60 * MINUTE_MS, T0 + 60 * MINUTE_MS).then(byKey);

  it('folds batches as they come, resends and late samples once, into the rows a single fold gives', async () => {
    const bedId = randomUUID();
    const points = mattress('m-1', bedId, T0, 300);
    const writer = new MinuteRollupWriter(repository, { delayMs: 5, maxBatch: 50 });
    // Minute 2 arrives last (late), each batch of the rest twice, one minute's batch a third time.
    const late = points.filter((p) => p.ts >= T0 + 2 * MINUTE_MS && p.ts < T0 + 3 * MINUTE_MS);
    const onTime = points.filter((p) => !late.includes(p));
    for (let i = 0; i < onTime.length; i += 7) {
      const batch = onTime.slice(i, i + 7);
      await Promise.all([writer.write(batch), writer.write(batch)]);
    }
    await writer.write(onTime.slice(0, 60));
    // A later writer (another process) has none of these rows in memory: it reads them.
    const other = new MinuteRollupWriter(repository);
    await other.write([...late].reverse());
    await other.write(onTime.slice(100, 130));
    expect(await stored(bedId)).toEqual(foldMinutes(points, (p) => p.bedId).rollups);
    const rows = await stored(bedId);
    expect(rows.map((r) => r.samples)).toEqual([60, 60, 60, 60, 60]);
    // In, out for ten seconds, in: three runs a minute however the samples arrived.
    expect(rows[2].runs).toEqual([0, 1000, 20, 2, 20_000, 1000, 10, 1, 30_000, 1000, 30, 2]);
  });

  it('two writers of one row lose neither one’s samples', async () => {
    const bedId = randomUUID();
    const points = mattress('m-2', bedId, T0, 60);
    const a = new MinuteRollupWriter(repository);
    const b = new MinuteRollupWriter(repository);
    // Both hold the row in memory, then each adds samples the other has not seen.
    await a.write(points.slice(0, 10));
    await b.write(points.slice(0, 20));
    await a.write(points.slice(20, 40));
    await b.write(points.slice(40, 60));
    await a.write(points.slice(10, 20));
    expect(await stored(bedId)).toEqual(foldMinutes(points, (p) => p.bedId).rollups);
  });

  it('leaves out samples of no bed and of call buttons', async () => {
    const bedId = randomUUID();
    const writer = new MinuteRollupWriter(repository);
    await writer.write([
      { deviceId: 'b-1', bedId, kind: 'button', seq: 1, ts: T0, battery: 80 },
      { deviceId: 'm-3', bedId: null, kind: 'mattress', seq: 1, ts: T0, inBed: true },
    ]);
    expect(await stored(bedId)).toEqual([]);
    expect(writer.rowsWritten).toBe(0);
  });
});
