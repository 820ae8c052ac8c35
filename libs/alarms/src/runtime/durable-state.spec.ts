import { cloneBedState, DEFAULT_RULE_SET, evaluate, initialBedState, type BedRuleState } from '@bedside/rules';
import { sameDurableState } from './durable-state';

describe('sameDurableState', () => {
  const t0 = Date.UTC(2026, 10, 22, 3); // 11:00 in Asia/Shanghai
  const mattress = (ts: number, sample: Record<string, unknown>) =>
    ({ type: 'telemetry', deviceId: 'm1', deviceKind: 'mattress', ts, ...sample }) as never;
  const steadyBed = () => {
    let s = initialBedState('bed-1', { devices: [{ id: 'm1', kind: 'mattress', lastSeenAt: t0 }] });
    s = evaluate(DEFAULT_RULE_SET, s, { type: 'tick' }, t0).state;
    return evaluate(
      DEFAULT_RULE_SET,
      s,
      mattress(t0 + 1000, { inBed: true, heartRate: 62, respirationRate: 14, signalQuality: 95 }),
      t0 + 1000,
    ).state;
  };

  it('ignores what every normal sample moves, and notices a condition becoming pending', () => {
    const s = steadyBed();
    const next = evaluate(
      DEFAULT_RULE_SET,
      s,
      mattress(t0 + 2000, { inBed: true, heartRate: 64, respirationRate: 15, signalQuality: 94 }),
      t0 + 2000,
    ).state;
    expect(next).not.toEqual(s);
    expect(sameDurableState(s, next)).toBe(true);
    const brady = evaluate(
      DEFAULT_RULE_SET,
      next,
      mattress(t0 + 3000, { inBed: true, heartRate: 38, respirationRate: 14, signalQuality: 94 }),
      t0 + 3000,
    ).state;
    expect(sameDurableState(next, brady)).toBe(false);
    const out = evaluate(DEFAULT_RULE_SET, next, mattress(t0 + 3000, { inBed: false }), t0 + 3000).state;
    expect(sameDurableState(next, out)).toBe(false);
  });

  const changes: [string, (s: BedRuleState) => void][] = [
    ['a device goes offline', (s) => void (s.devices.m1.online = false)],
    ['a device is added', (s) => void (s.devices.w1 = { ...s.devices.m1 })],
    ['a device is removed', (s) => void delete s.devices.m1],
    ['presence', (s) => void (s.presence.absentSince = 1)],
    [
      'a vital tier starts',
      (s) =>
        void (s.vitals['heartRate@m1'] = {
          value: 30,
          at: 1,
          acceptedAt: 1,
          majorSince: 1,
          criticalSince: null,
          clearSince: null,
          majorSamples: 1,
          criticalSamples: 0,
          jumpSince: null,
          jumpValue: null,
          jumpSamples: 0,
          ignoredReason: null,
          ignoredAt: null,
        }),
    ],
    [
      'a pending fall',
      (s) => void (s.fall = { detectedAt: 1, deviceId: 'w1', eventId: null, motionless: false, detections: 1 }),
    ],
    [
      'an episode',
      (s) =>
        void (s.episodes.sos = {
          kind: 'sos',
          subject: null,
          key: 'k',
          startedAt: 1,
          raisedAt: 1,
          severity: 'critical',
          repeatCount: 0,
          suppressed: false,
          resolvedAt: null,
          cancelledAt: null,
        }),
    ],
    ['a silence', (s) => void (s.silence = { since: 0, until: 1, actor: null, note: null })],
    ['a new event id', (s) => void s.seenEventIds.push('m1/e1')],
    ['a timer armed', (s) => void (s.timers.other = 1)],
    ['a disconnect in its grace', (s) => void (s.devices.m1.disconnectedAt = 1)],
    ['someone lying down', (s) => void (s.devices.m1.inBedSince = 1)],
    ['a warm-up starting', (s) => void (s.devices.m1.warmupFromTs = null)],
  ];
  it.each(changes)('notices %s', (_what, change) => {
    const s = steadyBed();
    const c = cloneBedState(s);
    change(c);
    expect(sameDurableState(s, c)).toBe(false);
    expect(sameDurableState(c, s)).toBe(false);
  });

  it('ignores sliding readings and timer instants', () => {
    const s = steadyBed();
    const c = cloneBedState(s);
    c.devices.m1.lastSeenAt += 5000;
    c.devices.m1.lastSampleTs = (c.devices.m1.lastSampleTs ?? 0) + 5000;
    c.devices.m1.sampleIntervalMs = 1234;
    for (const k of Object.keys(c.timers)) c.timers[k] += 5000;
    for (const v of Object.values(c.vitals)) v.value = (v.value ?? 0) + 1;
    expect(sameDurableState(s, c)).toBe(true);
  });
});
