import { BedHarness, MINUTE, SECOND } from '../testing/bed-harness';

const rr = (respirationRate: number) => ({ inBed: true, heartRate: 70, respirationRate, signalQuality: 80 });

describe('respiration rule', () => {
  it.each`
    value | holdMs            | fires
    ${8}  | ${2 * MINUTE}     | ${true}
    ${9}  | ${10 * MINUTE}    | ${false}
    ${26} | ${2 * MINUTE}     | ${true}
    ${25} | ${10 * MINUTE}    | ${false}
    ${30} | ${2 * MINUTE - 1} | ${false}
    ${4}  | ${2 * MINUTE}     | ${true}
  `('$value /min held $holdMs ms -> fires=$fires (major)', ({ value, holdMs, fires }) => {
    const bed = new BedHarness();
    bed.holdMattress(rr(value), holdMs);
    expect(bed.raises('respiration')).toEqual(fires ? [expect.objectContaining({ severity: 'major' })] : []);
  });

  it('clears after 60 s inside 10..24 (margin 2), not at 25', () => {
    const bed = new BedHarness();
    bed.holdMattress(rr(28), 2 * MINUTE);
    bed.holdMattress(rr(25), 5 * MINUTE);
    expect(bed.ofType('clear', 'respiration')).toHaveLength(0);
    bed.holdMattress(rr(24), MINUTE);
    expect(bed.ofType('clear', 'respiration')).toHaveLength(1);
  });

  it('leaves a rate of 0 to the apnea rule (one alarm, not two)', () => {
    const bed = new BedHarness();
    bed.holdMattress(rr(0), 5 * MINUTE);
    expect(bed.raises().map((a) => a.kind)).toEqual(['apnea']);
  });

  it('treats 0 as low respiration when apnea is disabled', () => {
    const bed = new BedHarness({ overrides: { apnea: { enabled: false } } });
    bed.holdMattress(rr(0), 2 * MINUTE);
    expect(bed.raises().map((a) => a.kind)).toEqual(['respiration']);
  });

  it('no alarm while the bed is empty', () => {
    const bed = new BedHarness();
    bed.holdMattress({ inBed: false, respirationRate: 40 }, 10 * MINUTE, 10 * SECOND);
    expect(bed.raises('respiration')).toHaveLength(0);
  });
});
