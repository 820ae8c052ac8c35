import { planVisits, type FlaggedNight, type PlanningResident, type VisitPolicy } from './visit-planner';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 2, 0);
const options = { deviationDueMs: DAY, policyLeadMs: 2 * DAY };

const resident = (over: Partial<PlanningResident> = {}): PlanningResident => ({
  residentId: 'r1',
  householdId: 'h1',
  organisationId: 'o1',
  categories: [],
  lastSeenAt: null,
  openDueAts: [],
  lastClosedVisitId: null,
  ...over,
});
const flag = (night: string, windowEnd: number, codes = ['bed_exits_up']): FlaggedNight => ({
  residentId: 'r1',
  night,
  windowEnd,
  codes,
});
const policies = (...p: VisitPolicy[]) => new Map([['o1', p]]);

describe('visit planner', () => {
  it('plans one visit for the latest flagged night, due a day later', () => {
    const drafts = planVisits({
      now: NOW,
      residents: [resident()],
      flagged: [flag('2026-11-18', NOW - DAY - 10), flag('2026-11-19', NOW - 10, ['no_data', 'time_in_bed_down'])],
      policies: new Map(),
      options,
    });
    expect(drafts).toEqual([
      {
        organisationId: 'o1',
        residentId: 'r1',
        householdId: 'h1',
        source: 'deviation',
        sourceKey: '2026-11-19',
        reason: 'night 2026-11-19: no_data, time_in_bed_down',
        dueAt: NOW + DAY,
      },
    ]);
  });

  it('plans none for a night when the resident was seen after it, or a visit is already due as soon', () => {
    const night = flag('2026-11-19', NOW - 10);
    const plan = (r: PlanningResident) =>
      planVisits({ now: NOW, residents: [r], flagged: [night], policies: new Map(), options });
    expect(plan(resident({ lastSeenAt: NOW - 5 }))).toEqual([]);
    expect(plan(resident({ openDueAts: [NOW + DAY] }))).toEqual([]);
    // An open visit due next week does not wait that long: a visit for the night is planned too.
    expect(plan(resident({ openDueAts: [NOW + 7 * DAY] }))).toHaveLength(1);
    expect(plan(resident({ lastSeenAt: NOW - DAY }))).toHaveLength(1);
  });

  it('plans a policy visit one interval after the last time the resident was seen, a lead time ahead', () => {
    const living = resident({ categories: [{ category: 'living_alone', since: NOW - 60 * DAY }] });
    const plan = (r: PlanningResident, p = policies({ category: 'living_alone', intervalDays: 7 })) =>
      planVisits({ now: NOW, residents: [r], flagged: [], policies: p, options });
    // Seen 4 days ago: due in 3 days, more than the 2-day lead away.
    expect(plan({ ...living, lastSeenAt: NOW - 4 * DAY })).toEqual([]);
    // Seen 5 days ago: due in 2 days.
    expect(plan({ ...living, lastSeenAt: NOW - 5 * DAY })).toEqual([
      expect.objectContaining({
        source: 'policy',
        sourceKey: 'after:none',
        reason: 'living_alone: at least every 7 days',
        dueAt: NOW + 2 * DAY,
      }),
    ]);
    // Never seen: due one interval after entering the category, i.e. long ago (overdue at once).
    expect(plan(living)).toEqual([expect.objectContaining({ source: 'policy', dueAt: NOW - 53 * DAY })]);
    // After a visit that found nobody home, the next one follows that visit (a new key), due at once.
    expect(plan({ ...living, lastSeenAt: NOW - 20 * DAY, lastClosedVisitId: 'v9' })).toEqual([
      expect.objectContaining({ sourceKey: 'after:v9', dueAt: NOW - 13 * DAY }),
    ]);
    // Any open visit counts: nothing more is planned.
    expect(plan({ ...living, openDueAts: [NOW + 10 * DAY] })).toEqual([]);
    // No policy for the category, or no category: nothing.
    expect(plan(living, policies({ category: 'disabled', intervalDays: 3 }))).toEqual([]);
    expect(plan(resident())).toEqual([]);
  });

  it('uses the strictest of the resident’s categories and caps the lead at half the interval', () => {
    const r = resident({
      categories: [
        { category: 'living_alone', since: NOW - 60 * DAY },
        { category: 'special_difficulty', since: NOW - 60 * DAY },
      ],
      lastSeenAt: NOW - 1.4 * DAY,
    });
    const p = policies(
      { category: 'living_alone', intervalDays: 7 },
      { category: 'special_difficulty', intervalDays: 2 },
    );
    // Every 2 days: due in 0.6 days, within the lead of 1 day (half the interval).
    expect(planVisits({ now: NOW, residents: [r], flagged: [], policies: p, options })).toEqual([
      expect.objectContaining({ reason: 'special_difficulty: at least every 2 days', dueAt: NOW + 0.6 * DAY }),
    ]);
    expect(
      planVisits({ now: NOW, residents: [{ ...r, lastSeenAt: NOW - 0.9 * DAY }], flagged: [], policies: p, options }),
    ).toEqual([]);
  });

  it('does not plan a policy visit beside a deviation visit planned in the same pass', () => {
    const r = resident({ categories: [{ category: 'living_alone', since: NOW - 60 * DAY }] });
    const drafts = planVisits({
      now: NOW,
      residents: [r],
      flagged: [flag('2026-11-19', NOW - 10)],
      policies: policies({ category: 'living_alone', intervalDays: 7 }),
      options,
    });
    expect(drafts.map((d) => d.source)).toEqual(['deviation']);
  });

  it('plans across residents and organisations independently', () => {
    const drafts = planVisits({
      now: NOW,
      residents: [
        resident(),
        resident({
          residentId: 'r2',
          organisationId: 'o2',
          categories: [{ category: 'living_alone', since: NOW - 30 * DAY }],
        }),
        resident({ residentId: 'r3', categories: [{ category: 'living_alone', since: NOW - 30 * DAY }] }),
      ],
      flagged: [flag('2026-11-19', NOW - 10)],
      policies: policies({ category: 'living_alone', intervalDays: 7 }),
      options,
    });
    // o2 has no policy.
    expect(drafts.map((d) => [d.residentId, d.source])).toEqual([
      ['r1', 'deviation'],
      ['r3', 'policy'],
    ]);
  });
});
