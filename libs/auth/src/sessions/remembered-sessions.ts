import type { AuthUser } from '../current-user.decorator';

/** A console session as the database last confirmed it. */
export interface LiveSession {
  user: AuthUser & { userId: string };
  expiresAt: number;
}

export type Recollection =
  | { kind: 'live'; session: LiveSession; confirmedAt: number }
  /** Known to have ended (signed out, revoked, expired): refused without asking the database. */
  | { kind: 'ended' }
  | { kind: 'unknown' };

interface Entry extends LiveSession {
  confirmedAt: number;
}

/**
 * The console sessions this hub resolved recently, by token digest (never the token), least
 * recently confirmed first out once `capacity` is reached. It never answers while the database
 * does: it is read only when a lookup fails because the database is unreachable. Ended tokens
 * are kept apart, and only tokens that were live here enter that list, so unknown tokens sent
 * at random cannot push the live ones out.
 */
export class RememberedSessions {
  private readonly live = new Map<string, Entry>();
  private readonly ended = new Set<string>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.live.size;
  }

  confirmed(digest: string, session: LiveSession, at: number): void {
    this.live.delete(digest); // re-inserted last: a Map iterates in insertion order
    this.live.set(digest, { ...session, confirmedAt: at });
    this.ended.delete(digest);
    if (this.live.size > this.capacity) this.live.delete(this.live.keys().next().value!);
  }

  /**
   * Every session the database had live at `at`: each is confirmed then; one confirmed before
   * `at` and not among them has ended since (one confirmed later, by a sign-in or a lookup while
   * the read was under way, is newer than the read and kept). Returns the digests it ended.
   */
  reconcile(live: readonly { digest: string; session: LiveSession }[], at: number): string[] {
    const seen = new Set<string>();
    for (const l of live) {
      seen.add(l.digest);
      this.confirmedEarlier(l.digest, l.session, at);
    }
    const ended: string[] = [];
    for (const [digest, e] of [...this.live])
      if (!seen.has(digest) && e.confirmedAt < at) {
        this.end(digest);
        ended.push(digest);
      }
    return ended;
  }

  /**
   * A confirmation from a read that began at `at` and answered later: it neither brings back a
   * session ended here meanwhile nor replaces a newer confirmation.
   */
  confirmedEarlier(digest: string, session: LiveSession, at: number): void {
    if (this.ended.has(digest)) return;
    const known = this.live.get(digest);
    if (!known || known.confirmedAt <= at) this.confirmed(digest, session, at);
  }

  /** The database no longer has it live (or it was signed out here): refuse it from now on. */
  end(digest: string): void {
    const known = this.live.delete(digest);
    if (known || this.ended.has(digest)) {
      this.ended.delete(digest);
      this.ended.add(digest);
      if (this.ended.size > this.capacity) this.ended.delete(this.ended.values().next().value!);
    }
  }

  /** Every remembered session of a user but one (rights reduced, password changed) ends. */
  endAllOf(userId: string, exceptDigest?: string): void {
    for (const [digest, e] of [...this.live]) if (e.user.userId === userId && digest !== exceptDigest) this.end(digest);
  }

  recall(digest: string): Recollection {
    if (this.ended.has(digest)) return { kind: 'ended' };
    const e = this.live.get(digest);
    return e
      ? { kind: 'live', session: { user: e.user, expiresAt: e.expiresAt }, confirmedAt: e.confirmedAt }
      : { kind: 'unknown' };
  }
}
