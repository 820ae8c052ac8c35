import { DEFAULT_RULE_SET } from '../config/default-rule-set';
import { initialBedState, type BedRuleState } from '../model/bed-state';
import type { RuleAction } from '../model/rule-action';
import type { RuleInput } from '../model/rule-input';
import { BedHarness, localTime, MINUTE, SECOND } from '../testing/bed-harness';
import { ManualClock } from '../time/manual-clock';
import { evaluate, evaluateWithClock, nextDeadline } from './evaluate';

const T = localTime('Asia/Shanghai', '2025-01-15T22:50');

/** A busy night: vitals, absence, a fall with a cancel window, a silence, a button, a wearable. */
const SCRIPT: Array<[number, RuleInput]> = [
  [
    T,
    {
      type: 'telemetry',
      deviceKind: 'mattress',
      deviceId: 'm1',
      inBed: true,
      heartRate: 62,
      respirationRate: 14,
      signalQuality: 90,
    },
  ],
  [
    T + 1 * SECOND,
    { type: 'telemetry', deviceKind: 'wearable', deviceId: 'w1', heartRate: 64, spo2: 97, worn: true, battery: 40 },
  ],
  [
    T + 2 * MINUTE,
    {
      type: 'telemetry',
      deviceKind: 'mattress',
      deviceId: 'm1',
      inBed: true,
      heartRate: 150,
      respirationRate: 0,
      signalQuality: 90,
    },
  ],
  [
    T + 3 * MINUTE,
    {
      type: 'telemetry',
      deviceKind: 'mattress',
      deviceId: 'm1',
      inBed: true,
      heartRate: 150,
      respirationRate: 0,
      signalQuality: 90,
    },
  ],
  [T + 4 * MINUTE, { type: 'telemetry', deviceKind: 'mattress', deviceId: 'm1', inBed: false }],
  [T + 5 * MINUTE, { type: 'event', deviceId: 'w1', event: 'fall.detected', eventId: 'f1' }],
  [T + 6 * MINUTE, { type: 'silence', until: T + 8 * MINUTE, actor: 'installer:1' }],
  [T + 7 * MINUTE, { type: 'event', deviceId: 'b1', deviceKind: 'button', event: 'button.pressed', eventId: 'p1' }],
  [T + 9 * MINUTE, { type: 'telemetry', deviceKind: 'wearable', deviceId: 'w1', battery: 12, worn: true }],
  [T + 40 * MINUTE, { type: 'event', deviceId: 'b1', event: 'button.pressed', eventId: 'p2' }],
  [T + 41 * MINUTE, { type: 'event', deviceId: 'b1', event: 'button.cancelled', eventId: 'c1' }],
  [T + 45 * MINUTE, { type: 'status', deviceId: 'm1', online: true }],
  [T + 46 * MINUTE, { type: 'telemetry', deviceKind: 'mattress', deviceId: 'm1', inBed: true }],
];

/** Runs the script like the live service: ticks at each deadline, optionally through a JSON save/restore. */
function run(roundTrip: boolean): { actions: RuleAction[]; states: BedRuleState[] } {
  let state = initialBedState('bed-1');
  const actions: RuleAction[] = [];
  const states: BedRuleState[] = [];
  const step = (input: RuleInput, now: number) => {
    const result = evaluate(DEFAULT_RULE_SET, state, input, now);
    actions.push(...result.actions);
    state = roundTrip ? (JSON.parse(JSON.stringify(result.state)) as BedRuleState) : result.state;
    states.push(result.state);
  };
  for (const [at, input] of SCRIPT) {
    for (let d = nextDeadline(state); d !== null && d <= at; d = nextDeadline(state)) step({ type: 'tick' }, d);
    step(input, at);
  }
  for (let d = nextDeadline(state); d !== null && d <= T + 2 * 60 * MINUTE; d = nextDeadline(state))
    step({ type: 'tick' }, d);
  return { actions, states };
}

describe('evaluate', () => {
  it('state survives a JSON round trip at every step with identical results', () => {
    const direct = run(false);
    const restored = run(true);
    expect(restored.actions).toStrictEqual(direct.actions);
    // toEqual, not toStrictEqual: in memory the id-keyed records are null-prototype objects (newRecord).
    for (const state of direct.states) expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    // The script exercises most rules, so the round trip covers most state shapes.
    expect(new Set(direct.actions.map((a) => a.kind))).toEqual(
      new Set(['heart_rate', 'apnea', 'fall', 'sos', 'low_battery', 'device_offline']),
    );
  });

  it('never mutates the state it is given', () => {
    const state = deepFreeze(initialBedState('bed-1'));
    expect(() =>
      evaluate(DEFAULT_RULE_SET, state, { type: 'event', deviceId: 'b1', event: 'button.pressed' }, T),
    ).not.toThrow();
    expect(state.episodes).toEqual({});
  });

  describe('idempotency keys', () => {
    it('replaying the same input from the last saved state yields the same key (crash before the state was saved)', () => {
      const bed = new BedHarness();
      bed.holdMattress({ inBed: true, heartRate: 150 }, 25 * SECOND);
      const saved = JSON.stringify(bed.state);
      bed.clock.advance(5 * SECOND);
      const sample: RuleInput = {
        type: 'telemetry',
        deviceKind: 'mattress',
        deviceId: 'm1',
        inBed: true,
        heartRate: 150,
        ts: bed.now,
      };
      const first = bed.send(sample);
      const replay = evaluate(bed.ruleSet, JSON.parse(saved) as BedRuleState, sample, bed.now + 2 * SECOND);
      expect(first).toHaveLength(1);
      // Keys come from sample times, so a replay arriving later still yields the same key.
      expect(replay.actions.map((a) => a.key)).toStrictEqual(first.map((a) => a.key));
    });

    it('a late tick (e.g. after a restart) catches up in order: same actions, same keys, same instants', () => {
      const onTime = new BedHarness();
      onTime.mattress({ inBed: true, heartRate: 70 });
      const late = new BedHarness();
      late.mattress({ inBed: true, heartRate: 70 });
      const a = onTime.advance(10 * MINUTE);
      late.clock.advance(10 * MINUTE);
      const b = late.send({ type: 'tick' });
      expect(b).toStrictEqual(a);
      expect(b.map((x) => x.kind)).toEqual(['device_offline']);
      expect(b[0]).toMatchObject({ startedAt: onTime.now - 5 * MINUTE, at: onTime.now - 5 * MINUTE });
    });

    it('a redelivery after the state was saved raises nothing new', () => {
      const bed = new BedHarness({
        devices: [
          { id: 'm1', kind: 'mattress' },
          { id: 'b1', kind: 'button' },
        ],
      });
      bed.event('button.pressed', 'b1', { eventId: 'e1' });
      bed.holdMattress({ inBed: true, heartRate: 150 }, 30 * SECOND);
      expect(bed.event('button.pressed', 'b1', { eventId: 'e1' })).toEqual([]);
      expect(bed.mattress({ inBed: true, heartRate: 150 })).toEqual([]);
      expect(bed.raises()).toHaveLength(2);
    });

    it('is the same for one episode across its updates, clear and cancel', () => {
      const bed = new BedHarness({ devices: [{ id: 'b1', kind: 'button' }] });
      bed.event('button.pressed');
      bed.event('button.pressed');
      bed.event('button.cancelled');
      expect(new Set(bed.log.map((a) => a.key)).size).toBe(1);
    });
  });

  describe('nextDeadline', () => {
    it('is null for a fresh bed and the earliest pending timer otherwise', () => {
      expect(nextDeadline(initialBedState('bed-1'))).toBeNull();
      const bed = new BedHarness();
      const t = bed.now;
      bed.mattress({ inBed: true, heartRate: 130 });
      expect(nextDeadline(bed.state)).toBe(t + 5 * MINUTE);
      bed.clock.advance(10 * SECOND);
      bed.mattress({ inBed: true, heartRate: 150 });
      // Vital-sign holds are judged on samples, so they arm no timer.
      expect(bed.state.timers).toEqual({ 'device:m1:silent': t + 10 * SECOND + 5 * MINUTE });
      bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
      expect(nextDeadline(bed.state)).toBe(t + 10 * SECOND + MINUTE);
    });

    it('is always after the last evaluation, so a scheduler always moves forward', () => {
      const { states } = run(false);
      for (const s of states) {
        const d = nextDeadline(s);
        if (d !== null) expect(d).toBeGreaterThan(s.lastEvaluatedAt!);
      }
    });
  });

  it('treats a now earlier than the last evaluation as the last evaluation', () => {
    const first = evaluate(DEFAULT_RULE_SET, initialBedState('bed-1'), { type: 'tick' }, T);
    const second = evaluate(
      DEFAULT_RULE_SET,
      first.state,
      { type: 'event', deviceId: 'b1', event: 'button.pressed' },
      T - MINUTE,
    );
    expect(second.actions[0]).toMatchObject({ at: T, startedAt: T });
  });

  it('evaluateWithClock reads the injected clock', () => {
    const clock = new ManualClock(T);
    const { actions } = evaluateWithClock(
      DEFAULT_RULE_SET,
      initialBedState('bed-1'),
      { type: 'event', deviceId: 'b1', event: 'button.pressed' },
      clock,
    );
    expect(actions[0]).toMatchObject({ at: T });
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
