import { BedTimers } from './bed-timers';

describe('BedTimers (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('keeps exactly one timer per bed and fires it at the deadline', () => {
    const fired: [string, number][] = [];
    const timers = new BedTimers(
      () => Date.now(),
      (bed, at) => fired.push([bed, at]),
    );
    timers.set('a', 1_005_000);
    timers.set('a', 1_002_000); // replaces, does not add
    timers.set('b', 1_003_000);
    expect(timers.size).toBe(2);
    jest.advanceTimersByTime(1_999);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual([['a', 1_002_000]]);
    jest.advanceTimersByTime(1_000);
    expect(fired).toEqual([
      ['a', 1_002_000],
      ['b', 1_003_000],
    ]);
    jest.advanceTimersByTime(10_000);
    expect(fired).toHaveLength(2); // the replaced deadline never fires
  });

  it('fires an overdue deadline at once (restart catch-up) and cancels with null', () => {
    const fired: string[] = [];
    const timers = new BedTimers(
      () => Date.now(),
      (bed) => fired.push(bed),
    );
    timers.set('late', 900_000);
    timers.set('cancelled', 1_001_000);
    timers.set('cancelled', null);
    jest.advanceTimersByTime(0);
    expect(fired).toEqual(['late']);
    jest.advanceTimersByTime(5_000);
    expect(fired).toEqual(['late']);
  });

  it('re-arms deadlines beyond the setTimeout range', () => {
    const fired: number[] = [];
    const timers = new BedTimers(
      () => Date.now(),
      (_bed, at) => fired.push(at),
    );
    const far = Date.now() + 2 ** 31 + 10_000;
    timers.set('far', far);
    jest.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).toEqual([]);
    expect(timers.get('far')).toBe(far);
    jest.advanceTimersByTime(20_000);
    expect(fired).toEqual([far]);
  });

  it('a later deadline keeps the armed timeout and fires at the new instant, not before', () => {
    const fired: number[] = [];
    const timers = new BedTimers(
      () => Date.now(),
      (_bed, at) => fired.push(at),
    );
    const spy = jest.spyOn(global, 'setTimeout');
    timers.set('a', 1_010_000);
    for (let k = 1; k <= 5; k++) timers.set('a', 1_010_000 + k * 1_000); // slides with every sample
    expect(spy).toHaveBeenCalledTimes(1);
    expect(timers.get('a')).toBe(1_015_000);
    jest.advanceTimersByTime(14_999);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual([1_015_000]);
    spy.mockRestore();
  });

  it('an earlier deadline re-arms at once', () => {
    const fired: number[] = [];
    const timers = new BedTimers(
      () => Date.now(),
      (_bed, at) => fired.push(at),
    );
    timers.set('a', 1_010_000);
    timers.set('a', 1_003_000);
    jest.advanceTimersByTime(3_000);
    expect(fired).toEqual([1_003_000]);
    jest.advanceTimersByTime(20_000);
    expect(fired).toEqual([1_003_000]);
  });

  it('stop() clears everything and refuses new timers', () => {
    const fired: string[] = [];
    const timers = new BedTimers(
      () => Date.now(),
      (bed) => fired.push(bed),
    );
    timers.set('a', Date.now() + 10);
    timers.stop();
    timers.set('b', Date.now() + 10);
    jest.advanceTimersByTime(100);
    expect(fired).toEqual([]);
  });
});
