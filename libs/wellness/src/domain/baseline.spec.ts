import { syntheticNight, type SyntheticNight } from '../testing/night-fixture';
import { assessNights } from './assess-nights';
import { computeBaseline } from './baseline';
import { DEFAULT_DEVIATION_THRESHOLDS, deviationsOf, mergeThresholds } from './deviations';
import type { NightSummary } from './night-summary';
import { addNights } from './night-window';
import { summariseNight } from './summarise-night';

const timeZone = 'Asia/Shanghai';
const H = 3_600_000;
const FIRST = '2026-03-01';

/** A resident whose nights are alike: in bed 22:00-07:00, up once at 02:00, heart rate about 60. */
function night(date: string, change: Partial<SyntheticNight> = {}): NightSummary {
  return summariseNight(
    syntheticNight({
      night: date,
      timeZone,
      intervalMs: 5 * 60_000,
      absences: [{ at: '02:00', minutes: 10 }],
      heartRate: 60,
      ...change,
    }),
    [],
    { night: date, timeZone },
  );
}
const noData = (date: string) => summariseNight([], [], { night: date, timeZone });
const usualNights = (count: number, from = FIRST) => Array.from({ length: count }, (_, i) => night(addNights(from, i)));

describe('computeBaseline', () => {
  it('is not ready before 7 nights with data (the warm-up), and flags nothing meanwhile', () => {
    const six = usualNights(6);
    const target = addNights(FIRST, 6);
    const baseline = computeBaseline(six, target);
    expect(baseline).toEqual({ ready: false, night: target, nights: 6, required: 7 });
    // Even a night without any data is not flagged during the warm-up.
    expect(deviationsOf(noData(target), baseline)).toEqual([]);
    expect(
      deviationsOf(
        night(target, {
          absences: [
            { at: '23:00', minutes: 20 },
            { at: '01:00', minutes: 20 },
            { at: '03:00', minutes: 20 },
            { at: '04:00', minutes: 20 },
          ],
        }),
        baseline,
      ),
    ).toEqual([]);
  });

  it('is ready with the seventh night and describes the usual night with median and MAD', () => {
    const target = addNights(FIRST, 7);
    const baseline = computeBaseline(usualNights(7), target);
    expect(baseline).toEqual({
      ready: true,
      night: target,
      nights: 7,
      from: addNights(target, -28),
      to: addNights(target, -1),
      metrics: {
        bedExits: { median: 1, mad: 0, nights: 7 },
        timeInBedMs: { median: 9 * H - 10 * 60_000, mad: 0, nights: 7 },
        restingHeartRate: { median: 60, mad: 0, nights: 7 },
        restingRespirationRate: { median: 14, mad: 0, nights: 7 },
      },
    });
  });

  it('does not count nights without data towards the warm-up', () => {
    const history = [...usualNights(6), noData(addNights(FIRST, 6)), noData(addNights(FIRST, 7))];
    expect(computeBaseline(history, addNights(FIRST, 8))).toEqual(expect.objectContaining({ ready: false, nights: 6 }));
  });

  it('looks back over the 28 nights before the one assessed, not at it or after it', () => {
    const history = usualNights(40);
    const target = addNights(FIRST, 35);
    const baseline = computeBaseline(history, target);
    expect(baseline).toEqual(
      expect.objectContaining({ ready: true, nights: 28, from: addNights(FIRST, 7), to: addNights(FIRST, 34) }),
    );
    expect(computeBaseline(history, target, { windowNights: 14, minNights: 10 })).toEqual(
      expect.objectContaining({ nights: 14 }),
    );
  });

  it('is barely moved by one wild night', () => {
    const history = [...usualNights(10), night(addNights(FIRST, 10), { heartRate: 110, rise: '01:00' })];
    const baseline = computeBaseline(history, addNights(FIRST, 11));
    expect(baseline.ready && baseline.metrics.restingHeartRate).toEqual({ median: 60, mad: 0, nights: 11 });
  });
});

describe('deviationsOf', () => {
  const history = usualNights(14);
  const target = addNights(FIRST, 14);
  const baseline = computeBaseline(history, target);

  it('flags nothing on a usual night', () => {
    expect(deviationsOf(night(target), baseline)).toEqual([]);
  });

  it('flags more bed exits from 2 above the usual count', () => {
    const two = night(target, {
      absences: [
        { at: '01:00', minutes: 10 },
        { at: '03:00', minutes: 10 },
      ],
    });
    expect(deviationsOf(two, baseline)).toEqual([]);
    const three = night(target, {
      absences: [
        { at: '23:30', minutes: 10 },
        { at: '01:00', minutes: 10 },
        { at: '03:00', minutes: 10 },
      ],
    });
    expect(deviationsOf(three, baseline)).toEqual([{ code: 'bed_exits_up', value: 3, baseline: 1, threshold: 3 }]);
  });

  it('flags a resting heart rate 8 bpm above the usual', () => {
    expect(deviationsOf(night(target, { heartRate: 67 }), baseline)).toEqual([]);
    expect(deviationsOf(night(target, { heartRate: 68 }), baseline)).toEqual([
      { code: 'resting_heart_rate_up', value: 68, baseline: 60, threshold: 68 },
    ]);
  });

  it('flags far less time in bed (30 % less than usual)', () => {
    const short = night(target, { bedtime: '01:00', absences: [] });
    expect(deviationsOf(short, baseline)).toEqual([
      {
        code: 'time_in_bed_down',
        value: 6 * H,
        baseline: 9 * H - 10 * 60_000,
        threshold: Math.round((9 * H - 10 * 60_000) * 0.7),
      },
    ]);
  });

  it('flags a night without data once the baseline exists', () => {
    expect(deviationsOf(noData(target), baseline)).toEqual([
      { code: 'no_data', value: null, baseline: null, threshold: null },
    ]);
  });

  it('widens the limits for a resident whose nights vary (MAD)', () => {
    const restless = Array.from({ length: 14 }, (_, i) =>
      night(addNights(FIRST, i), { heartRate: 60 + (i % 2 ? 6 : -6) }),
    );
    const wide = computeBaseline(restless, target);
    // Heart rates of 54 and 66 around a median of 60: MAD 6 x 1.4826, three of them = 26.7 bpm.
    expect(wide.ready && wide.metrics.restingHeartRate).toEqual({ median: 60, mad: 8.9, nights: 14 });
    expect(deviationsOf(night(target, { heartRate: 80 }), wide)).toEqual([]);
    expect(deviationsOf(night(target, { heartRate: 87 }), wide)).toEqual([
      { code: 'resting_heart_rate_up', value: 87, baseline: 60, threshold: 86.7 },
    ]);
  });
});

describe('assessNights', () => {
  it('assesses each night against the nights before it only', () => {
    const history = [...usualNights(8), night(addNights(FIRST, 8), { heartRate: 75 })];
    const assessed = assessNights(history, history);
    expect(assessed.map((a) => a.baseline.ready)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(assessed.map((a) => a.deviations.map((d) => d.code))).toEqual([
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      ['resting_heart_rate_up'],
    ]);
  });
});

describe('mergeThresholds', () => {
  it('replaces the given parts of the defaults, ignoring fields left undefined', () => {
    expect(
      mergeThresholds(DEFAULT_DEVIATION_THRESHOLDS, {
        restingHeartRate: { minChange: 20, madFactor: undefined },
        timeInBed: undefined,
      }),
    ).toEqual({
      ...DEFAULT_DEVIATION_THRESHOLDS,
      restingHeartRate: { minChange: 20, madFactor: 3 },
    });
  });
});
