import { Injectable, Logger } from '@nestjs/common';
import type { Aedes, Client, Subscription } from 'aedes';
import { Subject } from 'rxjs';
import { Clock } from '@bedside/common';
import { Metrics } from '@bedside/observability';
import { DeviceRepository } from '@bedside/registry';
import { DeviceSessions, type DeviceSession } from './device-session';
import { RememberedIdentities } from './remembered-identities';
import { coversAcks } from './topic-acl';

export interface ConnectionChange {
  session: DeviceSession;
  state: 'connected' | 'disconnected';
  at: number;
}

/**
 * Which device is connected on which connection: reports connects and disconnects (but not a
 * session takeover or the hub's own shutdown), ends a connection whose credentials are revoked,
 * and tells when a device can receive its acks.
 */
@Injectable()
export class ConnectionSupervisor {
  private readonly log = new Logger('Broker');
  private readonly live = new Map<string, Client>();
  /** Last revocation or rotation per device, to catch a login that raced it. */
  private readonly accessRevokedAt = new Map<string, number>();
  /** Connections being replaced by the same device's new one (session takeover, or closed for it to resend). */
  private readonly takenOver = new WeakSet<Client>();
  private shuttingDown = false;
  readonly connections$ = new Subject<ConnectionChange>();
  /** A device can receive its acks: it subscribed to them, or reconnected to a session that had. */
  readonly acksSubscribed$ = new Subject<DeviceSession>();

  constructor(
    private readonly metrics: Metrics,
    private readonly devices: DeviceRepository,
    private readonly clock: Clock,
    private readonly identities: RememberedIdentities,
  ) {}

  isConnected(deviceId: string): boolean {
    return this.live.has(deviceId);
  }

  get connectedDevices(): number {
    return this.live.size;
  }

  /** Closes a device's live connection, if any (revocation, tests). */
  disconnect(deviceId: string): boolean {
    const client = this.live.get(deviceId);
    if (!client) return false;
    client.close();
    return true;
  }

  /**
   * The device is back on a new connection, so aedes is about to close the old one (MQTT 3.1.1
   * §3.1.4-2). That closing is not the device going away: its Last Will would tell the rules it
   * is offline (a page to an operator) only for the new connection to say online milliseconds
   * later. The old connection leaves without its will and without a "disconnected" change; the
   * new one's will (stored at CONNECT) replaces it.
   */
  prepareTakeover(aedes: Aedes, client: Client): void {
    const old = clientsOf(aedes)[client.id];
    if (!old || old === client) return;
    withoutWill(old);
    this.takenOver.add(old);
  }

  /**
   * Closes a connection so that its device reconnects and resends what is unacknowledged (MQTT
   * 3.1.1 §4.4). The device is not going away: no Last Will, no "disconnected" change; a device
   * that does not come back is noticed by its silence.
   */
  closeForResend(client: Client): void {
    withoutWill(client);
    this.takenOver.add(client);
    client.close();
  }

  onReady(client: Client): void {
    const session = DeviceSessions.of(client);
    if (!session) return;
    if ((this.accessRevokedAt.get(session.deviceId) ?? -Infinity) >= session.authenticatedAt) {
      client.close(); // credentials were revoked between the login check and now
      return;
    }
    this.live.set(session.deviceId, client);
    this.metrics.connectedDevices.set(this.live.size);
    this.connections$.next({ session, state: 'connected', at: this.clock.now() });
    // A persistent session keeps its subscriptions (MQTT 3.1.1 §3.1.2.4): no SUBSCRIBE may follow.
    if (
      Object.keys((client as unknown as { subscriptions: object }).subscriptions).some((f) =>
        coversAcks(session.deviceId, f),
      )
    )
      this.acksSubscribed$.next(session);
  }

  onSubscribe(subs: Subscription[], client: Client): void {
    const session = DeviceSessions.of(client);
    if (session && subs.some((s) => (s.qos as number) !== 128 && coversAcks(session.deviceId, s.topic)))
      this.acksSubscribed$.next(session);
  }

  onGone(client: Client): void {
    const session = DeviceSessions.of(client);
    if (!session || this.live.get(session.deviceId) !== client) return; // a takeover already replaced it
    this.identities.confirm(session.deviceId, this.clock.now());
    if (this.takenOver.has(client) || this.shuttingDown) {
      // Replaced by the device's own new connection, which reports 'connected' when ready; or
      // the hub is stopping (see shutDown).
      this.live.delete(session.deviceId);
      return;
    }
    this.live.delete(session.deviceId);
    this.metrics.connectedDevices.set(this.live.size);
    this.connections$.next({ session, state: 'disconnected', at: this.clock.now() });
  }

  async onAccessChange(deviceId: string, reason: string): Promise<void> {
    // A remembered identity would log the device in with old credentials or its old bed.
    this.identities.forget(deviceId);
    if (reason !== 'rebound') this.accessRevokedAt.set(deviceId, this.clock.now());
    const client = this.live.get(deviceId);
    if (!client) return;
    if (reason === 'rebound') {
      const identity = await this.devices.findIdentity(deviceId);
      const session = DeviceSessions.of(client);
      if (identity && session) session.bedId = identity.bedId;
      return;
    }
    this.log.log({ msg: 'closing live connection', deviceId, reason });
    client.close();
  }

  /**
   * The devices are not going away, the hub is: their Last Wills would tell the rules they are
   * offline (a page per device after the offline grace, if the restart takes longer) and every
   * device would be stored offline until it reconnects. A device that does not come back is
   * still noticed, by its silence. Called before aedes closes the connections.
   */
  shutDown(aedes: Aedes | undefined): void {
    this.shuttingDown = true;
    for (const client of Object.values(aedes ? clientsOf(aedes) : {})) if (client) withoutWill(client);
  }
}

/** aedes' connected clients by client id (an internal it keeps for takeovers). */
function clientsOf(aedes: Aedes): Record<string, Client | undefined> {
  return (aedes as unknown as { clients: Record<string, Client | undefined> }).clients ?? {};
}

/** Drops a connection's Last Will (aedes keeps it in `will`, or in `_will` while logging in). */
function withoutWill(client: Client): void {
  const wills = client as unknown as { will: unknown; _will: unknown };
  wills.will = null;
  wills._will = null;
}
