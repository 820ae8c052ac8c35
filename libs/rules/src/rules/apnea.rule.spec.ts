import { BedHarness, MINUTE, SECOND } from '../testing/bed-harness';

const breathing = (respirationRate: number, extra: object = {}) => ({
  inBed: true,
  heartRate: 70,
  respirationRate,
  signalQuality: 80,
  ...extra,
});

describe('apnea rule', () => {
  it.each`
    holdMs             | fires
    ${30 * SECOND}     | ${true}
    ${30 * SECOND - 1} | ${false}
    ${10 * SECOND}     | ${false}
  `('no breathing for $holdMs ms -> fires=$fires (critical)', ({ holdMs, fires }) => {
    const bed = new BedHarness();
    bed.holdMattress(breathing(0), holdMs, SECOND);
    expect(bed.raises('apnea')).toEqual(
      fires ? [expect.objectContaining({ severity: 'critical', reason: 'apnea_low' })] : [],
    );
  });

  it('does not fire when the mattress stops sending after the last 0 (a gap is unknown, not held)', () => {
    const bed = new BedHarness();
    bed.holdMattress(breathing(0), 20 * SECOND, SECOND);
    expect(bed.advance(10 * MINUTE).filter((a) => a.kind === 'apnea')).toEqual([]);
    bed.mattress(breathing(0));
    expect(bed.raises('apnea')).toEqual([]);
  });

  it('a single breath resets the hold', () => {
    const bed = new BedHarness();
    bed.holdMattress(breathing(0), 20 * SECOND, SECOND);
    bed.mattress(breathing(6));
    bed.holdMattress(breathing(0), 20 * SECOND, SECOND);
    expect(bed.raises()).toHaveLength(0);
  });

  it('clears after breathing resumes for 10 s', () => {
    const bed = new BedHarness();
    bed.holdMattress(breathing(0), 30 * SECOND, SECOND);
    bed.clock.advance(SECOND);
    // 0 -> 12 /min is a jump: held back 10 s, then counted from its first sample.
    bed.holdMattress(breathing(12), 10 * SECOND - 1, SECOND);
    expect(bed.ofType('clear', 'apnea')).toHaveLength(0);
    bed.clock.advance(1);
    bed.mattress(breathing(12));
    expect(bed.ofType('clear', 'apnea')).toHaveLength(1);
  });

  it.each`
    name            | extra
    ${'bed empty'}  | ${{ inBed: false }}
    ${'low signal'} | ${{ signalQuality: 10 }}
  `('is suppressed when $name', ({ extra }) => {
    const bed = new BedHarness();
    bed.holdMattress(breathing(0, extra), 2 * MINUTE, SECOND);
    expect(bed.raises()).toHaveLength(0);
  });
});
