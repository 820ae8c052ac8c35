import { Logger } from '@nestjs/common';
import type { Client, PublishPacket } from 'aedes';
import { Subject } from 'rxjs';
import type { EnvDto } from '@bedside/config';
import type { DatabaseHealth } from '@bedside/database';
import type { BrokerMetrics } from './broker.metrics';
import type { ConnectionSupervisor } from './connection-supervisor';
import { OutageHolds } from './outage-holds';

const counter = () => ({
  value: 0,
  inc: jest.fn(function (this: { value: number }) {
    this.value++;
  }),
});

function setUp(perSecond = 250) {
  const recovered$ = new Subject<void>();
  const database = { recovered$, down: false };
  const resent: string[] = [];
  const gauge = {
    value: 0,
    set: jest.fn(function (this: { value: number }, n: number) {
      this.value = n;
    }),
  };
  const metrics = { heldForOutage: counter(), releasedAfterOutage: counter(), holdingForOutage: gauge };
  const holds = new OutageHolds(
    database as unknown as DatabaseHealth,
    { closeForResend: (c: Client) => resent.push(c.id) } as unknown as ConnectionSupervisor,
    metrics as unknown as BrokerMetrics,
    { now: () => Date.now() },
    { MQTT_OUTAGE_RELEASE_PER_S: perSecond } as EnvDto,
  );
  holds.onApplicationBootstrap();
  const client = (id: string) => ({ id, closed: false }) as unknown as Client;
  const packet = (qos = 1) =>
    ({ cmd: 'publish', qos, messageId: 1, topic: 't', payload: Buffer.from('{}') }) as unknown as PublishPacket;
  const call = () =>
    ({
      cmd: 'publish',
      qos: 1,
      messageId: 2,
      topic: 't',
      payload: Buffer.from(JSON.stringify({ eventId: 'e', type: 'button.pressed', ts: 1 })),
    }) as unknown as PublishPacket;
  return { recovered$, database, resent, holds, client, packet, call, metrics };
}

describe('OutageHolds', () => {
  let logged: Record<string, unknown>[];
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    logged = [];
    jest
      .spyOn(Logger.prototype, 'log')
      .mockImplementation((m: unknown) => void logged.push(m as Record<string, unknown>));
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('holds messages without a PUBACK and, when the database is back, closes a few holding connections at once, each once', () => {
    const { recovered$, resent, holds, client, packet, metrics } = setUp();
    const a = client('a');
    const b = client('b');
    const p = packet();
    expect(holds.hold(a, p, 'telemetry')).toBe(true);
    expect(p.qos).toBe(0);
    holds.hold(a, packet(), 'status');
    holds.hold(b, packet(), 'telemetry');
    expect(holds.connections).toBe(2);
    expect(metrics.heldForOutage.value).toBe(3);
    expect(metrics.holdingForOutage.value).toBe(2);
    recovered$.next();
    expect(resent).toEqual(['a', 'b']);
    expect(metrics.releasedAfterOutage.value).toBe(2);
    expect(metrics.holdingForOutage.value).toBe(0);
    expect(logged.at(-1)).toMatchObject({ closed: 2, alreadyGone: 0, overMs: 0 });
    recovered$.next(); // nothing held any more
    jest.runAllTimers();
    expect(resent).toEqual(['a', 'b']);
  });

  it('holds nothing for a QoS 0 message, which is never resent', () => {
    const { recovered$, resent, holds, client, packet, metrics } = setUp();
    const qos0 = packet(0);
    expect(holds.hold(client('a'), qos0, 'telemetry')).toBe(true);
    expect(holds.connections).toBe(0);
    expect(metrics.heldForOutage.value).toBe(0);
    recovered$.next();
    expect(resent).toEqual([]);
  });

  it('does not hold on a closed connection, and skips one that its device closed meanwhile', () => {
    const { recovered$, resent, holds, client, packet, metrics } = setUp();
    const gone = client('gone');
    (gone as { closed: boolean }).closed = true;
    expect(holds.hold(gone, packet(), 'telemetry')).toBe(false);
    const later = client('later');
    holds.hold(later, packet(), 'telemetry');
    holds.hold(client('open'), packet(), 'telemetry');
    (later as { closed: boolean }).closed = true;
    recovered$.next();
    expect(resent).toEqual(['open']);
    expect(metrics.releasedAfterOutage.value).toBe(1);
    expect(logged.at(-1)).toMatchObject({ closed: 1, alreadyGone: 1 });
  });

  it('closes those holding a call for help first, then the others by how long they have held, oldest first', () => {
    const { recovered$, resent, holds, client, packet, call } = setUp(10); // one per 100 ms
    const [oldest, older, caller, lateCaller, newest] = ['oldest', 'older', 'caller', 'late-caller', 'newest'].map(
      client,
    );
    holds.hold(oldest, packet(), 'telemetry');
    holds.hold(older, packet(), 'status');
    holds.hold(caller, call(), 'events');
    holds.hold(lateCaller, packet(), 'telemetry');
    holds.hold(newest, packet(), 'telemetry');
    holds.hold(lateCaller, call(), 'events'); // its call came after its first held reading
    holds.hold(oldest, packet(), 'telemetry'); // a second message does not make it younger
    holds.hold(newest, call(), 'status'); // a call-shaped status is no call
    recovered$.next();
    jest.runAllTimers();
    expect(resent).toEqual(['caller', 'late-caller', 'oldest', 'older', 'newest']);
    expect(logged[0]).toMatchObject({ connections: 5, callsForHelp: 2, expectedMs: 400 });
  });

  it('spreads the closes over a window that grows with their number, at the configured rate', () => {
    const { recovered$, resent, holds, client, packet } = setUp(50); // 5 every 100 ms
    for (let i = 0; i < 23; i++) holds.hold(client(`c${i}`), packet(), 'telemetry');
    recovered$.next();
    expect(resent).toHaveLength(5); // a first batch at once
    jest.advanceTimersByTime(99);
    expect(resent).toHaveLength(5);
    jest.advanceTimersByTime(1);
    expect(resent).toHaveLength(10);
    jest.advanceTimersByTime(200);
    expect(resent).toHaveLength(20);
    jest.advanceTimersByTime(100);
    expect(resent).toEqual(Array.from({ length: 23 }, (_, i) => `c${i}`));
    expect(holds.connections).toBe(0);
    expect(logged.at(-1)).toMatchObject({ closed: 23, overMs: 400 });
  });

  it('below one per batch, closes one at a time at the rate', () => {
    const { recovered$, resent, holds, client, packet } = setUp(2);
    for (const id of ['a', 'b', 'c']) holds.hold(client(id), packet(), 'telemetry');
    recovered$.next();
    expect(resent).toEqual(['a']);
    jest.advanceTimersByTime(499);
    expect(resent).toEqual(['a']);
    jest.advanceTimersByTime(1);
    expect(resent).toEqual(['a', 'b']);
    jest.advanceTimersByTime(500);
    expect(resent).toEqual(['a', 'b', 'c']);
  });

  it('by default closes 10,000 within a minute and a handful at once', () => {
    const { recovered$, resent, holds, client, packet } = setUp();
    for (let i = 0; i < 10_000; i++) holds.hold(client(`c${i}`), packet(), 'telemetry');
    recovered$.next();
    expect(resent.length).toBeGreaterThanOrEqual(5);
    expect(resent.length).toBeLessThanOrEqual(50);
    jest.advanceTimersByTime(30_000);
    expect(resent.length).toBeLessThan(10_000); // spread: not all within 30 s
    jest.advanceTimersByTime(30_000);
    expect(resent).toHaveLength(10_000);
    expect(new Set(resent).size).toBe(10_000);
    const overMs = logged.at(-1)!.overMs as number;
    expect(overMs).toBeGreaterThanOrEqual(30_000);
    expect(overMs).toBeLessThanOrEqual(60_000);
  });

  it('stops closing when the database fails again, and goes on in the same order when it is back', () => {
    const { recovered$, database, resent, holds, client, packet, call, metrics } = setUp(10);
    for (const id of ['a', 'b', 'c', 'd']) holds.hold(client(id), packet(), 'telemetry');
    recovered$.next();
    jest.advanceTimersByTime(100);
    expect(resent).toEqual(['a', 'b']);
    database.down = true;
    const e = client('e');
    holds.hold(e, call(), 'events'); // a resend of a closed one, held again
    jest.advanceTimersByTime(1_000);
    expect(resent).toEqual(['a', 'b']);
    expect(holds.connections).toBe(3);
    expect(metrics.holdingForOutage.value).toBe(3);
    database.down = false;
    recovered$.next();
    jest.runAllTimers();
    expect(resent).toEqual(['a', 'b', 'e', 'c', 'd']);
    expect(metrics.releasedAfterOutage.value).toBe(5);
  });

  it('closes nothing after shutdown', () => {
    const { recovered$, resent, holds, client, packet } = setUp(10);
    for (const id of ['a', 'b']) holds.hold(client(id), packet(), 'telemetry');
    recovered$.next();
    holds.onApplicationShutdown();
    jest.runAllTimers();
    expect(resent).toEqual(['a']);
  });
});
