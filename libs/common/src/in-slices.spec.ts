import { inSlices } from './in-slices';

describe('inSlices', () => {
  it('calls fn on every item in order, one slice now and the rest on later turns of the event loop', async () => {
    const seen: number[] = [];
    const done = inSlices([1, 2, 3, 4, 5], (n) => seen.push(n), 2);
    expect(seen).toEqual([1, 2]);
    let ioRanBetween = false;
    setImmediate(() => (ioRanBetween = seen.length < 5));
    await done;
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(ioRanBetween).toBe(true);
  });

  it('ends a slice early once it has run its time budget, and still handles every item', async () => {
    let now = 0;
    const seen: number[] = [];
    // Each item costs 3 ms: a 5 ms budget takes two per turn, whatever the count allows.
    const done = inSlices(
      [1, 2, 3, 4, 5],
      (n) => {
        seen.push(n);
        now += 3;
      },
      200,
      { ms: 5, now: () => now },
    );
    expect(seen).toEqual([1, 2]);
    let between: number[] = [];
    setImmediate(() => (between = [...seen]));
    await done;
    // Queued after the second slice's turn: it ran between the second and the last.
    expect(between).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('does nothing for no items', async () => {
    const fn = jest.fn();
    await inSlices([], fn);
    expect(fn).not.toHaveBeenCalled();
  });
});
