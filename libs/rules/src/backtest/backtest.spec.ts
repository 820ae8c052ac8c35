import { DEFAULT_RULE_SET } from '../config/default-rule-set';
import { mergeRuleSets } from '../config/merge-rule-set';
import type { RuleInput } from '../model/rule-input';
import { initialBedState } from '../model/bed-state';
import { BedHarness, localTime, MINUTE, NOON_SHANGHAI, SECOND, series } from '../testing/bed-harness';
import { backtest, type TimedInput } from './backtest';

const T = localTime('Asia/Shanghai', '2025-01-15T23:00');
const mattress = (extra: object): RuleInput => ({
  type: 'telemetry',
  deviceKind: 'mattress',
  deviceId: 'm1',
  ...extra,
});

/** A night: in bed, gets up at 23:00, back at 23:30; a fall at 23:40 not cancelled; the mattress reports each minute. */
function night(): TimedInput[] {
  const inputs: TimedInput[] = [];
  for (let m = 0; m <= 60; m++) {
    inputs.push({
      at: T - 5 * MINUTE + m * MINUTE,
      input: mattress({ inBed: m < 5 || m >= 35, heartRate: 60, respirationRate: 14, signalQuality: 90 }),
    });
  }
  inputs.push({
    at: T + 40 * MINUTE + 1,
    input: { type: 'event', deviceId: 'w1', deviceKind: 'wearable', event: 'fall.detected' },
  });
  return inputs.sort((a, b) => a.at - b.at);
}

describe('backtest', () => {
  it('replays inputs and injects ticks so timers fire between them', () => {
    const result = backtest(DEFAULT_RULE_SET, night(), { bedId: 'bed-1' });
    expect(result.alarms.map((a) => [a.kind, a.severity, a.raisedAt])).toEqual([
      ['bed_exit', 'major', T + 20 * MINUTE],
      ['fall', 'critical', T + 40 * MINUTE + 1 + 30 * SECOND],
      // The wearable sent the fall and then nothing: silent for 5 min, so offline too.
      ['device_offline', 'minor', T + 45 * MINUTE + 1],
    ]);
    expect(result.alarms[0]).toMatchObject({ clearedAt: T + 30 * MINUTE + 30 * SECOND, startedAt: T });
    expect(result.ticks).toBeGreaterThan(0);
  });

  it('shows what a rule change would have done', () => {
    const lenient = mergeRuleSets(DEFAULT_RULE_SET, { bedExit: { returnWithinMs: 45 * MINUTE } });
    expect(backtest(lenient, night(), { bedId: 'bed-1' }).alarms.map((a) => a.kind)).toEqual([
      'fall',
      'device_offline',
    ]);
  });

  it('keeps ticking until `until` so trailing timers fire', () => {
    const inputs: TimedInput[] = [{ at: T, input: mattress({ inBed: true }) }];
    expect(backtest(DEFAULT_RULE_SET, inputs, { bedId: 'bed-1' }).alarms).toEqual([]);
    const result = backtest(DEFAULT_RULE_SET, inputs, { bedId: 'bed-1', until: T + 10 * MINUTE });
    expect(result.alarms).toEqual([expect.objectContaining({ kind: 'device_offline', raisedAt: T + 5 * MINUTE })]);
    expect(result.state.lastEvaluatedAt).toBe(T + 10 * MINUTE);
  });

  it('rejects inputs out of time order', () => {
    const inputs: TimedInput[] = [
      { at: T, input: { type: 'tick' } },
      { at: T - 1, input: { type: 'tick' } },
    ];
    expect(() => backtest(DEFAULT_RULE_SET, inputs, { bedId: 'bed-1' })).toThrow(RangeError);
  });

  it('reports suppressed and cancelled outcomes', () => {
    const inputs: TimedInput[] = [
      { at: T, input: { type: 'silence', until: T + MINUTE } },
      { at: T + 1, input: { type: 'event', deviceId: 'b1', event: 'button.pressed' } },
      { at: T + 2, input: { type: 'event', deviceId: 'b1', event: 'button.cancelled' } },
    ];
    expect(backtest(DEFAULT_RULE_SET, inputs, { bedId: 'bed-1' }).alarms).toEqual([
      expect.objectContaining({ kind: 'sos', suppressed: true, cancelledAt: T + 2 }),
    ]);
  });

  it('judges holds like the live engine: stored samples replayed at their ts give the live verdict of an upload', () => {
    // 2 minutes of 1 Hz mattress samples, uploaded in one message live; 90 s of HR 36 and a settling run.
    const samples = [
      ...series({ deviceKind: 'mattress' }, NOON_SHANGHAI + SECOND, SECOND, 10, () => ({ inBed: false })),
      ...series({ deviceKind: 'mattress' }, NOON_SHANGHAI + 11 * SECOND, SECOND, 200, (i) => ({
        inBed: true,
        heartRate: i < 20 ? 0 : i >= 70 && i < 160 ? 36 : 62,
        respirationRate: 14,
        signalQuality: 90,
      })),
    ];
    const live = new BedHarness();
    live.deliver(samples, { uploadEveryMs: 2 * MINUTE });
    const replayed = backtest(
      DEFAULT_RULE_SET,
      samples.map((input) => ({ at: input.ts, input })),
      {
        bedId: 'bed-1',
        initialState: initialBedState('bed-1', {
          devices: [{ id: 'm1', kind: 'mattress', lastSeenAt: NOON_SHANGHAI }],
        }),
      },
    );
    const liveRaises = live.raises('heart_rate');
    expect(liveRaises).toHaveLength(1);
    expect(replayed.alarms.map((a) => [a.key, a.startedAt])).toEqual(liveRaises.map((a) => [a.key, a.startedAt]));
    expect(replayed.ignored).toEqual([
      expect.objectContaining({
        kind: 'heart_rate',
        reason: 'ignored_settling',
        deviceId: 'm1',
        startedAt: NOON_SHANGHAI + 11 * SECOND,
      }),
    ]);
    expect(live.ofType('ignored').map((a) => a.key)).toEqual(
      replayed.actions.filter((a) => a.type === 'ignored').map((a) => a.key),
    );
  });
});
