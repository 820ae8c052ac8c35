import type { MqttClient } from 'mqtt';
import pgDriver from 'pg';
import { eventsTopic } from '@bedside/contracts';
import {
  hubApi,
  readEventStream,
  scrape,
  startClusteredHubs,
  startHub,
  startPostgres,
  waitFor,
  type ClusteredHubs,
  type HubProcess,
  type PostgresServer,
} from '@bedside/testing';
import { tokenDigest } from '../libs/auth/src/sessions/token-digest';
import { openAlarmStream, type AlarmStreamClient } from '../libs/alarms/src/testing/alarm-stream-client';
import { connectDevice, type Creds } from './mqtt-helpers';
import { passwordOf, signIn, type Api } from './tenant-fixture';

/**
 * Console sessions through a PostgreSQL outage: a console whose session the hub confirmed before
 * the outage reconnects its alarm stream while the database is stopped and is shown the SOS
 * pressed meanwhile, and a session the hub only knows from its read of the live sessions is
 * served too; a session signed out before the outage, a session signed out during it and
 * a token the hub never saw are refused, the last with 503 (it cannot tell), not 401; signing in
 * answers 503. Once the database is back every request is decided by it again. A frozen database
 * (SIGSTOP: queries hang, nothing fails) is the same after a bounded wait.
 */
jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const digestOf = (auth: string) => tokenDigest(auth.replace(/^Bearer /, ''));

describe('console sessions while PostgreSQL is unreachable', () => {
  let pg: PostgresServer;
  let hub: HubProcess;
  let admin: Api;
  let databaseUrl: string;
  const streams: AlarmStreamClient[] = [];
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.createDatabase('hub');
    // The live sessions are read every second here (every minute by default).
    hub = await startHub({ DATABASE_URL: url, AUTH_SESSION_REFRESH_MS: '1000' });
    admin = hubApi(hub);
    databaseUrl = url;
  }, 90_000);

  afterAll(async () => {
    streams.forEach((s) => s.close());
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await hub?.dispose();
    await pg?.stop();
  });

  let operator: string;
  /** One statement on a connection of its own (an outage ends any connection held across it). */
  const query = async <R extends pgDriver.QueryResultRow>(text: string, values: unknown[]) => {
    const client = new pgDriver.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const me = (auth: string) => fetch(`${hub.httpUrl}/api/auth/me`, { headers: { authorization: auth } });
  const signOut = (auth: string) =>
    fetch(`${hub.httpUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: auth } });
  const login = (username: string) =>
    fetch(`${hub.httpUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: passwordOf(username) }),
    });
  const counted = async (outcome: string) =>
    (await scrape(hub.httpUrl))('bedside_auth_sessions_without_database_total', { outcome });

  it('a signed-in console reconnects during the outage and gets the provisional SOS; ended sessions stay ended', async () => {
    const bed = await admin.provisionBed('harbour');
    expect((await admin.put(`/api/beds/${bed.bed.id}/rules`, { suppression: { warmupMs: 0 } })).status).toBe(200);
    const users = ['operator-harbour', 'leaver-harbour', 'nightshift-harbour'];
    const ids: string[] = [];
    for (const username of users) {
      const r = await admin.post('/api/users', {
        username,
        password: passwordOf(username),
        displayName: username,
        role: 'operator',
        organisationId: bed.org.id,
      });
      expect(r.status).toBe(201);
      ids.push((r.body as { id: string }).id);
    }
    const [signedIn, leaver, nightshift] = await Promise.all(users.map((u) => signIn(hub, u)));
    operator = signedIn;
    const button = bed.devices.button.credentials as Creds;
    const device = await connectDevice(hub.mqttUrl, button, {
      clean: false,
      reconnectPeriod: 250,
      reconnectOnConnackError: true,
    });
    clients.push(device);
    await sleep(1500); // the bed's label, read when its call device connects

    // Before the outage: the operator's console is streaming; the leaver signed out.
    const before = await openAlarmStream(hub.httpUrl, operator);
    streams.push(before);
    expect(before.status).toBe(200);
    expect((await me(nightshift)).status).toBe(200);
    const leaving = await openAlarmStream(hub.httpUrl, leaver);
    streams.push(leaving);
    expect(leaving.status).toBe(200);
    expect((await signOut(leaver)).status).toBe(204);
    expect((await me(leaver)).status).toBe(401);
    // Its open stream is closed by the sign-out (one hub, no bus: locally).
    await Promise.race([leaving.ended, sleep(2000).then(() => Promise.reject(new Error('stream left open')))]);
    expect(leaving.comments).toContain('session ended; sign in again');
    // A session this hub was never asked about (as if signed in on another node): the hub
    // learns it from its periodic read of the live sessions.
    const elsewhere = `Bearer elsewhere-${Date.now()}-token-0000000000000000`;
    await query(`insert into sessions (token_hash, user_id, expires_at) values ($1, $2, now() + interval '1 hour')`, [
      digestOf(elsewhere),
      ids[0],
    ]);
    await sleep(2500); // more than one read
    const rememberedBefore = await counted('remembered');
    const refusedBefore = await counted('refused');
    const logsBefore = hub.logs().length;

    await pg.halt();
    // The console's connection drops (its node was killed, a proxy or the network cut it) and it reconnects.
    before.close();
    const reconnected = await openAlarmStream(hub.httpUrl, operator);
    streams.push(reconnected);
    expect(reconnected.status).toBe(200);
    const who = await me(operator);
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({
      username: 'operator-harbour',
      role: 'operator',
      organisationId: bed.org.id,
    });

    const pressedAt = Date.now();
    const sos = device.publishAsync(
      eventsTopic(button.deviceId),
      JSON.stringify({ eventId: 'sos-sessions', type: 'button.pressed', ts: pressedAt }),
      { qos: 1 },
    );
    const notice = await reconnected.waitForNotice((e) => e.type === 'provisional.alarm', 5000);
    const latencyMs = notice.receivedAt - pressedAt;
    expect(latencyMs).toBeLessThan(5000);
    expect(notice.data).toMatchObject({ eventId: 'sos-sessions', bedId: bed.bed.id, residentName: 'resident harbour' });

    expect((await me(elsewhere)).status).toBe(200);
    // Ended before the outage: still ended (the console would show its sign-in page, rightly).
    expect((await me(leaver)).status).toBe(401);
    // A token this hub never confirmed: it cannot tell, so 503 (the console keeps its token and retries).
    const unknown = await me('Bearer never-issued-token-0000000000000000000000');
    expect(unknown.status).toBe(503);
    expect(unknown.headers.get('retry-after')).toBe('5');
    expect(((await unknown.json()) as { code: string }).code).toBe('DATABASE_UNAVAILABLE');
    // Signing in needs the database.
    const refusedLogin = await login('operator-harbour');
    expect(refusedLogin.status).toBe(503);
    expect(await refusedLogin.json()).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringContaining('signing in needs the database'),
    });
    // Signed out during the outage: ended on this hub at once; the answer says it is not recorded yet.
    expect((await me(nightshift)).status).toBe(200);
    const lateSignOut = await signOut(nightshift);
    expect(lateSignOut.status).toBe(503);
    expect(((await lateSignOut.json()) as { code: string }).code).toBe('DATABASE_UNAVAILABLE');
    expect((await me(nightshift)).status).toBe(401);

    expect((await counted('remembered')) - rememberedBefore).toBeGreaterThanOrEqual(4);
    expect((await counted('refused')) - refusedBefore).toBe(1);
    const during = hub.logs().slice(logsBefore);
    expect(during.split('console sessions are served from memory').length - 1).toBe(1);

    await pg.resume();
    await sos;
    const raised = await reconnected.waitFor((e) => e.type === 'alarm.raised' && e.data.alarm.kind === 'sos', 30_000);
    await reconnected.waitForNotice((e) => e.type === 'provisional.stored' && e.data.alarmId === raised.data.alarm.id);

    // The database decides again: the sign-out made during the outage is written there, at its time.
    expect((await me(operator)).status).toBe(200);
    await waitFor(() => hub.logs().includes('console sessions are resolved in the database again'), {
      what: 'the recovery logged',
    });
    const revoked = await waitFor(
      async () =>
        (
          await query<{ revoked_at: Date | null }>('select revoked_at from sessions where token_hash = $1', [
            digestOf(nightshift),
          ])
        )[0]?.revoked_at ?? undefined,
      { timeoutMs: 15_000, what: 'the sign-out recorded' },
    );
    expect(revoked.getTime()).toBeLessThan(Date.now());
    expect((await me(nightshift)).status).toBe(401);
    expect((await me(leaver)).status).toBe(401);
    expect((await me('Bearer never-issued-token-0000000000000000000000')).status).toBe(401);
    expect((await login('operator-harbour')).status).toBe(200);
    const after = await openAlarmStream(hub.httpUrl, operator);
    streams.push(after);
    expect(after.status).toBe(200);
    process.stdout.write(`session-outage: reconnected console -> provisional SOS in ${latencyMs} ms\n`);
  });

  it('database frozen (SIGSTOP): lookups that never answer are bounded, then the same rules apply', async () => {
    expect((await me(operator)).status).toBe(200);
    pg.freeze();
    try {
      const started = Date.now();
      const reconnected = await openAlarmStream(hub.httpUrl, operator);
      streams.push(reconnected);
      expect(reconnected.status).toBe(200);
      const reconnectMs = Date.now() - started;
      expect(reconnectMs).toBeLessThan(4000); // the 2 s lookup bound, not the freeze, decides
      const unknown = await me('Bearer never-issued-token-1111111111111111111111');
      expect(unknown.status).toBe(503);
      expect(((await unknown.json()) as { code: string }).code).toBe('DATABASE_UNAVAILABLE');
      process.stdout.write(`session-outage: database frozen -> stream reconnected in ${reconnectMs} ms\n`);
    } finally {
      pg.thaw();
    }
    expect((await me(operator)).status).toBe(200);
    expect((await me('Bearer never-issued-token-1111111111111111111111')).status).toBe(401);
  });
});

describe('console sessions while PostgreSQL is unreachable, two clustered hubs', () => {
  let cluster: ClusteredHubs;
  const streams: AlarmStreamClient[] = [];

  beforeAll(async () => {
    cluster = await startClusteredHubs({
      nodes: ['hub-a', 'hub-b'],
      database: 'cluster_sessions',
      hubEnv: { AUTH_SESSION_REFRESH_MS: '1000' },
    });
  }, 120_000);

  afterAll(async () => {
    streams.forEach((s) => s.close());
    await cluster?.stop();
  });

  it('a session signed in on one hub is served by the other; a sign-out on one hub is known to the other', async () => {
    const [hubA, hubB] = cluster.hubs;
    const admin = hubApi(hubA);
    const org = (await admin.post('/api/organisations', { name: 'cluster sessions' })).body as { id: string };
    for (const username of ['op-cluster', 'leaver-cluster']) {
      const r = await admin.post('/api/users', {
        username,
        password: passwordOf(username),
        displayName: username,
        role: 'operator',
        organisationId: org.id,
      });
      expect(r.status).toBe(201);
    }
    const operator = await signIn(hubB, 'op-cluster');
    const leaver = await signIn(hubB, 'leaver-cluster');
    const me = (hub: HubProcess, auth: string) =>
      fetch(`${hub.httpUrl}/api/auth/me`, { headers: { authorization: auth } });
    expect((await me(hubA, leaver)).status).toBe(200); // hub A confirms it itself
    expect(
      (await fetch(`${hubB.httpUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: leaver } })).status,
    ).toBe(204);
    await sleep(2500); // more than one read of the live sessions on each hub

    await cluster.pg.halt();
    try {
      // Hub A was never asked about the operator's session: it knows it from its read.
      const stream = await openAlarmStream(hubA.httpUrl, operator);
      streams.push(stream);
      expect(stream.status).toBe(200);
      expect((await me(hubA, operator)).status).toBe(200);
      // Signed out on hub B: hub A, which had confirmed the session, learnt of it from its read.
      expect((await me(hubA, leaver)).status).toBe(401);
    } finally {
      await cluster.pg.resume();
    }
    expect((await me(hubA, operator)).status).toBe(200);
    expect((await me(hubA, leaver)).status).toBe(401);
  });
});

/**
 * A sign-out or a revocation made through one clustered hub reaches the other over NATS at once:
 * it forgets the session and closes the session's open alarm stream. The live sessions are read
 * only once an hour here, so that read cannot be what ends them.
 */
describe('a sign-out or revocation on one clustered hub reaches the other at once', () => {
  let cluster: ClusteredHubs;
  let hubA: HubProcess;
  let hubB: HubProcess;
  let admin: Api;
  let orgId: string;
  const streams: AlarmStreamClient[] = [];
  /** Within this of the change on hub A, hub B must have closed the stream. */
  const BOUND_MS = 2000;

  beforeAll(async () => {
    cluster = await startClusteredHubs({
      nodes: ['hub-a', 'hub-b'],
      database: 'cluster_session_ends',
      hubEnv: { AUTH_SESSION_REFRESH_MS: String(60 * 60_000) },
    });
    [hubA, hubB] = cluster.hubs;
    admin = hubApi(hubA);
    orgId = ((await admin.post('/api/organisations', { name: 'session ends' })).body as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    streams.forEach((s) => s.close());
    await cluster?.stop();
  });

  const me = (hub: HubProcess, auth: string) =>
    fetch(`${hub.httpUrl}/api/auth/me`, { headers: { authorization: auth } });
  const signOut = (hub: HubProcess, auth: string) =>
    fetch(`${hub.httpUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: auth } });
  const newOperator = async (username: string) => {
    const r = await admin.post('/api/users', {
      username,
      password: passwordOf(username),
      displayName: username,
      role: 'operator',
      organisationId: orgId,
    });
    expect(r.status).toBe(201);
    return (r.body as { id: string }).id;
  };
  /** A console signed in on hub B with its alarm stream open there. */
  const streamingOnB = async (username: string) => {
    const auth = await signIn(hubB, username);
    const stream = await openAlarmStream(hubB.httpUrl, auth);
    streams.push(stream);
    expect(stream.status).toBe(200);
    return { auth, stream };
  };
  /** How long after `since` the stream ended; fails past the bound. */
  const closedWithin = async (stream: AlarmStreamClient, since: number) => {
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      stream.ended.then(() => true),
      new Promise<false>((r) => (timer = setTimeout(() => r(false), BOUND_MS))),
    ]);
    clearTimeout(timer);
    const ms = Date.now() - since;
    if (!ended) throw new Error(`the stream on hub B was still open ${ms} ms after the change on hub A`);
    expect(stream.comments).toContain('session ended; sign in again');
    return ms;
  };

  /** The visit stream on hub B: settles with its comments when the hub ends it. */
  const visitStreamOnB = async (auth: string) => {
    const abort = new AbortController();
    const res = await fetch(`${hubB.httpUrl}/api/visits/stream`, {
      headers: { authorization: auth },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    const comments: string[] = [];
    const ended = readEventStream(res.body!, { onEvent: () => undefined, onComment: (c) => comments.push(c) }).then(
      () => comments,
      () => comments,
    );
    return { ended, close: () => abort.abort() };
  };

  it('signed out on hub A: hub B closes its streams and answers 401', async () => {
    await newOperator('signout-ends');
    const { auth, stream } = await streamingOnB('signout-ends');
    const visits = await visitStreamOnB(auth);
    const changed = Date.now();
    expect((await signOut(hubA, auth)).status).toBe(204);
    const ms = await closedWithin(stream, changed);
    const visitComments = await Promise.race([visits.ended, sleep(BOUND_MS).then(() => null)]);
    visits.close();
    expect(visitComments).toContain('session ended; sign in again');
    expect((await me(hubB, auth)).status).toBe(401);
    const again = await openAlarmStream(hubB.httpUrl, auth);
    streams.push(again);
    expect(again.status).toBe(401);
    process.stdout.write(`session-outage: sign-out on hub A -> stream on hub B closed in ${ms} ms\n`);
  });

  it('user disabled through hub A: hub B closes its stream and answers 401; another user streams on', async () => {
    const id = await newOperator('disabled-ends');
    await newOperator('bystander-ends');
    const { auth, stream } = await streamingOnB('disabled-ends');
    const bystander = await streamingOnB('bystander-ends');
    const changed = Date.now();
    expect((await admin.post(`/api/users/${id}/disable`, {})).status).toBe(200);
    const ms = await closedWithin(stream, changed);
    expect((await me(hubB, auth)).status).toBe(401);
    // The stream of another user on the same hub was left alone.
    expect(await Promise.race([bystander.stream.ended.then(() => 'ended'), sleep(300).then(() => 'open')])).toBe(
      'open',
    );
    expect((await me(hubB, bystander.auth)).status).toBe(200);
    process.stdout.write(`session-outage: user disabled on hub A -> stream on hub B closed in ${ms} ms\n`);
  });

  it('signed out on hub A during a database outage: hub B, which served the session from memory, refuses it at once', async () => {
    await newOperator('outage-ends');
    const { auth, stream } = await streamingOnB('outage-ends');
    expect((await me(hubA, auth)).status).toBe(200);
    await cluster.pg.halt();
    let ms: number;
    try {
      expect((await me(hubB, auth)).status).toBe(200); // served from hub B's memory
      const changed = Date.now();
      const late = await signOut(hubA, auth);
      expect(late.status).toBe(503); // ended on hub A now, recorded when the database is back
      expect(((await late.json()) as { code: string }).code).toBe('DATABASE_UNAVAILABLE');
      ms = await closedWithin(stream, changed);
      expect((await me(hubB, auth)).status).toBe(401);
    } finally {
      await cluster.pg.resume();
    }
    // Back: still refused on both hubs, and the sign-out is written with its time.
    expect((await me(hubB, auth)).status).toBe(401);
    expect((await me(hubA, auth)).status).toBe(401);
    // The cluster's own connection did not outlive the restart: read on a new one.
    const url = new URL(cluster.pg.url);
    url.pathname = '/cluster_session_ends';
    const db = new pgDriver.Client({ connectionString: url.toString() });
    await db.connect();
    try {
      await waitFor(
        async () =>
          (
            await db.query<{ revoked_at: Date | null }>('select revoked_at from sessions where token_hash = $1', [
              digestOf(auth),
            ])
          ).rows[0]?.revoked_at ?? undefined,
        { timeoutMs: 15_000, what: 'the sign-out recorded' },
      );
    } finally {
      await db.end();
    }
    process.stdout.write(`session-outage: sign-out on hub A in an outage -> stream on hub B closed in ${ms} ms\n`);
  });
});
