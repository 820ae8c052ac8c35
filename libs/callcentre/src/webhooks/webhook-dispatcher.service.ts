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
 *
 * The poller does not ask on a fixed beat: a delivery queued here wakes it at once, each poll
 * learns when the next pending delivery falls due and sleeps until then, and between those it
 * asks every IDLE_POLL_MS for deliveries another node queued and could not post (it crashed
 * between queueing and claiming). Most of the time nothing is pending, and an idle node then
 * asks once in IDLE_POLL_MS instead of twice a second.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Webhooks');
  private sub: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** A wake-up came during a poll: poll again right after it. */
  private again = false;
  private stopped = false;
  /** After a failed poll (the database may be down). */
  static readonly RETRY_MS = 500;
  static readonly IDLE_POLL_MS = 5_000;
  static readonly MIN_WAIT_MS = 100;
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
    this.kick();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.sub?.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.again = false;
    void this.deliverDue().then((delayMs) => {
      this.running = false;
      this.sleep(this.again ? 0 : delayMs);
    });
  }

  private sleep(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
    this.timer.unref();
  }

  /** Claims and posts what is due; answers how long to wait before the next poll. */
  private async deliverDue(): Promise<number> {
    try {
      const now = this.clock.now();
      const { due, nextAt } = await this.hooks.claimDue(new Date(now), 50, WebhookDispatcher.CLAIM_MS);
      await Promise.all(due.map((d) => this.deliver(d)));
      // Posted some: their outcomes set new next attempts, and more may be due; look again now.
      if (due.length > 0) return 0;
      if (nextAt === null) return WebhookDispatcher.IDLE_POLL_MS;
      // At least a moment: a delivery another node is claiming right now still reads as due.
      return Math.min(Math.max(nextAt.getTime() - now, WebhookDispatcher.MIN_WAIT_MS), WebhookDispatcher.IDLE_POLL_MS);
    } catch (err) {
      if (!this.database.unavailable('webhooks', err))
        this.log.error({ msg: 'webhook poll failed', err: (err as Error).message });
      return WebhookDispatcher.RETRY_MS;
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
