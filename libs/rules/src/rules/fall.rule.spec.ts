import { BedHarness, SECOND } from '../testing/bed-harness';

const fallBed = (overrides = {}) => new BedHarness({ devices: [{ id: 'w1', kind: 'wearable' }], overrides });

describe('fall rule', () => {
  it.each`
    cancelAfterMs      | raised
    ${5 * SECOND}      | ${false}
    ${30 * SECOND - 1} | ${false}
    ${null}            | ${true}
  `('cancel after $cancelAfterMs ms -> raised=$raised', ({ cancelAfterMs, raised }) => {
    const bed = fallBed();
    const detectedAt = bed.now;
    bed.event('fall.detected', 'w1');
    if (cancelAfterMs !== null) {
      bed.advance(cancelAfterMs);
      expect(bed.event('fall.cancelled', 'w1')).toEqual([
        expect.objectContaining({
          type: 'cancelled',
          kind: 'fall',
          raised: false,
          key: `bed-1:fall:${detectedAt}`,
          reason: 'fall_cancelled',
        }),
      ]);
    }
    bed.advance(60 * SECOND);
    expect(bed.raises('fall')).toEqual(
      raised ? [expect.objectContaining({ severity: 'critical', key: `bed-1:fall:${detectedAt}` })] : [],
    );
  });

  it('raises at exactly the end of the cancel window, on a tick', () => {
    const bed = fallBed();
    const detectedAt = bed.now;
    bed.event('fall.detected', 'w1');
    expect(bed.advance(30 * SECOND - 1)).toEqual([]);
    expect(bed.advance(1)).toEqual([
      expect.objectContaining({ type: 'raise', at: detectedAt + 30 * SECOND, reason: 'fall_not_cancelled' }),
    ]);
  });

  it('raises at once when the device reports the wearer motionless', () => {
    const bed = fallBed();
    expect(bed.event('fall.detected', 'w1', { motionless: true })).toEqual([
      expect.objectContaining({ type: 'raise', severity: 'critical', reason: 'fall_motionless' }),
    ]);
  });

  it('raises at once when the wearable shows no movement inside the cancel window', () => {
    const bed = fallBed();
    bed.event('fall.detected', 'w1');
    bed.advance(3 * SECOND);
    expect(bed.wearable({ movement: 0, worn: true })).toEqual([
      expect.objectContaining({ type: 'raise', reason: 'fall_motionless' }),
    ]);
  });

  it('movement after the fall keeps the cancel window', () => {
    const bed = fallBed();
    bed.event('fall.detected', 'w1');
    bed.advance(3 * SECOND);
    expect(bed.wearable({ movement: 12, worn: true })).toEqual([]);
  });

  it('no movement upgrades a raised non-critical fall to critical', () => {
    const bed = fallBed({ fall: { severity: 'major' } });
    bed.event('fall.detected', 'w1');
    bed.advance(30 * SECOND);
    expect(bed.raises('fall')).toEqual([expect.objectContaining({ severity: 'major' })]);
    expect(bed.wearable({ movement: 0 })).toEqual([
      expect.objectContaining({ type: 'update', severity: 'critical', previousSeverity: 'major' }),
    ]);
  });

  it('a cancel after the raise is recorded and the alarm stays open', () => {
    const bed = fallBed();
    bed.event('fall.detected', 'w1');
    bed.advance(40 * SECOND);
    expect(bed.event('fall.cancelled', 'w1')).toEqual([expect.objectContaining({ type: 'cancelled', raised: true })]);
    expect(bed.ofType('clear')).toHaveLength(0);
  });

  it('repeated detections are counted: in the window on the raise episode, after it as updates', () => {
    const bed = fallBed();
    bed.event('fall.detected', 'w1', { eventId: 'f1' });
    bed.event('fall.detected', 'w1', { eventId: 'f2' });
    bed.advance(30 * SECOND);
    expect(bed.state.episodes['fall']).toMatchObject({ repeatCount: 1 });
    expect(bed.event('fall.detected', 'w1', { eventId: 'f3' })).toEqual([
      expect.objectContaining({ type: 'update', repeatCount: 2 }),
    ]);
  });
});
