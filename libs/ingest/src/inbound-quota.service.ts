import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PublishPacket } from 'aedes';
import { BrokerMetrics, DownlinkPublisher, type DeviceSession, type QuotaShortfall } from '@bedside/broker';
import { Clock } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { DeviceQuotas, type QuotaTransition } from './device-quota';
import { DeviceStateRepository } from './device-state.repository';
import { RefusalDelay } from './refusal-delay';

/** A throttled device is reminded on its errors topic at most this often (not once per message: that would feed the flood). */
const TELL_EVERY_MS = 5_000;
const SWEEP_MS = 60_000;
/**
 * A refused message is acknowledged this much later. aedes reads a connection's next packets only
 * once those it is handling are done, so this holds reads from a flooding device (its later
 * messages wait in its own buffers, TCP back-pressure): refusing is cheap, but reading and parsing
 * a flood is not, and would take the CPU the other devices need. The packets already read with it,
 * an SOS among them, are handled at once.
 */
const REFUSAL_DELAY_MS = 100;
/** Refusals this close together share one timer (a flood is refused a whole read at a time). */
const REFUSAL_JOIN_MS = 10;

/**
 * Per-device inbound quotas at the ingest edge. A message over quota is acknowledged (PUBACK:
 * resending it at once cannot help, and withholding the PUBACK would hold up the device's
 * next messages, an SOS among them, MQTT 3.1.1 §4.6) and not stored; the device is told with
 * `RATE_LIMITED` on its errors topic, every refusal is counted, and the start and end of each
 * throttled spell are logged once.
 */
@Injectable()
export class InboundQuota implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('InboundQuota');
  private readonly quotas: DeviceQuotas;
  private readonly exceeded;
  private readonly unparsed;
  private readonly messages: Record<'messages' | 'bytes', { limit: string; text: string }>;
  private readonly delay: RefusalDelay;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly env: EnvDto,
    private readonly downlink: DownlinkPublisher,
    private readonly state: DeviceStateRepository,
    private readonly clock: Clock,
    metrics: BrokerMetrics,
  ) {
    this.quotas = new DeviceQuotas({
      messagesPerS: env.MQTT_DEVICE_MESSAGES_PER_S,
      messageBurst: env.MQTT_DEVICE_MESSAGE_BURST,
      bytesPerS: env.MQTT_DEVICE_BYTES_PER_S,
      // A packet the hub accepts at all must fit into a full bucket.
      byteBurst: Math.max(env.MQTT_DEVICE_BYTE_BURST, env.MQTT_MAX_PACKET_BYTES),
    });
    this.exceeded = {
      messages: metrics.quotaExceeded.labels('messages'),
      bytes: metrics.quotaExceeded.labels('bytes'),
    };
    this.unparsed = metrics.quotaRefusedUnparsed;
    // Worded once: a flood is refused tens of thousands of times a minute.
    const worded = (limit: string) => ({
      limit,
      text: `over the device's inbound quota of ${limit}: acknowledged, not stored; SOS, fall and tamper events are always accepted`,
    });
    this.messages = {
      messages: worded(`${env.MQTT_DEVICE_MESSAGES_PER_S} messages/s (burst ${env.MQTT_DEVICE_MESSAGE_BURST})`),
      bytes: worded(`${env.MQTT_DEVICE_BYTES_PER_S} bytes/s (burst ${env.MQTT_DEVICE_BYTE_BURST})`),
    };
    this.delay = new RefusalDelay(REFUSAL_DELAY_MS, REFUSAL_JOIN_MS, () => clock.now());
  }

  onModuleInit(): void {
    this.timer = setInterval(() => this.quotas.sweep(this.clock.now()), SWEEP_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** When to acknowledge a refused message (see REFUSAL_DELAY_MS). */
  refused(): Promise<'refused'> {
    return this.delay.wait();
  }

  /** How long a connection is not read after refusals taken from its raw bytes (UplinkSkim): the same hold as REFUSAL_DELAY_MS gives. */
  get holdMs(): number {
    return REFUSAL_DELAY_MS;
  }

  /** Charges the message to its device; false when it is over quota (already answered and counted). `exempt` always passes. */
  admit(session: DeviceSession, packet: PublishPacket, exempt: boolean): boolean {
    const now = this.clock.now();
    const { deviceId } = session;
    const { verdict, change } = this.quotas.admit(deviceId, packet.payload.length, now, exempt);
    if (change?.state === 'released')
      this.log.log({ msg: 'device back under its inbound quota', deviceId, refused: change.refused });
    if (verdict === 'ok') return true;
    this.onRefused(deviceId, packet.topic, verdict, 1, change, now);
    return false;
  }

  /** What a device may still send now (nothing is charged). */
  allowance(session: DeviceSession): { messages: number; bytes: number } {
    return this.quotas.allowance(session.deviceId, this.clock.now());
  }

  /** `count` messages on `topic` refused before they were parsed (UplinkSkim): counted and answered like `admit`'s. */
  refuseMany(session: DeviceSession, topic: string, kind: QuotaShortfall, count: number): void {
    const now = this.clock.now();
    this.unparsed.inc(count);
    const change = this.quotas.refuse(session.deviceId, kind, count, now);
    this.onRefused(session.deviceId, topic, kind, count, change, now);
  }

  private onRefused(
    deviceId: string,
    topic: string,
    verdict: QuotaShortfall,
    count: number,
    change: QuotaTransition | undefined,
    now: number,
  ): void {
    this.exceeded[verdict].inc(count);
    const { limit, text: message } = this.messages[verdict];
    this.state.rejected(deviceId, 'RATE_LIMITED', message, now, count);
    if (change?.state === 'throttled')
      this.log.warn({ msg: 'device over its inbound quota; refusing its messages', deviceId, kind: verdict });
    if (this.quotas.shouldTell(deviceId, now, TELL_EVERY_MS)) {
      void this.downlink.sendError(deviceId, {
        code: 'RATE_LIMITED',
        message,
        topic,
        errors: [{ field: '', reason: `over ${limit}` }],
      });
    }
  }
}
