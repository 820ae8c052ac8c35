import { validateUplink, type DeviceKind } from '@bedside/contracts';
import { bedStateAt } from '../models/sleep-plan';
import type { MattressSample, WearableSample } from '../models/model.types';
import { CLINICAL_WINDOW_MS, eventTypeOf } from './bed-night.planner';
import { nightStartAfter, planCorpus } from './corpus';
import { TRUE_EVENT_TYPES, type BedNight, type CorpusOptions, type DeviceAction } from './corpus.types';
import { MAX_SAMPLES_PER_MESSAGE, deviceTimeline } from './device-timeline';
import { NORMAL_RANGES } from './night-signals';

const START = Date.UTC(2026, 0, 10, 13, 0, 0); // 21:00 in Asia/Shanghai
const OPTIONS: CorpusOptions = { seed: 3, beds: 12, start: START, hours: 10, utcOffsetMinutes: 480, eventShare: 0.5 };
const KINDS: DeviceKind[] = ['mattress', 'wearable', 'button'];

const computed = new Map<BedNight, Map<DeviceKind, DeviceAction[]>>();
/** A night's messages are tens of thousands: each is computed once per spec run. */
function timeline(night: BedNight, kind: DeviceKind): DeviceAction[] {
  if (!computed.has(night)) computed.set(night, new Map());
  const byKind = computed.get(night)!;
  if (!byKind.has(kind)) byKind.set(kind, [...deviceTimeline(night, kind)]);
  return byKind.get(kind)!;
}
const samplesOf = (actions: DeviceAction[]) => actions.flatMap((a) => (a.type === 'telemetry' ? a.samples : []));
const within = (spans: { start: number; end: number }[], t: number) => spans.some((s) => t >= s.start && t < s.end);

describe('realistic-night corpus', () => {
  const nights = planCorpus(OPTIONS);

  it('is a pure function of (seed, parameters): same seed same nights and messages, another seed differs', () => {
    expect(planCorpus(OPTIONS)).toEqual(nights);
    expect([...deviceTimeline(planCorpus(OPTIONS)[5], 'mattress')]).toEqual(timeline(nights[5], 'mattress'));
    const other = planCorpus({ ...OPTIONS, seed: 4 });
    expect(other.map((n) => n.resident)).not.toEqual(nights.map((n) => n.resident));
  });

  it('spreads true events over beds, each type in turn', () => {
    const types = Array.from({ length: 12 }, (_, i) => eventTypeOf(i, 0.5)).filter(Boolean);
    expect(types).toHaveLength(6);
    expect([...types].sort()).toEqual([...TRUE_EVENT_TYPES].sort());
    expect(Array.from({ length: 30 }, (_, i) => eventTypeOf(i, 0)).filter(Boolean)).toEqual([]);
  });

  it('residents and nights stay in their declared ranges', () => {
    for (const n of planCorpus({ ...OPTIONS, beds: 60, eventShare: 0 })) {
      const r = n.resident;
      expect(r.age).toBeGreaterThanOrEqual(65);
      expect(r.age).toBeLessThanOrEqual(95);
      expect(r.restingHeartRate).toBeGreaterThanOrEqual(50);
      expect(r.restingHeartRate).toBeLessThanOrEqual(80);
      expect(r.restingRespiration).toBeGreaterThanOrEqual(12);
      expect(r.restingRespiration).toBeLessThanOrEqual(20);
      expect(r.spo2Baseline).toBeGreaterThanOrEqual(94);
      expect(r.spo2Baseline).toBeLessThanOrEqual(98);
      expect(n.sleep.exits.length).toBeLessThanOrEqual(3);
      for (const x of n.sleep.exits) expect(x.end - x.start).toBeLessThanOrEqual(15 * 60_000);
      for (const a of n.artefacts.filter((x) => x.value === 'lie-down'))
        expect(a.end - a.start).toBeLessThanOrEqual(40_000);
      expect(n.events).toEqual([]);
    }
  });

  it('every message is valid under contract v1, in time order, batches within the contract', () => {
    for (const night of nights.slice(0, 4)) {
      for (const kind of KINDS) {
        const actions = timeline(night, kind);
        expect(actions.filter((a, i) => i > 0 && a.at < actions[i - 1].at)).toEqual([]);
        // Every event and every 20th telemetry message: the contract check is the slow part.
        for (const [i, a] of actions.entries()) {
          if (a.type === 'telemetry' && i % 20 === 0) {
            expect(a.samples.length).toBeLessThanOrEqual(MAX_SAMPLES_PER_MESSAGE);
            expect(a.samples.filter((x) => x.ts! > a.at)).toEqual([]);
            expect(
              validateUplink(kind, 'telemetry', JSON.stringify({ ts: a.at, seq: 1, samples: a.samples })),
            ).toMatchObject({ ok: true });
          } else if (a.type === 'event') {
            expect(
              validateUplink(
                kind,
                'events',
                JSON.stringify({
                  eventId: 'e1',
                  type: a.event,
                  ts: a.ts,
                  ...(a.confidence !== undefined && { confidence: a.confidence }),
                }),
              ),
            ).toMatchObject({ ok: true });
          }
        }
      }
    }
  });

  it('normal signals stay in range; HR 0 / RR 0 only in declared artefacts', () => {
    // Offending samples are collected, not asserted one by one: a night is tens of thousands.
    const [hr, rr, spo2] = [NORMAL_RANGES.heartRate, NORMAL_RANGES.respirationRate, NORMAL_RANGES.spo2];
    for (const night of planCorpus({ ...OPTIONS, beds: 6, eventShare: 0 })) {
      const mattress = samplesOf(timeline(night, 'mattress')) as MattressSample[];
      const artefacts = night.artefacts.filter((a) => a.device === 'mattress');
      const wrongPresence = mattress.filter((s) => s.inBed !== (bedStateAt(night.sleep, s.ts!) !== 'out'));
      const inBed = mattress.filter((s) => s.inBed);
      const zeros = inBed.filter((s) => s.heartRate === 0 || s.respirationRate === 0);
      const undeclaredZeros = zeros.filter((s) => !within(artefacts, s.ts!));
      const outOfRange = inBed.filter(
        (s) =>
          !zeros.includes(s) &&
          (s.heartRate! < hr[0] || s.heartRate! > hr[1] || s.respirationRate! < rr[0] || s.respirationRate! > rr[1]),
      );
      expect({ wrongPresence, undeclaredZeros, outOfRange }).toEqual({
        wrongPresence: [],
        undeclaredZeros: [],
        outOfRange: [],
      });
      expect(inBed.length).toBeGreaterThan(6 * 3600);
      const dips = night.artefacts.filter((a) => a.device === 'wearable');
      const worn = (samplesOf(timeline(night, 'wearable')) as WearableSample[]).filter((s) => s.worn);
      const undeclaredLow = worn.filter((s) => s.spo2! < spo2[0] && !within(dips, s.ts!));
      expect({ undeclaredLow, tooHigh: worn.filter((s) => s.spo2! > spo2[1]) }).toEqual({
        undeclaredLow: [],
        tooHigh: [],
      });
    }
  });

  it('uploads: streaming devices send one sample a message, batching ones every 1-2 min', () => {
    for (const night of nights) {
      for (const kind of ['mattress', 'wearable'] as const) {
        const mode = night.resident.upload[kind];
        const tele = timeline(night, kind).filter(
          (a): a is Extract<DeviceAction, { type: 'telemetry' }> => a.type === 'telemetry',
        );
        const all = timeline(night, kind);
        const afterReconnect = new Set(all.filter((a, i) => i > 0 && all[i - 1].type === 'reconnect'));
        if (mode.kind === 'stream')
          expect(tele.filter((a) => !afterReconnect.has(a)).every((a) => a.samples.length === 1)).toBe(true);
        else {
          const gaps = tele
            .slice(2)
            .map((a, i) => a.at - tele[i + 1].at)
            .filter((g) => g > 30_000);
          expect(Math.max(...gaps)).toBeLessThanOrEqual(mode.uploadEveryMs + 20_000);
          expect(mode.uploadEveryMs).toBeGreaterThanOrEqual(60_000);
          expect(mode.uploadEveryMs).toBeLessThanOrEqual(120_000);
        }
      }
    }
  });

  it('true events appear in the signals where declared, inside the night, with their windows', () => {
    const events = nights.flatMap((n) => n.events.map((e) => ({ e, n })));
    expect(events.map(({ e }) => e.type).sort()).toEqual([...TRUE_EVENT_TYPES].sort());
    for (const { e, n } of events) {
      expect(e.start).toBeGreaterThan(n.start);
      expect(e.deadline).toBe(e.onset + CLINICAL_WINDOW_MS[e.type]);
      expect(e.deadline).toBeLessThan(n.end);
      const during = (s: { ts?: number }) => s.ts! >= e.start && s.ts! < e.end;
      if (e.type === 'bradycardia' || e.type === 'tachycardia' || e.type === 'apnea') {
        const inside = (samplesOf(timeline(n, 'mattress')) as MattressSample[]).filter(during);
        expect(inside.length).toBeGreaterThanOrEqual(Math.floor((e.end - e.start) / 1000) - 1);
        const off = inside.filter(
          (s) =>
            s.signalQuality! < 80 ||
            (e.type === 'bradycardia'
              ? s.heartRate! > 38
              : e.type === 'tachycardia'
                ? s.heartRate! < 140
                : s.respirationRate !== 0),
        );
        expect(off).toEqual([]);
        expect(e.end - e.start).toBeGreaterThanOrEqual(
          e.type === 'apnea' ? 35_000 : e.type === 'tachycardia' ? 60_000 : 90_000,
        );
      } else if (e.type === 'desaturation') {
        const inside = (samplesOf(timeline(n, 'wearable')) as WearableSample[]).filter(during);
        expect(inside.length).toBeGreaterThan(0);
        expect(inside.filter((s) => s.spo2! > 89.5)).toEqual([]);
        expect(e.end - e.start).toBeGreaterThanOrEqual(90_000);
      } else if (e.type === 'night_absence') {
        const exit = n.sleep.exits.find((x) => x.start === e.start)!;
        expect(exit.end - exit.start).toBeGreaterThan(20 * 60_000);
        expect(
          timeline(n, 'mattress').some(
            (a) => a.type === 'event' && a.event === 'bed.exit' && a.at === Math.round(e.start),
          ),
        ).toBe(true);
      } else {
        const fall = timeline(n, 'wearable').filter((a) => a.type === 'event' && a.event.startsWith('fall.'));
        expect(
          fall.some((a) => a.type === 'event' && a.event === 'fall.detected' && a.ts === Math.round(e.onset)),
        ).toBe(true);
        expect(n.falls.find((f) => f.at === e.onset)?.cancelAt).toBeNull();
        expect(n.worn.some((w) => e.onset >= w.start && e.onset < w.end)).toBe(true);
      }
    }
  });

  it('a dropout holds back what was measured and sends it on reconnecting', () => {
    const night = nights.find((n) => n.artefacts.some((a) => a.device === 'mattress' && a.value === 'dropout'))!;
    const actions = timeline(night, 'mattress');
    const drop = actions.findIndex((a) => a.type === 'drop');
    const back = actions.findIndex((a, i) => i > drop && a.type === 'reconnect');
    expect(actions.slice(drop + 1, back)).toEqual([]);
    const after = actions[back + 1];
    expect(after.type).toBe('telemetry');
    if (after.type === 'telemetry') expect(after.samples[0].ts).toBeLessThan(actions[back].at);
  });

  it('night start: the next 21:00 local', () => {
    expect(nightStartAfter(Date.UTC(2026, 0, 10, 12, 0), 480)).toBe(START);
    expect(nightStartAfter(START, 480)).toBe(START);
    expect(nightStartAfter(START + 1, 480)).toBe(START + 86_400_000);
  });
});
