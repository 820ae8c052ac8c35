import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { BrokerService, DeviceDownlinks } from '@bedside/broker';
import { Clock } from '@bedside/common';
import { ALARM_ACKED_EVENT_TYPES, AlarmAckOutboxRepository, type PendingAlarmAck } from './alarm-ack-outbox.repository';

/** An alarm ack this late lights a lamp long after the call centre called back: dropped. */
const OUTBOX_TTL_MS = 60 * 60_000;
/** A row still without an outcome this long after its event arrived is settled from the stored alarms. */
const RESOLVE_AFTER_MS = 60_000;
const SWEEP_MS = 30_000;
const SWEEP_BATCH = 500;

/** What the rules tell the outbox about a device event they evaluated. */
export interface EvaluatedDeviceEvent {
  deviceId: string;
  eventId: string;
  type: string;
}

/**
 * "Help is coming" survives a crash: the `alarm` ack of a device event is kept in
 * alarm_ack_outbox from the moment the event is stored until the device's session acknowledges
 * it (PUBACK), and sent on every chance until then: when the rules raise the alarm, when the
 * device (re)subscribes to its acks, and when it resends the event (a `duplicate`).
 */
@Injectable()
export class AlarmAckOutbox implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('AlarmAckOutbox');
  /** device\0event of acks on their way, so two triggers do not send one twice at once. */
  private readonly inFlight = new Set<string>();
  private sub: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: AlarmAckOutboxRepository,
    private readonly downlink: DeviceDownlinks,
    private readonly broker: BrokerService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.sub = this.broker.acksSubscribed$.subscribe((s) => void this.deliverPending(s.deviceId));
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * The rules evaluated a device event: `alarmId` is the alarm it raised or updated, or null. The
   * ack goes out at once; the row is written alongside and removed on the PUBACK.
   */
  evaluated(event: EvaluatedDeviceEvent, alarmId: string | null): void {
    if (alarmId) {
      const recorded = this.repo.recordAlarm(event.deviceId, event.eventId, alarmId);
      void this.deliver({ deviceId: event.deviceId, eventId: event.eventId, alarmId }, recorded);
    } else if (ALARM_ACKED_EVENT_TYPES.includes(event.type)) {
      // Nothing new raised: a replay of an event whose alarm was stored before a crash, or a rule
      // that raises nothing (disabled, silenced). The stored alarms tell which.
      void this.settleFromStore(event.deviceId, event.eventId, true);
    }
  }

  /** The device sent the event again (it missed our PUBACK or its alarm ack): answer it again. */
  duplicate(deviceId: string, eventId: string): void {
    void this.run('redelivery on duplicate', deviceId, async () => {
      const row = await this.repo.get(deviceId, eventId);
      if (!row) return;
      if (row.alarmId) await this.deliver({ deviceId, eventId, alarmId: row.alarmId });
      else await this.settleFromStore(deviceId, eventId, false);
    });
  }

  /** Every pending ack of a device that can now receive them. */
  deliverPending(deviceId: string): Promise<void> {
    return this.run('redelivery on subscribe', deviceId, async () => {
      for (const row of await this.repo.forDevice(deviceId)) {
        if (row.alarmId) void this.deliver({ deviceId, eventId: row.eventId, alarmId: row.alarmId });
        else await this.settleFromStore(deviceId, row.eventId, false);
      }
    });
  }

  /** Drops expired rows and settles rows whose evaluation outcome never arrived (a crash in between). */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.repo.expire(now - OUTBOX_TTL_MS);
      for (const row of await this.repo.unresolved(now - RESOLVE_AFTER_MS, SWEEP_BATCH))
        await this.settleFromStore(row.deviceId, row.eventId, true);
    } catch (err) {
      this.log.warn({ msg: 'alarm ack outbox sweep failed', err: (err as Error).message });
    }
  }

  /** Finds the event's alarm among those stored and sends its ack; `final`: no alarm means none will come. */
  private async settleFromStore(deviceId: string, eventId: string, final: boolean): Promise<void> {
    await this.run('settle from journal', deviceId, async () => {
      const alarmId = await this.repo.alarmOf(deviceId, eventId);
      if (alarmId) {
        await this.repo.setAlarm(deviceId, eventId, alarmId);
        await this.deliver({ deviceId, eventId, alarmId });
      } else if (final) await this.repo.remove(deviceId, eventId);
    });
  }

  private async deliver(
    ack: Required<Pick<PendingAlarmAck, 'deviceId' | 'eventId'>> & { alarmId: string },
    recorded?: Promise<void>,
  ): Promise<void> {
    const key = `${ack.deviceId}\u0000${ack.eventId}`;
    if (this.inFlight.has(key)) {
      await recorded?.catch(() => undefined);
      return;
    }
    this.inFlight.add(key);
    try {
      const outcome = await this.downlink.sendAckConfirmed(ack.deviceId, {
        eventId: ack.eventId,
        status: 'alarm',
        alarmId: ack.alarmId,
      });
      await recorded;
      if (outcome !== 'not-delivered') await this.repo.remove(ack.deviceId, ack.eventId);
    } catch (err) {
      this.log.warn({
        msg: 'alarm ack not settled',
        deviceId: ack.deviceId,
        eventId: ack.eventId,
        err: (err as Error).message,
      });
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async run(what: string, deviceId: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.log.warn({ msg: `alarm ack outbox: ${what} failed`, deviceId, err: (err as Error).message });
    }
  }
}
