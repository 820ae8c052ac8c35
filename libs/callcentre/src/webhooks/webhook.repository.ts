import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '@bedside/database';
import { newId } from '@bedside/common';

export interface Webhook {
  id: string;
  organisationId: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface DueDelivery {
  id: number;
  webhookId: string;
  url: string;
  secret: string;
  eventId: number;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
}

@Injectable()
export class WebhookRepository {
  constructor(private readonly database: Database) {}

  async create(w: {
    organisationId: string;
    url: string;
    secret: string;
    eventTypes: string[];
    createdBy: string;
  }): Promise<Webhook> {
    const r = await this.database.db
      .insertInto('webhooks')
      .values({
        id: newId(),
        organisation_id: w.organisationId,
        url: w.url,
        secret: w.secret,
        event_types: JSON.stringify(w.eventTypes),
        active: true,
        created_by: w.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      id: r.id,
      organisationId: r.organisation_id,
      url: r.url,
      eventTypes: r.event_types,
      active: r.active,
      createdBy: r.created_by,
      createdAt: r.created_at,
    };
  }

  async list(organisationId?: string): Promise<Webhook[]> {
    let q = this.database.db.selectFrom('webhooks').selectAll();
    if (organisationId) q = q.where('organisation_id', '=', organisationId);
    return (await q.orderBy('created_at').execute()).map((r) => ({
      id: r.id,
      organisationId: r.organisation_id,
      url: r.url,
      eventTypes: r.event_types,
      active: r.active,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  async setActive(id: string, active: boolean): Promise<void> {
    await this.database.db.updateTable('webhooks').set({ active }).where('id', '=', id).execute();
  }

  /** One pending delivery per active webhook of the organisation that wants this event type. */
  async enqueue(
    organisationId: string,
    eventId: number,
    eventType: string,
    payload: Record<string, unknown>,
    at: Date,
  ): Promise<number> {
    const hooks = await this.database.db
      .selectFrom('webhooks')
      .select(['id', 'event_types'])
      .where('organisation_id', '=', organisationId)
      .where('active', '=', true)
      .execute();
    const wanted = hooks.filter((h) => h.event_types.length === 0 || h.event_types.includes(eventType));
    if (wanted.length === 0) return 0;
    await this.database.db
      .insertInto('webhook_deliveries')
      .values(
        wanted.map((h) => ({
          webhook_id: h.id,
          event_id: eventId,
          event_type: eventType,
          payload: JSON.stringify(payload),
          status: 'pending' as const,
          attempts: 0,
          next_attempt_at: at,
        })),
      )
      .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
      .execute();
    return wanted.length;
  }

  /**
   * Claims up to `limit` due deliveries for this process: their next attempt moves `leaseMs`
   * ahead, so another node (or this one's next poll) does not post them meanwhile; the attempt's
   * outcome then sets the real next attempt. SKIP LOCKED lets pollers on several nodes claim
   * side by side without waiting on each other's rows. The same statement answers when the
   * earliest pending delivery it did not claim falls due (null: none pending), so a poller can
   * sleep until then instead of asking again and again.
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<{ due: DueDelivery[]; nextAt: Date | null }> {
    const rows = await sql<{
      id: string | null;
      webhook_id: string;
      url: string;
      secret: string;
      event_id: string;
      event_type: string;
      payload: Record<string, unknown>;
      attempts: number;
      next_at: Date | null;
    }>`
      with claimed as (
        update webhook_deliveries set next_attempt_at = ${new Date(now.getTime() + leaseMs)}
        where id in (
          select id from webhook_deliveries
          where status = 'pending' and next_attempt_at <= ${now}
          order by id limit ${limit}
          for update skip locked)
        returning id, webhook_id, event_id, event_type, payload, attempts),
      next as (
        select min(next_attempt_at) as next_at from webhook_deliveries
        where status = 'pending' and id not in (select id from claimed))
      select c.id, c.webhook_id, w.url, w.secret, c.event_id, c.event_type, c.payload, c.attempts, n.next_at
      from next n
      left join (claimed c join webhooks w on w.id = c.webhook_id) on true
      order by c.id`.execute(this.database.db);
    return {
      due: rows.rows
        .filter((r) => r.id !== null)
        .map((r) => ({
          id: Number(r.id),
          webhookId: r.webhook_id,
          url: r.url,
          secret: r.secret,
          eventId: Number(r.event_id),
          eventType: r.event_type,
          payload: r.payload,
          attempts: r.attempts,
        })),
      nextAt: rows.rows[0]?.next_at ? new Date(rows.rows[0].next_at) : null,
    };
  }

  async recordAttempt(
    id: number,
    outcome: {
      delivered: boolean;
      giveUp: boolean;
      status: number | null;
      error: string | null;
      nextAttemptAt: Date;
      at: Date;
    },
  ): Promise<void> {
    await this.database.db
      .updateTable('webhook_deliveries')
      .set({
        attempts: sql`attempts + 1`,
        status: outcome.delivered ? 'delivered' : outcome.giveUp ? 'failed' : 'pending',
        last_status: outcome.status,
        last_error: outcome.error,
        next_attempt_at: outcome.nextAttemptAt,
        ...(outcome.delivered && { delivered_at: outcome.at }),
      })
      .where('id', '=', id)
      .execute();
  }

  async deliveries(webhookId: string, limit: number) {
    const rows = await this.database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      eventId: Number(r.event_id),
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      nextAttemptAt: r.next_attempt_at,
      deliveredAt: r.delivered_at,
      createdAt: r.created_at,
    }));
  }
}
