import { BedHarness, MINUTE, SECOND } from '../testing/bed-harness';

const inBed = (heartRate: number) => ({ inBed: true, heartRate, respirationRate: 14, signalQuality: 80 });

describe('heart-rate rule', () => {
  describe('firing thresholds and hold times', () => {
    it.each`
      value  | holdMs             | expected
      ${121} | ${2 * MINUTE}      | ${'major'}
      ${120} | ${2 * MINUTE}      | ${'major'}
      ${119} | ${10 * MINUTE}     | ${null}
      ${121} | ${2 * MINUTE - 1}  | ${null}
      ${45}  | ${2 * MINUTE}      | ${'major'}
      ${46}  | ${10 * MINUTE}     | ${null}
      ${44}  | ${2 * MINUTE - 1}  | ${null}
      ${140} | ${30 * SECOND}     | ${'critical'}
      ${140} | ${30 * SECOND - 1} | ${null}
      ${40}  | ${30 * SECOND}     | ${'critical'}
      ${139} | ${2 * MINUTE}      | ${'major'}
      ${41}  | ${2 * MINUTE}      | ${'major'}
    `('$value bpm held $holdMs ms -> $expected', ({ value, holdMs, expected }) => {
      const bed = new BedHarness();
      bed.holdMattress(inBed(value), holdMs);
      const raises = bed.raises('heart_rate');
      if (expected === null) expect(raises).toHaveLength(0);
      else
        expect(raises).toEqual([
          expect.objectContaining({ severity: expected, kind: 'heart_rate', suppressed: false }),
        ]);
    });

    it('fires on the sample that completes the hold, dated from the first abnormal sample', () => {
      const bed = new BedHarness();
      const start = bed.now;
      bed.holdMattress(inBed(150), 25 * SECOND);
      expect(bed.raises()).toEqual([]);
      bed.clock.advance(5 * SECOND);
      const actions = bed.mattress(inBed(150));
      expect(actions).toEqual([
        expect.objectContaining({
          type: 'raise',
          severity: 'critical',
          startedAt: start,
          at: start + 30 * SECOND,
          reason: 'heart_rate_high',
        }),
      ]);
      expect(actions[0]).toMatchObject({
        details: { value: 150, deviceId: 'm1', high: 140, forMs: 30 * SECOND, lastSampleTs: start + 30 * SECOND },
      });
    });

    it('never fires from one abnormal sample followed by silence (the reading is not assumed to persist)', () => {
      const bed = new BedHarness();
      bed.mattress(inBed(150));
      expect(bed.advance(10 * MINUTE).filter((a) => a.kind === 'heart_rate')).toEqual([]);
    });

    it('resets the hold when one normal sample interrupts it', () => {
      const bed = new BedHarness();
      bed.holdMattress(inBed(125), 90 * SECOND);
      bed.clock.advance(SECOND);
      bed.mattress(inBed(100));
      bed.clock.advance(SECOND);
      bed.holdMattress(inBed(125), 90 * SECOND);
      expect(bed.raises()).toHaveLength(0);
    });

    it('upgrades an open major alarm to critical with an update, keeping the key', () => {
      const bed = new BedHarness();
      bed.holdMattress(inBed(125), 2 * MINUTE);
      bed.holdMattress(inBed(145), 30 * SECOND);
      const [raise] = bed.raises('heart_rate');
      expect(bed.ofType('update', 'heart_rate')).toEqual([
        expect.objectContaining({
          key: raise.key,
          severity: 'critical',
          previousSeverity: 'major',
          reason: 'heart_rate_escalated',
        }),
      ]);
      expect(bed.raises()).toHaveLength(1);
    });

    it('does not downgrade or re-raise when readings fall back into the major band', () => {
      const bed = new BedHarness();
      bed.holdMattress(inBed(145), 30 * SECOND);
      bed.holdMattress(inBed(125), 5 * MINUTE);
      expect(bed.log.map((a) => a.type)).toEqual(['raise']);
    });
  });

  describe('hysteresis', () => {
    it.each`
      recovery | holdMs         | cleared
      ${110}   | ${MINUTE}      | ${true}
      ${115}   | ${MINUTE}      | ${true}
      ${116}   | ${10 * MINUTE} | ${false}
      ${110}   | ${MINUTE - 1}  | ${false}
      ${50}    | ${MINUTE}      | ${true}
      ${49}    | ${10 * MINUTE} | ${false}
    `('after a high alarm, $recovery bpm for $holdMs ms -> cleared=$cleared', ({ recovery, holdMs, cleared }) => {
      const bed = new BedHarness();
      bed.holdMattress(inBed(130), 2 * MINUTE);
      bed.holdMattress(inBed(recovery), holdMs);
      expect(bed.ofType('clear', 'heart_rate')).toHaveLength(cleared ? 1 : 0);
    });

    it('clears on the sample that completes the clear hold, then a new episode gets a new key', () => {
      const bed = new BedHarness();
      bed.holdMattress(inBed(130), 2 * MINUTE);
      bed.clock.advance(5 * SECOND);
      expect(bed.holdMattress(inBed(100), MINUTE - 1)).toEqual([]);
      bed.clock.advance(1);
      expect(bed.mattress(inBed(100))).toEqual([
        expect.objectContaining({ type: 'clear', reason: 'heart_rate_normal' }),
      ]);
      bed.holdMattress(inBed(130), 2 * MINUTE);
      const [first, second] = bed.raises('heart_rate');
      expect(second.key).not.toEqual(first.key);
    });
  });

  describe('suppression', () => {
    it.each`
      name                    | sample
      ${'bed empty'}          | ${{ inBed: false, heartRate: 150, signalQuality: 80 }}
      ${'presence unknown'}   | ${{ heartRate: 150, signalQuality: 80 }}
      ${'low signal quality'} | ${{ inBed: true, heartRate: 150, signalQuality: 29 }}
      ${'no signal quality'}  | ${{ inBed: true, heartRate: 150, signalQuality: 0 }}
      ${'no reading'}         | ${{ inBed: true, heartRate: null, signalQuality: 80 }}
    `('no alarm when $name', ({ sample }) => {
      const bed = new BedHarness();
      bed.holdMattress(sample, 10 * MINUTE);
      expect(bed.raises('heart_rate')).toHaveLength(0);
    });

    it('uses a configurable signal-quality threshold', () => {
      const bed = new BedHarness({ overrides: { suppression: { minSignalQuality: 10 } } });
      bed.holdMattress({ inBed: true, heartRate: 150, signalQuality: 20 }, 30 * SECOND);
      expect(bed.raises('heart_rate')).toHaveLength(1);
    });

    it('ignores a new device during its warm-up period, then counts from the first trusted sample', () => {
      const bed = new BedHarness({ devices: [] });
      const start = bed.now;
      bed.holdMattress(inBed(150), 60 * SECOND); // warm-up (60 s) swallows these
      expect(bed.raises()).toHaveLength(0);
      bed.holdMattress(inBed(150), 30 * SECOND);
      expect(bed.raises('heart_rate')).toEqual([expect.objectContaining({ startedAt: start + 60 * SECOND })]);
    });

    it("a sample that is not the resident's (bed empty) resets the pending hold", () => {
      const bed = new BedHarness({ overrides: { artefacts: { settleAfterInBedMs: 0 } } });
      bed.holdMattress(inBed(150), 20 * SECOND);
      bed.clock.advance(SECOND);
      bed.mattress({ inBed: false, heartRate: 150, signalQuality: 80 });
      bed.clock.advance(SECOND);
      bed.holdMattress({ ...inBed(150) }, 20 * SECOND);
      expect(bed.raises()).toHaveLength(0);
    });

    it('a low-signal sample counts as missing: the hold survives it when the gap stays short', () => {
      const bed = new BedHarness({ overrides: { artefacts: { settleAfterInBedMs: 0 } } });
      bed.holdMattress(inBed(150), 20 * SECOND);
      bed.clock.advance(SECOND);
      bed.mattress({ inBed: true, heartRate: 150, signalQuality: 5 });
      bed.clock.advance(SECOND);
      bed.holdMattress(inBed(150), 10 * SECOND);
      expect(bed.raises('heart_rate')).toEqual([expect.objectContaining({ severity: 'critical' })]);
    });

    it('leaves an open alarm open (neither cleared nor re-raised) while the bed is empty', () => {
      const bed = new BedHarness();
      bed.holdMattress(inBed(150), 30 * SECOND);
      bed.holdMattress({ inBed: false, heartRate: 0 }, 10 * MINUTE);
      expect(bed.log.filter((a) => a.kind === 'heart_rate').map((a) => a.type)).toEqual(['raise']);
    });
  });

  describe('wearable source', () => {
    it('fires from a worn wearable, not from one that is off the body', () => {
      const worn = new BedHarness({ devices: [{ id: 'w1', kind: 'wearable' }] });
      worn.holdWearable({ heartRate: 38, worn: true }, 30 * SECOND);
      expect(worn.raises('heart_rate')).toEqual([
        expect.objectContaining({ severity: 'critical', reason: 'heart_rate_low' }),
      ]);

      const off = new BedHarness({ devices: [{ id: 'w1', kind: 'wearable' }] });
      off.holdWearable({ heartRate: 38, worn: false }, 5 * MINUTE);
      expect(off.raises('heart_rate')).toHaveLength(0);
    });

    it('raises one alarm per bed even when both sources breach', () => {
      const bed = new BedHarness({
        devices: [
          { id: 'm1', kind: 'mattress' },
          { id: 'w1', kind: 'wearable' },
        ],
      });
      for (let i = 0; i < 8; i++) {
        bed.mattress(inBed(150));
        bed.wearable({ heartRate: 150, worn: true });
        bed.advance(5 * SECOND);
      }
      expect(bed.raises('heart_rate')).toHaveLength(1);
    });
  });

  it('does nothing when disabled', () => {
    const bed = new BedHarness({ overrides: { heartRate: { enabled: false } } });
    bed.holdMattress(inBed(150), 5 * MINUTE);
    expect(bed.raises()).toHaveLength(0);
  });

  it('uses overridden thresholds', () => {
    const bed = new BedHarness({ overrides: { heartRate: { major: { high: 100 } } } });
    bed.holdMattress(inBed(105), 2 * MINUTE);
    expect(bed.raises('heart_rate')).toEqual([expect.objectContaining({ severity: 'major' })]);
  });
});
