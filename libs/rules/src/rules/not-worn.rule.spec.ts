import { BedHarness, HOUR, MINUTE } from '../testing/bed-harness';

describe('not-worn rule', () => {
  const bedWithWearable = () => new BedHarness({ devices: [{ id: 'w1', kind: 'wearable' }] });

  it('raises a warning after 12 h off the body, on the timer', () => {
    const bed = bedWithWearable();
    const removedAt = bed.now;
    bed.event('wearable.removed', 'w1');
    // The wearable keeps reporting (on the charger) so it is not offline.
    bed.holdWearable({ worn: false, battery: 80 }, 12 * HOUR - 1, 4 * MINUTE);
    expect(bed.raises('not_worn')).toHaveLength(0);
    bed.advance(1);
    expect(bed.raises('not_worn')).toEqual([
      expect.objectContaining({ severity: 'warning', subject: 'w1', startedAt: removedAt, at: removedAt + 12 * HOUR }),
    ]);
  });

  it('clears when worn again', () => {
    const bed = bedWithWearable();
    bed.wearable({ worn: false });
    bed.holdWearable({ worn: false }, 12 * HOUR, 4 * MINUTE);
    expect(bed.event('wearable.worn', 'w1')).toEqual([expect.objectContaining({ type: 'clear', kind: 'not_worn' })]);
  });

  it('putting it on for a moment restarts the count', () => {
    const bed = bedWithWearable();
    bed.holdWearable({ worn: false }, 11 * HOUR, 4 * MINUTE);
    bed.wearable({ worn: true });
    bed.holdWearable({ worn: false }, 11 * HOUR, 4 * MINUTE);
    expect(bed.raises('not_worn')).toHaveLength(0);
  });
});
