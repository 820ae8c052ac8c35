import { nightsOfMonth, reportPeriod } from './report-period';
import { computeSupervisionReport, percentile, type ReportBed, type ReportInput } from './supervision-report';

const period = reportPeriod('2026-11', 'Asia/Shanghai');
const T = (iso: string) => Date.parse(iso);

const bed = (over: Partial<ReportBed>): ReportBed => ({
  bedId: 'b1',
  label: 'A',
  residentId: 'r1',
  householdId: 'h1',
  districtId: 'd1',
  streetId: 's1',
  createdAt: T('2026-10-01T00:00:00Z'),
  devices: 2,
  service: [{ from: T('2026-10-01T00:00:00Z'), to: null }],
  ...over,
});

const input = (over: Partial<ReportInput> = {}): ReportInput => ({
  period,
  now: T('2026-12-02T00:00:00Z'),
  beds: [],
  nights: [],
  alarms: [],
  dispatches: [],
  visits: [],
  ...over,
});

describe('report period', () => {
  it('is the local calendar month: Shanghai midnight is 16:00 UTC the day before', () => {
    expect(period.from).toBe(T('2026-10-31T16:00:00Z'));
    expect(period.to).toBe(T('2026-11-30T16:00:00Z'));
    expect(nightsOfMonth('2026-11')).toEqual({ first: '2026-11-01', last: '2026-11-30' });
    expect(nightsOfMonth('2028-02')).toEqual({ first: '2028-02-01', last: '2028-02-29' });
  });

  it('has 23 or 25 hours on a DST day: March in Berlin is 743 hours long, December rolls into the next year', () => {
    const march = reportPeriod('2026-03', 'Europe/Berlin');
    expect((march.to - march.from) / 3_600_000).toBe(31 * 24 - 1);
    const december = reportPeriod('2026-12', 'Europe/Berlin');
    expect(december.to).toBe(T('2026-12-31T23:00:00Z'));
  });
});

describe('supervision report', () => {
  it('counts beds by their periods in service in the month, not by what is in service when the report is read', () => {
    const DAY = 86_400_000;
    const r = computeSupervisionReport(
      input({
        beds: [
          // All month.
          bed({ bedId: 'b1' }),
          // Joined on the 21st (local): 10 days.
          bed({ bedId: 'b2', label: 'B', service: [{ from: period.from + 20 * DAY, to: null }] }),
          // Left after 5 days: counted this month, not at its end; its devices are gone now.
          bed({
            bedId: 'b3',
            label: 'C',
            devices: 0,
            service: [{ from: T('2026-09-01T00:00:00Z'), to: period.from + 5 * DAY }],
          }),
          // Out for two days in the middle: two periods.
          bed({
            bedId: 'b4',
            label: 'D',
            devices: 1,
            service: [
              { from: T('2026-10-15T00:00:00Z'), to: period.from + 10 * DAY },
              { from: period.from + 12 * DAY, to: null },
            ],
          }),
          // Left before the month began, or joined after it ended.
          bed({ bedId: 'b5', service: [{ from: T('2026-09-01T00:00:00Z'), to: period.from }] }),
          bed({ bedId: 'b6', service: [{ from: period.to, to: null }] }),
          // Never in service (no resident or no device all along).
          bed({ bedId: 'b7', service: [] }),
        ],
      }),
    );
    expect(r.bedsInService).toBe(4);
    expect(r.bedDaysInService).toBe(30 + 10 + 5 + 28);
    expect(r.bedsInServiceAtEnd).toBe(3);
    expect(r.devicesInService).toBe(2 + 2 + 0 + 1);
    expect(r.onlineByBed.map((b) => b.bedId)).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('counts the current month up to the report time, and a future month as nothing', () => {
    const DAY = 86_400_000;
    const now = period.from + 10.5 * DAY;
    const r = computeSupervisionReport(
      input({
        now,
        beds: [
          bed({ bedId: 'b1' }),
          bed({ bedId: 'b2', service: [{ from: now - DAY / 2, to: null }] }),
          // Came into service at the report time itself: no day yet, but in service.
          bed({ bedId: 'b3', service: [{ from: now, to: null }] }),
          // Left at the report time itself: counted in the month, not at its end.
          bed({ bedId: 'b4', service: [{ from: now - DAY, to: now }] }),
        ],
      }),
    );
    expect([r.bedsInService, r.bedDaysInService, r.bedsInServiceAtEnd]).toEqual([4, 12, 3]);
    const before = computeSupervisionReport(input({ now: period.from - DAY, beds: [bed({ bedId: 'b1' })] }));
    expect([before.bedsInService, before.bedDaysInService, before.bedsInServiceAtEnd]).toEqual([0, 0, 0]);
  });

  it('online rate per bed and overall from the nights summarised, a night without readings as 0', () => {
    const r = computeSupervisionReport(
      input({
        beds: [bed({ bedId: 'b1', label: 'A' }), bed({ bedId: 'b2', label: 'B' }), bed({ bedId: 'b3', label: 'C' })],
        nights: [
          { bedId: 'b1', night: '2026-11-01', mattressUptime: 1 },
          { bedId: 'b1', night: '2026-11-02', mattressUptime: 0.5 },
          { bedId: 'b2', night: '2026-11-01', mattressUptime: null },
          { bedId: 'other', night: '2026-11-01', mattressUptime: 1 },
        ],
      }),
    );
    expect(r.onlineByBed).toEqual([
      { bedId: 'b1', label: 'A', nightsSummarised: 2, onlineRate: 0.75 },
      { bedId: 'b2', label: 'B', nightsSummarised: 1, onlineRate: 0 },
      { bedId: 'b3', label: 'C', nightsSummarised: 0, onlineRate: null },
    ]);
    expect(r.onlineRate).toBe(0.5);
    expect(computeSupervisionReport(input()).onlineRate).toBeNull();
  });

  it('alarms by kind and outcome and the answer times, only those raised in the month', () => {
    const raised = T('2026-11-10T02:00:00Z');
    const alarm = (kind: string, ackAfterS: number | null, outcome: string | null, at = raised) => ({
      bedId: 'b1',
      kind,
      raisedAt: at,
      acknowledgedAt: ackAfterS === null ? null : at + ackAfterS * 1000,
      outcome,
    });
    const r = computeSupervisionReport(
      input({
        alarms: [
          alarm('fall', 20, 'real_emergency'),
          alarm('fall', 40, 'false_alarm'),
          alarm('sos', 100, 'assisted'),
          alarm('absence', null, null),
          alarm('fall', 5, 'assisted', period.from - 1),
          alarm('fall', 5, 'assisted', period.to),
        ],
      }),
    );
    expect(r.alarms).toEqual({
      total: 4,
      byKind: [
        { kind: 'fall', total: 2, byOutcome: { real_emergency: 1, false_alarm: 1 } },
        { kind: 'absence', total: 1, byOutcome: { open: 1 } },
        { kind: 'sos', total: 1, byOutcome: { assisted: 1 } },
      ],
      byOutcome: { real_emergency: 1, false_alarm: 1, assisted: 1, open: 1 },
    });
    expect(r.answer).toEqual({ acknowledged: 3, p50Seconds: 40, p90Seconds: 88, within60s: 0.5, within180s: 0.75 });
  });

  it('dispatches made in the month, by responder, those closed and those that ran late', () => {
    const at = T('2026-11-05T00:00:00Z');
    const r = computeSupervisionReport(
      input({
        dispatches: [
          { bedId: 'b1', createdAt: at, responderType: 'community_worker', status: 'closed', ranLate: true },
          { bedId: 'b1', createdAt: at, responderType: 'keyholder', status: 'en_route', ranLate: false },
          { bedId: 'b1', createdAt: at, responderType: 'community_worker', status: 'on_site', ranLate: true },
          { bedId: 'b1', createdAt: period.to + 1, responderType: 'ambulance', status: 'closed', ranLate: true },
        ],
      }),
    );
    expect(r.dispatches).toEqual({
      total: 3,
      byResponder: { community_worker: 2, keyholder: 1 },
      closed: 1,
      overdue: 2,
    });
  });

  it('visits: done and not home by check-in in the month; overdue when due in the month, passed, and not checked in by then', () => {
    const due = T('2026-11-20T00:00:00Z');
    const v = (state: string, dueAt: number, checkedInAt: number | null, source = 'policy') => ({
      householdId: 'h1',
      state,
      source,
      dueAt,
      checkedInAt,
    });
    const r = computeSupervisionReport(
      input({
        now: T('2026-11-25T00:00:00Z'),
        visits: [
          v('visited', due, due - 1000),
          v('visited', due, due + 1000, 'deviation'),
          v('not_home', due, due - 5),
          v('planned', due, null, 'alarm'),
          v('assigned', T('2026-11-28T00:00:00Z'), null),
          v('cancelled', due, null),
          // Due last month, done this month: done here, its lateness counted last month.
          v('visited', period.from - 1000, due),
        ],
      }),
    );
    expect(r.visits).toEqual({
      dueInMonth: 6,
      done: 3,
      notHome: 1,
      cancelled: 1,
      overdue: 2,
      bySource: { policy: 4, deviation: 1, alarm: 1 },
    });
  });

  it('percentile interpolates like percentile_cont', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([0, 10], 0.9)).toBe(9);
  });
});
