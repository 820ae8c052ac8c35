import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Client, PublishPacket } from 'aedes';
import type { Subscription } from 'rxjs';
import { Clock } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { isCallForHelp, type UplinkChannel } from '@bedside/contracts';
import { DatabaseHealth } from '@bedside/database';
import { BrokerMetrics } from './broker.metrics';
import { ConnectionSupervisor } from './connection-supervisor';

/** The release runs in batches this far apart (longer when the rate is below one per batch). */
const BATCH_MS = 100;

interface Holding {
  client: Client;
  /** It holds a call for help (an SOS, a fall): closed before the rest. */
  callForHelp: boolean;
}

/**
 * Messages the hub could not store because the database is unreachable. Closing the connection
 * (the usual way to make a device resend, MQTT 3.1.1 §4.4) would, during an outage, close it
 * again on every resend, and what the device sends after the first unstored message (a call for
 * help among it) would never be read: it always queues behind the resend. So the message is left
 * unacknowledged on an open connection instead (not accepted, so no PUBACK, §4.3.2), the
 * connection goes on being read, and a call for help is heard and shown as not yet stored.
 *
 * When the database answers again, each connection holding such a message is closed so that its
 * device resends, this time to be stored. Not all at once: every reconnect is a login checked
 * against the database just back, and thousands of them in the same second would bring it down
 * again. They are closed `MQTT_OUTAGE_RELEASE_PER_S` a second, in batches, those holding a call
 * for help first, then the others by how long they have been holding, oldest first. Should the
 * database fail again meanwhile, the rest wait for its next recovery.
 */
@Injectable()
export class OutageHolds implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Broker');
  /** In the order each connection first held a message: Map iteration follows insertion. */
  private readonly holding = new Map<Client, Holding>();
  private readonly batchSize: number;
  private readonly batchMs: number;
  private subscription: Subscription | null = null;
  private release: Release | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: DatabaseHealth,
    private readonly supervisor: ConnectionSupervisor,
    private readonly metrics: BrokerMetrics,
    private readonly clock: Clock,
    env: EnvDto,
  ) {
    const perSecond = env.MQTT_OUTAGE_RELEASE_PER_S;
    this.batchSize = Math.max(1, Math.round((perSecond * BATCH_MS) / 1000));
    this.batchMs = (this.batchSize * 1000) / perSecond;
  }

  onApplicationBootstrap(): void {
    this.subscription = this.database.recovered$.subscribe(() => this.startRelease());
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
    this.stopTimer();
  }

  /** Connections holding a message, not yet closed for their device to resend. */
  get connections(): number {
    return this.holding.size;
  }

  /**
   * Leaves a QoS 1 PUBLISH unacknowledged: aedes handles a QoS 0 one without a PUBACK, and the
   * caller keeps it from being relayed. Returns false for a connection already gone.
   */
  hold(client: Client, packet: PublishPacket, channel: UplinkChannel): boolean {
    if (client.closed) return false;
    // A QoS 0 message is not resent whatever the hub does (at most once, §4.3.1): nothing to
    // wait for, and nothing held (ingest counts it among the store failures).
    if (packet.qos > 0) {
      const callForHelp = isCallForHelp(channel, packet.payload);
      const known = this.holding.get(client); // a connection that closes meanwhile is skipped at release
      if (known) known.callForHelp ||= callForHelp;
      else {
        this.holding.set(client, { client, callForHelp });
        this.metrics.holdingForOutage.set(this.holding.size);
      }
      this.metrics.heldForOutage.inc();
    }
    (packet as { qos: number }).qos = 0;
    return true;
  }

  private startRelease(): void {
    this.stopTimer();
    this.release = null;
    if (this.holding.size === 0) return;
    const all = [...this.holding.values()];
    const calls = all.filter((h) => h.callForHelp);
    const queue = calls.length ? [...calls, ...all.filter((h) => !h.callForHelp)] : all;
    this.release = { queue, next: 0, startedAt: this.clock.now(), closed: 0, gone: 0 };
    this.log.log({
      msg: 'database back: closing the connections holding unacknowledged messages, in batches, so their devices resend',
      connections: queue.length,
      callsForHelp: calls.length,
      expectedMs: Math.round((Math.ceil(queue.length / this.batchSize) - 1) * this.batchMs),
    });
    this.nextBatch();
  }

  private nextBatch(): void {
    this.timer = null;
    const release = this.release;
    if (!release) return;
    if (this.database.down) {
      // Failed again: those left would reconnect into the outage. They wait for the next recovery.
      this.log.warn({
        msg: 'database unreachable again: closing of holding connections paused',
        closed: release.closed,
        left: this.holding.size,
      });
      this.release = null;
      return;
    }
    let closed = 0;
    while (closed < this.batchSize && release.next < release.queue.length) {
      const { client } = release.queue[release.next++];
      if (!this.holding.delete(client)) continue; // released already
      if (client.closed) {
        release.gone++; // its device closed it itself and resends on its own
        continue;
      }
      this.supervisor.closeForResend(client);
      this.metrics.releasedAfterOutage.inc();
      release.closed++;
      closed++;
    }
    this.metrics.holdingForOutage.set(this.holding.size);
    if (release.next < release.queue.length) {
      this.timer = setTimeout(() => this.nextBatch(), this.batchMs);
      this.timer.unref();
      return;
    }
    this.release = null;
    this.log.log({
      msg: 'connections holding unacknowledged messages closed so their devices resend',
      closed: release.closed,
      alreadyGone: release.gone,
      overMs: this.clock.now() - release.startedAt,
    });
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

interface Release {
  queue: Holding[];
  /** Index in `queue` of the next connection to close. */
  next: number;
  startedAt: number;
  closed: number;
  gone: number;
}
