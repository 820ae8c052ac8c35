import { BedHarness, MINUTE, SECOND } from '../testing/bed-harness';

describe('device-offline rule', () => {
  it('raises minor when a device is silent for 5 min, on a tick at exactly that time', () => {
    const bed = new BedHarness();
    const lastSeen = bed.now;
    bed.mattress({ inBed: true });
    expect(bed.advance(5 * MINUTE - 1)).toEqual([]);
    expect(bed.advance(1)).toEqual([
      expect.objectContaining({
        type: 'raise',
        kind: 'device_offline',
        subject: 'm1',
        severity: 'minor',
        startedAt: lastSeen + 5 * MINUTE,
        reason: 'offline_silent',
      }),
    ]);
  });

  it.each`
    lastWill | reason
    ${true}  | ${'offline_last_will'}
    ${false} | ${'offline_status'}
  `(
    'raises on an offline status (lastWill=$lastWill) once the device has stayed offline for the grace',
    ({ lastWill, reason }) => {
      const bed = new BedHarness();
      const droppedAt = bed.now;
      expect(bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill })).toEqual([]);
      expect(bed.advance(MINUTE - 1)).toEqual([]);
      expect(bed.state.devices['m1'].online).toBe(true);
      expect(bed.advance(1)).toEqual([
        expect.objectContaining({ type: 'raise', kind: 'device_offline', reason, startedAt: droppedAt }),
      ]);
    },
  );

  it('measures silence from an instant another hub stored, never bringing an offline device back', () => {
    const bed = new BedHarness();
    bed.mattress({ inBed: true });
    expect(bed.advance(4 * MINUTE)).toEqual([]);
    // Heard from by another hub a minute ago: the silence limit moves to that instant + 5 min.
    expect(bed.send({ type: 'device.seen', deviceId: 'm1', at: bed.now - MINUTE })).toEqual([]);
    expect(bed.advance(4 * MINUTE - 1)).toEqual([]);
    expect(bed.advance(1)).toEqual([expect.objectContaining({ type: 'raise', reason: 'offline_silent' })]);
    // An instant stored before it went offline brings nothing back.
    bed.send({ type: 'device.seen', deviceId: 'm1', at: bed.now - 1 });
    expect(bed.state.devices['m1'].online).toBe(false);
    // Nor does an older instant move the limit back, or one for a device the bed does not know.
    expect(bed.send({ type: 'device.seen', deviceId: 'nobody', at: bed.now })).toEqual([]);
    expect(bed.state.devices['nobody']).toBeUndefined();
  });

  it('takes a sighting at its own instant when the silence timer ran late, so the limit does not fire first', () => {
    const bed = new BedHarness();
    bed.mattress({ inBed: true });
    const limit = bed.now + 5 * MINUTE;
    // The timer runs 2 s late; another hub heard the device 1 min before the limit.
    bed.clock.set(limit + 2 * SECOND);
    expect(bed.send({ type: 'device.seen', deviceId: 'm1', at: limit - MINUTE })).toEqual([]);
    expect(bed.send({ type: 'tick' })).toEqual([]);
    expect(bed.state.devices['m1'].lastSeenAt).toBe(limit - MINUTE);
    expect(bed.advanceTo(limit + 4 * MINUTE - 1)).toEqual([]);
    expect(bed.advance(1)).toEqual([expect.objectContaining({ type: 'raise', reason: 'offline_silent' })]);
  });

  it('raises at once with no grace', () => {
    const bed = new BedHarness({ overrides: { deviceOffline: { graceMs: 0 } } });
    expect(bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true })).toEqual([
      expect.objectContaining({ type: 'raise', kind: 'device_offline' }),
    ]);
  });

  it('raises nothing for a connection that drops every 10 s and returns 2 s later', () => {
    const bed = new BedHarness();
    for (let i = 0; i < 12; i++) {
      bed.advance(8 * SECOND);
      bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
      bed.advance(2 * SECOND);
      bed.send({ type: 'status', deviceId: 'm1', online: true });
      bed.mattress({ inBed: true, heartRate: 70 });
    }
    bed.advance(2 * MINUTE);
    expect(bed.raises('device_offline')).toEqual([]);
    // Never offline, so never warming up again: its readings kept counting.
    expect(bed.state.devices['m1']).toMatchObject({ online: true, disconnectedAt: null });
    expect(bed.state.vitals['heart_rate@m1']).toMatchObject({ value: 70 });
  });

  it('raises one alarm for a connection that stays away past the grace again and again, cleared once it stays back', () => {
    const bed = new BedHarness();
    for (let i = 0; i < 5; i++) {
      bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
      bed.advance(90 * SECOND);
      bed.send({ type: 'status', deviceId: 'm1', online: true });
      bed.advance(10 * SECOND);
    }
    expect(bed.raises('device_offline')).toHaveLength(1);
    expect(bed.ofType('clear', 'device_offline')).toHaveLength(0);
    // Each later drop past the grace is a repeat of the open alarm, counted once.
    const repeats = bed.ofType('update', 'device_offline');
    expect(repeats.map((a) => [a.reason, a.repeatCount, a.details.repeat])).toEqual([
      ['offline_repeat', 1, 1],
      ['offline_repeat', 2, 2],
      ['offline_repeat', 3, 3],
      ['offline_repeat', 4, 4],
    ]);
    expect(repeats[0]).toMatchObject({
      subject: 'm1',
      severity: 'minor',
      details: { deviceId: 'm1', deviceKind: 'mattress', offlineReason: 'offline_last_will' },
    });
    expect(bed.state.episodes['device_offline:m1'].repeatCount).toBe(4);
    const backAt = bed.now - 10 * SECOND;
    expect(bed.advance(MINUTE)).toEqual([
      expect.objectContaining({ type: 'clear', kind: 'device_offline', reason: 'back_online', at: backAt + MINUTE }),
    ]);
  });

  it('counts a drop within the grace as nothing and a silence past the limit as a repeat', () => {
    const bed = new BedHarness({ overrides: { deviceOffline: { clearAfterMs: 10 * MINUTE } } });
    bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
    bed.advance(2 * MINUTE);
    bed.mattress({ inBed: true });
    // Gone for less than the grace: not offline, so no repeat.
    bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
    bed.advance(10 * SECOND);
    bed.mattress({ inBed: true });
    expect(bed.ofType('update', 'device_offline')).toEqual([]);
    const lastSeen = bed.now;
    // Back for less than clearAfterMs, then silent: offline again at the silence limit.
    bed.advance(5 * MINUTE);
    expect(bed.ofType('update', 'device_offline')).toEqual([
      expect.objectContaining({
        reason: 'offline_repeat',
        repeatCount: 1,
        at: lastSeen + 5 * MINUTE,
        details: expect.objectContaining({ offlineReason: 'offline_silent', offlineSince: lastSeen + 5 * MINUTE }),
      }),
    ]);
    // Staying offline counts nothing more.
    bed.advance(30 * MINUTE);
    expect(bed.ofType('update', 'device_offline')).toHaveLength(1);
    expect(bed.raises('device_offline')).toHaveLength(1);
  });

  it('counts the same repeats when the inputs are replayed from a saved state', () => {
    const bed = new BedHarness();
    bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
    bed.advance(90 * SECOND);
    bed.send({ type: 'status', deviceId: 'm1', online: true });
    bed.advance(10 * SECOND);
    const saved = JSON.parse(JSON.stringify(bed.state)) as typeof bed.state;
    bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
    const first = bed.advance(90 * SECOND);
    bed.state = saved;
    bed.clock.set(bed.now - 90 * SECOND);
    bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
    const again = bed.advance(90 * SECOND);
    expect(first).toEqual([expect.objectContaining({ type: 'update', reason: 'offline_repeat', repeatCount: 1 })]);
    expect(again).toEqual(first);
  });

  it('clears once the device has stayed back for clearAfterMs, and does not raise twice while offline', () => {
    const bed = new BedHarness();
    bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
    bed.advance(30 * MINUTE);
    expect(bed.raises('device_offline')).toHaveLength(1);
    expect(bed.mattress({ inBed: true })).toEqual([]);
    expect(bed.advance(MINUTE)).toEqual([
      expect.objectContaining({
        type: 'clear',
        kind: 'device_offline',
        reason: 'back_online',
        // What a console needs to word the note itself: which kind of device is back.
        details: expect.objectContaining({ deviceId: 'm1', deviceKind: 'mattress' }),
      }),
    ]);
  });

  it('clears on the next message with clearAfterMs 0', () => {
    const bed = new BedHarness({ overrides: { deviceOffline: { clearAfterMs: 0 } } });
    bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
    bed.advance(30 * MINUTE);
    expect(bed.mattress({ inBed: true })).toEqual([
      expect.objectContaining({ type: 'clear', kind: 'device_offline', reason: 'back_online' }),
    ]);
  });

  it('forgets a device removed from the bed: its silence raises nothing, its open alarm clears', () => {
    const bed = new BedHarness({
      devices: [
        { id: 'm1', kind: 'mattress' },
        { id: 'b1', kind: 'button' },
      ],
    });
    bed.send({ type: 'status', deviceId: 'b1', online: false, lastWill: true });
    bed.advance(MINUTE);
    expect(bed.send({ type: 'device.removed', deviceId: 'b1' })).toEqual([
      expect.objectContaining({ type: 'clear', kind: 'device_offline', subject: 'b1', reason: 'device_removed' }),
    ]);
    bed.mattress({ inBed: true });
    bed.advance(4 * MINUTE);
    bed.mattress({ inBed: true });
    expect(bed.advance(10 * MINUTE).filter((a) => a.subject === 'b1')).toEqual([]);
    expect(bed.send({ type: 'device.removed', deviceId: 'b1' })).toEqual([]); // unknown by now: nothing to do
  });

  it('keeps one episode per device', () => {
    const bed = new BedHarness({
      devices: [
        { id: 'm1', kind: 'mattress' },
        { id: 'b1', kind: 'button' },
      ],
    });
    bed.advance(5 * MINUTE);
    expect(
      bed
        .raises('device_offline')
        .map((a) => a.subject)
        .sort(),
    ).toEqual(['b1', 'm1']);
  });

  it('inhibits vital signs while offline and applies the warm-up after it comes back', () => {
    const bed = new BedHarness();
    bed.holdMattress({ inBed: true, heartRate: 150 }, 20 * SECOND);
    bed.send({ type: 'status', deviceId: 'm1', online: false });
    bed.advance(MINUTE);
    bed.send({ type: 'status', deviceId: 'm1', online: true });
    bed.holdMattress({ inBed: true, heartRate: 150 }, 59 * SECOND);
    expect(bed.raises('heart_rate')).toHaveLength(0);
    const backAt = bed.now - 59 * SECOND;
    bed.holdMattress({ inBed: true, heartRate: 150 }, 40 * SECOND);
    // First trusted sample is the one at backAt + 64 s (samples every 5 s, warm-up 60 s; the mattress
    // settles for 60 s in event time from its first in-bed sample back, at backAt, so that ends first).
    expect(bed.raises('heart_rate')).toEqual([expect.objectContaining({ startedAt: backAt + 64 * SECOND })]);
  });

  it('still tracks offline (for inhibition) when the alarm is disabled', () => {
    const bed = new BedHarness({ overrides: { deviceOffline: { enabled: false } } });
    bed.mattress({ inBed: true });
    bed.advance(10 * MINUTE);
    expect(bed.raises()).toHaveLength(0);
    expect(bed.state.devices['m1'].online).toBe(false);
  });
});
