import { createHash, randomUUID } from 'node:crypto';
import { partitionOf } from './partition-of';

describe('partitionOf', () => {
  it('is stable and within range', () => {
    const id = '0b5cbe2e-5e0a-4b8a-9d8e-2f1d3c4b5a69';
    expect(partitionOf(id)).toBe(partitionOf(id));
    // md5('0b5c…5a69') starts with the bytes this expects: a change of hash would move every bed.
    const first32 = Number.parseInt(createHash('md5').update(id).digest('hex').slice(0, 8), 16);
    expect(partitionOf(id, 64)).toBe(first32 % 64);
    expect(partitionOf(id, 1)).toBe(0);
    expect(() => partitionOf(id, 0)).toThrow(RangeError);
  });

  it('spreads beds evenly over the partitions', () => {
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) counts[partitionOf(randomUUID(), 64)]++;
    // 1000 expected per partition; a binomial sd is ~31, so 850..1150 is ~5 sd.
    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(Math.max(...counts)).toBeLessThan(1150);
  });
});
