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
  id: r.id, organisationId: r.organisation_id, username: r.username, displayName: r.display_name, role: r.role, disabled: r.disabled_at !== null, createdAt: r.created_at,
});

@Injectable()
export class UserRepository {
  constructor(private readonly database: Database) {}

  async create(u: { organisationId: string | null; username: string; displayName: string; role: Role; passwordHash: string }): Promise<User> {
    const exists = await this.database.db.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst();
    if (exists) throw conflict(`username ${u.username} is taken`, { username: u.username });
    const row = await this.database.db.insertInto('users').values({
      id: newId(), organisation_id: u.organisationId, username: u.username, display_name: u.displayName, role: u.role, password_hash: u.passwordHash,
    }).returningAll().executeTakeFirstOrThrow();
    return toUser(row);
  }

  async findForLogin(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const r = await this.database.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return r && { user: toUser(r), passwordHash: r.password_hash };
  }

  async get(id: string): Promise<User> {
    const r = await this.database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('user', id);
    return toUser(r);
  }

  async list(organisationId: string | null): Promise<User[]> {
    let q = this.database.db.selectFrom('users').selectAll();
    if (organisationId) q = q.where('organisation_id', '=', organisationId);
    return (await q.orderBy('username').execute()).map(toUser);
  }
}
