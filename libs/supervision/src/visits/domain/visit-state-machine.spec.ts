import type { Visit } from './visit';
import { applyVisitAction, VisitTransitionError } from './visit-state-machine';
import { isOverdue, newlyOverdue } from './overdue';

const T0 = Date.UTC(2026, 10, 2, 1, 0);
const HOUR = 3_600_000;

const planned = (over: Partial<Visit> = {}): Visit => ({
  id: 'v1',
  organisationId: 'o',
  residentId: 'r',
  householdId: 'h',
  source: 'policy',
  sourceKey: '2026-11-02',
  alarmId: null,
  reason: 'living_alone: at least every 7 days',
  state: 'planned',
  assignee: null,
  dueAt: T0 + 24 * HOUR,
  checkedInAt: null,
  outcome: null,
  notes: null,
  overdueAt: null,
  history: [],
  createdBy: 'system',
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

const worker = { kind: 'worker' as const, name: '张社工' };

describe('visit state machine', () => {
  it('planned -> assigned -> visited, each step on the timeline with who and when', () => {
    const a = applyVisitAction(planned(), { type: 'assign', assignee: worker }, 'coord', T0 + HOUR);
    expect(a).toEqual(expect.objectContaining({ state: 'assigned', assignee: worker, updatedAt: T0 + HOUR }));
    const v = applyVisitAction(
      a,
      { type: 'check_in', found: 'visited', at: T0 + 2 * HOUR, outcome: 'well', notes: '精神好' },
      'zhang',
      T0 + 3 * HOUR,
    );
    expect(v).toEqual(
      expect.objectContaining({ state: 'visited', checkedInAt: T0 + 2 * HOUR, outcome: 'well', notes: '精神好' }),
    );
    expect(v.history).toEqual([
      { at: T0 + HOUR, actor: 'coord', action: 'assign', from: 'planned', to: 'assigned', note: 'worker: 张社工' },
      { at: T0 + 3 * HOUR, actor: 'zhang', action: 'check_in', from: 'assigned', to: 'visited', note: '精神好' },
    ]);
  });

  it('reassigns an assigned visit to a team', () => {
    const a = applyVisitAction(planned(), { type: 'assign', assignee: worker }, 'coord', T0);
    const b = applyVisitAction(a, { type: 'assign', assignee: { kind: 'team', name: '鼓楼二队' } }, 'coord', T0 + 1);
    expect(b.assignee).toEqual({ kind: 'team', name: '鼓楼二队' });
    expect(b.history.map((h) => [h.from, h.to])).toEqual([
      ['planned', 'assigned'],
      ['assigned', 'assigned'],
    ]);
  });

  it('not home ends the order without an outcome', () => {
    const a = applyVisitAction(planned(), { type: 'assign', assignee: worker }, 'coord', T0);
    const n = applyVisitAction(a, { type: 'check_in', found: 'not_home', at: T0 + 5 }, 'zhang', T0 + 10);
    expect(n).toEqual(expect.objectContaining({ state: 'not_home', checkedInAt: T0 + 5, outcome: null }));
  });

  it('refuses a check-in before anyone is assigned, without an outcome, or in the future', () => {
    const checkIn = { type: 'check_in' as const, found: 'visited' as const, at: T0, outcome: 'well' as const };
    expect(() => applyVisitAction(planned(), checkIn, 'x', T0)).toThrow(VisitTransitionError);
    const a = applyVisitAction(planned(), { type: 'assign', assignee: worker }, 'coord', T0);
    expect(() => applyVisitAction(a, { ...checkIn, outcome: undefined }, 'x', T0)).toThrow(/outcome/);
    expect(() => applyVisitAction(a, { ...checkIn, at: T0 + 1 }, 'x', T0)).toThrow(/future/);
  });

  it('a finished visit cannot be assigned, rescheduled or cancelled, but takes notes', () => {
    const c = applyVisitAction(planned(), { type: 'cancel', reason: 'moved to a care home' }, 'coord', T0);
    expect(c.state).toBe('cancelled');
    for (const action of [
      { type: 'assign' as const, assignee: worker },
      { type: 'cancel' as const, reason: 'again' },
      { type: 'reschedule' as const, dueAt: T0 + HOUR },
    ])
      expect(() => applyVisitAction(c, action, 'coord', T0)).toThrow(VisitTransitionError);
    const noted = applyVisitAction(c, { type: 'note', text: '家属来电确认' }, 'coord', T0 + 1);
    expect(noted).toEqual(expect.objectContaining({ state: 'cancelled', notes: '家属来电确认' }));
  });

  it('rescheduling an overdue visit into the future clears its overdue mark', () => {
    const late = planned({ overdueAt: T0 + 25 * HOUR });
    const r = applyVisitAction(late, { type: 'reschedule', dueAt: T0 + 48 * HOUR }, 'coord', T0 + 26 * HOUR);
    expect(r).toEqual(expect.objectContaining({ dueAt: T0 + 48 * HOUR, overdueAt: null }));
    const still = applyVisitAction(late, { type: 'reschedule', dueAt: T0 + 25 * HOUR }, 'coord', T0 + 26 * HOUR);
    expect(still.overdueAt).toBe(T0 + 25 * HOUR);
  });
});

describe('overdue visits', () => {
  it('is overdue only while open and past its due time', () => {
    const v = planned();
    expect(isOverdue(v, v.dueAt)).toBe(false);
    expect(isOverdue(v, v.dueAt + 1)).toBe(true);
    expect(isOverdue({ ...v, state: 'assigned' }, v.dueAt + 1)).toBe(true);
    for (const state of ['visited', 'not_home', 'cancelled'] as const)
      expect(isOverdue({ ...v, state }, v.dueAt + 1)).toBe(false);
  });

  it('flags each overdue visit once, on its timeline', () => {
    const now = T0 + 30 * HOUR;
    const visits = [
      planned({ id: 'a' }),
      planned({ id: 'b', overdueAt: now - 1 }),
      planned({ id: 'c', dueAt: now + 1 }),
    ];
    const flagged = newlyOverdue(visits, now);
    expect(flagged.map((v) => v.id)).toEqual(['a']);
    expect(flagged[0].overdueAt).toBe(now);
    expect(flagged[0].history).toEqual([
      { at: now, actor: 'system', action: 'overdue', from: 'planned', to: 'planned', note: null },
    ]);
    expect(newlyOverdue(flagged, now + HOUR)).toEqual([]);
  });
});
