import { DomainError } from '@bedside/common';
import type { AuthUser } from '../current-user.decorator';
import type { LiveSession, RememberedSessions } from './remembered-sessions';
import type { SessionEnd, SessionEndSource } from './session-end';
import { tokenDigest } from './token-digest';

/** The sessions table, by token digest. */
export interface SessionStore {
  resolve(digest: string, now: Date): Promise<LiveSession | undefined>;
  revoke(digest: string, at: Date): Promise<void>;
  revokeAllOf(userId: string, at: Date, exceptDigest?: string): Promise<void>;
  live(now: Date, limit: number): Promise<{ digest: string; session: LiveSession }[]>;
}

export interface SessionResolverOptions {
  /** Whether an error means the database is unreachable (and reports it as part of the outage). */
  unavailable(err: unknown): boolean;
  now(): number;
  /** How long after its last confirmation a session is still served while the database is down; 0: never. */
  graceMs: number;
  /**
   * A lookup not answered within this is treated like a failed one: a frozen database or a
   * silently dropped connection never fails a query, it leaves it waiting.
   */
  lookupBoundMs: number;
  /** How often sign-outs the database could not record are tried again. */
  signOutRetryMs: number;
  /** Every answer given without the database: a remembered session served, or refused as unknown or too old. */
  counted(outcome: 'remembered' | 'refused'): void;
  log: { warn(m: object): void; log(m: object): void };
}

export type SessionUser = AuthUser & { userId: string };

/** Told of every session end this hub learns (to close its streams, and tell the other hubs of its own). */
export type SessionEndListener = (end: SessionEnd, source: SessionEndSource) => void;

const UNANSWERED = Symbol('unanswered');

/**
 * Resolves console sessions stale-if-error. While the database answers, it alone decides, on
 * every request, so a sign-out, an expiry, a new role or a disabled user takes effect at once;
 * each answer is remembered. Only when the lookup fails because the database is unreachable is
 * the remembered answer served, if the database confirmed it within the grace and the session's
 * own expiry has not passed (a lookup left unanswered past a bound counts as failed, which is
 * what a frozen database does); otherwise the hub cannot tell, and says so (503), rather than
 * calling the session ended (401), which would sign a console out in the middle of an outage.
 *
 * A sign-out the database cannot record takes effect here at once and is written when the
 * database is back (tried again on a timer and at the next lookup the database answers).
 *
 * Every end it learns (made here, told by another hub, or found by a read of the live sessions)
 * goes to its listeners.
 */
export class SessionResolver {
  private readonly pendingSignOuts = new Map<string, number>();
  private retry: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** Set while answers come from memory: when that began and what was answered. */
  private outage: { since: number; remembered: number; refused: number } | null = null;
  private readonly listeners = new Set<SessionEndListener>();

  constructor(
    private readonly store: SessionStore,
    private readonly memory: RememberedSessions,
    private readonly o: SessionResolverOptions,
  ) {}

  /** The user behind a live token; undefined when it ended; DATABASE_UNAVAILABLE when that cannot be told now. */
  async resolve(token: string): Promise<SessionUser | undefined> {
    const digest = tokenDigest(token);
    if (this.pendingSignOuts.has(digest)) {
      void this.flushSignOuts();
      return undefined;
    }
    const now = this.o.now();
    const lookup = this.store.resolve(digest, new Date(now));
    let found: LiveSession | undefined | typeof UNANSWERED;
    let timer: NodeJS.Timeout | undefined;
    try {
      found = await Promise.race([
        lookup,
        new Promise<typeof UNANSWERED>((r) => (timer = setTimeout(() => r(UNANSWERED), this.o.lookupBoundMs))),
      ]);
    } catch (err) {
      if (!this.o.unavailable(err)) throw err;
      return this.fromMemory(digest, now);
    } finally {
      clearTimeout(timer);
    }
    if (found === UNANSWERED) {
      // Its answer, if it ever comes, still counts for the next requests.
      lookup.then(
        (late) => (late ? this.memory.confirmedEarlier(digest, late, now) : this.memory.end(digest)),
        (err: unknown) => void this.o.unavailable(err),
      );
      return this.fromMemory(digest, now);
    }
    this.databaseAnswered(now);
    if (found) this.memory.confirmed(digest, found, now);
    else this.memory.end(digest);
    return found?.user;
  }

  /** A session the database has just created (a sign-in on this hub): it counts as confirmed now. */
  signedIn(token: string, session: LiveSession): void {
    this.memory.confirmed(tokenDigest(token), session, this.o.now());
  }

  /** Whether this hub knows the session of `digest` has ended (without asking the database). */
  hasEnded(digest: string): boolean {
    return this.pendingSignOuts.has(digest) || this.memory.recall(digest).kind === 'ended';
  }

  /** Calls `listener` with every session end from now on; returns its removal. */
  onEnd(listener: SessionEndListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the session of `token`: here at once, in the database now or, if it is unreachable, once it is back. */
  async signOut(token: string): Promise<void> {
    const digest = tokenDigest(token);
    this.memory.end(digest);
    const at = this.o.now();
    try {
      await this.store.revoke(digest, new Date(at));
    } catch (err) {
      if (!this.o.unavailable(err)) throw err;
      this.signOutLater(digest, at);
      this.tell({ kind: 'session', digest, at, recorded: false }, 'here');
      throw new DomainError(
        'DATABASE_UNAVAILABLE',
        'the database is unavailable: this session is ended on this hub now and the sign-out is recorded when the database is back',
      );
    }
    this.tell({ kind: 'session', digest, at, recorded: true }, 'here');
  }

  /**
   * An end another hub made: forgotten here at once. A sign-out that hub could not record is
   * also written by this hub once the database is back (the write keeps the first time), so it
   * is refused here even if the database answers before that hub has written it.
   */
  endedElsewhere(end: SessionEnd): void {
    if (end.kind === 'user') this.memory.endAllOf(end.userId, end.exceptDigest);
    else {
      this.memory.end(end.digest);
      if (!end.recorded) this.signOutLater(end.digest, end.at);
    }
    this.tell(end, 'elsewhere');
  }

  /**
   * Reads every live session from the database: each counts as confirmed now, and one
   * remembered here but no longer live there (signed out or revoked on another hub) ends. So
   * every hub can answer for every session, not only those it was asked about, and learns of
   * sign-outs elsewhere within one read.
   */
  async refresh(): Promise<void> {
    const at = this.o.now();
    let live: { digest: string; session: LiveSession }[];
    try {
      live = await this.store.live(new Date(at), this.memory.capacity);
    } catch (err) {
      if (this.o.unavailable(err)) return;
      throw err;
    }
    const ended = this.memory.reconcile(
      live.filter((l) => !this.pendingSignOuts.has(l.digest)),
      at,
    );
    // A read cut at the capacity misses live sessions: it ends them in memory (a lookup brings
    // them back), but they are not told as ended.
    if (live.length < this.memory.capacity)
      for (const digest of ended) this.tell({ kind: 'session', digest, at, recorded: true }, 'read');
  }

  /** Ends every session of a user, but the one of `exceptToken` (a password changed by its owner). */
  async endAllOf(userId: string, exceptToken?: string): Promise<void> {
    const except = exceptToken === undefined ? undefined : tokenDigest(exceptToken);
    this.memory.endAllOf(userId, except);
    await this.store.revokeAllOf(userId, new Date(this.o.now()), except);
    this.tell(except === undefined ? { kind: 'user', userId } : { kind: 'user', userId, exceptDigest: except }, 'here');
  }

  /** Writes the sign-outs the database missed; those it still cannot take wait for the next try. */
  flushSignOuts(): Promise<void> {
    this.flushing ??= this.writeSignOuts().finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Stops retrying sign-outs (at shutdown); those not written are lost with the process. */
  stop(): void {
    if (this.retry) clearInterval(this.retry);
    this.retry = null;
  }

  private async writeSignOuts(): Promise<void> {
    for (const [digest, at] of [...this.pendingSignOuts]) {
      try {
        await this.store.revoke(digest, new Date(at));
        this.pendingSignOuts.delete(digest);
      } catch (err) {
        if (this.o.unavailable(err)) return;
        this.o.log.warn({ msg: 'sign-out not recorded', reason: (err as Error).message });
        return;
      }
    }
    if (this.pendingSignOuts.size === 0) this.stop();
  }

  private signOutLater(digest: string, at: number): void {
    if (!this.pendingSignOuts.has(digest)) this.pendingSignOuts.set(digest, at);
    this.retry ??= setInterval(() => void this.flushSignOuts(), this.o.signOutRetryMs);
    this.retry.unref();
  }

  private tell(end: SessionEnd, source: SessionEndSource): void {
    for (const listener of this.listeners) {
      try {
        listener(end, source);
      } catch (err) {
        this.o.log.warn({ msg: 'session end not handled', reason: (err as Error).message });
      }
    }
  }

  private fromMemory(digest: string, now: number): SessionUser | undefined {
    const recalled = this.memory.recall(digest);
    if (recalled.kind === 'ended') return undefined;
    if (recalled.kind === 'live' && recalled.session.expiresAt <= now) {
      this.memory.end(digest);
      return undefined; // expired: that needs no database to tell
    }
    const outage = this.outageBegun(now);
    if (recalled.kind === 'live' && this.o.graceMs > 0 && now - recalled.confirmedAt <= this.o.graceMs) {
      outage.remembered++;
      this.o.counted('remembered');
      return recalled.session.user;
    }
    outage.refused++;
    this.o.counted('refused');
    throw new DomainError(
      'DATABASE_UNAVAILABLE',
      'the database is unavailable and this hub cannot confirm the session now; retry shortly (signing in again will not help)',
    );
  }

  private outageBegun(now: number) {
    if (!this.outage) {
      this.outage = { since: now, remembered: 0, refused: 0 };
      this.o.log.warn({
        msg: 'database unavailable: console sessions are served from memory',
        graceMs: this.o.graceMs,
        remembered: this.memory.size,
      });
    }
    return this.outage;
  }

  private databaseAnswered(now: number): void {
    if (this.outage) {
      this.o.log.log({
        msg: 'console sessions are resolved in the database again',
        forMs: now - this.outage.since,
        servedFromMemory: this.outage.remembered,
        refused: this.outage.refused,
      });
      this.outage = null;
    }
    if (this.pendingSignOuts.size > 0) void this.flushSignOuts();
  }
}
