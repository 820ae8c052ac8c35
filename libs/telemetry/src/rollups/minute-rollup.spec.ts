import {
  MinuteFold,
  ROLLUP_DEFINITIONS,
  foldMinutes,
  inBedOfCode,
  restlessOfCode,
  stateCode,
  wornOfCode,
  type RollupSample,
} from './minute-rollup';

const T0 = Date.UTC(2026, 2, 10, 15, 0);
const at = (second: number, fields: Partial<RollupSample> = {}): RollupSample => ({
  deviceId: 'm-1',
  kind: 'mattress',
  ts: T0 + second * 1000,
  inBed: true,
  heartRate: 60,
  respirationRate: 14,
  movement: 2,
  signalQuality: 90,
  ...fields,
});

describe('minute rollups', () => {
  it('encode presence, worn and restless readings in one state code, and decode them', () => {
    for (const inBed of [true, false, undefined])
      for (const worn of [true, false, null])
        for (const movement of [2, 30]) {
          const code = stateCode({ ...at(0), inBed, worn, movement }, ROLLUP_DEFINITIONS);
          expect([inBedOfCode(code), wornOfCode(code), restlessOfCode(code)]).toEqual([
            inBed ?? null,
            worn,
            inBed === true && movement >= 30,
          ]);
        }
  });

  it('keep a steady minute as one run and split it where the state or the step changes', () => {
    const samples = [
      ...Array.from({ length: 20 }, (_, i) => at(i)),
      ...Array.from({ length: 10 }, (_, i) => at(20 + i, { inBed: false, heartRate: 0 })),
      at(30, { movement: 45 }),
      ...Array.from({ length: 10 }, (_, i) => at(35 + 2 * i)),
    ];
    const [r] = foldMinutes(samples, () => 'bed-1').rollups;
    // [offset, step, count, code]: 20 in bed, 10 out, a restless one alone, 10 at a 2 s step.
    expect(r.runs).toEqual([0, 1000, 20, 2, 20_000, 1000, 10, 1, 30_000, 0, 1, 11, 35_000, 2000, 10, 2]);
    expect(r.samples).toBe(41);
    expect(r.heartRate).toEqual({ '60': 31 });
    expect([r.movementSum, r.movementCount]).toEqual([30 * 2 + 45, 31]);
  });

  it('count vital signs only in bed, with a good enough or no signal quality, and not 0', () => {
    const { rollups } = foldMinutes(
      [
        at(0, { heartRate: 61.5 }),
        at(1, { heartRate: 70, signalQuality: 49 }),
        at(2, { heartRate: 72, signalQuality: undefined }),
        at(3, { heartRate: 0, respirationRate: 0 }),
        at(4, { inBed: false, heartRate: 80 }),
        { deviceId: 'w-1', kind: 'wearable', ts: T0, worn: true, spo2: 96, heartRate: 90 },
        { deviceId: 'w-1', kind: 'wearable', ts: T0 + 1000, worn: false, spo2: 80 },
        { deviceId: 'w-1', kind: 'wearable', ts: T0 + 2000, spo2: 95 },
      ],
      () => 'bed-1',
    );
    const [mattress, wearable] = rollups;
    expect(mattress.heartRate).toEqual({ '61.5': 1, '72': 1 });
    expect(mattress.respirationRate).toEqual({ '14': 2 });
    expect(wearable.spo2).toEqual({ '96': 1, '95': 1 });
    expect(wearable.heartRate).toEqual({});
  });

  it('fold an instant once, the first one winning, whatever the order and however often it comes', () => {
    const first = at(10, { heartRate: 61 });
    const resent = at(10, { heartRate: 99, inBed: false });
    const fold = MinuteFold.empty('m-1', 'bed-1', 'mattress', T0);
    expect(fold.add(at(20), ROLLUP_DEFINITIONS)).toBe(true);
    expect(fold.add(first, ROLLUP_DEFINITIONS)).toBe(true);
    expect(fold.add(resent, ROLLUP_DEFINITIONS)).toBe(false);
    expect(fold.add(at(5), ROLLUP_DEFINITIONS)).toBe(true);
    const stored = fold.toRollup();
    expect(stored.runs).toEqual([5000, 5000, 2, 2, 20_000, 0, 1, 2]);
    expect(stored.heartRate).toEqual({ '60': 2, '61': 1 });
    // Read back from storage and folded again: the same row.
    const again = MinuteFold.from(JSON.parse(JSON.stringify(stored)));
    expect(again.add(first, ROLLUP_DEFINITIONS)).toBe(false);
    expect(again.toRollup()).toEqual(stored);
    expect(foldMinutes([first, resent, first], () => 'bed-1').duplicates).toBe(2);
  });

  it('key rollups by bed, device and minute, and leave out samples of no bed', () => {
    const { rollups } = foldMinutes(
      [at(0), at(59), at(60), { ...at(1), deviceId: 'm-2' }, { ...at(2), deviceId: 'm-3' }],
      (p) => (p.deviceId === 'm-3' ? null : 'bed-1'),
    );
    expect(rollups.map((r) => [r.deviceId, r.minute - T0, r.samples])).toEqual([
      ['m-1', 0, 2],
      ['m-1', 60_000, 1],
      ['m-2', 0, 1],
    ]);
  });
});
