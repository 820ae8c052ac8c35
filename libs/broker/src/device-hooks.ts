import { Injectable, Logger } from '@nestjs/common';
import type { AedesOptions, AuthenticateError, Client, PublishPacket } from 'aedes';
import { EnvDto } from '@bedside/config';
import { errorsTopic, type UplinkChannel } from '@bedside/contracts';
import { DatabaseHealth, isDatabaseUnavailable } from '@bedside/database';
import { Metrics } from '@bedside/observability';
import { ConnectionAddresses } from './connection-address';
import { connectViolation, supervisedKeepAlive } from './connect-conformance';
import { DeviceAuthenticator } from './device-authenticator';
import { DeviceSessions, type DeviceSession } from './device-session';
import { DownlinkPublisher } from './downlink.publisher';
import { OutageHolds } from './outage-holds';
import { deviceMaySubscribe, uplinkChannelFor } from './topic-acl';
import type { UplinkGate } from './uplink-gate';
import { UplinkSkims } from './uplink-skim';

/**
 * Who sent an uplink: the device itself, or the broker on its behalf (its Last Will, published
 * once per connection when the device goes away, MQTT 3.1.1 §3.1.2.5).
 */
export type UplinkOrigin = 'device' | 'last-will';

/**
 * Ingest's entry point: resolve to acknowledge, reject to drop the connection unacknowledged.
 * Resolving 'refused' acknowledges a message that is not taken (over quota): it is not relayed.
 */
export type UplinkHandler = (
  session: DeviceSession,
  channel: UplinkChannel,
  packet: PublishPacket,
  origin: UplinkOrigin,
) => Promise<void | 'refused'>;

/** Acknowledged but refused: aedes relays none of these to subscribers (see BrokerService). */
export const refusedUplinks = new WeakSet<PublishPacket>();

const CONNACK_SERVER_UNAVAILABLE = 3; // MQTT 3.1.1 §3.2.2.3
const CONNACK_NOT_AUTHORIZED = 5;
const CONNACK_BAD_CREDENTIALS = 4;
const CONNACK_IDENTIFIER_REJECTED = 2;

type Hooks = Required<Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;

const refusal = (message: string, returnCode: number): AuthenticateError =>
  Object.assign<Error, { returnCode: number }>(new Error(message), { returnCode });

/**
 * aedes' hooks for a device connection: CONNECT conformance and keep-alive, login, the topic ACL,
 * and the hand-off of every device publish to ingest *before* aedes sends the PUBACK (aedes 1.x
 * acks QoS 1 right after authorizePublish, see handlers/publish.js).
 */
@Injectable()
export class DeviceHooks {
  private readonly log = new Logger('Broker');
  private uplinkHandler: UplinkHandler | null = null;
  private uplinkGate: UplinkGate | null = null;

  constructor(
    private readonly env: EnvDto,
    private readonly authenticator: DeviceAuthenticator,
    private readonly downlink: DownlinkPublisher,
    private readonly metrics: Metrics,
    private readonly database: DatabaseHealth,
    private readonly holds: OutageHolds,
  ) {}

  setUplinkHandler(handler: UplinkHandler): void {
    this.uplinkHandler = handler;
  }

  /** The inbound quota as connections' read paths apply it (UplinkSkim). */
  setUplinkGate(gate: UplinkGate): void {
    this.uplinkGate = gate;
  }

  get gate(): UplinkGate | null {
    return this.uplinkGate;
  }

  /** Forgets login throttling entries that have expired. */
  sweep(): void {
    this.authenticator.throttle.sweep();
    this.authenticator.addressThrottle.sweep();
  }

  /** The hooks as aedes' options. */
  get hooks(): Hooks {
    return {
      // No keepaliveLimit: aedes would refuse 0 and large values with CONNACK 6, a code MQTT
      // 3.1.1 does not have; preConnect serves them with the hub's own cap instead.
      preConnect: (client, packet, done) => {
        const violation = connectViolation(packet);
        if (violation) {
          this.log.warn({ msg: 'CONNECT violates MQTT 3.1.1; closing', clientId: packet.clientId, violation });
          return done(new Error(violation), false);
        }
        packet.keepalive = supervisedKeepAlive(packet.keepalive ?? 0, this.env.MQTT_KEEPALIVE_MAX_S);
        done(null, true);
      },
      authenticate: (client, username, password, done) => void this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, sub, done) => done(null, this.authorizeSubscribe(client, sub.topic) ? sub : null),
    };
  }

  private async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (err: AuthenticateError | null, ok: boolean | null) => void,
  ): Promise<void> {
    const address = ConnectionAddresses.of(client.conn);
    try {
      const result = await this.authenticator.login(client.id, username, password, address);
      if (result.ok) {
        DeviceSessions.attach(client, result.session);
        return done(null, true);
      }
      const code =
        result.reason === 'client-id-mismatch'
          ? CONNACK_IDENTIFIER_REJECTED
          : result.reason === 'bad-password' || result.reason === 'no-credentials'
            ? CONNACK_BAD_CREDENTIALS
            : CONNACK_NOT_AUTHORIZED;
      done(refusal(`login refused: ${result.reason}`, code), false);
    } catch (err) {
      if (!this.database.unavailable('device login', err))
        this.log.error({ msg: 'login check failed', err: (err as Error).message });
      done(refusal('server unavailable', CONNACK_SERVER_UNAVAILABLE), false);
    }
  }

  private authorizeSubscribe(client: Client, filter: string): boolean {
    const session = DeviceSessions.of(client);
    const ok = !!session && deviceMaySubscribe(session.deviceId, filter);
    if (!ok) {
      this.metrics.aclDenials.inc({ action: 'subscribe' });
      this.log.warn({ msg: 'subscription refused', deviceId: session?.deviceId, filter });
    }
    return ok;
  }

  private authorizePublish(client: Client | null, packet: PublishPacket, done: (err?: Error | null) => void): void {
    // QoS 1: PUBACKs in the order of the PUBLISHes (§4.6), those the read path owes included.
    // A refusal that closes the connection is not held up.
    const skim = packet.cmd === 'publish' && packet.qos === 1 ? UplinkSkims.of(client) : undefined;
    if (skim) {
      const n = skim.begin();
      const next = done;
      done = (err) => (err ? next(err) : skim.done(n, () => next(null)));
    }
    this.authorizeDevicePublish(client, packet, done);
  }

  private authorizeDevicePublish(
    client: Client | null,
    packet: PublishPacket,
    done: (err?: Error | null) => void,
  ): void {
    const session = DeviceSessions.of(client);
    if (!session) return done(new Error('publish without a device session'));
    // §2.3.1-1: a QoS 1/2 PUBLISH carries a non-zero packet id; 0 is a protocol violation, so the
    // connection is closed unacknowledged and nothing stored. (A Last Will, published by the
    // hub itself, has no packet id and no cmd.)
    if (packet.cmd === 'publish' && packet.qos > 0 && !packet.messageId)
      return done(new Error('QoS > 0 PUBLISH with packet identifier 0'));
    const channel = uplinkChannelFor(session.deviceId, packet.topic);
    if (!channel) return void this.refuseTopic(session, packet.topic, done);
    if (!this.uplinkHandler) return done(new Error('ingest not ready'));
    let handled: Promise<void | 'refused'>;
    try {
      handled = this.uplinkHandler(session, channel, packet, isLastWill(client, packet) ? 'last-will' : 'device');
    } catch (err) {
      return done(err as Error);
    }
    handled.then(
      (outcome) => {
        if (outcome === 'refused') refusedUplinks.add(packet);
        done(null);
      },
      (err: Error) => {
        // Not stored for want of the database: held unacknowledged, the connection still read.
        if (client && isDatabaseUnavailable(err) && this.holds.hold(client, packet, channel)) {
          refusedUplinks.add(packet);
          return done(null);
        }
        done(err);
      },
    );
  }

  /**
   * MQTT 3.1.1 §3.3.5: an unauthorised PUBLISH is either acknowledged or the connection is
   * closed. We close it, after telling the device why on its own errors topic.
   */
  private async refuseTopic(session: DeviceSession, topic: string, done: (err?: Error | null) => void): Promise<void> {
    this.metrics.aclDenials.inc({ action: 'publish' });
    this.metrics.messagesRejected.inc({ reason: 'TOPIC_NOT_ALLOWED' });
    this.log.warn({ msg: 'publish outside own topics; closing', deviceId: session.deviceId, topic });
    await this.downlink.sendFinalError(session.deviceId, {
      code: 'TOPIC_NOT_ALLOWED',
      topic,
      message: `a device may publish only to ${errorsTopic(session.deviceId).replace(/errors$/, '{telemetry|events|status}')}; the connection is closed`,
      errors: [{ field: 'topic', reason: "not one of this device's uplink topics" }],
    });
    done(new Error(`topic not allowed: ${topic}`));
  }
}

/**
 * aedes publishes a connection's Last Will from client.close() by handing the will it stored at
 * CONNECT (`client.will`) to authorizePublish (lib/client.js); a device's own PUBLISH is a packet
 * parsed from its connection, never that object.
 */
function isLastWill(client: Client | null, packet: PublishPacket): boolean {
  return !!client && (client as unknown as { will: unknown }).will === packet;
}
