import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { AlarmStream } from '@bedside/alarms';
import { Clock } from '@bedside/common';
import { DatabaseHealth } from '@bedside/database';
import { signWebhook } from './webhook-signature';
import { WebhookRepository, type DueDelivery } from './webhook.repository';

/** Retry schedule: 1 s doubling to 10 min, 12 attempts (about 40 min in all), then "failed". */
export const MAX_ATTEMPTS = 12;
export function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 10 * 60_000);
}

/**
 * Outbound webhooks: every alarm event becomes a durable delivery row per subscribed webhook
 * (so a restart loses nothing), which a poller claims, posts, signed, and retries with backoff.
 * Clustered, every node polls; a claim keeps two nodes from posting the same delivery.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Webhooks');
  private sub: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  static readonly POLL_MS = 500;
  /** A claimed delivery is not posted by anyone else for this long (well beyond one POST's timeout). */
  static readonly CLAIM_MS = 30_000;

  constructor(
    private readonly stream: AlarmStream,
    private readonly hooks: WebhookRepository,
    private readonly clock: Clock,
    private readonly database: DatabaseHealth,
  ) {}

  onApplicationBootstrap(): void {
    this.sub = this.stream.events$.subscribe((e) => {
      const payload = { id: e.id, type: e.type, at: e.at, alarm: e.alarm } as unknown as Record<string, unknown>;
      void this.hooks
        .enqueue(e.alarm.organisationId, e.id, e.type, payload, new Date(this.clock.now()))
        .then((n) => n > 0 && this.kick())
        .catch((err) => {
          if (!this.database.unavailable('webhooks', err))
            this.log.error({ msg: 'webhook deliveries not queued', eventId: e.id, err: (err as Error).message });
        });
    });
    this.timer = setInterval(() => this.kick(), WebhookDispatcher.POLL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.deliverDue().finally(() => (this.running = false));
  }

  private async deliverDue(): Promise<void> {
    try {
      const due = await this.hooks.claimDue(new Date(this.clock.now()), 50, WebhookDispatcher.CLAIM_MS);
      await Promise.all(due.map((d) => this.deliver(d)));
    } catch (err) {
      if (!this.database.unavailable('webhooks', err))
        this.log.error({ msg: 'webhook poll failed', err: (err as Error).message });
    }
  }

  private async deliver(d: DueDelivery): Promise<void> {
    const body = JSON.stringify(d.payload);
    const at = this.clock.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-bedside-event': d.eventType,
          'x-bedside-delivery': `${d.webhookId}:${d.eventId}`,
          'x-bedside-signature': signWebhook(d.secret, body, at),
        },
        body,
        signal: AbortSignal.timeout(5000),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      error = (err as Error).message;
    }
    const delivered = status !== null && status >= 200 && status < 300;
    const attempt = d.attempts + 1;
    const giveUp = !delivered && attempt >= MAX_ATTEMPTS;
    if (!delivered)
      this.log.warn({
        msg: giveUp ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry',
        webhookId: d.webhookId,
        eventId: d.eventId,
        attempt,
        status,
        error,
      });
    await this.hooks.recordAttempt(d.id, {
      delivered,
      giveUp,
      status,
      error: error ?? (delivered ? null : `HTTP ${status}`),
      nextAttemptAt: new Date(at + backoffMs(attempt)),
      at: new Date(at),
    });
  }
}
