import { MinuteFold, minuteOf, type MinuteRollup } from '@bedside/telemetry';
import { atNight, syntheticNight } from '../testing/night-fixture';
import { summariseNightPerSample } from '../testing/per-sample-summary';
import type { WellnessSample } from './night-summary';
import { summariseNight, summariseRollups, DEFAULT_SUMMARY_DEFINITIONS } from './summarise-night';

/**
 * Folds samples as ingest does: batch after batch into rows keyed by (device, minute), each row
 * stored (as JSON) and read back before the next batch touches it.
 */
function ingest(batches: readonly (readonly WellnessSample[])[]): MinuteRollup[] {
  const rows = new Map<string, string>();
  for (const batch of batches) {
    const open = new Map<string, MinuteFold>();
    for (const p of batch) {
      const key = `${p.deviceId}|${minuteOf(p.ts)}`;
      let fold = open.get(key);
      if (!fold) {
        const stored = rows.get(key);
        fold = stored
          ? MinuteFold.from(JSON.parse(stored) as MinuteRollup)
          : MinuteFold.empty(p.deviceId, 'bed-1', p.kind, minuteOf(p.ts));
        open.set(key, fold);
      }
      fold.add(p, DEFAULT_SUMMARY_DEFINITIONS);
    }
    for (const [key, fold] of open) rows.set(key, JSON.stringify(fold.toRollup()));
  }
  return [...rows.values()].map((r) => JSON.parse(r) as MinuteRollup);
}

const chunks = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/** A deterministic generator, so a failing case can be run again. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** A night with the untidiness of real devices: jitter, lost samples, odd fields, resends, any order. */
function untidyNight(k: number, rnd: () => number, timeZone: string, night: string): WellnessSample[] {
  const samples = syntheticNight({
    night,
    timeZone,
    intervalMs: [1000, 5000, 30_000, 60_000][k % 4],
    absences: [
      { at: '01:00', minutes: Math.floor(rnd() * 30) },
      { at: '03:10', minutes: 0.5 + rnd() * 3 },
    ],
    silences: [
      { at: '23:30', minutes: rnd() * 20 },
      { at: '05:00', minutes: 1 + rnd() * 5 },
    ],
    ...(k % 2 && { wearable: { deviceId: 'wearable-1', from: '22:30', to: '06:30', spo2: 95 } }),
  })
    .filter(() => rnd() > 0.05)
    .map((s) => ({
      ...s,
      ts: s.ts + (rnd() < 0.2 ? Math.floor(rnd() * 300) : 0),
      ...(rnd() < 0.05 && { inBed: undefined }),
      ...(rnd() < 0.1 && { movement: Math.round(rnd() * 1000) / 10 }),
      ...(rnd() < 0.1 && { signalQuality: Math.floor(rnd() * 100) }),
      ...(rnd() < 0.05 && { heartRate: 60.5 + Math.floor(rnd() * 10) }),
    }));
  return [...samples, ...samples.filter(() => rnd() < 0.05)].sort(() => rnd() - 0.5);
}

const ZONES = [
  // [zone, night] — DST nights in Berlin and New York (17 h and 19 h), none in Shanghai.
  ['Asia/Shanghai', '2026-03-28'],
  ['Europe/Berlin', '2026-03-28'],
  ['Europe/Berlin', '2026-10-24'],
  ['America/New_York', '2026-03-07'],
  ['America/New_York', '2026-10-31'],
] as const;
const DEVICES = [
  { deviceId: 'mattress-1', kind: 'mattress' as const },
  { deviceId: 'button-1', kind: 'button' as const },
];

describe('summaries from minute rollups', () => {
  describe.each(ZONES)('in %s, night of %s', (timeZone, night) => {
    const options = { night, timeZone, devices: DEVICES };

    it('equal the per-sample computation over untidy nights at 1 s to 60 s cadences', () => {
      const rnd = random(night.length * 31 + timeZone.length);
      for (let k = 0; k < 8; k++) {
        const samples = untidyNight(k, rnd, timeZone, night);
        expect(summariseNight(samples, [], options)).toEqual(summariseNightPerSample(samples, [], options));
      }
    });

    it('folded at ingest in batches, with resends and late samples, give the summary of the raw samples', () => {
      const samples = syntheticNight({
        night,
        timeZone,
        intervalMs: 1000,
        absences: [
          { at: '23:59', minutes: 3 },
          { at: '02:00', minutes: 12 },
        ],
        silences: [{ at: '04:00', minutes: 7 }],
        wearable: { deviceId: 'wearable-1', from: '22:30', to: '06:30', spo2: 96 },
      });
      // Every tenth batch is resent; 01:30-02:30 (with the exit) and one sample in 997 arrive
      // after the rest of the night, newest first, into minutes already stored.
      const lateFrom = atNight(night, '01:30', timeZone);
      const isLate = (p: WellnessSample, i: number) =>
        (p.ts >= lateFrom && p.ts < lateFrom + 3_600_000) || i % 997 === 0;
      const inOrder = chunks(
        samples.filter((p, i) => !isLate(p, i)),
        37,
      );
      const late = samples.filter(isLate).reverse();
      const batches = [...inOrder.flatMap((b, i) => (i % 10 === 0 ? [b, b] : [b])), ...chunks(late, 500), inOrder[5]];
      const rollups = ingest(batches);
      const fromRaw = summariseNight(samples, [], options);
      const fromRollups = summariseRollups(rollups, [], options);
      expect(fromRollups).toEqual({ ...fromRaw, samples: { ...fromRaw.samples, duplicates: 0 } });
      expect(fromRaw).toEqual(summariseNightPerSample(samples, [], options));
      expect(fromRollups.bedExits.count).toBe(2);
      // A steady 1 Hz in-bed stretch is one run a minute, not one entry a sample.
      const quiet = rollups.find((r) => r.deviceId === 'mattress-1' && r.samples === 60 && r.runs.length === 4);
      expect(quiet).toBeDefined();
    });
  });

  it('ignore rollups outside the window and show a bound device with none as a whole-night gap', () => {
    const night = '2026-03-28';
    const timeZone = 'Asia/Shanghai';
    const samples = syntheticNight({ night, timeZone, intervalMs: 60_000 });
    const dayBefore = samples.map((s) => ({ ...s, ts: s.ts - 86_400_000 }));
    const rollups = ingest([[...dayBefore, ...samples]]);
    const devices = [...DEVICES, { deviceId: 'wearable-9', kind: 'wearable' as const }];
    const s = summariseRollups(rollups, [], { night, timeZone, devices });
    expect(s).toEqual(summariseNightPerSample(samples, [], { night, timeZone, devices }));
    expect(s.devices.find((d) => d.deviceId === 'wearable-9')).toMatchObject({ samples: 0, uptime: 0, gapCount: 1 });
  });
});
