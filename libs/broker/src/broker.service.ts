import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import type { Subject, Subscription } from 'rxjs';
import { EnvDto } from '@bedside/config';
import { RegistryEvents } from '@bedside/registry';
import { ConnectionSupervisor, type ConnectionChange } from './connection-supervisor';
import type { DeviceSession } from './device-session';
import { DeviceHooks, refusedUplinks, type UplinkHandler } from './device-hooks';
import type { UplinkGate } from './uplink-gate';
import { DownlinkPublisher } from './downlink.publisher';
import { MqttListeners } from './mqtt-listeners';
import { markRedeliveriesDup } from './redelivery-dup';

export type { UplinkHandler, UplinkOrigin } from './device-hooks';
export type { ConnectionChange } from './connection-supervisor';

/**
 * The embedded aedes broker, composed: the device hooks (login, ACL, hand-off to ingest before
 * the PUBACK), the connection supervisor (who is connected, takeovers, revocations) and the
 * listeners (TCP, TLS, WebSocket with their guards), started at bootstrap and stopped first at
 * shutdown.
 */
@Injectable()
export class BrokerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Broker');
  private aedes!: Aedes;
  private accessSub: Subscription | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly env: EnvDto,
    private readonly hooks: DeviceHooks,
    private readonly supervisor: ConnectionSupervisor,
    private readonly listeners: MqttListeners,
    private readonly downlink: DownlinkPublisher,
    private readonly registry: RegistryEvents,
  ) {}

  get connections$(): Subject<ConnectionChange> {
    return this.supervisor.connections$;
  }

  /** A device can receive its acks: it subscribed to them, or reconnected to a session that had. */
  get acksSubscribed$(): Subject<DeviceSession> {
    return this.supervisor.acksSubscribed$;
  }

  get ports(): { tcp?: number; tls?: number; ws?: number } {
    return this.listeners.ports;
  }

  setUplinkHandler(handler: UplinkHandler): void {
    this.hooks.setUplinkHandler(handler);
  }

  setUplinkGate(gate: UplinkGate): void {
    this.hooks.setUplinkGate(gate);
  }

  get listening(): boolean {
    return this.listeners.listening;
  }

  isConnected(deviceId: string): boolean {
    return this.supervisor.isConnected(deviceId);
  }

  /** A revocation or rebinding made on another node, for a device connected here. */
  applyAccessChange(deviceId: string, reason: string): void {
    void this.supervisor.onAccessChange(deviceId, reason);
  }

  get connectedDevices(): number {
    return this.supervisor.connectedDevices;
  }

  /** Closes a device's live connection, if any (revocation, tests). */
  disconnect(deviceId: string): boolean {
    return this.supervisor.disconnect(deviceId);
  }

  async onApplicationBootstrap(): Promise<void> {
    const env = this.env;
    this.aedes = await Aedes.createBroker({
      // No global cap on deliveries in flight: aedes' emitter queues *every* publish behind the
      // cap, and a delivery to a socket that is not read holds its slot until the drain timeout,
      // so one stuck device would stall all downlinks. Each connection's own backlog is bounded
      // instead (MQTT_MAX_OUTBOUND_BYTES, see MqttListeners).
      concurrency: 0,
      connectTimeout: env.MQTT_CONNECT_TIMEOUT_MS,
      drainTimeout: env.MQTT_DRAIN_TIMEOUT_MS,
      maxTopicLevels: env.MQTT_MAX_TOPIC_LEVELS,
      maxClientsIdLength: 64,
      ...this.hooks.hooks,
    });
    // A message refused for quota is acknowledged and dropped: not relayed, so a flood does not
    // pass through aedes' publish pipeline (retained store, offline queues, subscription match).
    type Done = (err?: Error) => void;
    const pipeline = this.aedes as unknown as {
      publish(packet: PublishPacket, client: Client | null | Done, done?: Done): void;
    };
    const publish = pipeline.publish.bind(this.aedes);
    pipeline.publish = (packet, client, done) => {
      if (!refusedUplinks.has(packet)) return publish(packet, client, done);
      (typeof client === 'function' ? client : done)?.();
    };
    this.downlink.attach(this.aedes);
    markRedeliveriesDup(this.aedes);
    // aedes closes a client id's old connection inside registerClient (handlers/connect.js),
    // after the new one has logged in and just before its CONNACK: the one moment a takeover
    // is certain.
    const internals = this.aedes as unknown as { registerClient(client: Client): void };
    const registerClient = internals.registerClient.bind(this.aedes);
    internals.registerClient = (client: Client) => {
      this.supervisor.prepareTakeover(this.aedes, client);
      registerClient(client);
    };
    this.aedes.on('clientReady', (client) => this.supervisor.onReady(client));
    this.aedes.on('clientDisconnect', (client) => this.supervisor.onGone(client));
    this.aedes.on('subscribe', (subs, client) => this.supervisor.onSubscribe(subs, client));
    this.aedes.on('clientError', (client, err) =>
      this.log.debug({ msg: 'client error', clientId: client?.id, err: err.message }),
    );
    this.aedes.on('connectionError', (_client, err) => this.log.debug({ msg: 'connection error', err: err.message }));
    this.accessSub = this.registry.deviceAccess$.subscribe(
      (c) => void this.supervisor.onAccessChange(c.deviceId, c.reason),
    );
    this.sweepTimer = setInterval(() => {
      this.listeners.sweep();
      this.hooks.sweep();
    }, 30_000).unref();
    await this.listeners.start(this.aedes);
  }

  /** Shutdown phase 1: stop taking messages (ingest drains in phase 2, stores close in phase 3). */
  async onModuleDestroy(): Promise<void> {
    this.accessSub?.unsubscribe();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    // Stop accepting first, then close the clients: a listener's close() waits for its open
    // connections, which only aedes can end.
    const closing = this.listeners.close();
    this.supervisor.shutDown(this.aedes);
    if (this.aedes) await new Promise<void>((r) => this.aedes.close(() => r()));
    await closing;
  }
}
