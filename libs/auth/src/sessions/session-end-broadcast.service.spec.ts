import { EventEmitter } from 'node:events';
import type { BusMessage, BusMeta, ClusterBus } from '@bedside/cluster';
import { RememberedSessions, type LiveSession } from './remembered-sessions';
import { SESSION_ENDED, SessionEndBroadcast } from './session-end-broadcast.service';
import { SessionResolver, type SessionStore } from './session-resolver';
import { SessionStreams } from './session-streams';
import { tokenDigest } from './token-digest';

class Down extends Error {}

/** One sessions table for every hub, which can be made unreachable. */
class SharedStore implements SessionStore {
  rows = new Map<string, LiveSession & { revoked?: boolean }>();
  down = false;
  add(token: string, userId: string) {
    this.rows.set(tokenDigest(token), {
      user: { userId, username: userId, displayName: userId, role: 'operator', organisationId: 'org-1' },
      expiresAt: Date.now() + 3_600_000,
    });
  }
  private check() {
    if (this.down) throw new Down('connect ECONNREFUSED');
  }
  async resolve(digest: string) {
    this.check();
    const r = this.rows.get(digest);
    return r && !r.revoked ? { user: { ...r.user }, expiresAt: r.expiresAt } : undefined;
  }
  async revoke(digest: string) {
    this.check();
    const r = this.rows.get(digest);
    if (r) r.revoked = true;
  }
  async revokeAllOf(userId: string, _at: Date, exceptDigest?: string) {
    this.check();
    for (const [d, r] of this.rows) if (r.user.userId === userId && d !== exceptDigest) r.revoked = true;
  }
  async live() {
    this.check();
    return [...this.rows].filter(([, r]) => !r.revoked).map(([digest, r]) => ({ digest, session: r }));
  }
}

/** Core NATS on `<prefix>.all.msg` in memory: every subscriber hears every message, its sender's too; it can drop them. */
class FakeBus {
  readonly handlers = new Map<string, (m: BusMessage, meta: BusMeta) => void>();
  published: { from: string; msg: BusMessage }[] = [];
  lost = false;
  as(nodeId: string): ClusterBus {
    return {
      nodeId,
      publishToAll: (msg: BusMessage) => {
        this.published.push({ from: nodeId, msg });
        if (this.lost) return true;
        // Round trip through JSON, as on the wire.
        const copy = JSON.parse(JSON.stringify(msg)) as BusMessage;
        for (const h of this.handlers.values()) h(copy, { from: nodeId, sentAt: Date.now() });
        return true;
      },
      subscribeAll: (h: (m: BusMessage, meta: BusMeta) => void) => {
        this.handlers.set(nodeId, h);
        return () => this.handlers.delete(nodeId);
      },
    } as unknown as ClusterBus;
  }
}

class FakeResponse extends EventEmitter {
  ended: string | null = null;
  end(chunk: string) {
    this.ended = chunk;
    this.emit('close');
  }
}

function hub(store: SharedStore, bus?: ClusterBus) {
  const resolver = new SessionResolver(store, new RememberedSessions(100), {
    unavailable: (err) => err instanceof Down,
    now: () => Date.now(),
    graceMs: 900_000,
    lookupBoundMs: 1_000,
    signOutRetryMs: 60_000,
    counted: () => undefined,
    log: { warn: () => undefined, log: () => undefined },
  });
  const streams = new SessionStreams(resolver);
  const broadcast = new SessionEndBroadcast(resolver, streams, bus);
  broadcast.onApplicationBootstrap();
  /** A stream opened on this hub with `token` (after the guard let it in). */
  const open = async (token: string) => {
    const user = await resolver.resolve(token);
    const res = new FakeResponse();
    streams.hold({ headers: { authorization: `Bearer ${token}` }, user }, res);
    return res;
  };
  const stop = () => {
    broadcast.onApplicationShutdown();
    resolver.stop();
  };
  return { resolver, streams, open, stop };
}

const outcome = (h: ReturnType<typeof hub>, token: string) =>
  h.resolver.resolve(token).then(
    (u) => (u ? 'ok' : 'ended'),
    (err: { code?: string }) => err.code ?? 'thrown',
  );

describe('SessionEndBroadcast', () => {
  let store: SharedStore;
  let bus: FakeBus;
  let a: ReturnType<typeof hub>;
  let b: ReturnType<typeof hub>;
  beforeEach(() => {
    store = new SharedStore();
    store.add('tok-1', 'alice');
    store.add('tok-2', 'alice');
    store.add('tok-3', 'bob');
    bus = new FakeBus();
    a = hub(store, bus.as('hub-a'));
    b = hub(store, bus.as('hub-b'));
  });
  afterEach(() => {
    a.stop();
    b.stop();
  });

  it("a sign-out on one hub closes the session's stream on the other at once; other sessions' streams stay", async () => {
    const stream = await b.open('tok-1');
    const other = await b.open('tok-3');
    await a.resolver.resolve('tok-1');
    await a.resolver.signOut('tok-1');
    expect(stream.ended).toBe(': session ended; sign in again\n\n');
    expect(other.ended).toBeNull();
    expect(b.streams.size).toBe(1);
    expect(bus.published).toEqual([
      {
        from: 'hub-a',
        msg: {
          kind: SESSION_ENDED,
          end: { kind: 'session', digest: tokenDigest('tok-1'), at: expect.any(Number), recorded: true },
        },
      },
    ]);
  });

  it('during an outage the other hub refuses the signed-out session from memory, and keeps refusing once the database is back', async () => {
    await b.open('tok-1');
    await a.resolver.resolve('tok-1');
    store.down = true;
    expect(await outcome(b, 'tok-1')).toBe('ok'); // served from memory
    await expect(a.resolver.signOut('tok-1')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(await outcome(b, 'tok-1')).toBe('ended');
    store.down = false;
    expect(await outcome(b, 'tok-1')).toBe('ended'); // neither hub has written it yet
    await b.resolver.flushSignOuts();
    expect(store.rows.get(tokenDigest('tok-1'))!.revoked).toBe(true);
  });

  it("a disabled user's streams close on every hub, and only theirs; a kept session's stream stays", async () => {
    const s1 = await b.open('tok-1');
    const s2 = await a.open('tok-2');
    const s3 = await b.open('tok-3');
    await a.resolver.endAllOf('alice', 'tok-2');
    expect(s1.ended).not.toBeNull();
    expect(s2.ended).toBeNull();
    expect(s3.ended).toBeNull();
    await a.resolver.endAllOf('alice');
    expect(s2.ended).not.toBeNull();
  });

  it('without the bus message the other hub learns the end only at its next read, which closes the stream then', async () => {
    const stream = await b.open('tok-1');
    bus.lost = true;
    await a.resolver.signOut('tok-1');
    expect(stream.ended).toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    await b.resolver.refresh();
    expect(stream.ended).not.toBeNull();
  });

  it('a stream that opens just after its session ended elsewhere is closed at once', async () => {
    await b.resolver.resolve('tok-1'); // the check that let the request in
    await a.resolver.signOut('tok-1'); // told to hub B before its stream is held
    const late = new FakeResponse();
    b.streams.hold({ headers: { authorization: 'Bearer tok-1' } }, late);
    expect(late.ended).not.toBeNull();
    expect(b.streams.size).toBe(0);
  });

  it('ignores its own messages, other kinds, and ends it cannot read', () => {
    const forget = jest.spyOn(b.resolver, 'endedElsewhere');
    const handler = bus.handlers.get('hub-b')!;
    handler({ kind: SESSION_ENDED, end: { kind: 'user', userId: 'alice' } }, { from: 'hub-b', sentAt: 0 });
    handler({ kind: 'database.answers', fresh: true }, { from: 'hub-a', sentAt: 0 });
    handler({ kind: SESSION_ENDED, end: { kind: 'session', digest: 7 } }, { from: 'hub-a', sentAt: 0 });
    expect(forget).not.toHaveBeenCalled();
    handler({ kind: SESSION_ENDED, end: { kind: 'user', userId: 'alice' } }, { from: 'hub-a', sentAt: 0 });
    expect(forget).toHaveBeenCalledWith({ kind: 'user', userId: 'alice' });
  });

  it('single-node (no bus): the streams of a session signed out here close, nothing is published', async () => {
    const alone = hub(store);
    try {
      const stream = await alone.open('tok-3');
      const basic = new FakeResponse();
      alone.streams.hold({ headers: { authorization: 'Basic YWRtaW46eA==' } }, basic);
      expect(alone.streams.size).toBe(1); // HTTP Basic belongs to no session
      await alone.resolver.signOut('tok-3');
      expect(stream.ended).not.toBeNull();
      expect(bus.published).toEqual([]);
    } finally {
      alone.stop();
    }
  });
});
