import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { Injectable, Logger } from '@nestjs/common';
import type { Aedes, Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { Clock, ConnectionRateLimiter } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { Metrics } from '@bedside/observability';
import { BrokerMetrics } from './broker.metrics';
import { ConnectionAddresses } from './connection-address';
import { DeviceSessions } from './device-session';
import { DownlinkPublisher } from './downlink.publisher';
import { MqttFrameGuard, guardReads, type OversizeInfo } from './mqtt-frame-guard';
import { DeviceHooks } from './device-hooks';
import { boundWrites } from './outbound-guard';
import { readProxyV2Header } from './proxy-protocol';
import { UplinkSkim, UplinkSkims } from './uplink-skim';

/**
 * The broker's transports (TCP, TLS, WebSocket): per-address connection rate, the PROXY protocol
 * header behind HAProxy, and the guards on every connection's reads (frame size) and writes
 * (backlog) before aedes gets it.
 */
@Injectable()
export class MqttListeners {
  private readonly log = new Logger('Broker');
  private readonly servers: (Server | HttpServer)[] = [];
  private wss: WebSocketServer | null = null;
  private readonly rateLimiter: ConnectionRateLimiter;
  private aedes!: Aedes;
  readonly ports: { tcp?: number; tls?: number; ws?: number } = {};

  constructor(
    private readonly env: EnvDto,
    private readonly downlink: DownlinkPublisher,
    private readonly metrics: Metrics,
    private readonly brokerMetrics: BrokerMetrics,
    private readonly hooks: DeviceHooks,
    clock: Clock,
  ) {
    this.rateLimiter = new ConnectionRateLimiter(env.MQTT_CONNECTIONS_PER_SECOND_PER_IP, () => clock.now());
  }

  get listening(): boolean {
    return this.servers.length > 0 && this.servers.every((s) => s.listening);
  }

  /** Forgets rate-limit entries that have expired. */
  sweep(): void {
    this.rateLimiter.sweep();
  }

  /** Listens on every configured transport, handing connections to `aedes`. */
  async start(aedes: Aedes): Promise<void> {
    const env = this.env;
    this.aedes = aedes;
    // Nagle's algorithm would hold an ack written right after a PUBACK until the device's
    // delayed ACK (40 ms on Linux, RFC 1122 §4.2.3.2): every packet is written whole, so send
    // each at once. (Node's HTTP server, carrying MQTT over WebSocket, already does.)
    this.ports.tcp = await this.listen(
      createNetServer({ noDelay: true }, (s) => this.accept(s)),
      env.MQTT_PORT,
      'mqtt',
    );
    if (env.MQTT_TLS_PORT !== undefined && env.TLS_CERT_FILE && env.TLS_KEY_FILE) {
      const tls = createTlsServer(
        { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE), noDelay: true },
        (s) => this.accept(s),
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

  /**
   * Stops accepting connections at once; resolves when every listener has closed, which waits
   * for its open connections (only aedes can end those).
   */
  close(): Promise<void> {
    const closing = this.servers.map((s) => new Promise<void>((r) => s.close(() => r())));
    this.wss?.close();
    return Promise.all(closing).then(() => undefined);
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
    const skim = new UplinkSkim({
      session: () => DeviceSessions.of(client),
      gate: () => this.hooks.gate,
      write: (bytes) => transport.write(bytes),
      whenDrained: (drained) => this.whenDrained(transport, client, drained),
      resume: () => void transport.emit('readable'),
    });
    transport.once('close', () => skim.close());
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
      skim,
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
    ConnectionAddresses.note(transport, address);
    client = this.aedes.handle(transport);
    UplinkSkims.attach(client, skim);
  }

  /**
   * A connection that leaves the PUBACKs of its refused messages unread gets the drain timeout
   * aedes gives its own writes: dropped if it has not taken them by then.
   */
  private whenDrained(transport: Duplex, client: Client | null, drained: () => void): void {
    const timer = setTimeout(() => {
      transport.off('drain', onDrain);
      this.brokerMetrics.connectionsDropped.inc({ reason: 'drain_timeout' });
      this.log.warn({
        msg: 'connection not reading its acknowledgements; dropping it',
        deviceId: DeviceSessions.of(client)?.deviceId,
        waitedMs: this.env.MQTT_DRAIN_TIMEOUT_MS,
      });
      transport.destroy();
    }, this.env.MQTT_DRAIN_TIMEOUT_MS);
    timer.unref();
    const onDrain = () => {
      clearTimeout(timer);
      drained();
    };
    transport.once('drain', onDrain);
    transport.once('close', () => clearTimeout(timer));
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
}
