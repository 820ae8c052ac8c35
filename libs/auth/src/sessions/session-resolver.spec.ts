import { DomainError } from '@bedside/common';
import { RememberedSessions, type LiveSession } from './remembered-sessions';
import { SessionResolver, type SessionStore } from './session-resolver';
import { tokenDigest } from './token-digest';

const MIN = 60_000;
const GRACE = 15 * MIN;

class Down extends Error {
  readonly code = 'ECONNREFUSED';
}

/** The sessions table in memory, which can be made unreachable. */
class FakeStore implements SessionStore {
  rows = new Map<string, LiveSession & { revokedAt?: number }>();
  down = false;
  /** Lookups wait until thawed, like a database stopped with SIGSTOP. */
  frozen: (() => void)[] | null = null;
  lookups = 0;

  add(token: string, userId: string, expiresAt: number, role: LiveSession['user']['role'] = 'operator') {
    this.rows.set(tokenDigest(token), {
      user: { userId, username: userId, displayName: userId, role, organisationId: 'org-1' },
      expiresAt,
    });
  }
  async resolve(digest: string, now: Date) {
    this.lookups++;
    if (this.frozen) await new Promise<void>((r) => this.frozen!.push(r));
    if (this.down) throw new Down('connect ECONNREFUSED');
    const r = this.rows.get(digest);
    return r && r.revokedAt === undefined && r.expiresAt > now.getTime()
      ? { user: { ...r.user }, expiresAt: r.expiresAt }
      : undefined;
  }
  live(now: Date, limit: number) {
    if (this.down) return Promise.reject(new Down('connect ECONNREFUSED'));
    const rows = [...this.rows]
      .filter(([, r]) => r.revokedAt === undefined && r.expiresAt > now.getTime())
      .map(([digest, r]) => ({ digest, session: { user: { ...r.user }, expiresAt: r.expiresAt } }));
    return Promise.resolve(rows.slice(0, limit));
  }
  thaw() {
    const waiting = this.frozen ?? [];
    this.frozen = null;
    waiting.forEach((go) => go());
  }
  revoke(digest: string, at: Date) {
    if (this.down) return Promise.reject(new Down('connect ECONNREFUSED'));
    const r = this.rows.get(digest);
    if (r) r.revokedAt ??= at.getTime();
    return Promise.resolve();
  }
  revokeAllOf(userId: string, at: Date, exceptDigest?: string) {
    if (this.down) return Promise.reject(new Down('connect ECONNREFUSED'));
    for (const [d, r] of this.rows) if (r.user.userId === userId && d !== exceptDigest) r.revokedAt ??= at.getTime();
    return Promise.resolve();
  }
}

function setup(graceMs = GRACE, capacity = 100) {
  let now = 1_000_000;
  const store = new FakeStore();
  const counted: string[] = [];
  const logs: { level: string; msg: string }[] = [];
  const resolver = new SessionResolver(store, new RememberedSessions(capacity), {
    unavailable: (err) => err instanceof Down,
    now: () => now,
    graceMs,
    lookupBoundMs: 50,
    signOutRetryMs: 60_000,
    counted: (o) => counted.push(o),
    log: {
      warn: (m) => logs.push({ level: 'warn', msg: (m as { msg: string }).msg }),
      log: (m) => logs.push({ level: 'log', msg: (m as { msg: string }).msg }),
    },
  });
  return {
    store,
    resolver,
    counted,
    logs,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

/** The code a refusal carries, or 'ok' / 'ended'. */
async function outcome(resolver: SessionResolver, token: string): Promise<string> {
  try {
    return (await resolver.resolve(token)) ? 'ok' : 'ended';
  } catch (err) {
    return err instanceof DomainError ? err.code : `thrown: ${(err as Error).message}`;
  }
}

describe('SessionResolver', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
    t.store.add('tok-a', 'alice', t.now() + 24 * 60 * MIN);
  });
  afterEach(() => t.resolver.stop());

  it('asks the database on every request while it answers: a revocation counts at once', async () => {
    expect(await t.resolver.resolve('tok-a')).toMatchObject({ userId: 'alice', role: 'operator' });
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok');
    expect(t.store.lookups).toBe(2);
    t.store.rows.get(tokenDigest('tok-a'))!.revokedAt = t.now();
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    expect(await outcome(t.resolver, 'never-issued')).toBe('ended');
    expect(t.counted).toEqual([]);
  });

  it('a role changed in the database is the role of the very next request', async () => {
    await t.resolver.resolve('tok-a');
    t.store.rows.get(tokenDigest('tok-a'))!.user.role = 'installer';
    expect((await t.resolver.resolve('tok-a'))?.role).toBe('installer');
  });

  it('database down: a session confirmed within the grace is served from memory, logged once and counted', async () => {
    await t.resolver.resolve('tok-a');
    t.advance(10 * MIN);
    t.store.down = true;
    expect(await t.resolver.resolve('tok-a')).toMatchObject({ userId: 'alice' });
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok');
    expect(t.counted).toEqual(['remembered', 'remembered']);
    expect(t.logs).toEqual([{ level: 'warn', msg: 'database unavailable: console sessions are served from memory' }]);

    t.store.down = false;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok');
    expect(t.logs.map((l) => l.msg)).toEqual([
      'database unavailable: console sessions are served from memory',
      'console sessions are resolved in the database again',
    ]);
    // The next outage is logged again.
    t.store.down = true;
    await t.resolver.resolve('tok-a');
    expect(t.logs).toHaveLength(3);
  });

  it('database down: past the grace since the last confirmation, or never seen here, answers 503, not 401', async () => {
    await t.resolver.resolve('tok-a');
    t.store.add('tok-b', 'bob', t.now() + 24 * 60 * MIN);
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-b')).toBe('DATABASE_UNAVAILABLE'); // a hub that never saw it
    t.advance(GRACE);
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok'); // exactly at the bound
    t.advance(1);
    expect(await outcome(t.resolver, 'tok-a')).toBe('DATABASE_UNAVAILABLE');
    expect(t.counted).toEqual(['refused', 'remembered', 'refused']);
    // Confirmed again once the database is back: served again in the next outage.
    t.store.down = false;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok');
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok');
  });

  it('database down: a remembered session past its own expiry is ended (401), whatever the grace', async () => {
    t.store.add('tok-short', 'carol', t.now() + 5 * MIN);
    await t.resolver.resolve('tok-short');
    t.store.down = true;
    t.advance(5 * MIN - 1);
    expect(await outcome(t.resolver, 'tok-short')).toBe('ok');
    t.advance(1);
    expect(await outcome(t.resolver, 'tok-short')).toBe('ended');
  });

  it('database down: a token the database had ended is refused (401), not served', async () => {
    await t.resolver.resolve('tok-a');
    t.store.rows.get(tokenDigest('tok-a'))!.revokedAt = t.now();
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
  });

  it('a session created by a sign-in on this hub is served in an outage that follows at once', async () => {
    t.store.add('tok-new', 'erin', t.now() + 60 * MIN);
    t.resolver.signedIn('tok-new', t.store.rows.get(tokenDigest('tok-new'))!);
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-new')).toBe('ok');
    expect(t.store.lookups).toBe(1); // asked the database first all the same
  });

  it('a lookup left unanswered past the bound (a frozen database) is served from memory; its late answer still counts', async () => {
    await t.resolver.resolve('tok-a');
    t.store.add('tok-b', 'bob', t.now() + 60 * MIN);
    t.store.frozen = [];
    const started = Date.now();
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await outcome(t.resolver, 'tok-b')).toBe('DATABASE_UNAVAILABLE');
    expect(t.counted).toEqual(['remembered', 'refused']);
    // Revoked meanwhile: the answers the frozen lookups give once thawed are learnt.
    t.store.rows.get(tokenDigest('tok-a'))!.revokedAt = t.now();
    const another = t.resolver.resolve('tok-a'); // waits with the others
    t.store.thaw();
    expect(await another).toBeUndefined();
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    expect(await outcome(t.resolver, 'tok-b')).toBe('ok'); // confirmed by its late answer
  });

  it('a late answer does not bring back a session signed out while it was waiting', async () => {
    await t.resolver.resolve('tok-a');
    const stuck: (() => void)[] = [];
    t.store.frozen = stuck;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok'); // from memory, its lookup still waiting
    t.store.frozen = null;
    t.store.down = true;
    await expect(t.resolver.signOut('tok-a')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    t.store.down = false;
    stuck.forEach((go) => go()); // the late lookup answers "live": the sign-out is not written yet
    await new Promise((r) => setImmediate(r));
    await t.resolver.flushSignOuts();
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
  });

  it('a grace of 0 serves nothing from memory', async () => {
    const z = setup(0);
    z.store.add('tok', 'dan', z.now() + MIN);
    await z.resolver.resolve('tok');
    z.store.down = true;
    expect(await outcome(z.resolver, 'tok')).toBe('DATABASE_UNAVAILABLE');
  });

  it('an error that is not an outage is not answered from memory', async () => {
    await t.resolver.resolve('tok-a');
    t.store.resolve = () => Promise.reject(new Error('syntax error at or near'));
    expect(await outcome(t.resolver, 'tok-a')).toBe('thrown: syntax error at or near');
  });

  it('signing out: ends the session in the database and here', async () => {
    await t.resolver.resolve('tok-a');
    await t.resolver.signOut('tok-a');
    expect(t.store.rows.get(tokenDigest('tok-a'))!.revokedAt).toBe(t.now());
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
  });

  it('signing out during an outage: ended here at once (503 says it is not recorded yet), written once the database is back', async () => {
    await t.resolver.resolve('tok-a');
    t.store.down = true;
    const signedOutAt = t.now();
    await expect(t.resolver.signOut('tok-a')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    await t.resolver.flushSignOuts(); // still down: kept for later
    t.advance(MIN);
    t.store.down = false;
    // Before the sign-out is written the database would still call the token live: it stays ended.
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    await t.resolver.flushSignOuts();
    expect(t.store.rows.get(tokenDigest('tok-a'))!.revokedAt).toBe(signedOutAt);
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
  });

  it("ending a user's sessions forgets them here too, but the one kept", async () => {
    t.store.add('tok-a2', 'alice', t.now() + 60 * MIN);
    await t.resolver.resolve('tok-a');
    await t.resolver.resolve('tok-a2');
    await t.resolver.endAllOf('alice', 'tok-a2');
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    expect(await outcome(t.resolver, 'tok-a2')).toBe('ok');
  });

  it('reading the live sessions lets the hub answer for sessions it was never asked about', async () => {
    t.store.add('tok-elsewhere', 'frank', t.now() + 60 * MIN); // signed in on another hub
    await t.resolver.refresh();
    t.store.down = true;
    expect(await t.resolver.resolve('tok-elsewhere')).toMatchObject({ userId: 'frank' });
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok');
    expect(t.store.lookups).toBe(2); // each asked the database first
  });

  it('a session signed out or revoked on another hub ends here at the next read', async () => {
    t.store.add('tok-b', 'bob', t.now() + 60 * MIN);
    await t.resolver.resolve('tok-a');
    await t.resolver.resolve('tok-b');
    t.advance(1000);
    t.store.rows.get(tokenDigest('tok-a'))!.revokedAt = t.now();
    await t.resolver.refresh();
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    expect(await outcome(t.resolver, 'tok-b')).toBe('ok');
  });

  it('a read that fails for the outage keeps what the hub remembers; each read renews the confirmation', async () => {
    await t.resolver.refresh();
    t.advance(GRACE - 1000);
    await t.resolver.refresh(); // still up: confirmed again
    t.store.down = true;
    t.advance(2000);
    await t.resolver.refresh(); // down: nothing forgotten
    expect(await outcome(t.resolver, 'tok-a')).toBe('ok');
    t.advance(GRACE);
    expect(await outcome(t.resolver, 'tok-a')).toBe('DATABASE_UNAVAILABLE'); // the grace bounds it
  });

  it('a read never brings back a session ended here, nor forgets one confirmed after it began', async () => {
    t.store.add('tok-b', 'bob', t.now() + 60 * MIN);
    await t.resolver.resolve('tok-a');
    t.store.down = true;
    await expect(t.resolver.signOut('tok-a')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    t.store.down = false;
    // The read sees tok-a still live (the sign-out is not written yet) and tok-b live.
    const rows = await t.store.live(new Date(t.now()), 100);
    const read = t.store.live.bind(t.store);
    t.store.live = async () => {
      // tok-c is signed in while the read is under way: it is not in the read.
      t.store.add('tok-c', 'carol', t.now() + 60 * MIN);
      t.resolver.signedIn('tok-c', t.store.rows.get(tokenDigest('tok-c'))!);
      return rows;
    };
    await t.resolver.refresh();
    t.store.live = read;
    t.store.down = true;
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    expect(await outcome(t.resolver, 'tok-b')).toBe('ok');
    expect(await outcome(t.resolver, 'tok-c')).toBe('ok');
  });

  it('tells its listeners of every end: made here, told by another hub, found by a read', async () => {
    const told: [string, string][] = [];
    t.resolver.onEnd((end, source) => told.push([end.kind === 'user' ? `user ${end.userId}` : end.digest, source]));
    t.store.add('tok-b', 'bob', t.now() + 60 * MIN);
    t.store.add('tok-c', 'carol', t.now() + 60 * MIN);
    await t.resolver.resolve('tok-b');
    await t.resolver.signOut('tok-a');
    await t.resolver.endAllOf('bob');
    t.resolver.endedElsewhere({ kind: 'user', userId: 'dan' });
    await t.resolver.resolve('tok-c');
    t.advance(1000);
    t.store.rows.get(tokenDigest('tok-c'))!.revokedAt = t.now(); // revoked by a hub whose word was lost
    await t.resolver.refresh();
    expect(told).toEqual([
      [tokenDigest('tok-a'), 'here'],
      ['user bob', 'here'],
      ['user dan', 'elsewhere'],
      [tokenDigest('tok-c'), 'read'],
    ]);
  });

  it('a sign-out made on another hub is refused here at once, also during an outage', async () => {
    t.store.add('tok-b', 'bob', t.now() + 60 * MIN);
    await t.resolver.resolve('tok-a');
    await t.resolver.resolve('tok-b');
    t.store.down = true;
    // Recorded by that hub: only this hub's memory needed to learn it.
    t.store.rows.get(tokenDigest('tok-a'))!.revokedAt = t.now();
    t.resolver.endedElsewhere({ kind: 'session', digest: tokenDigest('tok-a'), at: t.now(), recorded: true });
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    expect(await outcome(t.resolver, 'tok-b')).toBe('ok');
  });

  it('a sign-out another hub could not record is refused here after the database is back, and written by this hub too', async () => {
    await t.resolver.resolve('tok-a');
    t.store.down = true;
    const at = t.now();
    t.resolver.endedElsewhere({ kind: 'session', digest: tokenDigest('tok-a'), at, recorded: false });
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    t.advance(MIN);
    t.store.down = false;
    // The database still calls it live (neither hub has written it yet): refused all the same.
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    await t.resolver.flushSignOuts();
    expect(t.store.rows.get(tokenDigest('tok-a'))!.revokedAt).toBe(at);
  });

  it("a user's sessions ended on another hub end here, but the one kept", async () => {
    t.store.add('tok-a2', 'alice', t.now() + 60 * MIN);
    await t.resolver.resolve('tok-a');
    await t.resolver.resolve('tok-a2');
    t.store.down = true;
    t.resolver.endedElsewhere({ kind: 'user', userId: 'alice', exceptDigest: tokenDigest('tok-a2') });
    expect(await outcome(t.resolver, 'tok-a')).toBe('ended');
    expect(await outcome(t.resolver, 'tok-a2')).toBe('ok');
  });

  it('a read cut at the capacity does not tell the sessions it missed as ended', async () => {
    const s = setup(GRACE, 2);
    const told: string[] = [];
    s.resolver.onEnd((end) => told.push(end.kind));
    for (const tok of ['x', 'y', 'z']) s.store.add(tok, tok, s.now() + MIN);
    for (const tok of ['x', 'y', 'z']) await s.resolver.resolve(tok);
    s.advance(1000);
    await s.resolver.refresh(); // two of three live sessions read
    expect(told).toEqual([]);
    s.resolver.stop();
  });

  it('remembers at most its capacity, least recently confirmed out first', async () => {
    const s = setup(GRACE, 2);
    for (const tok of ['x', 'y', 'z']) s.store.add(tok, tok, s.now() + MIN);
    await s.resolver.resolve('x');
    await s.resolver.resolve('y');
    await s.resolver.resolve('x'); // x confirmed again: y is now the oldest
    await s.resolver.resolve('z');
    s.store.down = true;
    expect(await outcome(s.resolver, 'x')).toBe('ok');
    expect(await outcome(s.resolver, 'z')).toBe('ok');
    expect(await outcome(s.resolver, 'y')).toBe('DATABASE_UNAVAILABLE');
  });
});

describe('RememberedSessions', () => {
  it('keeps token digests only, and unknown ended tokens never take room', () => {
    const m = new RememberedSessions(2);
    const session: LiveSession = {
      user: { userId: 'u', username: 'u', displayName: 'u', role: 'operator', organisationId: null },
      expiresAt: 10,
    };
    m.confirmed('d1', session, 1);
    for (let i = 0; i < 10; i++) m.end(`random-${i}`);
    expect(m.recall('d1')).toMatchObject({ kind: 'live', confirmedAt: 1 });
    expect(m.recall('random-1')).toEqual({ kind: 'unknown' });
    m.end('d1');
    expect(m.recall('d1')).toEqual({ kind: 'ended' });
    expect(m.size).toBe(0);
  });
});
