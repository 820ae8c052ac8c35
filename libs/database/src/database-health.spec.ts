import { Logger } from '@nestjs/common';
import { SystemClock } from '@bedside/common';
import type { Database } from './database';
import { DatabaseHealth } from './database-health';

describe('DatabaseHealth', () => {
  const refused = { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' };
  let up = false;
  let health: DatabaseHealth;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    up = false;
    health = new DatabaseHealth({ ping: async () => up } as unknown as Database, new SystemClock());
  });

  afterEach(() => {
    health.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  it('an outage error marks the database down; any other error is the caller’s', () => {
    expect(health.unavailable('ingest', new TypeError('a bug'))).toBe(false);
    expect(health.down).toBe(false);
    expect(health.unavailable('ingest', refused)).toBe(true);
    expect(health.down).toBe(true);
  });

  it('a ping that reaches the database ends the outage at once, not at the next probe', async () => {
    health.unavailable('ingest', refused);
    expect(await health.reachable()).toBe(false);
    expect(health.down).toBe(true);
    let recoveries = 0;
    health.recovered$.subscribe(() => recoveries++);
    up = true;
    expect(await health.reachable()).toBe(true);
    expect(health.down).toBe(false);
    expect(await health.reachable()).toBe(true);
    expect(recoveries).toBe(1); // said once, when the outage ends
  });
});
