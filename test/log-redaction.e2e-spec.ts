import { startHub, startPostgres, waitFor, type HubProcess, type PostgresServer } from '@bedside/testing';

/**
 * The hub's stdout never holds credentials. Requests carrying HTTP Basic credentials and a
 * sign-in password open PostgreSQL connections; the server then goes away, and the "database
 * connection lost" report (raised on a connection a request opened) must not be tied to that
 * request, nor may any line hold the password, the Authorization header or the login body.
 */
/**
 * The pool's idle timeout (10 s by default): boot's connections are gone after it, while those
 * the requests open must still be there when PostgreSQL goes, a second or so later.
 */
const POOL_IDLE_MS = 4000;

let pg: PostgresServer;
let hub: HubProcess;

beforeAll(async () => {
  pg = await startPostgres();
  hub = await startHub({
    DATABASE_URL: await pg.createDatabase('hub'),
    DATABASE_POOL_IDLE_MS: String(POOL_IDLE_MS),
    LOG_LEVEL: 'trace',
  });
}, 90_000);

afterAll(async () => {
  await hub?.dispose();
  await pg?.stop();
});

it('keeps Basic credentials, passwords and request details out of the log, across a database outage', async () => {
  const basic = { authorization: hub.authHeader };
  const loginPassword = 'my-very-secret-sign-in-password';
  // The connections opened at boot close after the pool's idle timeout; the requests after that
  // open new ones while they are being handled.
  await new Promise((r) => setTimeout(r, POOL_IDLE_MS + 1000));
  await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      fetch(`${hub.httpUrl}/api/${i % 2 ? 'organisations' : 'beds'}?q=${i}`, { headers: basic }).then((r) => r.text()),
    ),
  );
  await fetch(`${hub.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'someone', password: loginPassword }),
  });
  await fetch(`${hub.httpUrl}/api/organisations`, {
    method: 'POST',
    headers: { ...basic, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'a\u0000b' }),
  });
  await fetch(`${hub.httpUrl}/api/organisations`, {
    headers: { authorization: `Basic ${Buffer.from('admin:wrong-guess-password').toString('base64')}` },
  });

  await pg.halt();
  await waitFor(() => hub.logs().includes('database connection lost'), {
    timeoutMs: 15_000,
    what: 'connection loss logged',
  });
  await fetch(`${hub.httpUrl}/api/organisations`, { headers: basic }); // fails while the database is away
  await pg.resume();

  const logs = hub.logs();
  for (const secret of [
    hub.admin.password,
    hub.authHeader.slice('Basic '.length),
    loginPassword,
    'wrong-guess-password',
    Buffer.from('admin:wrong-guess-password').toString('base64'),
  ]) {
    expect(logs).not.toContain(secret);
  }
  expect(logs).not.toMatch(/"authorization"|"cookie"|"headers"/i);
  const lost = logs.split('\n').filter((l) => l.includes('database connection lost'));
  expect(lost.length).toBeGreaterThan(0);
  for (const line of lost) {
    const entry = JSON.parse(line);
    expect(entry.req).toBeUndefined();
    expect(entry.reqId).toBeUndefined();
  }
}, 60_000);
