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

  it('does nothing for no items', async () => {
    const fn = jest.fn();
    await inSlices([], fn);
    expect(fn).not.toHaveBeenCalled();
  });
});
