import { BedHarness, MINUTE } from '../testing/bed-harness';

const wearableBed = () => new BedHarness({ devices: [{ id: 'w1', kind: 'wearable' }] });

describe('SpO2 rule', () => {
  it.each`
    spo2  | holdMs         | fires
    ${91} | ${MINUTE}      | ${true}
    ${85} | ${MINUTE}      | ${true}
    ${92} | ${10 * MINUTE} | ${false}
    ${90} | ${MINUTE - 1}  | ${false}
  `('$spo2 % held $holdMs ms -> fires=$fires (major)', ({ spo2, holdMs, fires }) => {
    const bed = wearableBed();
    bed.holdWearable({ spo2, worn: true }, holdMs);
    expect(bed.raises('spo2')).toEqual(
      fires ? [expect.objectContaining({ severity: 'major', reason: 'spo2_low' })] : [],
    );
  });

  it('clears only at >= 93 % (margin 2) held 60 s', () => {
    const bed = wearableBed();
    bed.holdWearable({ spo2: 89, worn: true }, MINUTE);
    bed.holdWearable({ spo2: 92, worn: true }, 5 * MINUTE);
    expect(bed.ofType('clear', 'spo2')).toHaveLength(0);
    bed.holdWearable({ spo2: 95, worn: true }, MINUTE);
    expect(bed.ofType('clear', 'spo2')).toHaveLength(1);
  });

  it('is suppressed while the wearable is not worn', () => {
    const bed = wearableBed();
    bed.wearable({ worn: false });
    bed.holdWearable({ spo2: 80 }, 5 * MINUTE);
    expect(bed.raises('spo2')).toHaveLength(0);
  });

  it('is suppressed while the wearable is warming up after coming online', () => {
    const bed = wearableBed();
    bed.send({ type: 'status', deviceId: 'w1', online: false });
    bed.advance(MINUTE); // past the disconnect grace: offline
    bed.send({ type: 'status', deviceId: 'w1', online: true });
    bed.holdWearable({ spo2: 85, worn: true }, MINUTE);
    expect(bed.raises('spo2')).toHaveLength(0);
    bed.holdWearable({ spo2: 85, worn: true }, MINUTE);
    expect(bed.raises('spo2')).toHaveLength(1);
  });
});
