import { BedHarness } from '../testing/bed-harness';

describe('low-battery rule', () => {
  it.each`
    battery | fires
    ${15}   | ${true}
    ${3}    | ${true}
    ${16}   | ${false}
  `('battery $battery% -> fires=$fires (warning)', ({ battery, fires }) => {
    const bed = new BedHarness({ devices: [{ id: 'w1', kind: 'wearable' }] });
    bed.wearable({ battery });
    expect(bed.raises('low_battery')).toEqual(
      fires ? [expect.objectContaining({ severity: 'warning', subject: 'w1' })] : [],
    );
  });

  it('clears only at threshold + margin (20 %), not on jitter', () => {
    const bed = new BedHarness({ devices: [{ id: 'w1', kind: 'wearable' }] });
    bed.wearable({ battery: 14 });
    bed.wearable({ battery: 16 });
    bed.wearable({ battery: 14 });
    bed.wearable({ battery: 19 });
    expect(bed.log.map((a) => a.type)).toEqual(['raise']);
    expect(bed.wearable({ battery: 20 })).toEqual([expect.objectContaining({ type: 'clear', kind: 'low_battery' })]);
  });

  it('reads battery from device status too', () => {
    const bed = new BedHarness({ devices: [{ id: 'b1', kind: 'button' }] });
    expect(bed.send({ type: 'status', deviceId: 'b1', online: true, battery: 10 })).toEqual([
      expect.objectContaining({ type: 'raise', kind: 'low_battery', subject: 'b1' }),
    ]);
  });
});
