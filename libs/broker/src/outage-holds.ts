import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Client, PublishPacket } from 'aedes';
import type { Subscription } from 'rxjs';
import { DatabaseHealth } from '@bedside/database';
import { BrokerMetrics } from './broker.metrics';
import { ConnectionSupervisor } from './connection-supervisor';

/**
 * Messages the hub could not store because the database is unreachable. Closing the connection
 * (the usual way to make a device resend, MQTT 3.1.1 §4.4) would, during an outage, close it
 * again on every resend, and what the device sends after the first unstored message (a call for
 * help among it) would never be read: it always queues behind the resend. So the message is left
 * unacknowledged on an open connection instead (not accepted, so no PUBACK, §4.3.2), the
 * connection goes on being read, and a call for help is heard and shown as not yet stored. When
 * the database answers again, every connection holding such a message is closed so that its
 * device resends, this time to be stored.
 */
@Injectable()
export class OutageHolds implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Broker');
  private readonly holding = new Set<Client>();
  private subscription: Subscription | null = null;

  constructor(
    private readonly database: DatabaseHealth,
    private readonly supervisor: ConnectionSupervisor,
    private readonly metrics: BrokerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.database.recovered$.subscribe(() => this.release());
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  get connections(): number {
    return this.holding.size;
  }

  /**
   * Leaves a QoS 1 PUBLISH unacknowledged: aedes handles a QoS 0 one without a PUBACK, and the
   * caller keeps it from being relayed. Returns false for a connection already gone.
   */
  hold(client: Client, packet: PublishPacket): boolean {
    if (client.closed) return false;
    // A QoS 0 message is not resent whatever the hub does (at most once, §4.3.1): nothing to wait for.
    if (packet.qos > 0) this.holding.add(client); // a connection that closes meanwhile is skipped at release
    (packet as { qos: number }).qos = 0;
    this.metrics.heldForOutage.inc();
    return true;
  }

  private release(): void {
    const open = [...this.holding].filter((c) => !c.closed);
    this.holding.clear();
    if (open.length === 0) return;
    this.log.log({
      msg: 'database back: closing connections with unacknowledged messages so they resend',
      connections: open.length,
    });
    for (const client of open) this.supervisor.closeForResend(client);
  }
}
