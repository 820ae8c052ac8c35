import { cloneBedState, initialBedState, type BedRuleState } from './bed-state';

function populated(): BedRuleState {
  const s = initialBedState('bed-1', {
    devices: [
      { id: 'm1', kind: 'mattress', lastSeenAt: 1_000 },
      { id: 'w1', kind: 'wearable', lastSeenAt: 2_000 },
    ],
  });
  s.lastEvaluatedAt = 3_000;
  s.presence = { inBed: false, changedAt: 2_500, absentSince: 2_500, sourceDeviceId: 'm1' };
  s.vitals['heartRate@m1'] = {
    value: 130,
    at: 2_900,
    acceptedAt: 2_900,
    majorSince: 2_000,
    criticalSince: null,
    clearSince: null,
    majorSamples: 3,
    criticalSamples: 0,
    jumpSince: null,
    jumpValue: null,
    jumpSamples: 0,
    ignoredReason: null,
    ignoredAt: null,
  };
  s.fall = { detectedAt: 2_800, deviceId: 'w1', eventId: 'e-1', motionless: true, detections: 2 };
  s.episodes.sos = {
    kind: 'sos',
    subject: null,
    key: 'bed-1/sos/1',
    startedAt: 1,
    raisedAt: 1,
    severity: 'critical',
    repeatCount: 0,
    repeatedFrom: null,
    suppressed: false,
    resolvedAt: null,
    cancelledAt: null,
  };
  s.silence = { since: 0, until: 10_000, actor: 'u1', note: 'maintenance' };
  s.seenEventIds = ['m1/e-0', 'w1/e-1'];
  s.timers = { 'fall.escalate': 5_000, 'presence.absence': 9_000 };
  return s;
}

describe('cloneBedState', () => {
  it('is equal to the original, like structuredClone (id-keyed records become null-prototype)', () => {
    const s = populated();
    const c = cloneBedState(s);
    expect(c).toEqual(structuredClone(s));
    expect(JSON.stringify(c)).toBe(JSON.stringify(s));
    expect(Object.getPrototypeOf(c.devices)).toBeNull();
    const empty = initialBedState('bed-2');
    expect(cloneBedState(empty)).toEqual(structuredClone(empty));
  });

  it('shares nothing mutable with the original', () => {
    const s = populated();
    const before = structuredClone(s);
    const c = cloneBedState(s);
    c.devices.m1.online = false;
    c.devices.x = { ...c.devices.m1 };
    c.presence.inBed = true;
    c.vitals['heartRate@m1'].majorSince = null;
    c.fall!.detections = 9;
    c.episodes.sos.resolvedAt = 1;
    c.silence!.until = 0;
    c.seenEventIds.push('x');
    c.timers.x = 1;
    expect(s).toStrictEqual(before);
  });
});
