import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { Database } from '@bedside/database';
import type { AuthUser } from '../current-user.decorator';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opaque bearer tokens; only their SHA-256 is stored. */
@Injectable()
export class SessionRepository {
  constructor(private readonly database: Database) {}

  async create(userId: string, expiresAt: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.database.db
      .insertInto('sessions')
      .values({ token_hash: hashToken(token), user_id: userId, expires_at: expiresAt })
      .execute();
    return token;
  }

  /** The user behind a live token, or undefined when unknown, expired, revoked or disabled. */
  async resolve(token: string, now: Date): Promise<(AuthUser & { userId: string; displayName: string }) | undefined> {
    const r = await this.database.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.organisation_id'])
      .where('sessions.token_hash', '=', hashToken(token))
      .where('sessions.expires_at', '>', now)
      .where('sessions.revoked_at', 'is', null)
      .where('users.disabled_at', 'is', null)
      .where('users.deleted_at', 'is', null)
      .executeTakeFirst();
    return (
      r && {
        userId: r.id,
        username: r.username,
        displayName: r.display_name,
        role: r.role,
        organisationId: r.organisation_id,
      }
    );
  }

  /** Ends every live session of a user (disabled, deleted, new password, new role), optionally but one. */
  async revokeAllOf(userId: string, at: Date, exceptToken?: string): Promise<void> {
    let q = this.database.db
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (exceptToken) q = q.where('token_hash', '!=', hashToken(exceptToken));
    await q.execute();
  }

  async revoke(token: string, at: Date): Promise<void> {
    await this.database.db
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('token_hash', '=', hashToken(token))
      .execute();
  }
}
