import { BedHarness, HOUR, MINUTE, SECOND } from '../testing/bed-harness';

describe('maintenance silence', () => {
  it('marks episodes raised while silenced as suppressed', () => {
    const bed = new BedHarness({ devices: [{ id: 'b1', kind: 'button' }] });
    bed.send({ type: 'silence', until: bed.now + HOUR, actor: 'installer:7', note: 'mattress swap' });
    expect(bed.event('button.pressed')).toEqual([
      expect.objectContaining({ type: 'raise', kind: 'sos', suppressed: true }),
    ]);
    expect(bed.event('button.pressed')).toEqual([expect.objectContaining({ type: 'update', suppressed: true })]);
  });

  it('re-raises a condition still present when the silence ends; drops suppressed event episodes', () => {
    const bed = new BedHarness({
      devices: [
        { id: 'm1', kind: 'mattress' },
        { id: 'b1', kind: 'button' },
      ],
    });
    const until = bed.now + 10 * MINUTE;
    bed.send({ type: 'silence', until });
    bed.event('button.pressed');
    bed.holdMattress({ inBed: true, heartRate: 150 }, 30 * SECOND);
    const [suppressedHr] = bed.raises('heart_rate');
    expect(suppressedHr).toMatchObject({ suppressed: true });
    bed.holdMattress({ inBed: true, heartRate: 150 }, 10 * MINUTE);
    const hr = bed.raises('heart_rate');
    expect(hr).toHaveLength(2);
    expect(hr[1]).toMatchObject({
      suppressed: false,
      at: until,
      reason: 'still_active_after_silence',
      severity: 'critical',
      details: { suppressedKey: suppressedHr.key },
    });
    expect(bed.raises('sos')).toHaveLength(1);
    expect(bed.state.episodes['sos']).toBeUndefined();
  });

  it('does not alter the lifecycle of an alarm raised before the silence', () => {
    const bed = new BedHarness({ devices: [{ id: 'b1', kind: 'button' }] });
    bed.event('button.pressed');
    bed.send({ type: 'silence', until: bed.now + HOUR });
    expect(bed.event('button.pressed')).toEqual([expect.objectContaining({ type: 'update', suppressed: false })]);
  });

  it('exempt kinds still alert', () => {
    const bed = new BedHarness({
      devices: [{ id: 'b1', kind: 'button' }],
      overrides: { maintenance: { exemptKinds: ['sos'] } },
    });
    bed.send({ type: 'silence', until: bed.now + HOUR });
    expect(bed.event('button.pressed')).toEqual([expect.objectContaining({ suppressed: false })]);
    expect(bed.event('tamper')).toEqual([expect.objectContaining({ suppressed: true })]);
  });

  it('ends early with until=null and stops being silenced at `until`', () => {
    const bed = new BedHarness({ devices: [{ id: 'b1', kind: 'button' }] });
    bed.send({ type: 'silence', until: bed.now + HOUR });
    bed.send({ type: 'silence', until: null });
    expect(bed.state.silence).toBeNull();
    bed.send({ type: 'silence', until: bed.now + MINUTE });
    bed.advance(MINUTE);
    expect(bed.event('button.pressed')).toEqual([expect.objectContaining({ suppressed: false })]);
  });
});
