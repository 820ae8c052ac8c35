import { inSlices } from './in-slices';

describe('inSlices', () => {
  it('calls fn on every item in order, one slice now and the rest on later turns of the event loop', async () => {
    const seen: number[] = [];
    inSlices([1, 2, 3, 4, 5], (n) => seen.push(n), 2);
    expect(seen).toEqual([1, 2]);
    let ioRanBetween = false;
    setImmediate(() => (ioRanBetween = seen.length < 5));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(ioRanBetween).toBe(true);
  });

  it('does nothing for no items', () => {
    const fn = jest.fn();
    inSlices([], fn);
    expect(fn).not.toHaveBeenCalled();
  });
});
