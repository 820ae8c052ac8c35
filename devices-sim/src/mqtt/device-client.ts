import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  AckMessageDto,
  ErrorMessageDto,
  acksTopic,
  errorsTopic,
  eventsTopic,
  statusTopic,
  telemetryTopic,
  validateAs,
  type DeviceKind,
  type DeviceStatusDto,
  type EventType,
} from '@bedside/contracts';
import type { DeviceCredentials } from '../hub/credentials';
import type { AnySample } from '../models/model.types';

/** CONNACK return codes of MQTT 3.1.1 §3.2.2.3. */
export const CONNACK_CODES: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

export class ConnackError extends Error {
  constructor(readonly returnCode: number) {
    super(`CONNACK return code ${returnCode} (${CONNACK_CODES[returnCode] ?? 'unknown'})`);
  }
}

/** The device's Last Will: from its credentials, or offline status on its status topic (older credentials files). */
export function lastWillOf(c: DeviceCredentials): { topic: string; payload: string; qos: 1; retain: true } {
  return (
    c.mqtt.lastWill ?? {
      topic: statusTopic(c.deviceId),
      payload: JSON.stringify({ state: 'offline' }),
      qos: 1,
      retain: true,
    }
  );
}

export interface DeviceClientOptions {
  mqttUrl: string;
  /** Reconnect automatically (fleet); off for check and scenarios. */
  reconnect?: boolean;
  connectTimeoutMs?: number;
  keepaliveSec?: number;
  /** Register the Last Will from the credentials (on unless false). */
  lastWill?: boolean;
  firstSeq?: number;
}

export interface DeviceCounters {
  sent: number;
  acked: number;
  failed: number;
  errors: number;
  acks: number;
  reconnects: number;
}

/**
 * One device's MQTT session: username = clientId = device id, Last Will on its status topic,
 * subscribed to its own errors and acks. Publishes contract messages with a running `seq`.
 * Emits 'hub-error' (ErrorMessageDto), 'ack' (AckMessageDto), 'invalid-downlink' and 'close'.
 */
export class DeviceClient extends EventEmitter {
  readonly counters: DeviceCounters = { sent: 0, acked: 0, failed: 0, errors: 0, acks: 0, reconnects: 0 };
  private client: MqttClient | null = null;
  private seq: number;
  private eventCounter = 0;

  constructor(
    readonly credentials: DeviceCredentials,
    readonly kind: DeviceKind,
    private readonly opts: DeviceClientOptions,
  ) {
    super();
    this.seq = opts.firstSeq ?? 0;
  }

  get deviceId(): string {
    return this.credentials.deviceId;
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Resolves on CONNACK 0; rejects with ConnackError or the transport error. */
  connect(): Promise<void> {
    const { mqtt: m } = this.credentials;
    const will = this.opts.lastWill === false ? undefined : lastWillOf(this.credentials);
    const options: IClientOptions = {
      clientId: m.clientId,
      username: m.username,
      password: m.password,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: this.opts.reconnect ? 1000 : 0,
      connectTimeout: this.opts.connectTimeoutMs ?? 10_000,
      keepalive: this.opts.keepaliveSec ?? 30,
      ...(will && {
        will: { topic: will.topic, payload: Buffer.from(will.payload), qos: will.qos, retain: will.retain },
      }),
    };
    return new Promise((resolve, reject) => {
      let settled = false;
      const client = mqtt.connect(this.opts.mqttUrl, options);
      this.client = client;
      client.on('message', (topic, payload) => this.onMessage(topic, payload));
      client.on('reconnect', () => this.counters.reconnects++);
      client.on('close', () => this.emit('close'));
      // A device sends its press at once: with Nagle's algorithm a publish right after a PUBACK
      // would wait for the hub's delayed ACK (RFC 1122 §4.2.3.2). TCP streams only; ws has none.
      client.on('connect', () => (client.stream as Partial<Socket>).setNoDelay?.(true));
      client.once('connect', () => {
        settled = true;
        resolve();
      });
      client.on('error', (err: Error & { code?: number | string }) => {
        const failure = typeof err.code === 'number' ? new ConnackError(err.code) : err;
        if (!settled) {
          settled = true;
          client.end(true);
          reject(failure);
        } else this.emit('transport-error', failure);
      });
      client.once('close', () => {
        if (!settled) {
          settled = true;
          reject(new Error('connection closed before CONNACK'));
        }
      });
    });
  }

  async subscribeDownlinks(): Promise<void> {
    const granted = await this.mqtt().subscribeAsync([errorsTopic(this.deviceId), acksTopic(this.deviceId)], {
      qos: 1,
    });
    const refused = granted.filter((g) => g.qos === 128);
    if (refused.length > 0) throw new Error(`subscription refused: ${refused.map((g) => g.topic).join(', ')}`);
  }

  nextSeq(): number {
    return this.seq++;
  }

  async publishTelemetry(samples: AnySample[], qos: 0 | 1 = 1, ts = Date.now()): Promise<{ seq: number; ts: number }> {
    const seq = this.nextSeq();
    await this.publishRaw(telemetryTopic(this.deviceId), JSON.stringify({ ts, seq, samples }), qos);
    return { seq, ts };
  }

  async publishEvent(
    type: EventType,
    extra: { ts?: number; confidence?: number; eventId?: string } = {},
  ): Promise<{ eventId: string; ts: number }> {
    const ts = extra.ts ?? Date.now();
    const eventId = extra.eventId ?? `sim-${ts.toString(36)}-${(this.eventCounter++).toString(36)}`;
    await this.publishRaw(
      eventsTopic(this.deviceId),
      JSON.stringify({
        eventId,
        type,
        ts,
        seq: this.nextSeq(),
        ...(extra.confidence !== undefined && { confidence: extra.confidence }),
      }),
      1,
    );
    return { eventId, ts };
  }

  async publishStatus(status: DeviceStatusDto): Promise<void> {
    await this.publishRaw(statusTopic(this.deviceId), JSON.stringify(status), 1, true);
  }

  /** Resolves when written (QoS 0) or PUBACKed (QoS 1). */
  async publishRaw(topic: string, payload: string | Buffer, qos: 0 | 1, retain = false): Promise<void> {
    this.counters.sent++;
    try {
      await this.mqtt().publishAsync(topic, payload, { qos, retain });
      if (qos === 1) this.counters.acked++;
    } catch (err) {
      this.counters.failed++;
      throw err;
    }
  }

  /** Waits for the next downlink matching `pred` on errors or acks. */
  waitFor<K extends 'hub-error' | 'ack'>(
    event: K,
    pred: (m: K extends 'ack' ? AckMessageDto : ErrorMessageDto) => boolean,
    timeoutMs: number,
  ): Promise<(K extends 'ack' ? AckMessageDto : ErrorMessageDto) | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const listener = (m: K extends 'ack' ? AckMessageDto : ErrorMessageDto) => {
        if (pred(m)) done(m);
      };
      const done = (m: (K extends 'ack' ? AckMessageDto : ErrorMessageDto) | null) => {
        clearTimeout(timer);
        this.off(event, listener);
        resolve(m);
      };
      this.on(event, listener);
    });
  }

  /** Graceful DISCONNECT: the broker discards the Last Will. */
  async end(): Promise<void> {
    if (this.client) await this.client.endAsync().catch(() => undefined);
  }

  /** Drops the TCP connection without DISCONNECT so the broker publishes the Last Will. */
  dropConnection(): void {
    if (!this.client) return;
    this.client.options.reconnectPeriod = 0;
    this.client.stream.destroy();
    this.client.end(true);
  }

  private mqtt(): MqttClient {
    if (!this.client) throw new Error(`${this.deviceId} is not connected`);
    return this.client;
  }

  private onMessage(topic: string, payload: Buffer): void {
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      this.emit('invalid-downlink', { topic, reason: 'not JSON' });
      return;
    }
    if (topic === errorsTopic(this.deviceId)) {
      const r = validateAs(ErrorMessageDto, body);
      if (!r.ok) return void this.emit('invalid-downlink', { topic, reason: r.message });
      this.counters.errors++;
      this.emit('hub-error', body);
    } else if (topic === acksTopic(this.deviceId)) {
      const r = validateAs(AckMessageDto, body);
      if (!r.ok) return void this.emit('invalid-downlink', { topic, reason: r.message });
      this.counters.acks++;
      this.emit('ack', body);
    }
  }
}
