import { AlarmDomainError } from './alarm-errors';
import {
  acknowledgeAlarm,
  compareAlarmsForQueue,
  endHold,
  escalateIfDue,
  holdAlarm,
  MAX_HOLD_MS,
  nextEscalationAt,
  raiseAlarm,
  resolveAlarm,
  returnFromHoldIfDue,
  stopHoldEscalation,
  type Alarm,
} from './alarm-state-machine';
import type { Severity } from '../model/severity';

const T = 1_700_000_000_000;
const MIN = 60_000;
const raise = (severity: Severity, id = 'a1', at = T) =>
  raiseAlarm({ id, bedId: 'bed-1', kind: 'sos', key: `k-${id}`, severity, at });
const hold = (a: Alarm, at: number, until: number, extra: { stopEscalation?: boolean; supervisor?: boolean } = {}) =>
  holdAlarm(a, { at, actor: 'op1', until, reason: '家属回电中', supervisor: false, ...extra });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AlarmDomainError);
    return (err as AlarmDomainError).code;
  }
  throw new Error('expected a domain error');
}

describe('alarm hold', () => {
  it('records the hold with its reason and return time as a coded timeline entry', () => {
    const held = hold(raise('major'), T + 10_000, T + 10 * MIN);
    expect(held.hold).toEqual({
      since: T + 10_000,
      until: T + 10 * MIN,
      reason: '家属回电中',
      by: 'op1',
      escalates: false,
    });
    expect(held.audit.at(-1)).toMatchObject({
      action: 'hold',
      actor: 'op1',
      from: 'raised',
      to: 'raised',
      code: 'held',
      params: { until: new Date(T + 10 * MIN).toISOString(), reason: '家属回电中', escalates: false },
    });
  });

  it('pauses escalation of a held non-critical alarm and brings it back one priority level higher at the return time', () => {
    const held = hold(raise('major'), T + 10_000, T + 10 * MIN);
    expect(nextEscalationAt(held)).toBeNull();
    expect(escalateIfDue(held, T + 5 * MIN).escalated).toBe(false);
    expect(returnFromHoldIfDue(held, T + 10 * MIN - 1).returned).toBe(false);
    const { alarm, returned } = returnFromHoldIfDue(held, T + 10 * MIN);
    expect(returned).toBe(true);
    expect(alarm.hold).toBeNull();
    expect(alarm.escalationLevel).toBe(1);
    expect(alarm.lastEscalatedAt).toBe(T + 10 * MIN);
    expect(alarm.audit.at(-1)).toMatchObject({ action: 'hold_return', code: 'hold_returned', params: { level: 1 } });
    // Waiting for acknowledgement again: escalation resumes (overdue, so at once).
    expect(nextEscalationAt(alarm)).not.toBeNull();
  });

  it('keeps escalating a held critical alarm unless a supervisor stops it', () => {
    const held = hold(raise('critical'), T + 10_000, T + 30 * MIN);
    expect(held.hold?.escalates).toBe(true);
    expect(nextEscalationAt(held)).toBe(T + MIN);
    expect(escalateIfDue(held, T + MIN).escalated).toBe(true);

    expect(codeOf(() => hold(raise('critical'), T + 10_000, T + 30 * MIN, { stopEscalation: true }))).toBe(
      'ALARM_INVALID_HOLD',
    );
    const stopped = hold(raise('critical'), T + 10_000, T + 30 * MIN, { stopEscalation: true, supervisor: true });
    expect(stopped.hold?.escalates).toBe(false);
    expect(nextEscalationAt(stopped)).toBeNull();
  });

  it('a re-alerted alarm sorts above its peers of the same severity', () => {
    const older = raise('major', 'older', T - MIN);
    const back = returnFromHoldIfDue(hold(raise('major', 'back'), T + 1, T + 2 * MIN), T + 2 * MIN).alarm;
    expect([older, back].sort(compareAlarmsForQueue).map((a) => a.id)).toEqual(['back', 'older']);
  });

  it('refuses a hold without a reason, with a return time not in the future or beyond the limit, and on a resolved alarm', () => {
    const a = raise('major');
    expect(
      codeOf(() => holdAlarm(a, { at: T + 1, actor: 'op1', until: T + MIN, reason: '  ', supervisor: false })),
    ).toBe('ALARM_INVALID_HOLD');
    expect(codeOf(() => hold(a, T + MIN, T + MIN))).toBe('ALARM_INVALID_HOLD');
    expect(codeOf(() => hold(a, T + 1, T + 1 + MAX_HOLD_MS + 1))).toBe('ALARM_INVALID_HOLD');
    const resolved = resolveAlarm(acknowledgeAlarm(a, { at: T + 1, actor: 'op1' }), {
      at: T + 2,
      actor: 'op1',
      outcome: 'assisted',
    });
    expect(codeOf(() => hold(resolved, T + 3, T + MIN))).toBe('ALARM_INVALID_TRANSITION');
  });

  it('an acknowledged alarm can be held; resolving clears the hold and nothing returns afterwards', () => {
    const acked = acknowledgeAlarm(raise('critical'), { at: T + 1_000, actor: 'op1' });
    const held = hold(acked, T + 2_000, T + 5 * MIN);
    expect(held.status).toBe('acknowledged');
    const resolved = resolveAlarm(held, { at: T + 3_000, actor: 'op1', outcome: 'assisted' });
    expect(resolved.hold).toBeNull();
    expect(returnFromHoldIfDue(resolved, T + 5 * MIN).returned).toBe(false);
  });

  it('ending a hold early takes the alarm back without raising its priority', () => {
    const held = hold(raise('major'), T + 1_000, T + 5 * MIN);
    const ended = endHold(held, { at: T + 2_000, actor: 'op2' });
    expect(ended.hold).toBeNull();
    expect(ended.escalationLevel).toBe(0);
    expect(ended.audit.at(-1)).toMatchObject({ action: 'hold_end', actor: 'op2', code: 'hold_ended' });
    expect(codeOf(() => endHold(ended, { at: T + 3_000, actor: 'op2' }))).toBe('ALARM_INVALID_TRANSITION');
  });

  it("a supervisor stops a held critical's escalation with a reason; the return time still brings it back", () => {
    const held = hold(raise('critical'), T + 10_000, T + 30 * MIN);
    expect(nextEscalationAt(held)).toBe(T + MIN);
    const stop = (a: Alarm, supervisor: boolean, reason = '家属已在路上', at = T + 20_000) =>
      stopHoldEscalation(a, { at, actor: 'sup1', reason, supervisor });
    expect(codeOf(() => stop(held, false))).toBe('ALARM_INVALID_HOLD');
    expect(codeOf(() => stop(held, true, '  '))).toBe('ALARM_INVALID_HOLD');
    const stopped = stop(held, true);
    expect(stopped.hold).toMatchObject({ until: T + 30 * MIN, reason: '家属回电中', by: 'op1', escalates: false });
    expect(stopped.audit.at(-1)).toMatchObject({
      action: 'hold_escalation_stop',
      actor: 'sup1',
      code: 'hold_escalation_stopped',
      params: { reason: '家属已在路上' },
    });
    expect(nextEscalationAt(stopped)).toBeNull();
    expect(escalateIfDue(stopped, T + 10 * MIN).escalated).toBe(false);
    expect(returnFromHoldIfDue(stopped, T + 30 * MIN)).toMatchObject({ returned: true, alarm: { escalationLevel: 1 } });
    // Nothing to stop: already stopped, a non-critical hold, or not held at all.
    expect(codeOf(() => stop(stopped, true, 'x', T + 30_000))).toBe('ALARM_INVALID_TRANSITION');
    expect(codeOf(() => stop(hold(raise('major'), T + 10_000, T + 30 * MIN), true))).toBe('ALARM_INVALID_TRANSITION');
    expect(codeOf(() => stop(raise('critical'), true))).toBe('ALARM_INVALID_TRANSITION');
  });
});
