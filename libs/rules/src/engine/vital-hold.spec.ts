import type { RuleAction } from '../model/rule-action';
import { BedHarness, MINUTE, NOON_SHANGHAI, SECOND, series, type TimedSample } from '../testing/bed-harness';

const MATTRESS = { deviceKind: 'mattress' } as const;
const WEARABLE = { deviceKind: 'wearable' } as const;
const bedWith = (overrides = {}) =>
  new BedHarness({
    devices: [
      { id: 'm1', kind: 'mattress' },
      { id: 'w1', kind: 'wearable' },
    ],
    overrides,
  });
const mattress = (heartRate: number, respirationRate = 14) => ({
  inBed: true,
  heartRate,
  respirationRate,
  movement: 2,
  signalQuality: 90,
});
const wearable = (spo2: number, heartRate = 70) => ({ worn: true, heartRate, spo2, movement: 0, signalQuality: 90 });

const VITALS = new Set(['heart_rate', 'respiration', 'apnea', 'spo2']);
/**
 * The vital-sign verdict, without the arrival instant (`at`), which differs by upload pattern (device
 * silence is judged on arrival, so offline alarms differ too and are left out).
 */
const verdict = (actions: readonly RuleAction[]) =>
  actions.filter((a) => VITALS.has(a.kind)).map(({ at: _at, ...rest }) => rest);
const vitalRaises = (actions: readonly RuleAction[]) => actions.filter((a) => a.type === 'raise' && VITALS.has(a.kind));

/** The same samples delivered streamed (each as taken) and in uploads; both verdicts. */
function bothWays(samples: (t0: number) => TimedSample[], uploadEveryMs: number, delayMs = 0) {
  const streamed = bedWith();
  streamed.deliver(samples(streamed.now + SECOND));
  streamed.advance(10 * MINUTE);
  const batched = bedWith();
  batched.deliver(samples(batched.now + SECOND), { uploadEveryMs, delayMs });
  batched.advance(10 * MINUTE);
  return { streamed: streamed.log, batched: batched.log };
}

describe('hold semantics (event time)', () => {
  it('raises 90 s of heart rate 36 inside one 2-minute mattress upload, dated from its first sample', () => {
    const samples = (t0: number) => series(MATTRESS, t0, SECOND, 120, (i) => mattress(i >= 10 && i < 100 ? 36 : 62));
    const { streamed, batched } = bothWays(samples, 2 * MINUTE);
    const raise = batched.find((a) => a.type === 'raise' && a.kind === 'heart_rate');
    expect(raise).toMatchObject({ severity: 'critical', reason: 'heart_rate_low' });
    // The episode starts at its first sample (t0 + 10 s), and is raised when the upload arrives (t0 + 2 min).
    const t0 = NOON_SHANGHAI + SECOND;
    expect(raise).toMatchObject({
      startedAt: t0 + 10 * SECOND,
      at: t0 + 2 * MINUTE,
      details: expect.objectContaining({ since: t0 + 10 * SECOND }),
    });
    expect(verdict(batched)).toEqual(verdict(streamed));
  });

  it('gives the same verdict for a wearable streaming and uploading 8 samples every 2 minutes, late or not', () => {
    // SpO2 88 % for 3 minutes in the middle of an hour of 15 s samples.
    const samples = (t0: number) =>
      series(WEARABLE, t0, 15 * SECOND, 240, (i) => wearable(i >= 100 && i < 112 ? 88 : 96));
    const { streamed, batched } = bothWays(samples, 2 * MINUTE, 2 * MINUTE);
    expect(vitalRaises(streamed).map((a) => a.kind)).toEqual(['spo2']);
    expect(verdict(batched)).toEqual(verdict(streamed));
  });

  it('applies the warm-up of a device that just came online in event time, so an upload is judged like a stream', () => {
    const run = (uploadEveryMs: number) => {
      const bed = new BedHarness({ devices: [] }); // the mattress is new: it warms up from its first sample
      bed.deliver(
        series(MATTRESS, bed.now + SECOND, SECOND, 180, () => mattress(150)),
        { uploadEveryMs },
      );
      return bed.log;
    };
    const streamed = run(0);
    expect(vitalRaises(streamed)).toEqual([
      expect.objectContaining({ kind: 'heart_rate', startedAt: NOON_SHANGHAI + 61 * SECOND }),
    ]);
    expect(verdict(run(2 * MINUTE))).toEqual(verdict(streamed));
  });

  it('does not hold a dip at the end of an upload through the gap until the next upload', () => {
    // 8 samples 15 s apart every 2 minutes; the last two of one upload at 89-91 %, the next upload normal.
    const samples = (t0: number) =>
      series(WEARABLE, t0, 15 * SECOND, 32, (i) => wearable(i === 14 ? 90 : i === 15 ? 89 : 96));
    const { streamed, batched } = bothWays(samples, 2 * MINUTE);
    expect(vitalRaises(batched)).toEqual([]);
    expect(verdict(batched)).toEqual(verdict(streamed));
  });

  it('does not hold 20 s of HR 0 / RR 0 at the end of a mattress upload', () => {
    const samples = (t0: number) =>
      series(MATTRESS, t0, SECOND, 240, (i) => (i >= 100 && i < 120 ? mattress(0, 0) : mattress(62)));
    const { streamed, batched } = bothWays(samples, 2 * MINUTE);
    expect(vitalRaises(batched)).toEqual([]);
    expect(verdict(batched)).toEqual(verdict(streamed));
  });

  it('never holds a single low sample followed by silence', () => {
    const bed = bedWith();
    bed.deliver(
      series(WEARABLE, bed.now + SECOND, 15 * SECOND, 8, (i) => wearable(i === 7 ? 90 : 96)),
      { uploadEveryMs: 2 * MINUTE },
    );
    bed.advance(30 * MINUTE);
    expect(vitalRaises(bed.log)).toEqual([]);
  });

  describe('gaps', () => {
    it('continues a hold across a gap up to the limit (2 intervals, at least 5 s)', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      // 1 Hz with 4 samples missing (a 5 s gap) in the middle: still continuous.
      const samples = series(MATTRESS, t0, SECOND, 40, () => mattress(150)).filter((_, i) => i < 15 || i > 18);
      bed.deliver(samples);
      expect(bed.raises('heart_rate')).toEqual([expect.objectContaining({ startedAt: t0, severity: 'critical' })]);
    });

    it('ends a pending condition as unknown at a longer gap, records it, and starts again', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      const samples = series(MATTRESS, t0, SECOND, 40, () => mattress(150)).filter((_, i) => i < 15 || i > 20);
      bed.deliver(samples);
      expect(bed.raises('heart_rate')).toEqual([]);
      expect(bed.ofType('ignored', 'heart_rate')).toEqual([
        expect.objectContaining({
          reason: 'hold_gap',
          subject: 'm1',
          startedAt: t0,
          details: expect.objectContaining({ lastSampleTs: t0 + 14 * SECOND, nextSampleTs: t0 + 21 * SECOND }),
        }),
      ]);
      bed.deliver(series(MATTRESS, t0 + 40 * SECOND, SECOND, 12, () => mattress(150)));
      expect(bed.raises('heart_rate')).toEqual([expect.objectContaining({ startedAt: t0 + 21 * SECOND })]);
    });

    it('takes the gap limit from the device interval, capped by maxGapMs', () => {
      // Samples every 70 s: longer than the 60 s cap, so every gap breaks the hold...
      const capped = bedWith({ heartRate: { critical: { forMs: 2 * MINUTE } } });
      capped.deliver(series(MATTRESS, capped.now + SECOND, 70 * SECOND, 6, () => mattress(150)));
      expect(capped.raises('heart_rate')).toEqual([]);
      // ...and continuous under a 3-minute cap (twice the interval, 140 s, is the limit then).
      const wide = bedWith({
        heartRate: { critical: { forMs: 2 * MINUTE } },
        eventTime: { maxGapMs: 3 * MINUTE, clockResetMs: 10 * MINUTE },
      });
      wide.deliver(series(MATTRESS, wide.now + SECOND, 70 * SECOND, 6, () => mattress(150)));
      expect(wide.raises('heart_rate')).toEqual([expect.objectContaining({ severity: 'critical' })]);
    });
  });

  describe('late samples', () => {
    it("skips samples older than the device's newest and records abnormal ones once", () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      bed.deliver(series(MATTRESS, t0, SECOND, 20, () => mattress(62)));
      const late = series(MATTRESS, t0 - 30 * SECOND, SECOND, 25, () => mattress(150));
      for (const s of late) bed.send(s);
      expect(bed.raises()).toEqual([]);
      expect(bed.ofType('ignored', 'heart_rate')).toEqual([
        expect.objectContaining({ reason: 'ignored_late', startedAt: t0 - 30 * SECOND }),
      ]);
      expect(bed.state.presence.inBed).toBe(true);
    });

    it('a sample much older than the newest starts a new timeline (device clock reset): nothing held carries over', () => {
      const bed = bedWith();
      const t0 = bed.now + 5 * SECOND;
      // Lay down on the old timeline (settled after a minute), then a short bradycardia it cuts off.
      bed.deliver(series(MATTRESS, bed.now + SECOND, SECOND, 4, () => ({ inBed: false })));
      bed.deliver(series(MATTRESS, t0, SECOND, 100, (i) => mattress(i < 80 ? 62 : 38)));
      const reset = series(MATTRESS, t0 - 20 * MINUTE, SECOND, 20, () => mattress(150));
      for (const s of reset) bed.send(s);
      expect(bed.raises()).toEqual([]);
      expect(bed.state.devices['m1'].lastSampleTs).toBe(t0 - 20 * MINUTE + 19 * SECOND);
      expect(bed.state.vitals['heart_rate@m1']).toMatchObject({
        criticalSince: t0 - 20 * MINUTE,
        majorSince: t0 - 20 * MINUTE,
      });
      // Counting starts again on the new timeline (no settling window from the old one).
      bed.deliver(series(MATTRESS, t0 - 20 * MINUTE + 20 * SECOND, SECOND, 31, () => mattress(150)));
      expect(bed.raises('heart_rate')).toEqual([expect.objectContaining({ startedAt: t0 - 20 * MINUTE })]);
    });

    it('is per device: a wearable upload arriving after live mattress samples is not late', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      bed.deliver(
        series(WEARABLE, t0, 15 * SECOND, 8, () => wearable(85)),
        { uploadEveryMs: 2 * MINUTE },
      );
      // Mattress samples were streamed meanwhile; interleave them before the wearable's upload.
      const other = bedWith();
      other.deliver([...series(MATTRESS, t0, SECOND, 110, () => mattress(62))]);
      other.deliver(
        series(WEARABLE, t0, 15 * SECOND, 8, () => wearable(85)),
        { uploadEveryMs: 2 * MINUTE },
      );
      expect(verdict(other.ofType('raise', 'spo2'))).toEqual(verdict(bed.ofType('raise', 'spo2')));
      expect(bed.raises('spo2')).toHaveLength(1);
    });
  });

  describe('implausible jumps', () => {
    it('ignores HR 0 between samples of 70 at good signal, and records it', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      bed.deliver(series(MATTRESS, t0, SECOND, 60, (i) => mattress(i >= 20 && i < 26 ? 0 : 70)));
      expect(bed.raises()).toEqual([]);
      expect(bed.ofType('ignored', 'heart_rate')).toEqual([
        expect.objectContaining({
          reason: 'ignored_implausible_jump',
          startedAt: t0 + 20 * SECOND,
          details: expect.objectContaining({ value: 0, from: 70, backTo: 70 }),
        }),
      ]);
    });

    it('a jump that persists is real and counts from its first sample (no added delay)', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      bed.deliver(series(MATTRESS, t0, SECOND, 60, (i) => mattress(i >= 20 ? 150 : 70)));
      expect(bed.raises('heart_rate')).toEqual([
        expect.objectContaining({ startedAt: t0 + 20 * SECOND, at: t0 + 50 * SECOND, severity: 'critical' }),
      ]);
    });

    it('an artefact spike does not break a real hold underneath it', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      bed.deliver(series(MATTRESS, t0, SECOND, 40, (i) => mattress(i === 10 || i === 11 ? 95 : 36)));
      expect(bed.raises('heart_rate')).toEqual([expect.objectContaining({ startedAt: t0, at: t0 + 30 * SECOND })]);
    });

    it('is off with maxStep null', () => {
      const bed = bedWith({ heartRate: { maxStep: null } });
      const t0 = bed.now + SECOND;
      bed.deliver(series(MATTRESS, t0, SECOND, 40, (i) => mattress(i >= 5 ? 150 : 70)));
      expect(bed.raises('heart_rate')).toEqual([
        expect.objectContaining({ startedAt: t0 + 5 * SECOND, at: t0 + 35 * SECOND }),
      ]);
    });
  });

  describe('minimum samples', () => {
    it('needs minSamples consecutive abnormal samples besides the hold time', () => {
      // SpO2 every 60 s: two low samples span the 60 s hold, the third one fires (minSamples 3).
      const bed = bedWith({ eventTime: { maxGapMs: 2 * MINUTE } });
      const t0 = bed.now + SECOND;
      const actions = bed.deliver(series(WEARABLE, t0, MINUTE, 3, () => wearable(88)));
      expect(actions.filter((a) => a.type === 'raise')).toEqual([
        expect.objectContaining({ kind: 'spo2', startedAt: t0, at: t0 + 2 * MINUTE }),
      ]);
    });
  });
});
