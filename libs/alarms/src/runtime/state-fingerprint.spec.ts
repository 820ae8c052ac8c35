import { DEFAULT_RULE_SET, evaluate, initialBedState } from '@bedside/rules';
import { stateFingerprint } from './state-fingerprint';

describe('stateFingerprint', () => {
  const t0 = Date.UTC(2026, 10, 22, 3); // 11:00 in Asia/Shanghai
  const mattress = (ts: number, sample: Record<string, unknown>) => ({ type: 'telemetry', deviceId: 'm1', deviceKind: 'mattress', ts, ...sample }) as never;

  it('ignores what every normal sample moves, and notices a condition becoming pending', () => {
    let s = initialBedState('bed-1', { devices: [{ id: 'm1', kind: 'mattress', lastSeenAt: t0 }] });
    s = evaluate(DEFAULT_RULE_SET, s, { type: 'tick' }, t0).state;
    s = evaluate(DEFAULT_RULE_SET, s, mattress(t0 + 1000, { inBed: true, heartRate: 62, respirationRate: 14, signalQuality: 95 }), t0 + 1000).state;
    const steady = stateFingerprint(s);
    const next = evaluate(DEFAULT_RULE_SET, s, mattress(t0 + 2000, { inBed: true, heartRate: 64, respirationRate: 15, signalQuality: 94 }), t0 + 2000).state;
    expect(stateFingerprint(next)).toBe(steady);
    const brady = evaluate(DEFAULT_RULE_SET, next, mattress(t0 + 3000, { inBed: true, heartRate: 38, respirationRate: 14, signalQuality: 94 }), t0 + 3000).state;
    expect(stateFingerprint(brady)).not.toBe(steady);
    const out = evaluate(DEFAULT_RULE_SET, next, mattress(t0 + 3000, { inBed: false }), t0 + 3000).state;
    expect(stateFingerprint(out)).not.toBe(steady);
  });
});
