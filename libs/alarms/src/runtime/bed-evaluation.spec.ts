import { DEFAULT_RULE_SET, evaluate, initialBedState, type RaiseAction, type RuleAction } from '@bedside/rules';
import {
  dueEscalations,
  loneAlarmWrite,
  movesReadingsOnly,
  runInputs,
  sightings,
  silentDevices,
} from './bed-evaluation';

describe('bed evaluation', () => {
  const t0 = Date.UTC(2026, 10, 22, 3);
  const mattress = (ts: number, sample: Record<string, unknown>) =>
    ({ type: 'telemetry', deviceId: 'm1', deviceKind: 'mattress', ts, ...sample }) as never;
  const bed = () =>
    evaluate(
      DEFAULT_RULE_SET,
      initialBedState('bed-1', { devices: [{ id: 'm1', kind: 'mattress', lastSeenAt: t0 }] }),
      { type: 'tick' },
      t0,
    ).state;

  it('runs several inputs in order, as one evaluation after another', () => {
    const a = mattress(t0 + 1000, { inBed: true, heartRate: 62, respirationRate: 14, signalQuality: 95 });
    const b = mattress(t0 + 2000, { inBed: false });
    const both = runInputs(DEFAULT_RULE_SET, bed(), [a, b], t0 + 2000);
    const first = evaluate(DEFAULT_RULE_SET, bed(), a, t0 + 2000);
    const second = evaluate(DEFAULT_RULE_SET, first.state, b, t0 + 2000);
    expect(both.state).toEqual(second.state);
    expect(both.actions).toEqual([...first.actions, ...second.actions]);
  });

  it('keeps a normal sample in memory, and writes when a condition starts', () => {
    const s = runInputs(
      DEFAULT_RULE_SET,
      bed(),
      [mattress(t0 + 1000, { inBed: true, heartRate: 62, respirationRate: 14, signalQuality: 95 })],
      t0 + 1000,
    ).state;
    const normal = runInputs(
      DEFAULT_RULE_SET,
      s,
      [mattress(t0 + 2000, { inBed: true, heartRate: 63, respirationRate: 14, signalQuality: 95 })],
      t0 + 2000,
    );
    expect(movesReadingsOnly(s, normal)).toBe(true);
    const left = runInputs(DEFAULT_RULE_SET, s, [mattress(t0 + 2000, { inBed: false })], t0 + 2000);
    expect(movesReadingsOnly(s, left)).toBe(false);
    expect(movesReadingsOnly(s, { state: s, actions: [{ type: 'ignored' } as RuleAction] })).toBe(false);
  });

  it('finds a lone raise or update only when it is the only action', () => {
    const raise = { type: 'raise', key: 'sos:1' } as RaiseAction;
    const update = { type: 'update', key: 'sos:1' } as RuleAction;
    const clear = { type: 'clear', key: 'x' } as RuleAction;
    expect(loneAlarmWrite([raise])).toBe(raise);
    expect(loneAlarmWrite([update])).toBe(update);
    expect(loneAlarmWrite([raise, clear])).toBeNull();
    expect(loneAlarmWrite([update, update])).toBeNull();
    expect(loneAlarmWrite([clear])).toBeNull();
    expect(loneAlarmWrite([{ type: 'ignored' } as RuleAction])).toBeNull();
    expect(loneAlarmWrite([])).toBeNull();
  });

  it('lists the escalations due at now', () => {
    const escalations = new Map([
      ['a', t0],
      ['b', t0 + 1],
      ['c', t0 - 5],
    ]);
    expect(dueEscalations(escalations, t0)).toEqual(['a', 'c']);
    expect(dueEscalations(new Map(), t0)).toEqual([]);
  });

  it('finds the devices past their silence limit and turns stored last-seen instants into sightings before it', () => {
    const limit = t0 + DEFAULT_RULE_SET.deviceOffline.silentAfterMs;
    const state = initialBedState('bed-1', {
      devices: [
        { id: 'm1', kind: 'mattress', lastSeenAt: t0 },
        { id: 'w1', kind: 'wearable', lastSeenAt: t0 + 60_000 },
      ],
    });
    expect(silentDevices(state, DEFAULT_RULE_SET, limit - 1)).toEqual([]);
    const silent = silentDevices(state, DEFAULT_RULE_SET, limit);
    expect(silent).toEqual([{ deviceId: 'm1', lastSeenAt: t0, limit }]);
    // Stored later than the bed knows: a sighting; stored at or after the limit: just before it.
    expect(sightings(silent, new Map([['m1', t0 + 30_000]]))).toEqual([
      { type: 'device.seen', deviceId: 'm1', at: t0 + 30_000 },
    ]);
    expect(sightings(silent, new Map([['m1', limit + 5_000]]))).toEqual([
      { type: 'device.seen', deviceId: 'm1', at: limit - 1 },
    ]);
    // Stored no later than what the bed knows, or not at all: nothing.
    expect(sightings(silent, new Map([['m1', t0]]))).toEqual([]);
    expect(sightings(silent, new Map())).toEqual([]);
  });
});
