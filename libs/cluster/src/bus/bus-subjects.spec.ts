import { BusSubjects } from './bus-subjects';

describe('BusSubjects', () => {
  it('builds partition and node subjects under the prefix, one channel for messages and one for requests', () => {
    const s = new BusSubjects();
    expect(s.partition(0, 'msg')).toBe('bedside.partition.0.msg');
    expect(s.partition(63, 'req')).toBe('bedside.partition.63.req');
    expect(s.node('hub-1', 'msg')).toBe('bedside.node.hub-1.msg');
    expect(new BusSubjects('bedside.north').of({ node: 'hub-2' }, 'req')).toBe('bedside.north.node.hub-2.req');
    expect(new BusSubjects('x').of({ partition: 5 }, 'msg')).toBe('x.partition.5.msg');
    expect(new BusSubjects('bedside.north').of({ all: true }, 'msg')).toBe('bedside.north.all.msg');
    expect(() => s.of({ all: true }, 'req')).toThrow(RangeError);
  });

  it('keeps a node id with "." as one token, distinct from every other id', () => {
    const s = new BusSubjects();
    expect(s.node('hub.1', 'msg')).toBe('bedside.node.hub%2E1.msg');
    expect(s.node('hub.1', 'msg').split('.')).toHaveLength(4);
    expect(s.node('hub.1', 'msg')).not.toBe(s.node('hub-1', 'msg'));
  });

  it('refuses what cannot be a subject: wildcards, spaces, empty tokens, bad partitions', () => {
    for (const prefix of ['', 'a..b', 'a.*', 'a.>', 'has space', '.a']) {
      expect(() => new BusSubjects(prefix)).toThrow(RangeError);
    }
    const s = new BusSubjects();
    for (const id of ['', 'a*', 'a>', 'a b']) expect(() => s.node(id, 'msg')).toThrow(RangeError);
    for (const p of [-1, 1.5, Number.NaN]) expect(() => s.partition(p, 'msg')).toThrow(RangeError);
  });
});
