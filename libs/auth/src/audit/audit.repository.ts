import { Injectable } from '@nestjs/common';
import { Database } from '@bedside/database';

export interface AuditEntry {
  at: Date;
  actor: string;
  organisationId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  status: number;
  ip: string | null;
  details: Record<string, unknown>;
}

/** Append-only: nothing in the hub updates or deletes an audit row. */
@Injectable()
export class AuditRepository {
  constructor(private readonly database: Database) {}

  async append(e: AuditEntry): Promise<void> {
    await this.database.db
      .insertInto('audit_log')
      .values({
        at: e.at,
        actor: e.actor,
        organisation_id: e.organisationId,
        action: e.action,
        target_type: e.targetType,
        target_id: e.targetId,
        status: e.status,
        ip: e.ip,
        details: JSON.stringify(e.details),
      })
      .execute();
  }

  async query(f: {
    organisationId: string | null;
    from: Date;
    to: Date;
    actor?: string;
    targetId?: string;
    limit: number;
  }) {
    let q = this.database.db.selectFrom('audit_log').selectAll().where('at', '>=', f.from).where('at', '<', f.to);
    if (f.organisationId) q = q.where('organisation_id', '=', f.organisationId);
    if (f.actor) q = q.where('actor', '=', f.actor);
    if (f.targetId) q = q.where('target_id', '=', f.targetId);
    const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      organisationId: r.organisation_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      status: r.status,
      ip: r.ip,
      details: r.details,
    }));
  }
}
