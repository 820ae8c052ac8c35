import { ThrottledLog } from './throttled-log';

describe('ThrottledLog', () => {
  it('logs a key once per period and says how many it left out', () => {
    let now = 0;
    const lines: object[] = [];
    const t = new ThrottledLog({ warn: (m) => lines.push(m) }, () => now, 1000);
    t.warn('bad message', { n: 1 });
    t.warn('bad message', { n: 2 });
    t.warn('other', { n: 3 });
    now = 999;
    t.warn('bad message', { n: 4 });
    now = 1000;
    t.warn('bad message', { n: 5 });
    expect(lines).toEqual([
      { msg: 'bad message', n: 1 },
      { msg: 'other', n: 3 },
      { msg: 'bad message', n: 5, suppressedSinceLast: 2 },
    ]);
  });
});
