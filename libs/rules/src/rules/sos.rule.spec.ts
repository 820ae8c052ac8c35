import { BedHarness, SECOND } from '../testing/bed-harness';

const buttonBed = (overrides = {}) => new BedHarness({ devices: [{ id: 'b1', kind: 'button' }], overrides });

describe('SOS rule', () => {
  it('raises critical at once on a press', () => {
    const bed = buttonBed();
    expect(bed.event('button.pressed', 'b1', { eventId: 'e1' })).toEqual([
      expect.objectContaining({
        type: 'raise',
        kind: 'sos',
        severity: 'critical',
        startedAt: bed.now,
        key: `bed-1:sos:${bed.now}`,
        reason: 'sos_pressed',
      }),
    ]);
  });

  it('a second press while open updates the same alarm and counts it', () => {
    const bed = buttonBed();
    const [raise] = bed.event('button.pressed', 'b1', { eventId: 'e1' });
    bed.advance(20 * SECOND);
    const second = bed.event('button.pressed', 'b1', { eventId: 'e2' });
    bed.advance(20 * SECOND);
    const third = bed.event('button.pressed', 'b1', { eventId: 'e3' });
    expect(second).toEqual([
      expect.objectContaining({
        type: 'update',
        key: raise.key,
        repeatCount: 1,
        severity: 'critical',
        reason: 'sos_repeat',
        details: expect.objectContaining({ presses: 2 }),
      }),
    ]);
    expect(third).toEqual([
      expect.objectContaining({
        type: 'update',
        key: raise.key,
        repeatCount: 2,
        details: expect.objectContaining({ presses: 3 }),
      }),
    ]);
  });

  it('a second press raises severity when the first press is configured lower', () => {
    const bed = buttonBed({ sos: { severity: 'major' } });
    bed.event('button.pressed');
    expect(bed.event('button.pressed')).toEqual([
      expect.objectContaining({ type: 'update', previousSeverity: 'major', severity: 'critical' }),
    ]);
  });

  it('a redelivered press (same event id) is not counted again', () => {
    const bed = buttonBed();
    bed.event('button.pressed', 'b1', { eventId: 'e1' });
    expect(bed.event('button.pressed', 'b1', { eventId: 'e1' })).toEqual([]);
  });

  it('a cancel is recorded and the alarm stays open (a later press is a repeat)', () => {
    const bed = buttonBed();
    const [raise] = bed.event('button.pressed');
    expect(bed.event('button.cancelled')).toEqual([
      expect.objectContaining({ type: 'cancelled', kind: 'sos', key: raise.key, raised: true }),
    ]);
    expect(bed.event('button.pressed')).toEqual([expect.objectContaining({ type: 'update', key: raise.key })]);
  });

  it('a cancel with no open call is still recorded', () => {
    const bed = buttonBed();
    expect(bed.event('button.cancelled')).toEqual([expect.objectContaining({ type: 'cancelled', raised: false })]);
  });

  it('after the operator resolves it, the next press raises a new alarm', () => {
    const bed = buttonBed();
    const [first] = bed.event('button.pressed');
    bed.advance(5 * 60 * SECOND);
    bed.send({ type: 'alarm.resolved', kind: 'sos', key: first.key });
    const [second] = bed.event('button.pressed');
    expect(second).toMatchObject({ type: 'raise', kind: 'sos' });
    expect(second.key).not.toBe(first.key);
  });

  it('ignores a stale resolve for another episode', () => {
    const bed = buttonBed();
    bed.event('button.pressed');
    bed.send({ type: 'alarm.resolved', kind: 'sos', key: 'bed-1:sos:1' });
    expect(bed.event('button.pressed')).toEqual([expect.objectContaining({ type: 'update' })]);
  });

  it('does nothing when disabled', () => {
    const bed = buttonBed({ sos: { enabled: false } });
    expect(bed.event('button.pressed')).toEqual([]);
  });
});
