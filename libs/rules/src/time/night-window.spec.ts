import { currentWindowStart, isInNightWindow, nextLocalTime, nextWindowStart, parseLocalTime } from './night-window';
import { fromLocal, toLocal, zoneOffsetMs } from './zoned-time';

const NIGHT = { start: '22:00', end: '06:00' };
const utc = (iso: string) => Date.parse(`${iso}Z`);

describe('zoned time', () => {
  it.each`
    timeZone              | instant                  | offsetHours
    ${'Asia/Shanghai'}    | ${'2025-01-15T12:00:00'} | ${8}
    ${'Europe/London'}    | ${'2025-01-15T12:00:00'} | ${0}
    ${'Europe/London'}    | ${'2025-07-15T12:00:00'} | ${1}
    ${'America/New_York'} | ${'2025-01-15T12:00:00'} | ${-5}
    ${'America/New_York'} | ${'2025-07-15T12:00:00'} | ${-4}
  `('$timeZone is UTC$offsetHours at $instant Z', ({ timeZone, instant, offsetHours }) => {
    expect(zoneOffsetMs(utc(instant), timeZone)).toBe(offsetHours * 3_600_000);
  });

  it('converts local wall-clock time to an instant and back', () => {
    const t = fromLocal({ year: 2025, month: 1, day: 15, hour: 22, minute: 0 }, 'Asia/Shanghai');
    expect(t).toBe(utc('2025-01-15T14:00:00'));
    expect(toLocal(t, 'Asia/Shanghai')).toEqual({ year: 2025, month: 1, day: 15, hour: 22, minute: 0, second: 0 });
    expect(fromLocal({ year: 2025, month: 1, day: 32, hour: 0, minute: 30 }, 'Europe/London')).toBe(
      utc('2025-02-01T00:30:00'),
    );
  });

  it('moves a local time inside a DST gap forward', () => {
    // 01:30 does not exist in London on 2025-03-30; 02:30 BST is 01:30 UTC.
    expect(fromLocal({ year: 2025, month: 3, day: 30, hour: 1, minute: 30 }, 'Europe/London')).toBe(
      utc('2025-03-30T01:30:00'),
    );
  });
});

describe('night window', () => {
  it.each`
    timeZone              | instantUtc               | inWindow | local
    ${'Asia/Shanghai'}    | ${'2025-01-15T13:59:59'} | ${false} | ${'21:59:59'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T14:00:00'} | ${true}  | ${'22:00'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T16:00:00'} | ${true}  | ${'00:00'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T21:59:59'} | ${true}  | ${'05:59:59'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T22:00:00'} | ${false} | ${'06:00'}
    ${'Europe/London'}    | ${'2025-01-15T22:00:00'} | ${true}  | ${'22:00 GMT'}
    ${'Europe/London'}    | ${'2025-07-15T21:00:00'} | ${true}  | ${'22:00 BST'}
    ${'Europe/London'}    | ${'2025-07-15T20:59:00'} | ${false} | ${'21:59 BST'}
    ${'Europe/London'}    | ${'2025-07-16T05:00:00'} | ${false} | ${'06:00 BST'}
    ${'America/New_York'} | ${'2025-01-16T03:00:00'} | ${true}  | ${'22:00 EST'}
    ${'America/New_York'} | ${'2025-07-16T02:00:00'} | ${true}  | ${'22:00 EDT'}
    ${'America/New_York'} | ${'2025-07-16T01:59:00'} | ${false} | ${'21:59 EDT'}
    ${'America/New_York'} | ${'2025-07-16T09:59:00'} | ${true}  | ${'05:59 EDT'}
  `('$timeZone $local -> $inWindow', ({ timeZone, instantUtc, inWindow }) => {
    expect(isInNightWindow(utc(instantUtc), NIGHT, timeZone)).toBe(inWindow);
  });

  it('a window that does not cross midnight', () => {
    const w = { start: '13:00', end: '15:00' };
    expect(isInNightWindow(utc('2025-01-15T05:00:00'), w, 'Asia/Shanghai')).toBe(true);
    expect(isInNightWindow(utc('2025-01-15T07:00:00'), w, 'Asia/Shanghai')).toBe(false);
  });

  it('currentWindowStart is the previous evening after midnight', () => {
    expect(currentWindowStart(utc('2025-01-15T19:30:00'), NIGHT, 'Asia/Shanghai')).toBe(utc('2025-01-15T14:00:00')); // 03:30 local
    expect(currentWindowStart(utc('2025-01-15T15:00:00'), NIGHT, 'Asia/Shanghai')).toBe(utc('2025-01-15T14:00:00')); // 23:00 local
    expect(currentWindowStart(utc('2025-01-15T04:00:00'), NIGHT, 'Asia/Shanghai')).toBeNull(); // noon
  });

  it('nextWindowStart / nextLocalTime are strictly after the instant', () => {
    expect(nextWindowStart(utc('2025-01-15T04:00:00'), NIGHT, 'Asia/Shanghai')).toBe(utc('2025-01-15T14:00:00'));
    expect(nextWindowStart(utc('2025-01-15T14:00:00'), NIGHT, 'Asia/Shanghai')).toBe(utc('2025-01-16T14:00:00'));
    expect(nextLocalTime(utc('2025-03-29T23:00:00'), '22:00', 'Europe/London')).toBe(utc('2025-03-30T21:00:00')); // BST starts that night
  });

  it.each(['06:00', '00:00', '23:59'])('parses %s', (t) => expect(parseLocalTime(t)).not.toBeNull());
  it.each(['24:00', '6:00', '06:60', '', 'noon'])('rejects %j', (t) => expect(parseLocalTime(t)).toBeNull());
});
