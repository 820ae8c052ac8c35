import { randomUUID } from 'node:crypto';
import { Clock } from '@bedside/common';
import { DatabaseHealth, type Database } from '@bedside/database';
import { IngestEvents } from '@bedside/ingest';
import {
  MinuteRollupRepository,
  MinuteRollupWriter,
  RolledUpTelemetryStore,
  SqlTelemetryStore,
  type TelemetryPoint,
} from '@bedside/telemetry';
import { testDatabaseEngines } from '@bedside/testing';
import { addNights, nightWindow } from '../domain/night-window';
import { summariseNight } from '../domain/summarise-night';
import { syntheticNight } from '../testing/night-fixture';
import { BedNightSourceRepository } from '../persistence/bed-night-source.repository';
import { NightRequestRepository } from '../persistence/night-request.repository';
import { NightSummaryRepository } from '../persistence/night-summary.repository';
import { WellnessThresholdsRepository } from '../persistence/wellness-thresholds.repository';
import { LateDataTracker } from './late-data.tracker';
import { NightComputer } from './night-computer.service';
import { WellnessConfig } from './wellness.config';
import { WellnessJob } from './wellness-job.service';
import { WellnessService } from './wellness.service';

class FakeClock extends Clock {
  constructor(public t: number) {
    super();
  }
  now(): number {
    return this.t;
  }
}

const timeZone = 'Asia/Shanghai';
const FIRST = '2026-03-01';
const LAST = '2026-03-10';
const GRACE = 30 * 60_000;

/** The job against a real database and the SQL telemetry store, on a clock the test moves. */
describe.each(testDatabaseEngines('wellness'))('wellness job on $name', (engine) => {
  let database: Database;
  /** As the hub writes: samples and their minute rollups. */
  let store: RolledUpTelemetryStore;
  /** Samples alone, as stored before rollups existed. */
  let raw: SqlTelemetryStore;
  let computerOf: (config: WellnessConfig) => NightComputer;
  let clock: FakeClock;
  let job: WellnessJob;
  let tracker: LateDataTracker;
  let summaries: NightSummaryRepository;
  let service: WellnessService;
  const orgId = randomUUID();
  const residentId = randomUUID();
  const bedId = randomUUID();
  const mattressId = `mattress-${randomUUID().slice(0, 8)}`;

  const nightPoints = (night: string, absences = [{ at: '02:00', minutes: 10 }]): TelemetryPoint[] =>
    syntheticNight({ night, timeZone, mattressId, intervalMs: 5 * 60_000, absences }).map((s) => ({
      ...s,
      bedId,
      seq: 1,
    }));
  const restless = [
    { at: '23:00', minutes: 15 },
    { at: '01:00', minutes: 15 },
    { at: '02:00', minutes: 15 },
    { at: '04:00', minutes: 15 },
  ];

  beforeAll(async () => {
    database = await engine.open();
    raw = new SqlTelemetryStore(database);
    store = new RolledUpTelemetryStore(raw, new MinuteRollupWriter(new MinuteRollupRepository(database)));
    const householdId = randomUUID();
    await database.db.insertInto('organisations').values({ id: orgId, name: 'org' }).execute();
    await database.db
      .insertInto('households')
      .values({
        id: householdId,
        organisation_id: orgId,
        name: 'Wang household',
        address: 'a',
        time_zone: timeZone,
        contacts: '[]',
      })
      .execute();
    await database.db
      .insertInto('residents')
      .values({
        id: residentId,
        household_id: householdId,
        name: 'Wang Fang',
        birth_year: 1940,
        conditions: '[]',
        notes: null,
      })
      .execute();
    await database.db
      .insertInto('beds')
      .values({
        id: bedId,
        household_id: householdId,
        resident_id: residentId,
        label: 'bed',
        created_at: new Date(Date.UTC(2026, 0, 1)),
      })
      .execute();
    await database.db
      .insertInto('devices')
      .values({
        id: mattressId,
        organisation_id: orgId,
        kind: 'mattress',
        serial: mattressId,
        model: 'M1',
        bed_id: bedId,
        secret_salt: 's',
        secret_hash: 'h',
        credentials_issued_at: new Date(),
      })
      .execute();

    clock = new FakeClock(nightWindow(LAST, timeZone).end + GRACE + 60_000);
    const config = new WellnessConfig(60_000, GRACE, 3);
    const source = new BedNightSourceRepository(database);
    summaries = new NightSummaryRepository(database);
    const requests = new NightRequestRepository(database);
    const thresholds = new WellnessThresholdsRepository(database);
    computerOf = (c) =>
      new NightComputer(store, new MinuteRollupRepository(database), source, summaries, thresholds, c, clock);
    const computer = computerOf(config);
    tracker = new LateDataTracker(source, config, clock);
    const health = new DatabaseHealth(database, clock);
    job = new WellnessJob(new IngestEvents(), tracker, computer, source, requests, store, config, clock, health);
    service = new WellnessService(summaries, source, computer, store, thresholds, config, clock);
  }, 120_000);

  afterAll(async () => {
    await engine.close();
  });

  it('summarises the ended nights it can catch up on, once', async () => {
    // Only the last three nights were sent in time; the third-to-last is ordinary, the last restless.
    for (const night of ['2026-03-08', '2026-03-09']) await store.write(nightPoints(night));
    await store.write(nightPoints(LAST, restless));
    await job.sweep();
    let stored = await summaries.ofBed(bedId, FIRST, LAST);
    expect(stored.map((s) => [s.night, s.revision, s.summary.hasData, s.baseline.ready])).toEqual([
      ['2026-03-08', 1, true, false],
      ['2026-03-09', 1, true, false],
      [LAST, 1, true, false],
    ]);
    expect(stored[2].summary.bedExits.count).toBe(4);

    await job.sweep();
    stored = await summaries.ofBed(bedId, FIRST, LAST);
    expect(stored.map((s) => s.revision)).toEqual([1, 1, 1]);
  });

  it('computes nights reopened by late telemetry, and re-assesses the nights after them', async () => {
    // A week of history arrives late (a gateway replaying its spool).
    for (let i = 0; i < 7; i++) {
      const points = nightPoints(addNights(FIRST, i));
      await store.write(points);
      tracker.note(points);
    }
    await job.sweep();
    const stored = await summaries.ofBed(bedId, FIRST, LAST);
    expect(stored.map((s) => s.night)).toEqual(Array.from({ length: 10 }, (_, i) => addNights(FIRST, i)));
    expect(stored.map((s) => s.baseline.ready)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    // The restless night now stands out against the week before it.
    expect(stored[9].deviations).toEqual([{ code: 'bed_exits_up', value: 4, baseline: 1, threshold: 3 }]);
    // Stored again each time an earlier night joined its baseline.
    expect(stored[9].revision).toBe(8);
    expect(await service.flagged(orgId, LAST)).toEqual({
      night: LAST,
      residents: [
        expect.objectContaining({
          residentId,
          residentName: 'Wang Fang',
          householdName: 'Wang household',
          bedId,
          night: LAST,
          deviations: stored[9].deviations,
        }),
      ],
    });
    expect(await service.flagged(orgId, '2026-03-09')).toEqual({ night: '2026-03-09', residents: [] });
  });

  it('ignores live telemetry and telemetry of the night still running', async () => {
    const live: TelemetryPoint[] = [
      { deviceId: mattressId, bedId, kind: 'mattress', seq: 2, ts: clock.now() - 1000, inBed: false },
    ];
    tracker.note(live);
    expect(await tracker.drain(clock.now())).toEqual([]);
  });

  it('recomputes a night on request, to the same figures from the same data', async () => {
    const before = (await summaries.ofBed(bedId, '2026-03-05', '2026-03-05'))[0];
    const answer = await service.recompute(residentId, '2026-03-05', '2026-03-05');
    expect(answer.nights).toHaveLength(1);
    expect(answer.nights[0]).toEqual({ ...before, revision: before.revision + 1, computedAt: clock.now() });
  });

  it('reads a night of 1 Hz samples from two devices page by page, each sample once', async () => {
    const night = '2026-02-20';
    const wearableId = `wearable-${randomUUID().slice(0, 8)}`;
    await database.db
      .insertInto('devices')
      .values({
        id: wearableId,
        organisation_id: orgId,
        kind: 'wearable',
        serial: wearableId,
        model: 'W1',
        bed_id: bedId,
        secret_salt: 's',
        secret_hash: 'h',
        credentials_issued_at: new Date(),
      })
      .execute();
    const mattress = syntheticNight({
      night,
      timeZone,
      mattressId,
      intervalMs: 1000,
      absences: [{ at: '03:00', minutes: 7 }],
    });
    // The wearable shares every instant with the mattress, and one extra sample shifts the page
    // boundaries (10,000 rows) into the middle of a shared instant.
    const wearable = mattress.map((p) => ({
      deviceId: wearableId,
      kind: 'wearable' as const,
      ts: p.ts,
      worn: true,
      spo2: 95,
    }));
    const all = [
      ...mattress,
      ...wearable,
      { deviceId: wearableId, kind: 'wearable' as const, ts: mattress[0].ts + 500, worn: true, spo2: 95 },
    ];
    // Stored without rollups (as before they existed): the night is read from the samples.
    await raw.write(all.map((p) => ({ ...p, bedId, seq: 1 })));
    await service.recompute(residentId, night, night);
    const [stored] = await summaries.ofBed(bedId, night, night);
    const devices = [
      { deviceId: mattressId, kind: 'mattress' as const },
      { deviceId: wearableId, kind: 'wearable' as const },
    ];
    const expected = summariseNight(all, [], { night, timeZone, devices });
    expect(stored.summary).toEqual(expected);
    expect(stored.summary.samples).toEqual({ mattress: 64_800, wearable: 64_801, duplicates: 0 });
    expect(stored.summary.bedExits.count).toBe(1);

    // The same samples sent again through the hub's path fold into rollups (the stored samples
    // ignore them); with the samples gone the night still comes out the same, from the rollups.
    await store.write(all.map((p) => ({ ...p, bedId, seq: 2 })));
    await store.write(all.slice(0, 5000).map((p) => ({ ...p, bedId, seq: 3 })));
    const window = nightWindow(night, timeZone);
    const rows = await database.db
      .selectFrom('telemetry_minutes')
      .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.sum<number>('samples').as('samples')])
      .where('bed_id', '=', bedId)
      .where('minute', '>=', new Date(window.start))
      .where('minute', '<', new Date(window.end))
      .executeTakeFirstOrThrow();
    expect({ rows: Number(rows.rows), samples: Number(rows.samples) }).toEqual({ rows: 2 * 18 * 60, samples: 129_601 });
    await database.db
      .deleteFrom('telemetry_samples')
      .where('bed_id', '=', bedId)
      .where('ts', '>=', new Date(window.start))
      .where('ts', '<', new Date(window.end))
      .execute();
    await service.recompute(residentId, night, night);
    expect((await summaries.ofBed(bedId, night, night))[0].summary).toEqual(expected);
  }, 60_000);

  it('reads the samples, not the rollups, for a night that began before rollups were complete', async () => {
    const night = '2026-02-21';
    const points = syntheticNight({ night, timeZone, mattressId, intervalMs: 60_000 }).map((s) => ({
      ...s,
      bedId,
      seq: 1,
    }));
    await store.write(points);
    // Rollups of the first hours lost: the rollups alone would show them as a gap.
    const window = nightWindow(night, timeZone);
    await database.db
      .deleteFrom('telemetry_minutes')
      .where('bed_id', '=', bedId)
      .where('minute', '<', new Date(window.start + 3 * 3_600_000))
      .execute();
    const config = new WellnessConfig(60_000, GRACE, 3);
    const devices = [...(await new BedNightSourceRepository(database).bed(bedId))!.devices];
    const fromSamples = summariseNight(points, [], { night, timeZone, devices });
    expect(fromSamples.devices[0].gapCount).toBe(0);

    await database.db
      .updateTable('telemetry_minutes_since')
      .set({ since: new Date(window.start + 1) })
      .execute();
    try {
      expect((await computerOf(config).compute(bedId, night))!.summary).toEqual(fromSamples);
    } finally {
      await database.db.updateTable('telemetry_minutes_since').set({ since: null }).execute();
    }
    // Once rollups are complete from before the night, they are what is read.
    const fromRollups = (await computerOf(config).compute(bedId, night))!.summary;
    expect(fromRollups.devices[0]).toMatchObject({ gapCount: 1, gapTotalMs: 3 * 3_600_000 });
  });

  it('assesses with the organisation’s own thresholds once it sets them', async () => {
    expect(await service.thresholds(orgId)).toEqual(
      expect.objectContaining({
        defaults: true,
        thresholds: expect.objectContaining({ bedExits: { minChange: 2, madFactor: 3 } }),
      }),
    );
    const set = await service.setThresholds(orgId, { bedExits: { minChange: 4 } }, 'supervisor-1');
    expect(set).toEqual({
      defaults: false,
      thresholds: expect.objectContaining({
        bedExits: { minChange: 4, madFactor: 3 },
        restingHeartRate: { minChange: 8, madFactor: 3 },
      }),
    });
    // Stored nights keep their flags until computed again.
    expect((await service.flagged(orgId, LAST)).residents).toHaveLength(1);
    await service.recompute(residentId, LAST, LAST);
    expect((await service.flagged(orgId, LAST)).residents).toEqual([]);
    await service.setThresholds(orgId, {}, 'supervisor-1');
    await service.recompute(residentId, LAST, LAST);
    expect((await service.flagged(orgId, LAST)).residents).toHaveLength(1);
  });

  it('reads a resident’s nights over a range and refuses bad ranges', async () => {
    expect((await service.residentNights(residentId, '2026-03-03', '2026-03-04')).nights.map((n) => n.night)).toEqual([
      '2026-03-03',
      '2026-03-04',
    ]);
    expect((await service.residentNights(residentId, undefined, LAST)).from).toBe('2026-02-11');
    await expect(service.residentNights(residentId, '2026-03-04', '2026-03-03')).rejects.toThrow(
      'from must not be after to',
    );
    await expect(service.residentNights(residentId, '2026-02-30', undefined)).rejects.toThrow(
      'from must be a night date',
    );
    await expect(service.recompute(residentId, '2026-01-01', '2026-03-10')).rejects.toThrow('at most 62 nights');
  });
});
