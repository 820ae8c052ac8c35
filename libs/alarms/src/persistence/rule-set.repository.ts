import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';
import type { RuleSetOverride } from '@bedside/rules';

export type RuleScope = 'default' | 'organisation' | 'bed';

export interface RuleSetVersion {
  scope: RuleScope;
  scopeId: string;
  version: number;
  body: RuleSetOverride;
  author: string;
  createdAt: string;
}

/** Versioned rule overrides; the latest version per scope is in force. */
@Injectable()
export class RuleSetRepository {
  constructor(private readonly database: Database) {}

  async latest(scope: RuleScope, scopeId: string): Promise<RuleSetVersion | null> {
    const r = await this.database.db
      .selectFrom('rule_sets')
      .selectAll()
      .where('scope', '=', scope)
      .where('scope_id', '=', scopeId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? toVersion(r) : null;
  }

  /** The scopes of versions appended after `afterId` (oldest first), and the newest id. */
  async appendedAfter(afterId: number): Promise<{ lastId: number; scopes: { scope: RuleScope; scopeId: string }[] }> {
    const rows = await this.database.db
      .selectFrom('rule_sets')
      .select(['id', 'scope', 'scope_id'])
      .where('id', '>', afterId)
      .orderBy('id')
      .execute();
    return {
      lastId: rows.length ? Number(rows[rows.length - 1].id) : afterId,
      scopes: rows.map((r) => ({ scope: r.scope, scopeId: r.scope_id })),
    };
  }

  async history(scope: RuleScope, scopeId: string): Promise<RuleSetVersion[]> {
    const rows = await this.database.db
      .selectFrom('rule_sets')
      .selectAll()
      .where('scope', '=', scope)
      .where('scope_id', '=', scopeId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map(toVersion);
  }

  /** Appends the next version; the unique (scope, scope_id, version) makes two concurrent writers conflict rather than both win. */
  async append(
    scope: RuleScope,
    scopeId: string,
    body: RuleSetOverride,
    author: string,
    at: number,
  ): Promise<RuleSetVersion> {
    const version = ((await this.latest(scope, scopeId))?.version ?? 0) + 1;
    const r = await this.database.db
      .insertInto('rule_sets')
      .values({ scope, scope_id: scopeId, version, body: JSON.stringify(body), author, created_at: new Date(at) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toVersion(r);
  }
}

function toVersion(r: {
  scope: RuleScope;
  scope_id: string;
  version: number;
  body: unknown;
  author: string;
  created_at: Date;
}): RuleSetVersion {
  return {
    scope: r.scope,
    scopeId: r.scope_id,
    version: r.version,
    body: r.body as RuleSetOverride,
    author: r.author,
    createdAt: r.created_at.toISOString(),
  };
}
