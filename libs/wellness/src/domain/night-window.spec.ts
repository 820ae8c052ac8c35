import { addNights, isNightDate, lastEndedNight, nightOf, nightWindow, nightsBetween } from './night-window';

const H = 3_600_000;

describe('night window', () => {
  it.each([
    ['Asia/Shanghai', '2026-03-28', 18],
    ['Asia/Shanghai', '2026-10-24', 18],
    // Clocks go forward on the morning of 29 March and back on 25 October in Berlin.
    ['Europe/Berlin', '2026-03-28', 17],
    ['Europe/Berlin', '2026-03-29', 18],
    ['Europe/Berlin', '2026-10-24', 19],
    // New York: forward on 8 March, back on 1 November.
    ['America/New_York', '2026-03-07', 17],
    ['America/New_York', '2026-10-31', 19],
    ['America/New_York', '2026-11-01', 18],
  ])('%s night of %s lasts %i hours', (tz, night, hours) => {
    const w = nightWindow(night, tz);
    expect((w.end - w.start) / H).toBe(hours);
  });

  it('runs from 18:00 local on its date to 12:00 local the next day', () => {
    expect(nightWindow('2026-01-10', 'Asia/Shanghai')).toEqual({
      night: '2026-01-10',
      start: Date.UTC(2026, 0, 10, 10),
      end: Date.UTC(2026, 0, 11, 4),
    });
    expect(nightWindow('2026-07-10', 'Europe/Berlin')).toEqual({
      night: '2026-07-10',
      start: Date.UTC(2026, 6, 10, 16),
      end: Date.UTC(2026, 6, 11, 10),
    });
    expect(nightWindow('2026-12-31', 'America/New_York')).toEqual({
      night: '2026-12-31',
      start: Date.UTC(2026, 11, 31, 23),
      end: Date.UTC(2027, 0, 1, 17),
    });
  });

  it('labels an instant with the night it belongs to, across midnight and the year end', () => {
    const tz = 'Asia/Shanghai';
    const at = (iso: string) => Date.parse(iso);
    expect(nightOf(at('2026-12-31T17:59:59+08:00'), tz)).toBeNull();
    expect(nightOf(at('2026-12-31T18:00:00+08:00'), tz)).toBe('2026-12-31');
    expect(nightOf(at('2026-12-31T23:59:59+08:00'), tz)).toBe('2026-12-31');
    expect(nightOf(at('2027-01-01T00:00:00+08:00'), tz)).toBe('2026-12-31');
    expect(nightOf(at('2027-01-01T11:59:59+08:00'), tz)).toBe('2026-12-31');
    expect(nightOf(at('2027-01-01T12:00:00+08:00'), tz)).toBeNull();
    // 02:30 happens twice in Berlin on 25 October 2026: both belong to the night of the 24th.
    expect(nightOf(at('2026-10-25T02:30:00+02:00'), 'Europe/Berlin')).toBe('2026-10-24');
    expect(nightOf(at('2026-10-25T02:30:00+01:00'), 'Europe/Berlin')).toBe('2026-10-24');
  });

  it('every instant of a window maps back to its night', () => {
    for (const tz of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
      for (const night of ['2026-03-07', '2026-03-28', '2026-04-04', '2026-10-03', '2026-10-24', '2026-10-31']) {
        const w = nightWindow(night, tz);
        for (let t = w.start; t < w.end; t += 15 * 60_000) expect(nightOf(t, tz)).toBe(night);
        expect(nightOf(w.end, tz)).toBeNull();
        expect(nightOf(w.start - 1, tz)).toBeNull();
      }
    }
  });

  it('finds the last night that has ended, with a grace period for data in flight', () => {
    const tz = 'Asia/Shanghai';
    const end = nightWindow('2026-05-01', tz).end;
    expect(lastEndedNight(end - 1, tz)).toBe('2026-04-30');
    expect(lastEndedNight(end, tz)).toBe('2026-05-01');
    expect(lastEndedNight(end + 5 * 60_000, tz, undefined, 10 * 60_000)).toBe('2026-04-30');
    expect(lastEndedNight(end + 10 * 60_000, tz, undefined, 10 * 60_000)).toBe('2026-05-01');
    expect(lastEndedNight(end + 23 * H, tz)).toBe('2026-05-01');
  });

  it('does date arithmetic on labels and refuses malformed ones', () => {
    expect(addNights('2026-02-28', 1)).toBe('2026-03-01');
    expect(addNights('2028-02-28', 1)).toBe('2028-02-29');
    expect(addNights('2026-01-01', -1)).toBe('2025-12-31');
    expect(nightsBetween('2026-03-01', '2026-03-29')).toBe(28);
    expect(isNightDate('2026-02-30')).toBe(false);
    expect(isNightDate('2026-2-3')).toBe(false);
    expect(isNightDate('2026-02-03')).toBe(true);
  });
});
