import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TelemetryPoint } from '../src/telemetry-point';
import type { TelemetryStore } from '../src/telemetry.store';

export interface ContractSubject {
  store: TelemetryStore;
  teardown(): Promise<void>;
}

// Values exactly representable as float4 (the SQL store's `real`), so round trips compare equal.
const BED_A = '6f1c2a0e-1b2c-4d3e-8f90-a1b2c3d4e5f6';
const BED_B = '0a9b8c7d-6e5f-4a3b-9c2d-1e0f2a3b4c5d';
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);
/** Each test gets its own day so they cannot see each other's points. */
const day = (n: number) => T0 + n * DAY;

function mattress(
  deviceId: string,
  bedId: string | null,
  ts: number,
  hr: number,
  extra: Partial<TelemetryPoint> = {},
): TelemetryPoint {
  return {
    deviceId,
    bedId,
    kind: 'mattress',
    seq: ts % 1_000_000,
    ts,
    inBed: true,
    heartRate: hr,
    respirationRate: 14.25,
    movement: 3.5,
    signalQuality: 87.75,
    ...extra,
  };
}

/**
 * The contract every TelemetryStore implementation passes. `setup` gives a store on empty
 * storage; each test writes to its own day and devices.
 */
export function describeTelemetryStoreContract(
  name: string,
  setup: () => Promise<ContractSubject>,
  opts: { timeoutMs?: number } = {},
): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: TelemetryStore;
    const put = async (points: TelemetryPoint[]) => {
      await store.write(points);
      await store.flush();
    };

    beforeAll(async () => {
      subject = await setup();
      store = subject.store;
    }, opts.timeoutMs ?? 30_000);

    afterAll(async () => {
      await subject?.teardown();
    }, 30_000);

    it('round-trips every field of every device kind', async () => {
      const t = day(1);
      const points: TelemetryPoint[] = [
        {
          deviceId: 'rt-mat',
          bedId: BED_A,
          kind: 'mattress',
          seq: 7,
          ts: t,
          inBed: true,
          heartRate: 61.5,
          respirationRate: 14.25,
          movement: 12.5,
          signalQuality: 87.75,
        },
        { deviceId: 'rt-mat', bedId: BED_A, kind: 'mattress', seq: 8, ts: t + 1000, inBed: false },
        {
          deviceId: 'rt-wear',
          bedId: BED_A,
          kind: 'wearable',
          seq: 3,
          ts: t + 500,
          heartRate: 72,
          spo2: 97.5,
          steps: 42,
          worn: true,
          battery: 55.5,
        },
        { deviceId: 'rt-btn', bedId: null, kind: 'button', seq: 1, ts: t + 250, battery: 99 },
      ];
      await put(points);
      const got = await store.query({ from: t, to: t + 2000, deviceId: 'rt-mat' });
      expect(got).toEqual([points[0], points[1]]);
      expect(await store.query({ from: t, to: t + 2000, deviceId: 'rt-wear' })).toEqual([points[2]]);
      expect(await store.query({ from: t, to: t + 2000, deviceId: 'rt-btn' })).toEqual([points[3]]);
      expect(await store.query({ from: t, to: t + 2000, bedId: BED_A })).toEqual([points[0], points[2], points[1]]);
    });

    it('stores a rewritten (device, ts) once: redelivery is idempotent', async () => {
      const t = day(2);
      const points = Array.from({ length: 50 }, (_, i) => mattress('idem-1', BED_A, t + i * 1000, 60 + i));
      await put(points);
      await put(points);
      await put([...points.slice(10, 20), ...points.slice(0, 5)]);
      const got = await store.query({ from: t, to: t + DAY, deviceId: 'idem-1' });
      expect(got).toEqual(points);
      const agg = await store.aggregate({
        from: t,
        to: t + DAY,
        deviceId: 'idem-1',
        intervalMs: DAY,
        fields: ['heartRate'],
      });
      expect(agg).toHaveLength(1);
      expect(agg[0].values.heartRate?.count).toBe(50);
    });

    it('filters by bed, by device, and by both', async () => {
      const t = day(3);
      const a1 = [0, 2, 4].map((i) => mattress('flt-a1', BED_A, t + i * 1000, 60));
      const a2 = [1, 3].map((i) => mattress('flt-a2', BED_A, t + i * 1000, 70));
      const b1 = [0, 1, 2].map((i) => mattress('flt-b1', BED_B, t + i * 1000, 80));
      await put([...a1, ...a2, ...b1]);
      const range = { from: t, to: t + 60_000 };
      const bedA = await store.query({ ...range, bedId: BED_A });
      expect(bedA.map((p) => `${p.deviceId}@${p.ts - t}`)).toEqual([
        'flt-a1@0',
        'flt-a2@1000',
        'flt-a1@2000',
        'flt-a2@3000',
        'flt-a1@4000',
      ]);
      expect((await store.query({ ...range, bedId: BED_B })).map((p) => p.deviceId)).toEqual([
        'flt-b1',
        'flt-b1',
        'flt-b1',
      ]);
      expect(await store.query({ ...range, deviceId: 'flt-a2' })).toEqual(a2);
      expect(await store.query({ ...range, deviceId: 'flt-a2', bedId: BED_B })).toEqual([]);
      expect(await store.query({ ...range, deviceId: 'flt-b1', bedId: BED_B })).toEqual(b1);
      expect(await store.query({ ...range, bedId: '11111111-2222-4333-8444-555555555555' })).toEqual([]);
    });

    it('treats the range as [from, to)', async () => {
      const t = day(4);
      const from = t + 10_000;
      const to = t + 20_000;
      await put([from - 1, from, from + 1, to - 1, to, to + 1].map((ts) => mattress('rng-1', BED_A, ts, 60)));
      const got = await store.query({ from, to, deviceId: 'rng-1' });
      expect(got.map((p) => p.ts)).toEqual([from, from + 1, to - 1]);
      const agg = await store.aggregate({ from, to, deviceId: 'rng-1', intervalMs: 60_000, fields: ['heartRate'] });
      expect(agg.reduce((n, r) => n + (r.values.heartRate?.count ?? 0), 0)).toBe(3);
      expect(await store.query({ from: to, to: to, deviceId: 'rng-1' })).toEqual([]);
    });

    it('returns samples oldest first whatever the write order, and honours limit', async () => {
      const t = day(5);
      const ts = Array.from({ length: 200 }, (_, i) => t + i * 100);
      const shuffled = [...ts].sort((a, b) => ((a * 7919) % 1009) - ((b * 7919) % 1009));
      await store.write(shuffled.slice(0, 120).map((x) => mattress('ord-1', BED_B, x, 60)));
      await store.write(shuffled.slice(120).map((x) => mattress('ord-1', BED_B, x, 60)));
      await store.flush();
      const got = await store.query({ from: t, to: t + DAY, deviceId: 'ord-1' });
      expect(got.map((p) => p.ts)).toEqual(ts);
      const first = await store.query({ from: t, to: t + DAY, deviceId: 'ord-1', limit: 10 });
      expect(first.map((p) => p.ts)).toEqual(ts.slice(0, 10));
    });

    it('aggregates min/mean/max/count per interval, aligned to the epoch, omitting empty intervals', async () => {
      const t = day(6); // midnight, a multiple of 60 s
      const hr = [
        // interval 0: 60, 70, 80 and one sample without heartRate
        [t + 1_000, 60],
        [t + 20_000, 70],
        [t + 59_999, 80],
        // interval 1 empty; interval 2: 100
        [t + 120_000, 100],
        // interval 3: 50, 55.5
        [t + 180_000, 50],
        [t + 239_000, 55.5],
      ] as const;
      const points = hr.map(([ts, v]) => mattress('agg-1', BED_B, ts, v));
      points.push({
        deviceId: 'agg-1',
        bedId: BED_B,
        kind: 'mattress',
        seq: 1,
        ts: t + 30_000,
        inBed: false,
        movement: 1,
      });
      // the wearable on the same bed adds spo2 in interval 2 only
      points.push({
        deviceId: 'agg-w',
        bedId: BED_B,
        kind: 'wearable',
        seq: 1,
        ts: t + 130_000,
        spo2: 96,
        heartRate: 90,
      });
      points.push({ deviceId: 'agg-w', bedId: BED_B, kind: 'wearable', seq: 2, ts: t + 140_000, spo2: 98 });
      await put(points);

      const rows = await store.aggregate({
        from: t,
        to: t + 300_000,
        bedId: BED_B,
        intervalMs: 60_000,
        fields: ['heartRate', 'spo2'],
      });
      expect(rows.map((r) => r.ts)).toEqual([t, t + 120_000, t + 180_000]);
      expect(rows[0].values.heartRate).toEqual({ min: 60, mean: expect.closeTo(70, 6), max: 80, count: 3 });
      expect(rows[0].values.spo2).toBeUndefined();
      expect(rows[1].values.heartRate).toEqual({ min: 90, mean: expect.closeTo(95, 6), max: 100, count: 2 });
      expect(rows[1].values.spo2).toEqual({ min: 96, mean: expect.closeTo(97, 6), max: 98, count: 2 });
      expect(rows[2].values.heartRate).toEqual({ min: 50, mean: expect.closeTo(52.75, 6), max: 55.5, count: 2 });

      // by device, a 2-minute interval: buckets start at epoch multiples of 120 s
      const dev = await store.aggregate({
        from: t + 30_000,
        to: t + 300_000,
        deviceId: 'agg-1',
        intervalMs: 120_000,
        fields: ['heartRate', 'movement'],
      });
      expect(dev.map((r) => r.ts)).toEqual([t, t + 120_000]);
      expect(dev[0].values.heartRate).toEqual({ min: 80, mean: expect.closeTo(80, 6), max: 80, count: 1 });
      expect(dev[0].values.movement).toEqual({ min: 1, mean: expect.closeTo(2.25, 6), max: 3.5, count: 2 });
      expect(dev[1].values.heartRate).toEqual({ min: 50, mean: expect.closeTo(205.5 / 3, 6), max: 100, count: 3 });

      // a field nobody sent: no intervals at all
      expect(
        await store.aggregate({ from: t, to: t + 300_000, bedId: BED_B, intervalMs: 60_000, fields: ['steps'] }),
      ).toEqual([]);
    });

    it('stores and finds odd device ids (spaces, commas, equals, quotes, backslashes, unicode)', async () => {
      const t = day(7);
      const ids = [
        'odd id',
        'odd,comma=eq',
        `odd"double'single`,
        'odd\\back\\slash',
        'ödd-ünï-😀',
        "o'; DROP TABLE x; --",
      ];
      const points = ids.flatMap((id, i) => [
        mattress(id, BED_A, t + i * 10, 60 + i),
        mattress(id, BED_A, t + 1000 + i * 10, 61 + i),
      ]);
      await put(points);
      for (const id of ids) {
        const got = await store.query({ from: t, to: t + DAY, deviceId: id });
        expect(got.map((p) => p.deviceId)).toEqual([id, id]);
        expect(got).toEqual(points.filter((p) => p.deviceId === id));
        const agg = await store.aggregate({
          from: t,
          to: t + DAY,
          deviceId: id,
          intervalMs: DAY,
          fields: ['heartRate'],
        });
        expect(agg[0].values.heartRate?.count).toBe(2);
      }
      expect(await store.query({ from: t, to: t + DAY, bedId: BED_A })).toHaveLength(ids.length * 2);
    });

    it('takes large writes across many batches', async () => {
      const t = day(8);
      const n = 12_345;
      const points = Array.from({ length: n }, (_, i) => ({
        deviceId: `big-${i % 7}`,
        bedId: BED_A,
        kind: 'wearable' as const,
        seq: i,
        ts: t + Math.floor(i / 7) * 1000,
        heartRate: 60 + (i % 40),
        steps: i % 13,
      }));
      await put(points);
      const agg = await store.aggregate({
        from: t,
        to: t + DAY,
        bedId: BED_A,
        intervalMs: DAY,
        fields: ['heartRate', 'steps'],
      });
      expect(agg).toHaveLength(1);
      expect(agg[0].values.heartRate).toMatchObject({ min: 60, max: 99, count: n });
      expect(agg[0].values.steps).toMatchObject({ min: 0, max: 12, count: n });
    });
  });
}
