import { connect, type Socket } from 'node:net';
import { generate, parser, type IPublishPacket, type Packet } from 'mqtt-packet';
import { acksTopic, errorsTopic, type DeviceKind } from '@bedside/contracts';
import type { DeviceCredentials } from '../hub/credentials';
import { ConnackError, lastWillOf, type DeviceCounters } from '../mqtt/device-client';

export interface LoadConnectionOptions {
  mqttUrl: string;
  connectTimeoutMs?: number;
  keepaliveSec?: number;
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * A device connection for `devices-sim load`: the same MQTT 3.1.1 session as DeviceClient
 * (credentials, Last Will, downlink subscriptions, QoS 1 publishes settled by PUBACK) on a bare
 * socket with mqtt-packet's codec. The generator shares the machine with the system it measures,
 * and MQTT.js's per-publish machinery (outgoing store, stream pipeline, keep-alive reschedule)
 * cost it ~60 µs a QoS 1 message; every microsecond here is taken from the hub under test.
 * No reconnect and no offline queue: a load window counts a dropped connection as failed publishes.
 */
export class LoadDeviceConnection {
  readonly counters: DeviceCounters = { sent: 0, acked: 0, failed: 0, errors: 0, acks: 0, reconnects: 0 };
  private socket: Socket | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private seq = 0;
  private lastSent = 0;
  private keepalive: NodeJS.Timeout | null = null;
  private closed: Error | null = null;

  constructor(
    readonly credentials: DeviceCredentials,
    readonly kind: DeviceKind,
    private readonly opts: LoadConnectionOptions,
  ) {}

  get deviceId(): string {
    return this.credentials.deviceId;
  }

  nextSeq(): number {
    return this.seq++;
  }

  /** Resolves on CONNACK 0 (MQTT 3.1.1 §3.2.2.3); rejects with ConnackError or the transport error. */
  connect(): Promise<void> {
    const url = new URL(this.opts.mqttUrl);
    const { mqtt: m } = this.credentials;
    const will = lastWillOf(this.credentials);
    const keepaliveSec = this.opts.keepaliveSec ?? 30;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port || 1883), noDelay: true });
      this.socket = socket;
      const timer = setTimeout(
        () => fail(new Error(`no CONNACK within ${this.opts.connectTimeoutMs ?? 10_000} ms`)),
        this.opts.connectTimeoutMs ?? 10_000,
      );
      let settled = false;
      const fail = (err: Error) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(err);
        }
        socket.destroy();
      };
      const p = parser({ protocolVersion: 4 });
      p.on('packet', (packet: Packet) => {
        if (packet.cmd === 'connack' && !settled) {
          settled = true;
          clearTimeout(timer);
          if (packet.returnCode === 0) {
            this.startKeepalive(keepaliveSec);
            resolve();
          } else {
            reject(new ConnackError(packet.returnCode ?? -1));
            socket.destroy();
          }
        } else this.onPacket(packet);
      });
      p.on('error', (err: Error) => fail(new Error(`malformed packet from the broker: ${err.message}`)));
      socket.on('data', (chunk: Buffer) => p.parse(chunk));
      socket.on('error', (err) => fail(err));
      socket.on('close', () => {
        fail(new Error('connection closed before CONNACK'));
        this.onClose();
      });
      socket.write(
        generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          clientId: m.clientId,
          keepalive: keepaliveSec,
          username: m.username,
          password: Buffer.from(m.password),
          will: { topic: will.topic, payload: Buffer.from(will.payload), qos: will.qos, retain: will.retain },
        }),
      );
      this.lastSent = Date.now();
    });
  }

  /** The device's errors and acks downlinks, as DeviceClient subscribes them (a refused filter is an error). */
  subscribeDownlinks(): Promise<void> {
    const messageId = this.allocateId();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(messageId, { resolve, reject });
      this.write({
        cmd: 'subscribe',
        messageId,
        subscriptions: [
          { topic: errorsTopic(this.deviceId), qos: 1 },
          { topic: acksTopic(this.deviceId), qos: 1 },
        ],
      });
    });
  }

  /** Resolves when written (QoS 0) or PUBACKed (QoS 1). */
  publishRaw(topic: string, payload: string, qos: 0 | 1): Promise<void> {
    this.counters.sent++;
    if (this.closed) {
      this.counters.failed++;
      return Promise.reject(this.closed);
    }
    if (qos === 0) {
      this.write({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false });
      return Promise.resolve();
    }
    const messageId = this.allocateId();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(messageId, {
        resolve: () => (this.counters.acked++, resolve()),
        reject: (err) => (this.counters.failed++, reject(err)),
      });
      this.write({ cmd: 'publish', topic, payload, qos: 1, messageId, retain: false, dup: false });
    });
  }

  /** DISCONNECT (the broker discards the Last Will, §3.14.4), then close. */
  end(): Promise<void> {
    const socket = this.socket;
    if (!socket || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end(generate({ cmd: 'disconnect' }));
    });
  }

  private onPacket(packet: Packet): void {
    switch (packet.cmd) {
      case 'puback':
        this.settle(packet.messageId, null);
        break;
      case 'suback': {
        // MQTT 3.1.1 return codes (§3.9.3): 0x80 is a refused filter.
        const refused = (packet.granted as number[]).includes(0x80);
        this.settle(packet.messageId, refused ? new Error('subscription refused') : null);
        break;
      }
      case 'publish':
        this.onDownlink(packet);
        break;
      default: // pingresp: the keep-alive needs no answer
    }
  }

  private onDownlink(packet: IPublishPacket): void {
    // A QoS 1 downlink must be acknowledged (§4.3.2) or the broker redelivers it.
    if (packet.qos === 1) this.write({ cmd: 'puback', messageId: packet.messageId! });
    if (packet.topic === errorsTopic(this.deviceId)) this.counters.errors++;
    else if (packet.topic === acksTopic(this.deviceId)) this.counters.acks++;
  }

  private settle(messageId: number | undefined, err: Error | null): void {
    const p = messageId === undefined ? undefined : this.pending.get(messageId);
    if (!p) return;
    this.pending.delete(messageId!);
    if (err) p.reject(err);
    else p.resolve();
  }

  /** Packet identifiers 1..65535 not in flight (§2.3.1). */
  private allocateId(): number {
    do this.nextId = (this.nextId % 65535) + 1;
    while (this.pending.has(this.nextId));
    return this.nextId;
  }

  private write(packet: Packet): void {
    this.lastSent = Date.now();
    this.socket!.write(generate(packet));
  }

  /** PINGREQ only when nothing else was sent for half the keep-alive (any packet resets the broker's timer, §3.1.2.10). */
  private startKeepalive(sec: number): void {
    this.keepalive = setInterval(
      () => {
        if (!this.closed && Date.now() - this.lastSent >= (sec * 1000) / 2) this.write({ cmd: 'pingreq' });
      },
      (sec * 1000) / 2,
    ).unref();
  }

  private onClose(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.closed ??= new Error(`${this.deviceId}: connection closed`);
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    for (const p of inFlight) p.reject(this.closed);
  }
}
