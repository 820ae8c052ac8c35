import { connect as natsConnect } from 'nats';
import { DomainError, SystemClock } from '@bedside/common';
import { freePort, startNats, waitFor, type NatsServer } from '@bedside/testing';
import type { BusMessage, BusMeta } from './bus-envelope';
import { ClusterBus, type BusCounters, type ClusterBusLog } from './cluster-bus';

class RecordingCounters implements BusCounters {
  readonly counts = new Map<string, number>();
  private bump(key: string) {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  published(t: string) {
    this.bump(`published:${t}`);
  }
  received(t: string) {
    this.bump(`received:${t}`);
  }
  dropped(t: string, reason: string) {
    this.bump(`dropped:${t}:${reason}`);
  }
  undecodable(t: string) {
    this.bump(`undecodable:${t}`);
  }
  handlerFailed(t: string) {
    this.bump(`handlerFailed:${t}`);
  }
  requestFailed(t: string, reason: string) {
    this.bump(`requestFailed:${t}:${reason}`);
  }
  connected(up: boolean) {
    this.bump(up ? 'up' : 'down');
  }
}

class RecordingLog implements ClusterBusLog {
  readonly lines: { level: string; msg: string; text: string }[] = [];
  log(m: { msg?: string }) {
    this.lines.push({ level: 'log', msg: String(m.msg), text: JSON.stringify(m) });
  }
  warn(m: { msg?: string }) {
    this.lines.push({ level: 'warn', msg: String(m.msg), text: JSON.stringify(m) });
  }
  error(m: { msg?: string }) {
    this.lines.push({ level: 'error', msg: String(m.msg), text: JSON.stringify(m) });
  }
  count(re: RegExp): number {
    return this.lines.filter((l) => re.test(l.msg)).length;
  }
}

interface Node {
  bus: ClusterBus;
  counters: RecordingCounters;
  log: RecordingLog;
}

interface Ping extends BusMessage {
  kind: 'ping';
  n: number;
}

const FAST_BACKOFF = { initialMs: 50, maxMs: 400 };

describe('ClusterBus (real nats-server)', () => {
  let nats: NatsServer;
  const nodes: Node[] = [];

  const node = (nodeId: string, url = nats.url): Node => {
    const counters = new RecordingCounters();
    const log = new RecordingLog();
    const bus = new ClusterBus({ url, nodeId, backoff: FAST_BACKOFF }, new SystemClock(), counters, log);
    nodes.push({ bus, counters, log });
    bus.start();
    return { bus, counters, log };
  };
  const connected = async (...ns: Node[]) => {
    await waitFor(() => ns.every((n) => n.bus.connected), { what: 'buses connected', timeoutMs: 10_000 });
    for (const n of ns) await n.bus.flush();
  };
  const collect = () => {
    const got: { msg: BusMessage; meta: BusMeta }[] = [];
    return { got, handler: (msg: BusMessage, meta: BusMeta) => void got.push({ msg, meta }) };
  };

  beforeEach(async () => {
    nats = await startNats();
  });
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.bus.close()));
    await nats.stop();
  });

  it('delivers a message to the subscribers of its partition only, with sender and time', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    const p3 = collect();
    const p4 = collect();
    b.bus.subscribePartition(3, p3.handler);
    b.bus.subscribePartition(4, p4.handler);
    await connected(a, b);

    const before = Date.now();
    expect(a.bus.publishToPartition(3, { kind: 'ping', n: 1 })).toBe(true);
    expect(a.bus.publishToPartition(3, { kind: 'ping', n: 2 })).toBe(true);
    await waitFor(() => p3.got.length === 2, { what: 'two messages on partition 3' });

    expect(p3.got.map((g) => g.msg)).toEqual([
      { kind: 'ping', n: 1 },
      { kind: 'ping', n: 2 },
    ]);
    expect(p3.got[0].meta.from).toBe('hub-a');
    expect(p3.got[0].meta.sentAt).toBeGreaterThanOrEqual(before);
    expect(p3.got[0].meta.sentAt).toBeLessThanOrEqual(Date.now());
    expect(p4.got).toEqual([]);
    expect(a.counters.get('published:partition')).toBe(2);
    expect(b.counters.get('received:partition')).toBe(2);
  });

  it('stops delivering after unsubscribe', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    const gone = collect();
    const marker = collect();
    const unsubscribe = b.bus.subscribePartition(1, gone.handler);
    b.bus.subscribePartition(2, marker.handler);
    await connected(a, b);
    a.bus.publishToPartition(1, { kind: 'before' });
    await waitFor(() => gone.got.length === 1, { what: 'the message before unsubscribing' });

    unsubscribe();
    await b.bus.flush();
    a.bus.publishToPartition(1, { kind: 'after' });
    // One publisher, one receiving connection: the server keeps their order, so once the marker
    // sent after arrived, the unsubscribed partition's message would have too.
    a.bus.publishToPartition(2, { kind: 'marker' });
    await waitFor(() => marker.got.length === 1, { what: 'the marker' });
    expect(gone.got.map((g) => g.msg.kind)).toEqual(['before']);
  });

  it('answers a request from the partition owner', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    const seen: BusMeta[] = [];
    b.bus.servePartition<Ping, Ping>(5, (cmd, meta) => {
      seen.push(meta);
      return { kind: 'ping', n: cmd.n + 1 };
    });
    await connected(a, b);

    await expect(a.bus.requestPartition(5, { kind: 'ping', n: 41 }, 5000)).resolves.toEqual({
      kind: 'ping',
      n: 42,
    });
    expect(seen.map((m) => m.from)).toEqual(['hub-a']);
  });

  it("re-throws the owner's DomainError with its code, message and details; any other error stays a plain one", async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    b.bus.servePartition(5, (cmd) => {
      if (cmd.kind === 'missing') throw new DomainError('NOT_FOUND', 'bed b-7 not found', { id: 'b-7' });
      throw new TypeError('cannot read properties of undefined');
    });
    await connected(a, b);

    const err = await a.bus.requestPartition(5, { kind: 'missing' }, 5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'bed b-7 not found', details: { id: 'b-7' } });

    const bug = await a.bus.requestPartition(5, { kind: 'crash' }, 5000).catch((e: unknown) => e);
    expect(bug).toBeInstanceOf(Error);
    expect(bug).not.toBeInstanceOf(DomainError);
    // The serving node keeps the internals (logged there), the requester learns only that it failed.
    expect((bug as Error).message).not.toMatch(/undefined/);
    expect(b.counters.get('handlerFailed:partition')).toBe(1);
    expect(b.log.count(/handler failed/)).toBe(1);
  });

  it('answers with an error at once when a request handler returns no message', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    b.bus.servePartition(5, () => undefined as unknown as BusMessage);
    await connected(a, b);

    const started = Date.now();
    const err = await a.bus.requestPartition(5, { kind: 'ping' }, 5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(DomainError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(b.counters.get('handlerFailed:partition')).toBe(1);
  });

  it('fails at once with PARTITION_UNAVAILABLE when nobody serves the partition (no responders)', async () => {
    const a = node('hub-a');
    await connected(a);
    const started = Date.now();
    const err = await a.bus.requestPartition(9, { kind: 'ping' }, 5000).catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'PARTITION_UNAVAILABLE', details: { partition: 9, reason: 'no_responders' } });
    expect(elapsed).toBeLessThan(1000); // the timeout was 5 s
    expect(a.counters.get('requestFailed:partition:no_responders')).toBe(1);
  });

  it('fails with PARTITION_UNAVAILABLE after the timeout when the owner does not answer', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    let release = () => undefined as void;
    b.bus.servePartition(6, () => new Promise<BusMessage>((r) => (release = () => r({ kind: 'late' }))));
    await connected(a, b);

    const started = Date.now();
    const err = await a.bus.requestPartition(6, { kind: 'ping' }, 300).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    release();

    expect(err).toMatchObject({ code: 'PARTITION_UNAVAILABLE', details: { partition: 6, reason: 'timeout' } });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it('sends a request to one of two nodes serving the same partition, never both', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    const c = node('hub-c');
    let handled = 0;
    const serve = () => {
      handled++;
      return { kind: 'done' };
    };
    b.bus.servePartition(7, serve);
    c.bus.servePartition(7, serve);
    await connected(a, b, c);

    for (let i = 0; i < 20; i++) await a.bus.requestPartition(7, { kind: 'do' }, 5000);
    await a.bus.flush();
    await b.bus.flush();
    await c.bus.flush();
    expect(handled).toBe(20);
  });

  it('addresses nodes by id (a "." in the id included) and answers NODE_UNAVAILABLE for a node nobody serves', async () => {
    const a = node('hub-a');
    const b = node('hub.b');
    const got = collect();
    b.bus.subscribeNode('hub.b', got.handler);
    b.bus.serveNode('hub.b', (cmd) => ({ kind: `${cmd.kind}-ack` }));
    await connected(a, b);

    expect(a.bus.publishToNode('hub.b', { kind: 'downlink' })).toBe(true);
    await waitFor(() => got.got.length === 1, { what: 'the downlink' });
    expect(got.got[0]).toMatchObject({ msg: { kind: 'downlink' }, meta: { from: 'hub-a' } });
    await expect(a.bus.requestNode('hub.b', { kind: 'revoke' }, 5000)).resolves.toEqual({ kind: 'revoke-ack' });

    // "hub-b" is another node than "hub.b" (the "." is escaped in the subject, not a token separator).
    const err = await a.bus.requestNode('hub-b', { kind: 'revoke' }, 5000).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NODE_UNAVAILABLE', details: { node: 'hub-b', reason: 'no_responders' } });
  });

  it('counts and logs what it cannot decode, calls no handler, answers a bad request at once and keeps working', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    const got = collect();
    b.bus.subscribePartition(2, got.handler);
    b.bus.servePartition(2, () => ({ kind: 'ok' }));
    await connected(a, b);
    const raw = await natsConnect({ servers: nats.url });
    try {
      for (const junk of ['not json', '{"v":1,"from":"x","sentAt":1}', '{"v":9}', '[]', '']) {
        raw.publish(b.bus.subjects.partition(2, 'msg'), junk);
      }
      const reply = await raw.request(b.bus.subjects.partition(2, 'req'), 'garbage', { timeout: 2000 });
      expect(JSON.parse(reply.string())).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    } finally {
      await raw.close();
    }
    a.bus.publishToPartition(2, { kind: 'valid' });
    await waitFor(() => got.got.length === 1, { what: 'the valid message after the junk' });

    expect(got.got[0].msg).toEqual({ kind: 'valid' });
    expect(b.counters.get('undecodable:partition')).toBe(6);
    // Logged once per kind of problem, not once per message.
    expect(b.log.count(/undecodable NATS message/)).toBe(1);
    expect(b.log.count(/undecodable NATS request/)).toBe(1);
  });

  it('while the server is down: publishing drops and counts without throwing, requests fail at once; after a restart on the same port delivery resumes', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    const got = collect();
    const gained = collect();
    const given = collect();
    b.bus.subscribePartition(8, got.handler);
    const giveUp = b.bus.subscribePartition(10, given.handler);
    b.bus.servePartition(8, () => ({ kind: 'pong' }));
    await connected(a, b);
    a.bus.publishToPartition(8, { kind: 'first' });
    await waitFor(() => got.got.length === 1, { what: 'the first message' });

    const port = nats.port;
    await nats.stop();
    await waitFor(() => !a.bus.connected && !b.bus.connected, { what: 'both buses to notice' });
    for (let i = 0; i < 3; i++) {
      expect(() => a.bus.publishToPartition(8, { kind: 'lost' })).not.toThrow();
    }
    expect(a.bus.publishToPartition(8, { kind: 'lost' })).toBe(false);
    expect(a.counters.get('dropped:partition:disconnected')).toBe(4);
    const started = Date.now();
    await expect(a.bus.requestPartition(8, { kind: 'ping' }, 5000)).rejects.toMatchObject({
      code: 'PARTITION_UNAVAILABLE',
      details: { reason: 'disconnected' },
    });
    expect(Date.now() - started).toBeLessThan(100);
    // Several reconnect attempts (backoff 50 ms → 400 ms) while down, one line saying so.
    await new Promise((r) => setTimeout(r, 1200));
    expect(a.log.count(/unavailable$/)).toBe(1);
    // A partition gained and one given up while the server is down (a lease moving meanwhile).
    b.bus.subscribePartition(9, gained.handler);
    giveUp();

    nats = await startNats({ port });
    await connected(a, b);
    a.bus.publishToPartition(10, { kind: 'given-up' });
    a.bus.publishToPartition(9, { kind: 'gained' });
    a.bus.publishToPartition(8, { kind: 'after-restart' });
    await waitFor(() => got.got.length === 2 && gained.got.length === 1, { what: 'delivery after the restart' });
    await expect(a.bus.requestPartition(8, { kind: 'ping' }, 5000)).resolves.toEqual({ kind: 'pong' });

    expect(got.got.map((g) => g.msg.kind)).toEqual(['first', 'after-restart']);
    expect(given.got).toEqual([]);
    expect(a.log.count(/available again$/)).toBe(1);
    expect(a.counters.get('down')).toBe(1);
    expect(a.counters.get('up')).toBe(2);
  });

  it('starts without a server, keeps trying and delivers to subscriptions made before it connected', async () => {
    const port = await freePort();
    const a = node('hub-a', `nats://bus:s3cret-pw@127.0.0.1:${port}`);
    const b = node('hub-b', `nats://127.0.0.1:${port}`);
    const got = collect();
    b.bus.subscribePartition(1, got.handler);
    await new Promise((r) => setTimeout(r, 500));
    expect(a.bus.connected).toBe(false);
    expect(a.bus.publishToPartition(1, { kind: 'lost' })).toBe(false);
    expect(a.log.count(/unavailable$/)).toBe(1);
    expect(a.log.lines.map((l) => l.text).join('\n')).not.toMatch(/s3cret|bus:/);

    const late = await startNats({ port });
    try {
      await connected(a, b);
      a.bus.publishToPartition(1, { kind: 'hello' });
      await waitFor(() => got.got.length === 1, { what: 'delivery once connected' });
      expect(got.got[0].msg).toEqual({ kind: 'hello' });
      expect(a.log.count(/available again$/)).toBe(1);
    } finally {
      await Promise.all(nodes.splice(0).map((n) => n.bus.close()));
      await late.stop();
    }
  });

  it('close() lets a request being handled answer, and takes no new ones', async () => {
    const a = node('hub-a');
    const b = node('hub-b');
    let started = () => undefined as void;
    const handling = new Promise<void>((r) => (started = r));
    b.bus.servePartition(4, async () => {
      started();
      await new Promise((r) => setTimeout(r, 300));
      return { kind: 'done' };
    });
    await connected(a, b);

    const reply = a.bus.requestPartition(4, { kind: 'slow' }, 5000);
    await handling;
    const closing = b.bus.close();
    await expect(reply).resolves.toEqual({ kind: 'done' });
    await closing;
    await expect(a.bus.requestPartition(4, { kind: 'slow' }, 5000)).rejects.toMatchObject({
      code: 'PARTITION_UNAVAILABLE',
      details: { reason: 'no_responders' },
    });
  });

  it('after close: disconnected, publishing drops without throwing', async () => {
    const a = node('hub-a');
    await connected(a);
    await a.bus.close();
    expect(a.bus.connected).toBe(false);
    expect(a.bus.publishToPartition(1, { kind: 'late' })).toBe(false);
    expect(a.counters.get('dropped:partition:disconnected')).toBe(1);
  });
});
