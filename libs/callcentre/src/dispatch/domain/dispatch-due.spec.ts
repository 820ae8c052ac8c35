import {
  DEFAULT_EXPECTATIONS,
  RESPONDER_TYPES,
  afterStatusChange,
  dueAtFor,
  expectationsWith,
  isOverdue,
  minutesLate,
  newlyOverdue,
  type DispatchStatus,
} from './dispatch-due';

const T0 = Date.UTC(2026, 11, 5, 2, 0);
const MIN = 60_000;

interface Row {
  id: string;
  status: DispatchStatus;
  dueAt: number | null;
  overdueAt: number | null;
}

describe('dispatch due times', () => {
  it.each([
    ['ambulance', 20, 60],
    ['keyholder', 30, 120],
    ['community_worker', 45, 120],
  ] as const)('%s by default: on site within %i min, closed within %i min of arrival', (type, onSite, close) => {
    const e = DEFAULT_EXPECTATIONS[type];
    expect(dueAtFor('dispatched', T0, e)).toBe(T0 + onSite * MIN);
    expect(dueAtFor('on_site', T0, e)).toBe(T0 + close * MIN);
    expect(dueAtFor('closed', T0, e)).toBeNull();
  });

  it("an organisation's own expectation replaces the default of that type only", () => {
    const own = [{ responderType: 'keyholder' as const, onSiteWithinS: 600, closeWithinS: null }];
    const all = expectationsWith(own);
    expect(all.map((e) => e.responderType)).toEqual([...RESPONDER_TYPES]);
    expect(all.find((e) => e.responderType === 'keyholder')).toEqual(own[0]);
    expect(all.find((e) => e.responderType === 'ambulance')).toEqual(DEFAULT_EXPECTATIONS.ambulance);
    // No close-out expectation: once on site it is never due.
    expect(dueAtFor('on_site', T0, own[0])).toBeNull();
  });

  it('is overdue only strictly after the due instant', () => {
    const d = { status: 'dispatched' as const, dueAt: T0 + 30 * MIN };
    expect(isOverdue(d, T0 + 30 * MIN - 1)).toBe(false);
    expect(isOverdue(d, T0 + 30 * MIN)).toBe(false);
    expect(isOverdue(d, T0 + 30 * MIN + 1)).toBe(true);
  });

  it.each(['dispatched', 'en_route', 'on_site'] as const)('%s past its due time is overdue', (status) => {
    expect(isOverdue({ status, dueAt: T0 }, T0 + 1)).toBe(true);
  });

  it('a closed work order is never overdue, however late, and one without a due time neither', () => {
    expect(isOverdue({ status: 'closed', dueAt: T0 }, T0 + 1000 * MIN)).toBe(false);
    expect(isOverdue({ status: 'dispatched', dueAt: null }, T0 + 1000 * MIN)).toBe(false);
  });

  it('flags each late dispatch once: not again once marked, closed ones never', () => {
    const rows: Row[] = [
      { id: 'late', status: 'en_route', dueAt: T0, overdueAt: null },
      { id: 'marked', status: 'dispatched', dueAt: T0, overdueAt: T0 + 1 },
      { id: 'closed', status: 'closed', dueAt: T0, overdueAt: null },
      { id: 'in-time', status: 'dispatched', dueAt: T0 + 10 * MIN, overdueAt: null },
      { id: 'no-due', status: 'dispatched', dueAt: null, overdueAt: null },
    ];
    expect(newlyOverdue(rows, T0 + MIN).map((d) => d.id)).toEqual(['late']);
  });

  describe('a status change around the due time', () => {
    const e = DEFAULT_EXPECTATIONS.keyholder;
    const created: Row = { id: 'd', status: 'dispatched', dueAt: dueAtFor('dispatched', T0, e), overdueAt: null };
    const due = T0 + 30 * MIN;

    it('on the way does not restart the arrival clock', () => {
      const next = afterStatusChange(created, 'en_route', T0 + 25 * MIN, e);
      expect(next).toEqual({ dueAt: due, overdueAt: null });
      expect(isOverdue({ status: 'en_route', dueAt: next.dueAt }, due + 1)).toBe(true);
    });

    it('on site just before the due time: never flagged for arrival, close-out due from arrival', () => {
      const arrived = due - 1;
      const next = afterStatusChange(created, 'on_site', arrived, e);
      expect(next).toEqual({ dueAt: arrived + 120 * MIN, overdueAt: null });
      const row: Row = { ...created, status: 'on_site', ...next };
      expect(newlyOverdue([row], due + 1)).toEqual([]);
      expect(newlyOverdue([row], arrived + 120 * MIN + 1)).toEqual([row]);
    });

    it('on site just after being flagged: the arrival flag was raised, the close-out starts clear', () => {
      const [flagged] = newlyOverdue([created], due + 1);
      const marked = { ...flagged, overdueAt: due + 1 };
      const next = afterStatusChange(marked, 'on_site', due + 2, e);
      expect(next).toEqual({ dueAt: due + 2 + 120 * MIN, overdueAt: null });
    });

    it('closing keeps the flag as the record that it ran late, and is then never overdue', () => {
      const marked: Row = { ...created, overdueAt: due + 1 };
      const next = afterStatusChange(marked, 'closed', due + 5, e);
      expect(next).toEqual({ dueAt: due, overdueAt: due + 1 });
      expect(isOverdue({ status: 'closed', dueAt: next.dueAt }, due + 10 * MIN)).toBe(false);
    });
  });

  it('words lateness in whole minutes, at least one', () => {
    expect(minutesLate(T0, T0 + 1)).toBe(1);
    expect(minutesLate(T0, T0 + 7 * MIN + 59_000)).toBe(7);
  });
});
