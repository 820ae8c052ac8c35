import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import { newId, notFound } from '@bedside/common';

export interface Organisation {
  id: string;
  name: string;
  createdAt: Date;
}

@Injectable()
export class OrganisationRepository {
  constructor(private readonly database: Database) {}

  async create(name: string): Promise<Organisation> {
    const row = await this.database.db
      .insertInto('organisations')
      .values({ id: newId(), name })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { id: row.id, name: row.name, createdAt: row.created_at };
  }

  async list(): Promise<Organisation[]> {
    const rows = await this.database.db.selectFrom('organisations').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  async get(id: string): Promise<Organisation> {
    const r = await this.database.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('organisation', id);
    return { id: r.id, name: r.name, createdAt: r.created_at };
  }
}
