import { Logger } from '@nestjs/common';
import type { AuthenticateError, Client, ConnectPacket, PublishPacket } from 'aedes';
import type { EnvDto } from '@bedside/config';
import type { DatabaseHealth } from '@bedside/database';
import type { Metrics } from '@bedside/observability';
import { ConnectionAddresses } from './connection-address';
import type { DeviceAuthenticator, LoginResult } from './device-authenticator';
import { DeviceHooks, refusedUplinks } from './device-hooks';
import { DeviceSessions, type DeviceSession } from './device-session';
import type { DownlinkPublisher } from './downlink.publisher';
import type { OutageHolds } from './outage-holds';

const SESSION: DeviceSession = {
  deviceId: 'btn-1',
  kind: 'button',
  organisationId: 'org',
  bedId: 'bed-1',
  remoteAddress: '10.0.0.7',
  authenticatedAt: 1_000,
};

function setUp(login: (address: string) => Promise<LoginResult>) {
  const counter = () => ({ inc: jest.fn() });
  const metrics = { aclDenials: counter(), messagesRejected: counter() };
  const finalErrors: { deviceId: string; code: string }[] = [];
  const held: (number | undefined)[] = [];
  const hooks = new DeviceHooks(
    { MQTT_KEEPALIVE_MAX_S: 300 } as EnvDto,
    {
      login: (_id: string, _u: unknown, _p: unknown, address: string) => login(address),
    } as unknown as DeviceAuthenticator,
    {
      sendFinalError: (deviceId: string, e: { code: string }) => {
        finalErrors.push({ deviceId, code: e.code });
        return Promise.resolve();
      },
    } as unknown as DownlinkPublisher,
    metrics as unknown as Metrics,
    { unavailable: () => true } as unknown as DatabaseHealth,
    {
      hold: (client: Client, packet: PublishPacket) => {
        if (client.closed) return false;
        held.push(packet.messageId);
        packet.qos = 0;
        return true;
      },
    } as unknown as OutageHolds,
  );
  return { hooks: hooks.hooks, setUplinkHandler: hooks.setUplinkHandler.bind(hooks), metrics, finalErrors, held };
}

/** A client logged in as SESSION, on a transport accepted from `address`. */
function loggedIn(address = '10.0.0.7'): Client {
  const conn = {};
  ConnectionAddresses.note(conn, address);
  const client = { id: SESSION.deviceId, conn } as unknown as Client;
  DeviceSessions.attach(client, SESSION);
  return client;
}

const publish = (topic: string, messageId?: number): PublishPacket => ({
  cmd: 'publish',
  topic,
  qos: 1,
  messageId,
  payload: Buffer.from('{}'),
  retain: false,
  dup: false,
});

/** Runs an aedes hook that answers through a callback. */
const answerOf = <T>(run: (done: (...args: T[]) => void) => void) =>
  new Promise<T[]>((resolve) => run((...args) => resolve(args)));

describe('device hooks', () => {
  // The hooks log refusals; the assertions are on what they answer aedes.
  beforeAll(() => Logger.overrideLogger(false));

  it('serves keep-alive 0 and values above the cap as the cap, and refuses a Will with a wildcard', async () => {
    const { hooks } = setUp(() => Promise.reject(new Error('unused')));
    const packet = { clientId: 'btn-1', keepalive: 0 } as ConnectPacket;
    expect(await answerOf((done) => hooks.preConnect({} as Client, packet, done))).toEqual([null, true]);
    expect(packet.keepalive).toBe(300);
    const wild = {
      clientId: 'btn-1',
      keepalive: 60,
      will: { topic: 'bedside/#', qos: 1, payload: Buffer.from(''), retain: false },
    } as unknown as ConnectPacket;
    const [err, ok] = await answerOf<unknown>((done) => hooks.preConnect({} as Client, wild, done));
    expect(ok).toBe(false);
    expect((err as Error).message).toMatch(/wildcard/);
  });

  it('logs a device in with the address its transport was accepted from, and maps refusals to CONNACK codes', async () => {
    const seen: string[] = [];
    const results: LoginResult[] = [
      { ok: true, session: SESSION },
      { ok: false, reason: 'bad-password' },
      { ok: false, reason: 'client-id-mismatch' },
      { ok: false, reason: 'revoked' },
    ];
    const { hooks } = setUp((address) => {
      seen.push(address);
      return Promise.resolve(results.shift()!);
    });
    const client = (address: string) => {
      const conn = {};
      ConnectionAddresses.note(conn, address);
      return { id: 'btn-1', conn } as unknown as Client;
    };
    const accepted = client('203.0.113.9');
    expect(await answerOf((done) => hooks.authenticate(accepted, 'btn-1', Buffer.from('s'), done))).toEqual([
      null,
      true,
    ]);
    expect(DeviceSessions.of(accepted)).toEqual(SESSION);
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [err] = await answerOf<AuthenticateError | boolean | null>((done) =>
        hooks.authenticate(client('203.0.113.9'), 'btn-1', Buffer.from('s'), done),
      );
      codes.push((err as AuthenticateError).returnCode);
    }
    expect(codes).toEqual([4, 2, 5]); // MQTT 3.1.1 §3.2.2.3
    expect(seen).toEqual(['203.0.113.9', '203.0.113.9', '203.0.113.9', '203.0.113.9']);
  });

  it('answers CONNACK 3 (server unavailable) when the login check fails', async () => {
    const { hooks } = setUp(() => Promise.reject(new Error('database down')));
    const [err, ok] = await answerOf<AuthenticateError | boolean | null>((done) =>
      hooks.authenticate(loggedIn(), 'btn-1', Buffer.from('s'), done),
    );
    expect(ok).toBe(false);
    expect((err as AuthenticateError).returnCode).toBe(3);
  });

  it('hands an own-topic publish to ingest and acknowledges only once it is handled', async () => {
    const { hooks, setUplinkHandler } = setUp(() => Promise.reject(new Error('unused')));
    const client = loggedIn();
    const topic = 'bedside/v1/devices/btn-1/events';
    const [notReady] = await answerOf<Error | null | undefined>((done) =>
      hooks.authorizePublish(client, publish(topic, 7), done),
    );
    expect(notReady?.message).toBe('ingest not ready');

    let release!: () => void;
    const handled: { channel: string; deviceId: string }[] = [];
    setUplinkHandler((session, channel) => {
      handled.push({ channel, deviceId: session.deviceId });
      return new Promise<void>((r) => (release = r));
    });
    let answered = false;
    const answer = answerOf<Error | null | undefined>((done) =>
      hooks.authorizePublish(client, publish(topic, 8), (...args) => {
        answered = true;
        done(...args);
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(handled).toEqual([{ channel: 'events', deviceId: 'btn-1' }]);
    expect(answered).toBe(false); // no PUBACK before ingest has it
    release();
    expect(await answer).toEqual([null]);

    setUplinkHandler(() => Promise.reject(new Error('store failed')));
    const [failed] = await answerOf<Error | null | undefined>((done) =>
      hooks.authorizePublish(client, publish(topic, 9), done),
    );
    expect(failed?.message).toBe('store failed');
  });

  it('holds a publish the database could not take unacknowledged on the open connection, not relayed', async () => {
    const { hooks, setUplinkHandler, held } = setUp(() => Promise.reject(new Error('unused')));
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    setUplinkHandler(() => Promise.reject(outage));
    const client = loggedIn();
    const packet = publish('bedside/v1/devices/btn-1/telemetry', 11);
    const [answer] = await answerOf<Error | null | undefined>((done) => hooks.authorizePublish(client, packet, done));
    expect(answer).toBeNull(); // aedes goes on reading the connection
    expect(held).toEqual([11]);
    expect(packet.qos).toBe(0); // so aedes sends no PUBACK for it
    expect(refusedUplinks.has(packet)).toBe(true); // and relays it to nobody

    (client as { closed: boolean }).closed = true; // a connection already gone is closed as before
    const [gone] = await answerOf<Error | null | undefined>((done) =>
      hooks.authorizePublish(client, publish('bedside/v1/devices/btn-1/telemetry', 12), done),
    );
    expect(gone).toBe(outage);
  });

  it("tells ingest which uplink is the connection's Last Will (published by the broker) and which the device sent", async () => {
    const { hooks, setUplinkHandler } = setUp(() => Promise.reject(new Error('unused')));
    const origins: string[] = [];
    setUplinkHandler((_s, _c, _p, origin) => {
      origins.push(origin);
      return Promise.resolve();
    });
    const client = loggedIn();
    const topic = 'bedside/v1/devices/btn-1/status';
    // As aedes stores it at CONNECT and hands it to authorizePublish on close (no cmd, no id).
    const will = { topic, qos: 1, payload: Buffer.from('{"state":"offline"}'), retain: true } as PublishPacket;
    (client as unknown as { will: PublishPacket }).will = will;
    expect(await answerOf((done) => hooks.authorizePublish(client, publish(topic, 4), done))).toEqual([null]);
    expect(await answerOf((done) => hooks.authorizePublish(client, will, done))).toEqual([null]);
    // The same content sent by the device is the device's.
    expect(await answerOf((done) => hooks.authorizePublish(client, { ...will }, done))).toEqual([null]);
    expect(origins).toEqual(['device', 'last-will', 'device']);
  });

  it('closes a QoS 1 publish with packet id 0, and one to a foreign topic after telling the device why', async () => {
    const { hooks, setUplinkHandler, metrics, finalErrors } = setUp(() => Promise.reject(new Error('unused')));
    const uplinks: string[] = [];
    setUplinkHandler((_s, channel) => {
      uplinks.push(channel);
      return Promise.resolve();
    });
    const client = loggedIn();
    const [zero] = await answerOf<Error | null | undefined>((done) =>
      hooks.authorizePublish(client, publish('bedside/v1/devices/btn-1/events', 0), done),
    );
    expect(zero?.message).toMatch(/packet identifier 0/);
    const [foreign] = await answerOf<Error | null | undefined>((done) =>
      hooks.authorizePublish(client, publish('bedside/v1/devices/btn-2/events', 3), done),
    );
    expect(foreign?.message).toMatch(/topic not allowed/);
    expect(finalErrors).toEqual([{ deviceId: 'btn-1', code: 'TOPIC_NOT_ALLOWED' }]);
    expect(metrics.aclDenials.inc).toHaveBeenCalledWith({ action: 'publish' });
    expect(uplinks).toEqual([]);
  });

  it('lets a device subscribe to its own downlinks only', async () => {
    const { hooks, metrics } = setUp(() => Promise.reject(new Error('unused')));
    const client = loggedIn();
    const own = { topic: 'bedside/v1/devices/btn-1/acks', qos: 1 as const };
    expect(await answerOf((done) => hooks.authorizeSubscribe(client, own, done))).toEqual([null, own]);
    const other = { topic: 'bedside/v1/devices/btn-2/acks', qos: 1 as const };
    expect(await answerOf((done) => hooks.authorizeSubscribe(client, other, done))).toEqual([null, null]);
    expect(metrics.aclDenials.inc).toHaveBeenCalledWith({ action: 'subscribe' });
  });
});
