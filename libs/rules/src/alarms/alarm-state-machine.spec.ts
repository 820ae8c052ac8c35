import { evaluate } from '../engine/evaluate';
import { DEFAULT_RULE_SET } from '../config/default-rule-set';
import { initialBedState } from '../model/bed-state';
import type { Severity } from '../model/severity';
import { AlarmDomainError } from './alarm-errors';
import {
  acknowledgeAlarm,
  applyRuleAction,
  autoResolveIfDue,
  compareAlarmsForQueue,
  escalateIfDue,
  markAlarmCleared,
  nextEscalationAt,
  raiseAlarm,
  recordAlarmRepeat,
  recordResidentCancel,
  resolveAlarm,
  type Alarm,
  type OperatorOutcome,
} from './alarm-state-machine';

const T = 1_700_000_000_000;
const raise = (severity: Severity = 'critical', at = T) =>
  raiseAlarm({ id: 'a1', bedId: 'bed-1', kind: 'sos', key: 'bed-1:sos:1', severity, at });
const acked = (severity: Severity = 'critical') =>
  acknowledgeAlarm(raise(severity), { at: T + 20_000, actor: 'user:op1' });

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AlarmDomainError);
    expect((err as AlarmDomainError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('alarm state machine', () => {
  it('raised -> acknowledged -> resolved, with an audit entry per transition', () => {
    const resolved = resolveAlarm(acked(), {
      at: T + 90_000,
      actor: 'user:op1',
      outcome: 'assisted',
      note: 'helped back to bed',
    });
    expect(resolved).toMatchObject({
      status: 'resolved',
      outcome: 'assisted',
      acknowledgedBy: 'user:op1',
      resolvedAt: T + 90_000,
    });
    expect(resolved.audit).toEqual([
      { at: T, actor: 'system', action: 'raise', from: null, to: 'raised', note: null },
      { at: T + 20_000, actor: 'user:op1', action: 'acknowledge', from: 'raised', to: 'acknowledged', note: null },
      {
        at: T + 90_000,
        actor: 'user:op1',
        action: 'resolve',
        from: 'acknowledged',
        to: 'resolved',
        note: 'helped back to bed',
      },
    ]);
  });

  it.each<[string, (a: Alarm) => unknown, () => Alarm]>([
    [
      'resolve without acknowledgement',
      (a) => resolveAlarm(a, { at: T + 1, actor: 'u', outcome: 'false_alarm' }),
      () => raise(),
    ],
    ['acknowledge twice', (a) => acknowledgeAlarm(a, { at: T + 30_000, actor: 'u' }), () => acked()],
    [
      'acknowledge a resolved alarm',
      (a) => acknowledgeAlarm(a, { at: T + 200_000, actor: 'u' }),
      () => resolveAlarm(acked(), { at: T + 100_000, actor: 'u', outcome: 'test' }),
    ],
    [
      'resolve twice',
      (a) => resolveAlarm(a, { at: T + 200_000, actor: 'u', outcome: 'test' }),
      () => resolveAlarm(acked(), { at: T + 100_000, actor: 'u', outcome: 'test' }),
    ],
    [
      'repeat on a resolved alarm',
      (a) => recordAlarmRepeat(a, { at: T + 200_000 }),
      () => resolveAlarm(acked(), { at: T + 100_000, actor: 'u', outcome: 'test' }),
    ],
  ])('%s throws ALARM_INVALID_TRANSITION', (_name, act, make) => {
    expectCode(() => act(make()), 'ALARM_INVALID_TRANSITION');
  });

  it.each(['real_emergency', 'assisted', 'false_alarm', 'test', 'cancelled_by_resident', 'device_fault'])(
    'accepts outcome %s',
    (outcome) => {
      expect(resolveAlarm(acked(), { at: T + 60_000, actor: 'u', outcome: outcome as OperatorOutcome }).outcome).toBe(
        outcome,
      );
    },
  );

  it('rejects unknown outcomes and the system-only auto_resolved', () => {
    expectCode(
      () => resolveAlarm(acked(), { at: T + 60_000, actor: 'u', outcome: 'oops' as never }),
      'ALARM_INVALID_OUTCOME',
    );
    expectCode(
      () => resolveAlarm(acked(), { at: T + 60_000, actor: 'u', outcome: 'auto_resolved' as never }),
      'ALARM_INVALID_OUTCOME',
    );
  });

  it('rejects a transition timestamped before the last audit entry', () => {
    expectCode(() => acknowledgeAlarm(raise(), { at: T - 1, actor: 'u' }), 'ALARM_TIME_REVERSED');
  });

  it('a cleared critical alarm still needs acknowledgement and is never auto-resolved', () => {
    const cleared = markAlarmCleared(raise('critical'), { at: T + 10_000 });
    expect(cleared).toMatchObject({ status: 'raised', cleared: true, clearedAt: T + 10_000 });
    expect(autoResolveIfDue(cleared, T + 3_600_000).resolved).toBe(false);
    expect(escalateIfDue(cleared, T + 60_000).escalated).toBe(true);
  });

  it.each`
    severity      | autoResolves
    ${'critical'} | ${false}
    ${'major'}    | ${false}
    ${'minor'}    | ${true}
    ${'warning'}  | ${true}
  `(
    'cleared + unacknowledged $severity -> auto-resolves=$autoResolves',
    ({ severity, autoResolves }: { severity: Severity; autoResolves: boolean }) => {
      const cleared = markAlarmCleared(raise(severity), { at: T + 10_000 });
      const { alarm, resolved } = autoResolveIfDue(cleared, T + 10_000);
      expect(resolved).toBe(autoResolves);
      if (autoResolves)
        expect(alarm).toMatchObject({ status: 'resolved', outcome: 'auto_resolved', resolvedBy: 'system' });
    },
  );

  it('auto-resolve waits for the configured delay and skips acknowledged alarms', () => {
    const cleared = markAlarmCleared(raise('minor'), { at: T + 10_000 });
    const policy = { severities: ['minor' as const], afterMs: 60_000 };
    expect(autoResolveIfDue(cleared, T + 69_999, policy).resolved).toBe(false);
    expect(autoResolveIfDue(cleared, T + 70_000, policy).resolved).toBe(true);
    const ackedCleared = markAlarmCleared(acked('minor'), { at: T + 30_000 });
    expect(autoResolveIfDue(ackedCleared, T + 100_000, policy).resolved).toBe(false);
  });

  it('late clears and cancels after resolution are ignored, not errors', () => {
    const resolved = resolveAlarm(acked(), { at: T + 60_000, actor: 'u', outcome: 'assisted' });
    expect(markAlarmCleared(resolved, { at: T + 70_000 })).toBe(resolved);
    expect(recordResidentCancel(resolved, { at: T + 70_000 })).toBe(resolved);
  });

  it('counts repeats and only ever raises severity', () => {
    let a = raise('major');
    a = recordAlarmRepeat(a, { at: T + 1_000, severity: 'critical' });
    a = recordAlarmRepeat(a, { at: T + 2_000, severity: 'minor' });
    expect(a).toMatchObject({ severity: 'critical', repeatCount: 2 });
    expect(a.audit[1]).toMatchObject({
      action: 'update',
      note: 'severity major -> critical',
      from: 'raised',
      to: 'raised',
    });
  });

  it('records a resident cancel without closing the alarm', () => {
    const a = recordResidentCancel(raise(), { at: T + 5_000 });
    expect(a).toMatchObject({ status: 'raised', cancelledByResidentAt: T + 5_000 });
    expect(a.audit[1]).toMatchObject({ action: 'resident_cancel', actor: 'device' });
  });

  describe('escalation', () => {
    it.each`
      now            | escalated | level
      ${T + 59_999}  | ${false}  | ${0}
      ${T + 60_000}  | ${true}   | ${1}
      ${T + 119_999} | ${true}   | ${1}
      ${T + 120_000} | ${true}   | ${2}
      ${T + 330_000} | ${true}   | ${5}
    `(
      'unacknowledged at +$now ms -> escalated=$escalated level=$level',
      ({ now, escalated, level }: { now: number; escalated: boolean; level: number }) => {
        const result = escalateIfDue(raise(), now);
        expect(result.escalated).toBe(escalated);
        expect(result.alarm.escalationLevel).toBe(level);
      },
    );

    it('repeats every N seconds until acknowledged, then stops', () => {
      let a = raise();
      const times: number[] = [];
      for (let now = T; now <= T + 300_000; now += 1_000) {
        if (now === T + 200_000) a = acknowledgeAlarm(a, { at: now, actor: 'u' });
        const r = escalateIfDue(a, now);
        if (r.escalated) times.push(now - T);
        a = r.alarm;
      }
      expect(times).toEqual([60_000, 120_000, 180_000]);
      expect(a.audit.filter((e) => e.action === 'escalate').map((e) => e.note)).toEqual([
        'unacknowledged, escalation level 1',
        'unacknowledged, escalation level 2',
        'unacknowledged, escalation level 3',
      ]);
      expect(nextEscalationAt(a)).toBeNull();
    });

    it('honours a custom policy', () => {
      const policy = { escalateAfterMs: 30_000, repeatEveryMs: 120_000 };
      const a = raise();
      expect(nextEscalationAt(a, policy)).toBe(T + 30_000);
      const once = escalateIfDue(a, T + 30_000, policy).alarm;
      expect(nextEscalationAt(once, policy)).toBe(T + 150_000);
    });
  });

  it('orders the queue by severity, then escalation, then age', () => {
    const old = raiseAlarm({ id: 'old', bedId: 'b', kind: 'sos', key: 'k1', severity: 'major', at: T });
    const young = raiseAlarm({ id: 'young', bedId: 'b', kind: 'sos', key: 'k2', severity: 'major', at: T + 1 });
    const crit = raiseAlarm({ id: 'crit', bedId: 'b', kind: 'sos', key: 'k3', severity: 'critical', at: T + 2 });
    const escalated = escalateIfDue(young, T + 70_000).alarm;
    expect([old, crit, escalated].sort(compareAlarmsForQueue).map((a) => a.id)).toEqual(['crit', 'young', 'old']);
  });

  it('applies rule actions: raise, update, cancel, clear', () => {
    let state = initialBedState('bed-1');
    const step = (input: Parameters<typeof evaluate>[2], now: number) => {
      const r = evaluate(DEFAULT_RULE_SET, state, input, now);
      state = r.state;
      return r.actions;
    };
    const [raiseAction] = step({ type: 'event', deviceId: 'b1', event: 'button.pressed' }, T);
    let alarm = applyRuleAction(null, raiseAction, 'alarm-1');
    expect(applyRuleAction(alarm, raiseAction)).toBe(alarm);
    for (const a of step({ type: 'event', deviceId: 'b1', event: 'button.pressed' }, T + 1_000))
      alarm = applyRuleAction(alarm, a);
    for (const a of step({ type: 'event', deviceId: 'b1', event: 'button.cancelled' }, T + 2_000))
      alarm = applyRuleAction(alarm, a);
    expect(alarm).toMatchObject({
      id: 'alarm-1',
      key: raiseAction.key,
      repeatCount: 1,
      cancelledByResidentAt: T + 2_000,
      status: 'raised',
    });
    expect(alarm.audit.map((e) => e.action)).toEqual(['raise', 'update', 'resident_cancel']);
    // Each rule note carries its reason as a code with the action's details, beside the English text.
    expect(alarm.audit.map((e) => e.code)).toEqual(['rule.sos_pressed', 'rule.sos_repeat', 'rule.sos_cancelled']);
    expect(alarm.audit[1].note).toBe('call button pressed again (2 presses)');
    expect(Object.values(alarm.audit[1].params ?? {}).every((v) => v !== null)).toBe(true);
    expectCode(() => applyRuleAction(null, { ...raiseAction, type: 'clear' } as never), 'ALARM_INVALID_TRANSITION');
  });
});
