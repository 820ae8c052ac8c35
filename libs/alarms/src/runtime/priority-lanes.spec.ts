import { PriorityLanes } from './priority-lanes';

describe('PriorityLanes', () => {
  it('starts priority beds first and at once, other beds first come first served up to the limit', () => {
    const l = new PriorityLanes(2);
    l.ready('a', false);
    l.ready('b', false);
    l.ready('c', false);
    l.ready('s', true);
    expect(l.next()).toEqual({ bedId: 's', priority: true });
    expect(l.next()).toEqual({ bedId: 'a', priority: false });
    expect(l.next()).toEqual({ bedId: 'b', priority: false });
    expect(l.next()).toBeNull(); // two other jobs running
    expect(l.normalWaiting).toBe(1);
    l.ready('t', true);
    expect(l.next()).toEqual({ bedId: 't', priority: true }); // beyond the limit
    l.finished(true);
    expect(l.next()).toBeNull();
    l.finished(false);
    expect(l.next()).toEqual({ bedId: 'c', priority: false });
  });

  it('promotes a waiting bed to the priority class, keeping its place otherwise', () => {
    const l = new PriorityLanes(1);
    l.ready('a', false);
    l.ready('b', false);
    l.ready('c', false);
    expect(l.next()).toEqual({ bedId: 'a', priority: false });
    l.promote('c');
    l.promote('zz'); // not waiting: nothing to do
    expect(l.next()).toEqual({ bedId: 'c', priority: true });
    expect(l.next()).toBeNull();
    expect(l.normalWaiting).toBe(1);
  });

  it('refuses a limit below one', () => {
    expect(() => new PriorityLanes(0)).toThrow(RangeError);
  });
});
