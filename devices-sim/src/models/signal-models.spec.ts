import { telemetryTopic, validateUplink, type DeviceKind } from '@bedside/contracts';
import { createBedModels } from './bed-models';
import { hashSeed } from './prng';
import { ResidentModel } from './resident.model';
import { planNight } from './sleep-plan';
import type { AnySample, ModelEvent } from './model.types';

const START = Date.UTC(2025, 2, 10, 4, 0, 0); // 12:00 in Asia/Shanghai
const DAY = 86_400_000;
const STEP = 10_000;

function run(seed: number, kind: DeviceKind, ms = DAY, step = STEP) {
  const model = createBedModels(seed, 0)[kind];
  const samples: AnySample[] = [];
  const events: ModelEvent[] = [];
  for (let t = START; t < START + ms; t += step) {
    const out = model.next(t);
    samples.push(out.sample);
    events.push(...out.events);
  }
  return { samples, events };
}

const message = (samples: AnySample[], seq: number) => JSON.stringify({ ts: START, seq, samples });

/** Smallest and largest value: one matcher call per signal instead of one per sample. */
const range = (values: number[]) => ({
  min: values.reduce((a, b) => Math.min(a, b), Infinity),
  max: values.reduce((a, b) => Math.max(a, b), -Infinity),
});
function expectWithin(values: number[], lo: number, hi: number): void {
  const { min, max } = range(values);
  expect(min).toBeGreaterThanOrEqual(lo);
  expect(max).toBeLessThanOrEqual(hi);
}

describe('signal models', () => {
  for (const kind of ['mattress', 'wearable', 'button'] as const) {
    it(`${kind}: every sample of 24 h is valid under contract v1`, () => {
      const { samples, events } = run(1, kind);
      for (let i = 0; i < samples.length; i += 300) {
        const r = validateUplink(kind, 'telemetry', message(samples.slice(i, i + 300), i));
        expect(r).toMatchObject({ ok: true });
      }
      for (const e of events) {
        expect(validateUplink(kind, 'events', JSON.stringify({ eventId: `e-${e.ts}`, ...e }))).toMatchObject({
          ok: true,
        });
      }
      expect(telemetryTopic('dev-1')).toContain('telemetry');
    });

    it(`${kind}: same seed gives identical output, another seed differs`, () => {
      const a = run(7, kind);
      const b = run(7, kind);
      const c = run(8, kind);
      expect(b).toEqual(a);
      expect(c.samples).not.toEqual(a.samples);
    });
  }

  it('mattress: physiological ranges, sleep at night, bed exits with return', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { samples, events } = run(seed, 'mattress');
      const inBed = samples.filter((s) => 'inBed' in s && s.inBed) as {
        heartRate: number;
        respirationRate: number;
        movement: number;
        signalQuality: number;
      }[];
      expect(inBed.length).toBeGreaterThan((6 * 3600_000) / STEP); // at least 6 h in bed
      expectWithin(
        inBed.map((s) => s.heartRate),
        40,
        130,
      );
      expectWithin(
        inBed.map((s) => s.respirationRate),
        8,
        25,
      );
      expect(range(inBed.map((s) => s.movement)).min).toBeGreaterThanOrEqual(0);
      expect(range(inBed.map((s) => s.signalQuality)).min).toBeGreaterThanOrEqual(20);
      // Every exit comes back; the night starts and ends with a transition too.
      const exits = events.filter((e) => e.type === 'bed.exit').length;
      const returns = events.filter((e) => e.type === 'bed.return').length;
      expect(returns).toBe(exits);
      expect(returns).toBeGreaterThanOrEqual(1);
    }
  });

  it('mattress: heart rate follows the sleep stage (deep < light < awake in bed)', () => {
    const resident = new ResidentModel({ seed: hashSeed('3:0') });
    const { samples } = run(3, 'mattress');
    const byStage = new Map<string, number[]>();
    for (const s of samples) {
      const hr = (s as { heartRate?: number }).heartRate;
      if (hr === undefined) continue;
      const stage = resident.stateAt(s.ts!).bed;
      byStage.set(stage, [...(byStage.get(stage) ?? []), hr]);
    }
    const mean = (k: string) => byStage.get(k)!.reduce((a, b) => a + b, 0) / byStage.get(k)!.length;
    expect(mean('deep')).toBeLessThan(mean('light'));
    expect(mean('light')).toBeLessThan(mean('awake'));
    expect([...byStage.keys()].sort()).toEqual(['awake', 'deep', 'light', 'rem']);
  });

  it('sleep plan: ~90 min cycles between bedtime and waking', () => {
    const plan = planNight(5, START, 480);
    const hours = (plan.wake - plan.bedtime) / 3600_000;
    expect(hours).toBeGreaterThan(6);
    expect(hours).toBeLessThan(10);
    const rem = plan.spans.filter((s) => s.value === 'rem').length;
    expect(rem).toBeGreaterThanOrEqual(4);
    expect(rem).toBeLessThanOrEqual(7);
  });

  it('wearable: heart rate, SpO2, steps by day, worn state and battery', () => {
    const { samples } = run(2, 'wearable', 2 * DAY);
    const worn = samples.filter((s) => 'worn' in s && s.worn) as {
      heartRate: number;
      spo2: number;
      steps: number;
      battery: number;
    }[];
    expect(worn.length).toBeGreaterThan(samples.length / 2);
    expect(samples.some((s) => 'worn' in s && s.worn === false)).toBe(true);
    expectWithin(
      worn.map((s) => s.heartRate),
      40,
      140,
    );
    expectWithin(
      worn.map((s) => s.spo2),
      90,
      100,
    );
    const stepsAt = (h0: number, h1: number) =>
      samples
        .filter((s) => s.ts! >= START + h0 * 3600_000 && s.ts! < START + h1 * 3600_000)
        .reduce((a, s) => a + ((s as { steps?: number }).steps ?? 0), 0);
    expect(stepsAt(0, 8)).toBeGreaterThan(500); // afternoon and evening
    expect(stepsAt(13, 17)).toBe(0); // 01:00-05:00 local
    const batteries = samples.map((s) => (s as { battery: number }).battery);
    expect(Math.min(...batteries)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...batteries)).toBeLessThanOrEqual(100);
  });

  it('button: battery drains slowly, presses only when asked', () => {
    const quiet = run(4, 'button');
    expect(quiet.events).toEqual([]);
    const first = (quiet.samples[0] as { battery: number }).battery;
    const last = (quiet.samples.at(-1) as { battery: number }).battery;
    expect(last).toBeLessThanOrEqual(first);
    expect(first - last).toBeLessThan(1);
    const model = createBedModels(4, 0, { pressesPerDay: 24 }).button;
    let presses = 0;
    for (let t = START; t < START + DAY; t += STEP) presses += model.next(t).events.length;
    expect(presses).toBeGreaterThan(5);
    expect(presses).toBeLessThan(60);
  });
});
