import { BedHarness } from '../testing/bed-harness';

describe('tamper rule', () => {
  it('raises one minor alarm per device and counts repeats', () => {
    const bed = new BedHarness({ devices: [{ id: 'b1', kind: 'button' }] });
    expect(bed.event('tamper', 'b1')).toEqual([
      expect.objectContaining({ type: 'raise', kind: 'tamper', subject: 'b1', severity: 'minor' }),
    ]);
    expect(bed.event('tamper', 'b1')).toEqual([expect.objectContaining({ type: 'update', repeatCount: 1 })]);
    expect(bed.event('tamper', 'm1')).toEqual([expect.objectContaining({ type: 'raise', subject: 'm1' })]);
  });
});
