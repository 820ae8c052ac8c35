import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import { Database, type UsersTable } from '@bedside/database';
import { conflict, newId, notFound } from '@bedside/common';
import type { Role } from '../current-user.decorator';

export interface User {
  id: string;
  organisationId: string | null;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

const toUser = (r: Selectable<UsersTable>): User => ({
  id: r.id,
  organisationId: r.organisation_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled_at !== null,
  createdAt: r.created_at,
});

@Injectable()
export class UserRepository {
  constructor(private readonly database: Database) {}

  async create(u: {
    organisationId: string | null;
    username: string;
    displayName: string;
    role: Role;
    passwordHash: string;
  }): Promise<User> {
    const exists = await this.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', u.username)
      .executeTakeFirst();
    if (exists) throw conflict(`username ${u.username} is taken`, { username: u.username });
    const row = await this.database.db
      .insertInto('users')
      .values({
        id: newId(),
        organisation_id: u.organisationId,
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        password_hash: u.passwordHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  }

  async findForLogin(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const r = await this.database.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return r && { user: toUser(r), passwordHash: r.password_hash };
  }

  async passwordHashOf(id: string): Promise<string> {
    const r = await this.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!r) throw notFound('user', id);
    return r.password_hash;
  }

  async get(id: string): Promise<User> {
    const r = await this.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!r) throw notFound('user', id);
    return toUser(r);
  }

  async list(organisationId: string | null): Promise<User[]> {
    let q = this.database.db.selectFrom('users').selectAll().where('deleted_at', 'is', null);
    if (organisationId) q = q.where('organisation_id', '=', organisationId);
    return (await q.orderBy('username').execute()).map(toUser);
  }

  async update(id: string, change: { displayName?: string; role?: Role }): Promise<User> {
    const row = await this.database.db
      .updateTable('users')
      .set({
        ...(change.displayName !== undefined && { display_name: change.displayName }),
        ...(change.role !== undefined && { role: change.role }),
      })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('user', id);
    return toUser(row);
  }

  async setDisabled(id: string, at: Date | null): Promise<User> {
    const row = await this.database.db
      .updateTable('users')
      .set({ disabled_at: at })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('user', id);
    return toUser(row);
  }

  async setPassword(id: string, passwordHash: string, at: Date): Promise<void> {
    await this.database.db
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: at })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .execute();
  }

  /**
   * Removes the person's name and ability to sign in; the row and its id stay so that audit
   * entries and alarm timelines that name the user keep their meaning.
   */
  async anonymise(id: string, at: Date): Promise<void> {
    await this.database.db
      .updateTable('users')
      .set({
        username: `deleted-${id}`,
        display_name: 'deleted user',
        password_hash: '!',
        disabled_at: at,
        deleted_at: at,
      })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .execute();
  }
}
