import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { Subject, type Subscription } from 'rxjs';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { Clock, ConnectionRateLimiter } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { errorsTopic } from '@bedside/contracts';
import { Metrics } from '@bedside/observability';
import { DeviceRepository, RegistryEvents } from '@bedside/registry';
import { BrokerMetrics } from './broker.metrics';
import { DeviceAuthenticator } from './device-authenticator';
import { DeviceSessions, type DeviceSession } from './device-session';
import { DownlinkPublisher } from './downlink.publisher';
import { MqttFrameGuard, guardReads, type OversizeInfo } from './mqtt-frame-guard';
import { boundWrites } from './outbound-guard';
import { connectViolation, supervisedKeepAlive } from './connect-conformance';
import { readProxyV2Header } from './proxy-protocol';
import { markRedeliveriesDup } from './redelivery-dup';
import { coversAcks, deviceMaySubscribe, uplinkChannelFor } from './topic-acl';
import type { UplinkChannel } from '@bedside/contracts';
import { DatabaseHealth } from '@bedside/database';

/** Ingest's entry point: resolve to acknowledge, reject to drop the connection unacknowledged. */
export type UplinkHandler = (session: DeviceSession, channel: UplinkChannel, packet: PublishPacket) => Promise<void>;

export interface ConnectionChange {
  session: DeviceSession;
  state: 'connected' | 'disconnected';
  at: number;
}

const CONNACK_NOT_AUTHORIZED = 5; // MQTT 3.1.1 §3.2.2.3
const CONNACK_BAD_CREDENTIALS = 4;
const CONNACK_IDENTIFIER_REJECTED = 2;

/**
 * The embedded aedes broker: listeners (TCP, TLS, WebSocket), the frame-size guard, login and
 * topic ACL hooks, and the hand-off of every device publish to ingest *before* aedes sends the
 * PUBACK (aedes 1.x acks QoS 1 right after authorizePublish, see handlers/publish.js).
 */
@Injectable()
export class BrokerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Broker');
  private aedes!: Aedes;
  private readonly servers: (Server | HttpServer)[] = [];
  private wss: WebSocketServer | null = null;
  private readonly live = new Map<string, Client>();
  /** Last revocation or rotation per device, to catch a login that raced it. */
  private readonly accessRevokedAt = new Map<string, number>();
  private readonly remoteAddresses = new WeakMap<object, string>();
  /** Connections being replaced by the same device's new one (session takeover). */
  private readonly takenOver = new WeakSet<Client>();
  private shuttingDown = false;
  private readonly rateLimiter: ConnectionRateLimiter;
  private uplinkHandler: UplinkHandler | null = null;
  private accessSub: Subscription | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  readonly connections$ = new Subject<ConnectionChange>();
  /** A device can receive its acks: it subscribed to them, or reconnected to a session that had. */
  readonly acksSubscribed$ = new Subject<DeviceSession>();
  readonly ports: { tcp?: number; tls?: number; ws?: number } = {};

  constructor(
    private readonly env: EnvDto,
    private readonly authenticator: DeviceAuthenticator,
    private readonly downlink: DownlinkPublisher,
    private readonly metrics: Metrics,
    private readonly brokerMetrics: BrokerMetrics,
    private readonly registry: RegistryEvents,
    private readonly devices: DeviceRepository,
    private readonly clock: Clock,
    private readonly database: DatabaseHealth,
  ) {
    this.rateLimiter = new ConnectionRateLimiter(env.MQTT_CONNECTIONS_PER_SECOND_PER_IP, () => clock.now());
  }

  setUplinkHandler(handler: UplinkHandler): void {
    this.uplinkHandler = handler;
  }

  get listening(): boolean {
    return this.servers.length > 0 && this.servers.every((s) => s.listening);
  }

  isConnected(deviceId: string): boolean {
    return this.live.has(deviceId);
  }

  /** A revocation or rebinding made on another node, for a device connected here. */
  applyAccessChange(deviceId: string, reason: string): void {
    void this.onAccessChange(deviceId, reason);
  }

  get connectedDevices(): number {
    return this.live.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    const env = this.env;
    this.aedes = await Aedes.createBroker({
      // No global cap on deliveries in flight: aedes' emitter queues *every* publish behind the
      // cap, and a delivery to a socket that is not read holds its slot until the drain timeout,
      // so one stuck device would stall all downlinks. Each connection's own backlog is bounded
      // instead (MQTT_MAX_OUTBOUND_BYTES, see handle()).
      concurrency: 0,
      connectTimeout: env.MQTT_CONNECT_TIMEOUT_MS,
      drainTimeout: env.MQTT_DRAIN_TIMEOUT_MS,
      maxTopicLevels: env.MQTT_MAX_TOPIC_LEVELS,
      maxClientsIdLength: 64,
      // No keepaliveLimit: aedes would refuse 0 and large values with CONNACK 6, a code MQTT
      // 3.1.1 does not have; preConnect serves them with the hub's own cap instead.
      preConnect: (client, packet, done) => {
        const violation = connectViolation(packet);
        if (violation) {
          this.log.warn({ msg: 'CONNECT violates MQTT 3.1.1; closing', clientId: packet.clientId, violation });
          return done(new Error(violation), false);
        }
        packet.keepalive = supervisedKeepAlive(packet.keepalive ?? 0, env.MQTT_KEEPALIVE_MAX_S);
        done(null, true);
      },
      authenticate: (client, username, password, done) => void this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, sub, done) => done(null, this.authorizeSubscribe(client, sub.topic) ? sub : null),
    });
    this.downlink.attach(this.aedes);
    markRedeliveriesDup(this.aedes);
    // aedes closes a client id's old connection inside registerClient (handlers/connect.js),
    // after the new one has logged in and just before its CONNACK: the one moment a takeover
    // is certain.
    const internals = this.aedes as unknown as { registerClient(client: Client): void };
    const registerClient = internals.registerClient.bind(this.aedes);
    internals.registerClient = (client: Client) => {
      this.prepareTakeover(client);
      registerClient(client);
    };
    this.aedes.on('clientReady', (client) => this.onReady(client));
    this.aedes.on('clientDisconnect', (client) => this.onGone(client));
    this.aedes.on('subscribe', (subs, client) => {
      const session = DeviceSessions.of(client);
      if (session && subs.some((s) => (s.qos as number) !== 128 && coversAcks(session.deviceId, s.topic)))
        this.acksSubscribed$.next(session);
    });
    this.aedes.on('clientError', (client, err) =>
      this.log.debug({ msg: 'client error', clientId: client?.id, err: err.message }),
    );
    this.aedes.on('connectionError', (_client, err) => this.log.debug({ msg: 'connection error', err: err.message }));
    this.accessSub = this.registry.deviceAccess$.subscribe((c) => void this.onAccessChange(c.deviceId, c.reason));
    this.sweepTimer = setInterval(() => {
      this.rateLimiter.sweep();
      this.authenticator.throttle.sweep();
      this.authenticator.addressThrottle.sweep();
    }, 30_000).unref();

    this.ports.tcp = await this.listen(
      createNetServer((s) => this.accept(s)),
      env.MQTT_PORT,
      'mqtt',
    );
    if (env.MQTT_TLS_PORT !== undefined && env.TLS_CERT_FILE && env.TLS_KEY_FILE) {
      const tls = createTlsServer({ cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) }, (s) =>
        this.accept(s),
      );
      this.ports.tls = await this.listen(tls, env.MQTT_TLS_PORT, 'mqtts');
    }
    if (env.MQTT_WS_PORT !== undefined) {
      const http = createHttpServer((_req, res) =>
        res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n'),
      );
      // The upgrade request is the WebSocket's pre-CONNECT phase: bounded in time like a TCP
      // connection's wait for CONNECT (its size is bounded by Node's header limit).
      http.headersTimeout = env.MQTT_CONNECT_TIMEOUT_MS;
      http.requestTimeout = env.MQTT_CONNECT_TIMEOUT_MS;
      // MQTT over WebSocket uses the "mqtt" subprotocol and binary frames (MQTT 3.1.1 §6).
      // maxPayload: ws buffers a whole frame (and a fragmented message) before handing it on,
      // so without it a peer could make the hub hold any amount before the frame guard or
      // CONNECT; an MQTT packet never needs more than MQTT_MAX_PACKET_BYTES.
      this.wss = new WebSocketServer({
        server: http,
        maxPayload: env.MQTT_MAX_PACKET_BYTES,
        perMessageDeflate: false,
        handleProtocols: (protocols) =>
          protocols.has('mqtt') ? 'mqtt' : protocols.has('mqttv3.1') ? 'mqttv3.1' : false,
      });
      this.wss.on('connection', (ws, req) => {
        const address = req.socket.remoteAddress ?? 'unknown';
        if (!this.rateLimiter.allow(address)) {
          this.metrics.connectionsRefused.inc({ reason: 'rate' });
          return ws.terminate();
        }
        this.handle(createWebSocketStream(ws), address);
      });
      this.ports.ws = await this.listen(http, env.MQTT_WS_PORT, 'mqtt-ws');
    }
  }

  /** Shutdown phase 1: stop taking messages (ingest drains in phase 2, stores close in phase 3). */
  async onModuleDestroy(): Promise<void> {
    this.accessSub?.unsubscribe();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    // Stop accepting first, then close the clients: a listener's close() waits for its open
    // connections, which only aedes can end.
    const closing = this.servers.map((s) => new Promise<void>((r) => s.close(() => r())));
    this.wss?.close();
    // The devices are not going away, the hub is: their Last Wills would tell the rules they
    // are offline (a page per device after the offline grace, if the restart takes longer) and
    // every device would be stored offline until it reconnects. A device that does not come
    // back is still noticed, by its silence.
    this.shuttingDown = true;
    const clients = (this.aedes as unknown as { clients: Record<string, Client | undefined> } | undefined)?.clients;
    for (const client of Object.values(clients ?? {})) if (client) withoutWill(client);
    if (this.aedes) await new Promise<void>((r) => this.aedes.close(() => r()));
    await Promise.all(closing);
  }

  /** Closes a device's live connection, if any (revocation, tests). */
  disconnect(deviceId: string): boolean {
    const client = this.live.get(deviceId);
    if (!client) return false;
    client.close();
    return true;
  }

  private listen(server: Server | HttpServer, port: number, name: string): Promise<number> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.env.HTTP_HOST, () => {
        this.servers.push(server);
        const actual = (server.address() as { port: number }).port;
        this.log.log(`${name} listening on ${this.env.HTTP_HOST}:${actual}`);
        resolve(actual);
      });
    });
  }

  private accept(socket: Socket): void {
    if (!this.env.MQTT_PROXY_PROTOCOL) return this.admit(socket, socket.remoteAddress ?? 'unknown');
    // Behind HAProxy every connection comes from the proxy: the device's address is in the
    // PROXY v2 header, read (within the CONNECT time budget) before MQTT starts.
    readProxyV2Header(socket, this.env.MQTT_CONNECT_TIMEOUT_MS).then(
      (header) => this.admit(socket, header.command === 'proxy' ? header.address : (socket.remoteAddress ?? 'unknown')),
      (err: Error) => {
        this.metrics.connectionsRefused.inc({ reason: 'proxy_header' });
        this.log.warn({
          msg: 'PROXY protocol header refused; closing',
          remoteAddress: socket.remoteAddress,
          err: err.message,
        });
        socket.destroy();
      },
    );
  }

  private admit(socket: Socket, address: string): void {
    if (!this.rateLimiter.allow(address)) {
      this.metrics.connectionsRefused.inc({ reason: 'rate' });
      socket.destroy();
      return;
    }
    this.handle(socket, address);
  }

  /** Hands the connection to aedes with the frame guard on its reads. */
  private handle(transport: Duplex, address: string): void {
    let client: Client | null = null;
    guardReads(
      transport,
      new MqttFrameGuard(
        this.env.MQTT_MAX_PACKET_BYTES,
        (info) => {
          if (client) void this.onOversize(client, transport, info);
          else transport.destroy(); // cannot happen: aedes reads only after handle() returns
        },
        this.env.MQTT_MAX_CONNECT_BYTES,
      ),
    );
    boundWrites(transport, this.env.MQTT_MAX_OUTBOUND_BYTES, (buffered) => {
      this.brokerMetrics.connectionsDropped.inc({ reason: 'outbound_backlog' });
      this.log.warn({
        msg: 'connection not reading; dropping it',
        deviceId: DeviceSessions.of(client)?.deviceId,
        buffered,
        limit: this.env.MQTT_MAX_OUTBOUND_BYTES,
      });
      transport.destroy();
    });
    transport.on('error', () => undefined); // aedes reports connection errors itself
    this.remoteAddresses.set(transport, address);
    client = this.aedes.handle(transport);
  }

  private async onOversize(client: Client, transport: Duplex, info: OversizeInfo): Promise<void> {
    const session = DeviceSessions.of(client);
    if (session) this.metrics.messagesRejected.inc({ reason: 'PACKET_TOO_LARGE' });
    else this.metrics.connectionsRefused.inc({ reason: 'connect_too_large' });
    this.log.warn({
      msg: session ? 'packet too large; closing connection' : 'CONNECT over the pre-CONNECT budget; closing connection',
      deviceId: session?.deviceId,
      size: info.size,
      limit: info.limit,
      packetType: info.packetType,
    });
    if (session) {
      await this.downlink.sendFinalError(session.deviceId, {
        code: 'PACKET_TOO_LARGE',
        topic: '',
        errors: [{ field: '', reason: `packet of ${info.size} bytes exceeds the limit of ${info.limit} bytes` }],
        message: `packet of ${info.size} bytes exceeds the limit of ${info.limit} bytes; the connection is closed`,
      });
    }
    client.close();
    transport.destroy();
  }

  private async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (err: AuthenticateError | null, ok: boolean | null) => void,
  ): Promise<void> {
    const address = this.remoteAddresses.get(client.conn) ?? 'unknown';
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
      done(
        Object.assign<Error, { returnCode: number }>(new Error(`login refused: ${result.reason}`), {
          returnCode: code,
        }),
        false,
      );
    } catch (err) {
      if (!this.database.unavailable('device login', err))
        this.log.error({ msg: 'login check failed', err: (err as Error).message });
      done(
        Object.assign<Error, { returnCode: number }>(new Error('server unavailable'), {
          returnCode: 3,
        }),
        false,
      );
    }
  }

  /**
   * The device is back on a new connection, so aedes is about to close the old one (MQTT 3.1.1
   * §3.1.4-2). That closing is not the device going away: its Last Will would tell the rules it
   * is offline (a page to an operator) only for the new connection to say online milliseconds
   * later. The old connection leaves without its will and without a "disconnected" change; the
   * new one's will (stored at CONNECT) replaces it.
   */
  private prepareTakeover(client: Client): void {
    const old = (this.aedes as unknown as { clients: Record<string, Client | undefined> }).clients[client.id];
    if (!old || old === client) return;
    withoutWill(old);
    this.takenOver.add(old);
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
    let handled: Promise<void>;
    try {
      handled = this.uplinkHandler(session, channel, packet);
    } catch (err) {
      return done(err as Error);
    }
    handled.then(
      () => done(null),
      (err: Error) => done(err),
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

  private onReady(client: Client): void {
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

  private onGone(client: Client): void {
    const session = DeviceSessions.of(client);
    if (!session || this.live.get(session.deviceId) !== client) return; // a takeover already replaced it
    if (this.takenOver.has(client) || this.shuttingDown) {
      // Replaced by the device's own new connection, which reports 'connected' when ready; or
      // the hub is stopping (see onModuleDestroy).
      this.live.delete(session.deviceId);
      return;
    }
    this.live.delete(session.deviceId);
    this.metrics.connectedDevices.set(this.live.size);
    this.connections$.next({ session, state: 'disconnected', at: this.clock.now() });
  }

  private async onAccessChange(deviceId: string, reason: string): Promise<void> {
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
}

/** Drops a connection's Last Will (aedes keeps it in `will`, or in `_will` while logging in). */
function withoutWill(client: Client): void {
  const wills = client as unknown as { will: unknown; _will: unknown };
  wills.will = null;
  wills._will = null;
}
