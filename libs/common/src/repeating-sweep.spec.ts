import { RepeatingSweep } from './repeating-sweep';

describe('RepeatingSweep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the first pass after its delay, the next an interval after each ends, never two at once', async () => {
    let active = 0;
    let most = 0;
    let passes = 0;
    let finish!: () => void;
    const sweep = new RepeatingSweep(
      () => {
        passes++;
        active++;
        most = Math.max(most, active);
        return new Promise<void>((r) => (finish = () => (active--, r())));
      },
      1000,
      () => undefined,
    );
    sweep.start(10);
    await jest.advanceTimersByTimeAsync(10);
    expect(passes).toBe(1);
    // A slow pass: no second one meanwhile.
    await jest.advanceTimersByTimeAsync(5000);
    expect(passes).toBe(1);
    finish();
    await jest.advanceTimersByTimeAsync(999);
    expect(passes).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(passes).toBe(2);
    expect(most).toBe(1);
    finish();
    await sweep.stop();
  });

  it('reports a failed pass and still runs the next; stop waits for the pass in flight and ends the cycle', async () => {
    const errors: string[] = [];
    let passes = 0;
    let finish!: () => void;
    const sweep = new RepeatingSweep(
      () => {
        passes++;
        if (passes === 1) return Promise.reject(new Error('database down'));
        return new Promise<void>((r) => (finish = r));
      },
      100,
      (err) => errors.push(err.message),
    );
    sweep.start();
    await jest.advanceTimersByTimeAsync(100);
    expect(errors).toEqual(['database down']);
    await jest.advanceTimersByTimeAsync(100);
    expect(passes).toBe(2);
    let stopped = false;
    const stopping = sweep.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await jest.advanceTimersByTimeAsync(1000);
    expect(passes).toBe(2);
  });
});
