import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { PublishPacket } from 'aedes';
import { Clock } from '@bedside/common';
import {
  BrokerService,
  DownlinkPublisher,
  type ConnectionChange,
  type DeviceSession,
  type UplinkOrigin,
} from '@bedside/broker';
import {
  CALL_FOR_HELP_EVENT_TYPES,
  EVENT_ID_PATTERN,
  PRIORITY_EVENT_TYPES,
  deviceTopic,
  invalid,
  validateUplink,
  warmUplinkValidation,
  type DeviceEventDto,
  type DeviceStatusDto,
  type Rejection,
  type TelemetryMessage,
  type UplinkChannel,
} from '@bedside/contracts';
import { Metrics } from '@bedside/observability';
import { TelemetryStore, type TelemetryPoint } from '@bedside/telemetry';
import { AlarmAckOutbox } from './alarm-ack-outbox.service';
import { InboundQuota } from './inbound-quota.service';
import { DeviceEventRepository } from './device-event.repository';
import { DeviceStateRepository } from './device-state.repository';
import { IngestEvents } from './ingest.events';
import { DatabaseHealth } from '@bedside/database';
import { UnstoredCallWatch } from './unstored-call-watch';

/**
 * Every device publish passes through here before it is acknowledged: validate, store
 * (idempotently, group-committed), then tell the rest of the hub. A rejected message is
 * acknowledged (retrying it cannot help) and explained on the device's `errors` topic; a
 * storage failure is thrown so the broker drops the connection unacknowledged and the device
 * sends the message again (MQTT 3.1.1 §4.4).
 */
@Injectable()
export class IngestService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly log = new Logger('Ingest');
  /** Label children bound once: prom-client hashes a label object on every call otherwise. */
  private readonly counters: Record<UplinkChannel, ChannelMetrics>;

  constructor(
    private readonly broker: BrokerService,
    private readonly downlink: DownlinkPublisher,
    private readonly events: DeviceEventRepository,
    private readonly state: DeviceStateRepository,
    private readonly telemetry: TelemetryStore,
    private readonly bus: IngestEvents,
    private readonly alarmAcks: AlarmAckOutbox,
    private readonly quota: InboundQuota,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly database: DatabaseHealth,
    private readonly calls: UnstoredCallWatch,
  ) {
    this.counters = {
      telemetry: channelMetrics(metrics, 'telemetry'),
      events: channelMetrics(metrics, 'events'),
      status: channelMetrics(metrics, 'status'),
    };
  }

  onModuleInit(): void {
    warmUplinkValidation();
    this.broker.setUplinkHandler((session, channel, packet, origin) => this.handle(session, channel, packet, origin));
    const quota = this.quota;
    this.broker.setUplinkGate({
      holdMs: quota.holdMs,
      allowance: (session) => quota.allowance(session),
      refuse: (session, channel, kind, count) => {
        this.counters[channel].received.inc(count);
        this.state.seen(session.deviceId, this.clock.now());
        quota.refuseMany(session, deviceTopic(session.deviceId, channel), kind, count);
      },
    });
    this.broker.connections$.subscribe(
      (c) =>
        void this.onConnection(c).catch((err) => {
          if (!this.database.unavailable('device connections', err))
            this.log.error({
              msg: 'connection state not saved',
              deviceId: c.session.deviceId,
              err: (err as Error).message,
            });
        }),
    );
  }

  /** Runs before the database closes: everything accepted gets written. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.telemetry.flush(), this.events.drain()]);
    await this.state.flush(true);
  }

  /**
   * Not an async function: a telemetry message costs one promise (its storage batch's, shared)
   * plus one continuation here, instead of a promise and a resumption per nested await.
   */
  handle(
    session: DeviceSession,
    channel: UplinkChannel,
    packet: PublishPacket,
    origin: UplinkOrigin = 'device',
  ): Promise<void | 'refused'> {
    const received = this.clock.now();
    const counters = this.counters[channel];
    counters.received.inc();
    this.state.seen(session.deviceId, received);
    // Over quota: acknowledged and not stored. Telemetry and status are refused before they are
    // parsed; an event is read first, since a call for help passes whatever the quota. A Last
    // Will always passes (and is counted): it comes once per connection, from the broker, and
    // is what starts the offline handling of a device that went away mid-flood.
    if (channel !== 'events' && !this.quota.admit(session, packet, origin === 'last-will')) return this.quota.refused();
    const result = validateUplink(session.kind, channel, packet.payload);
    if (channel === 'events') {
      const priority =
        result.ok && result.value.channel === 'events' && PRIORITY_EVENT_TYPES.has(result.value.body.type);
      if (!this.quota.admit(session, packet, priority)) return this.quota.refused();
    }
    if (!result.ok) return this.reject(session, packet, result);
    const stopTimer = counters.latency.startTimer();
    let stored: Promise<void>;
    try {
      const msg = result.value;
      if (msg.channel === 'telemetry') stored = this.storeTelemetry(session, msg.body);
      else if (msg.channel === 'events') {
        stored = this.storeEvent(session, msg.body, received);
        if (CALL_FOR_HELP_EVENT_TYPES.has(msg.body.type)) this.watchCall(session, msg.body, received, stored);
      } else stored = this.storeStatus(session, msg.body, received);
    } catch (err) {
      stored = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return stored.then(
      () => {
        stopTimer();
        counters.stored.inc();
      },
      (err: Error) => {
        stopTimer();
        if (channel === 'status' && refusedForItsContent(err)) {
          // A status is written alone, so this refusal is this message's own: retrying cannot help.
          return this.reject(
            session,
            packet,
            invalid('INVALID_PAYLOAD', [{ field: '', reason: `the hub cannot store this message: ${err.message}` }]),
          );
        }
        this.metrics.storeFailures.inc({ channel });
        if (!this.database.unavailable('ingest', err))
          this.log.error({
            msg: 'store failed; message left unacknowledged',
            deviceId: session.deviceId,
            channel,
            err: err.message,
          });
        throw err;
      },
    );
  }

  private watchCall(session: DeviceSession, body: DeviceEventDto, receivedAt: number, stored: Promise<void>): void {
    const { organisationId, deviceId, kind, bedId } = session;
    const call = {
      organisationId,
      deviceId,
      kind,
      bedId,
      eventId: body.eventId,
      type: body.type,
      ts: body.ts,
      receivedAt,
    };
    this.calls.watch(call, stored);
  }

  /** Acknowledged at once: the error downlink is sent, not waited for (the device may not be reading). */
  private reject(session: DeviceSession, packet: PublishPacket, failure: Rejection): Promise<void> {
    this.metrics.messagesRejected.inc({ reason: failure.code });
    this.state.rejected(session.deviceId, failure.code, failure.message, this.clock.now());
    this.log.warn({
      msg: 'message rejected',
      deviceId: session.deviceId,
      topic: packet.topic,
      code: failure.code,
      errors: failure.errors,
      errorCount: failure.errorCount,
    });
    const ids = failure.code === 'MALFORMED_JSON' ? {} : peekIds(packet.payload as Buffer);
    void this.downlink.sendError(session.deviceId, {
      code: failure.code,
      message: failure.message,
      topic: packet.topic,
      errors: failure.errors,
      ...(failure.errorCount !== undefined && { errorCount: failure.errorCount }),
      ...ids,
    });
    return Promise.resolve();
  }

  private storeTelemetry(session: DeviceSession, body: TelemetryMessage): Promise<void> {
    // The samples were parsed for this message alone, so they become the points in place: an
    // object spread over samples of varying shape went megamorphic and cost ~3 µs per message.
    const points: TelemetryPoint[] = body.samples.map((s) =>
      Object.assign(s, {
        ts: s.ts ?? body.ts,
        seq: body.seq,
        deviceId: session.deviceId,
        bedId: session.bedId,
        kind: session.kind,
      }),
    );
    const stored = this.telemetry.write(points);
    this.bus.telemetry$.next(points);
    const battery = points.findLast((p) => p.battery !== undefined)?.battery;
    if (battery === undefined || battery === null) return stored;
    return stored.then(() => this.state.batteryReported(session.deviceId, battery));
  }

  private async storeEvent(session: DeviceSession, body: DeviceEventDto, receivedAt: number): Promise<void> {
    const event = {
      deviceId: session.deviceId,
      kind: session.kind,
      bedId: session.bedId,
      eventId: body.eventId,
      type: body.type,
      ts: body.ts,
      receivedAt,
      // Known once stored; declared here so that every event keeps one shape.
      storedAt: undefined as number | undefined,
      seq: body.seq,
      confidence: body.confidence,
    };
    const storedAt = await this.events.store(event);
    const fresh = storedAt !== null;
    if (fresh) this.bus.events$.next(Object.assign(event, { storedAt }));
    else this.metrics.messagesDuplicate.inc({ channel: 'events' });
    // The receipt lets a call button light "help is coming"; it is sent for redeliveries too.
    void this.downlink.sendAck(session.deviceId, { eventId: body.eventId, status: fresh ? 'stored' : 'duplicate' });
    // A resend may mean the alarm ack was lost too (a crash between storing and acking).
    if (!fresh) this.alarmAcks.duplicate(session.deviceId, body.eventId);
  }

  private async storeStatus(session: DeviceSession, body: DeviceStatusDto, at: number): Promise<void> {
    await this.state.setStatus(session.deviceId, body, at);
    this.bus.status$.next({
      deviceId: session.deviceId,
      kind: session.kind,
      bedId: session.bedId,
      status: body,
      source: 'status',
      at,
    });
  }

  private async onConnection(change: ConnectionChange): Promise<void> {
    const { session, state, at } = change;
    await this.state.setOnline(session.deviceId, state === 'connected', at);
    this.bus.status$.next({
      deviceId: session.deviceId,
      kind: session.kind,
      bedId: session.bedId,
      status: { state: state === 'connected' ? 'online' : 'offline' },
      source: 'connection',
      at,
    });
  }
}

function channelMetrics(metrics: Metrics, channel: UplinkChannel) {
  return {
    received: metrics.messagesReceived.labels(channel),
    stored: metrics.messagesStored.labels(channel),
    latency: metrics.storeLatency.labels(channel),
  };
}
type ChannelMetrics = ReturnType<typeof channelMetrics>;

/**
 * PostgreSQL "data exception" (SQLSTATE class 22): the row's own values cannot be stored, e.g.
 * text it cannot hold. A connection or server failure has another class and stays an outage.
 */
function refusedForItsContent(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22');
}

/**
 * Best effort: echo seq/eventId of a rejected message so the device can match the error. Only
 * for text the guard let through (valid UTF-8, bounded depth), and only an eventId that is one.
 */
function peekIds(payload: Buffer): { seq?: number; eventId?: string } {
  try {
    const v = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    return {
      ...(Number.isInteger(v.seq) && { seq: v.seq as number }),
      ...(typeof v.eventId === 'string' && EVENT_ID_PATTERN.test(v.eventId) && { eventId: v.eventId }),
    };
  } catch {
    return {};
  }
}
