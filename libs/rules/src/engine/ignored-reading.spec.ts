import { BedHarness, MINUTE, SECOND, series } from '../testing/bed-harness';

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
const inBed = (heartRate: number, respirationRate: number, signalQuality = 90) => ({
  inBed: true,
  heartRate,
  respirationRate,
  movement: 2,
  signalQuality,
});
const wearable = (spo2: number, movement = 0, signalQuality = 90) => ({
  worn: true,
  heartRate: 70,
  spo2,
  movement,
  signalQuality,
});

/** Out of bed for a while, then back in bed reporting `zerosMs` of HR 0 / RR 0 before normal vitals. */
function backToBed(bed: BedHarness, zerosMs: number, thenFor = 3 * MINUTE) {
  const t0 = bed.now + SECOND;
  bed.deliver(series(MATTRESS, t0, SECOND, 60, () => ({ inBed: false, movement: 0, signalQuality: 90 })));
  const back = t0 + 60 * SECOND;
  const zeros = zerosMs / SECOND;
  bed.deliver(
    series(MATTRESS, back, SECOND, zeros + thenFor / SECOND, (i) => (i < zeros ? inBed(0, 0) : inBed(64, 14))),
  );
  return back;
}

describe('ignored readings (artefact rules)', () => {
  describe('settling after lying down', () => {
    it('ignores 40 s of HR 0 / RR 0 after getting back into bed, and records it once per rule', () => {
      const bed = bedWith();
      const back = backToBed(bed, 40 * SECOND);
      expect(bed.raises()).toEqual([]);
      expect(bed.ofType('ignored').map((a) => [a.kind, a.reason, a.startedAt])).toEqual([
        ['heart_rate', 'ignored_settling', back],
        ['apnea', 'ignored_settling', back],
      ]);
    });

    it('counts from the end of the settling window: a real apnea still raises', () => {
      const bed = bedWith();
      const back = backToBed(bed, 2 * MINUTE, 0);
      expect(bed.raises().map((a) => [a.kind, a.startedAt])).toEqual(
        expect.arrayContaining([
          ['apnea', back + MINUTE],
          ['heart_rate', back + MINUTE],
        ]),
      );
    });

    it('is configurable (0: off)', () => {
      const bed = bedWith({ artefacts: { settleAfterInBedMs: 0 } });
      backToBed(bed, 40 * SECOND);
      expect(
        bed
          .raises()
          .map((a) => a.kind)
          .sort(),
      ).toEqual(['apnea', 'heart_rate']);
    });

    it('records nothing for normal readings while settling', () => {
      const bed = bedWith();
      backToBed(bed, 0);
      expect(bed.ofType('ignored')).toEqual([]);
    });
  });

  describe('SpO2', () => {
    it('ignores dips while moving and records the run once', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      // Restless for 3 minutes: SpO2 reads 85-88 % while movement is high.
      bed.deliver(series(WEARABLE, t0, 5 * SECOND, 36, (i) => wearable(85 + (i % 4), 60)));
      bed.deliver(series(WEARABLE, t0 + 3 * MINUTE, 5 * SECOND, 12, () => wearable(97)));
      expect(bed.raises('spo2')).toEqual([]);
      expect(bed.ofType('ignored', 'spo2')).toEqual([
        expect.objectContaining({ reason: 'ignored_motion', subject: 'w1', startedAt: t0 }),
      ]);
    });

    it('still raises a real desaturation when still', () => {
      const bed = bedWith();
      bed.deliver(series(WEARABLE, bed.now + SECOND, 5 * SECOND, 13, () => wearable(86, 5)));
      expect(bed.raises('spo2')).toEqual([expect.objectContaining({ severity: 'major' })]);
    });

    it('ignores SpO2 at poor signal (perfusion or fit), stricter than other vital signs', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      bed.deliver(series(WEARABLE, t0, 5 * SECOND, 24, () => wearable(86, 0, 40)));
      expect(bed.raises('spo2')).toEqual([]);
      expect(bed.ofType('ignored', 'spo2')).toEqual([expect.objectContaining({ reason: 'ignored_poor_signal' })]);
    });

    it('uses configurable movement and signal limits', () => {
      const bed = bedWith({ artefacts: { spo2: { maxMovement: null, minSignalQuality: 30 } } });
      bed.deliver(series(WEARABLE, bed.now + SECOND, 5 * SECOND, 13, () => wearable(86, 90, 40)));
      expect(bed.raises('spo2')).toHaveLength(1);
    });

    it('a moving sample in a real desaturation counts as missing, not as normal', () => {
      const bed = bedWith();
      const t0 = bed.now + SECOND;
      bed.deliver(series(WEARABLE, t0, 5 * SECOND, 13, (i) => wearable(86, i === 6 ? 80 : 0)));
      expect(bed.raises('spo2')).toEqual([expect.objectContaining({ startedAt: t0 })]);
    });
  });

  it('low signal: ignored (as before) and recorded when the reading was abnormal', () => {
    const bed = bedWith();
    const t0 = bed.now + SECOND;
    bed.deliver(series(MATTRESS, t0, SECOND, 120, () => inBed(150, 14, 20)));
    expect(bed.raises()).toEqual([]);
    expect(bed.ofType('ignored')).toEqual([
      expect.objectContaining({ kind: 'heart_rate', reason: 'ignored_low_signal', startedAt: t0 }),
    ]);
  });

  it('signal flickering around the threshold is one run; a new reason or a minute without such readings starts another', () => {
    const bed = bedWith();
    const t0 = bed.now + SECOND;
    // Quality alternates 20 / 90 for 30 s, then nothing abnormal is ignored for 61 s, then low again.
    bed.deliver(
      series(MATTRESS, t0, SECOND, 150, (i) =>
        inBed(i < 30 || i >= 91 ? 150 : 62, 14, i % 2 === 0 && (i < 30 || i >= 91) ? 20 : 90),
      ),
    );
    const settle = series(MATTRESS, t0 + 200 * SECOND, SECOND, 10, () => ({ inBed: false }));
    bed.deliver([...settle, ...series(MATTRESS, t0 + 210 * SECOND, SECOND, 5, () => inBed(0, 14))]);
    expect(bed.ofType('ignored', 'heart_rate').map((a) => [a.reason, a.startedAt])).toEqual([
      ['ignored_low_signal', t0],
      ['ignored_low_signal', t0 + 92 * SECOND],
      ['ignored_settling', t0 + 210 * SECOND],
    ]);
  });

  it('records nothing for a disabled rule', () => {
    const bed = bedWith({ heartRate: { enabled: false } });
    bed.deliver(series(MATTRESS, bed.now + SECOND, SECOND, 30, () => inBed(150, 14, 20)));
    expect(bed.ofType('ignored')).toEqual([]);
  });
});
