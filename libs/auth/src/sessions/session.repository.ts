import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Database } from '@bedside/database';
import type { LiveSession } from './remembered-sessions';
import type { SessionStore } from './session-resolver';
import { tokenDigest } from './token-digest';

/** Opaque bearer tokens; only their SHA-256 is stored, and every lookup is by that digest. */
@Injectable()
export class SessionRepository implements SessionStore {
  constructor(private readonly database: Database) {}

  async create(userId: string, expiresAt: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.database.db
      .insertInto('sessions')
      .values({ token_hash: tokenDigest(token), user_id: userId, expires_at: expiresAt })
      .execute();
    return token;
  }

  /** The user behind a live token, or undefined when unknown, expired, revoked or disabled. */
  async resolve(digest: string, now: Date): Promise<LiveSession | undefined> {
    const r = await this.liveSessions(now).where('sessions.token_hash', '=', digest).executeTakeFirst();
    return r && toLiveSession(r);
  }

  /** Every live session, latest to expire first, at most `limit`: what a hub remembers for an outage. */
  async live(now: Date, limit: number): Promise<{ digest: string; session: LiveSession }[]> {
    const rows = await this.liveSessions(now).orderBy('sessions.expires_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ digest: r.token_hash, session: toLiveSession(r) }));
  }

  /** Sessions neither expired nor revoked, of users neither disabled nor deleted, with their user. */
  private liveSessions(now: Date) {
    return this.database.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.token_hash',
        'users.id',
        'users.username',
        'users.display_name',
        'users.role',
        'users.organisation_id',
        'sessions.expires_at',
      ])
      .where('sessions.expires_at', '>', now)
      .where('sessions.revoked_at', 'is', null)
      .where('users.disabled_at', 'is', null)
      .where('users.deleted_at', 'is', null);
  }

  /** Ends every live session of a user (disabled, deleted, new password, new role), optionally but one. */
  async revokeAllOf(userId: string, at: Date, exceptDigest?: string): Promise<void> {
    let q = this.database.db
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (exceptDigest) q = q.where('token_hash', '!=', exceptDigest);
    await q.execute();
  }

  /** Keeps the first sign-out's time when one is written again (a retry after an outage). */
  async revoke(digest: string, at: Date): Promise<void> {
    await this.database.db
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('token_hash', '=', digest)
      .where('revoked_at', 'is', null)
      .execute();
  }
}

function toLiveSession(r: {
  id: string;
  username: string;
  display_name: string;
  role: LiveSession['user']['role'];
  organisation_id: string | null;
  expires_at: Date | string;
}): LiveSession {
  return {
    user: {
      userId: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      organisationId: r.organisation_id,
    },
    expiresAt: new Date(r.expires_at).getTime(),
  };
}
