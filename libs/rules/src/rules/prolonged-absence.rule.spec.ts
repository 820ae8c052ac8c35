import { BedHarness, HOUR, localTime, MINUTE } from '../testing/bed-harness';

describe('prolonged-absence rule', () => {
  it.each`
    outForMs        | fires
    ${4 * HOUR}     | ${true}
    ${4 * HOUR - 1} | ${false}
  `('out of bed for $outForMs ms -> fires=$fires (minor)', ({ outForMs, fires }) => {
    const bed = new BedHarness();
    const exitAt = bed.now;
    bed.holdMattress({ inBed: false }, outForMs, MINUTE);
    expect(bed.raises('prolonged_absence')).toEqual(
      fires ? [expect.objectContaining({ severity: 'minor', at: exitAt + 4 * HOUR, reason: 'absent_too_long' })] : [],
    );
  });

  it('fires when not back by the configured local time', () => {
    const start = localTime('Asia/Shanghai', '2025-01-15T14:00');
    const bed = new BedHarness({ start, overrides: { prolongedAbsence: { returnBy: '16:30' } } });
    bed.holdMattress({ inBed: false }, 3 * HOUR, MINUTE);
    expect(bed.raises('prolonged_absence')).toEqual([
      expect.objectContaining({ reason: 'not_back_by', at: localTime('Asia/Shanghai', '2025-01-15T16:30') }),
    ]);
  });

  it('uses a configurable limit and clears on return', () => {
    const bed = new BedHarness({ overrides: { prolongedAbsence: { maxDurationMs: HOUR } } });
    bed.holdMattress({ inBed: false }, HOUR, MINUTE);
    expect(bed.raises('prolonged_absence')).toHaveLength(1);
    bed.holdMattress({ inBed: true }, MINUTE, 10_000);
    expect(bed.ofType('clear', 'prolonged_absence')).toHaveLength(1);
  });
});
