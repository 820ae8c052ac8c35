import { districtMembers, inDistrict, unplaced } from './districtMembers';

describe('district filter of the queue', () => {
  const answer = [
    { id: 'a1', householdId: 'h1' },
    { id: 'a2', householdId: 'h2' },
  ];
  const m = districtMembers(answer);

  it('places alarms the hub listed, and later alarms of the same households', () => {
    expect(inDistrict({ id: 'a1', householdId: 'h1' }, m)).toBe(true);
    expect(inDistrict({ id: 'new', householdId: 'h2' }, m)).toBe(true);
    expect(inDistrict({ id: 'other', householdId: 'h9' }, m)).toBe(false);
    expect(inDistrict({ id: 'nohome', householdId: null }, m)).toBe(false);
  });

  it('asks the hub only about alarms it has not placed and not been asked about', () => {
    const queue = [
      { id: 'a1', householdId: 'h1' },
      { id: 'new', householdId: 'h2' },
      { id: 'other', householdId: 'h9' },
      { id: 'fresh', householdId: 'h8' },
    ];
    expect(unplaced(queue, m, new Set(['a1', 'a2', 'other']))).toEqual(['fresh']);
    expect(unplaced(queue, m, new Set(['other', 'fresh']))).toEqual([]);
    // Nothing asked yet: every alarm outside the answer waits for the hub.
    expect(unplaced(queue, districtMembers([]), new Set())).toEqual(['a1', 'new', 'other', 'fresh']);
  });
});
