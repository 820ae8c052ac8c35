import { nameCache } from './name-cache';

describe('nameCache', () => {
  it('builds a name once per id and returns the same string afterwards', () => {
    const build = jest.fn((id: string) => `device:${id}:silent`);
    const name = nameCache(build);
    expect(name('a')).toBe('device:a:silent');
    expect(name('a')).toBe('device:a:silent');
    expect(name('b')).toBe('device:b:silent');
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('starts over instead of growing without bound', () => {
    const build = jest.fn((id: string) => `x${id}`);
    const name = nameCache(build);
    for (let i = 0; i <= 100_000; i++) name(String(i));
    expect(name('0')).toBe('x0');
    expect(build).toHaveBeenCalledTimes(100_002); // '0' was dropped when the cache started over
  });
});
