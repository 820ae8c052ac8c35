import { OutageLog } from './outage-log';

function subject(reminderMs = 30_000) {
  let t = 1_000;
  const lines: { level: string; msg: object }[] = [];
  const log = new OutageLog(
    'database',
    { error: (msg) => lines.push({ level: 'error', msg }), log: (msg) => lines.push({ level: 'info', msg }) },
    () => t,
    reminderMs,
  );
  return { log, lines, advance: (ms: number) => (t += ms) };
}

describe('OutageLog', () => {
  it('logs the first failure once, a reminder at most every interval with counts by source, and the recovery', () => {
    const { log, lines, advance } = subject();
    const down = new Error('connect ECONNREFUSED');
    for (let i = 0; i < 60; i++) {
      log.failure(i % 3 === 0 ? 'webhooks' : 'http', down);
      advance(1_000); // one failure a second for a minute
    }
    expect(log.failing).toBe(true);
    log.recovered();
    expect(lines).toEqual([
      { level: 'error', msg: { msg: 'database unavailable', source: 'webhooks', reason: 'connect ECONNREFUSED' } },
      {
        level: 'error',
        msg: {
          msg: 'database still unavailable',
          forMs: 30_000,
          failures: 31,
          bySource: { webhooks: 11, http: 20 },
          reason: 'connect ECONNREFUSED',
        },
      },
      {
        level: 'info',
        msg: { msg: 'database available again', downMs: 60_000, failures: 60, bySource: { webhooks: 20, http: 40 } },
      },
    ]);
    expect(log.failing).toBe(false);
  });

  it('starts afresh after a recovery, and says nothing about a recovery without an outage', () => {
    const { log, lines } = subject();
    log.recovered();
    expect(lines).toEqual([]);
    log.failure('http', new Error('a'));
    log.recovered();
    log.failure('audit', new Error('b'));
    expect(lines.map((l) => (l.msg as { msg: string }).msg)).toEqual([
      'database unavailable',
      'database available again',
      'database unavailable',
    ]);
  });
});
