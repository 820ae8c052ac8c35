import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { AlarmService, AlarmStream, RulesRunner } from '@bedside/alarms';
import { Clock } from '@bedside/common';
import { HoldRepository } from './hold.repository';

/** setTimeout's limit (2^31 - 1 ms); longer waits are re-armed. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Brings each held alarm back at its return time. One timer per held alarm, armed when a hold is
 * placed (here or, seen on the stream, by another request) and for every held alarm at start, so
 * a return time that passed while the hub was down fires at once. Clustered, a node arms them
 * again when it takes partitions over (their former owner may be gone); the return itself runs
 * on the bed's owner, and a second timer for the same return finds it done.
 */
@Injectable()
export class HoldTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('HoldTimer');
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private subs: Subscription[] = [];

  constructor(
    private readonly alarms: AlarmService,
    private readonly stream: AlarmStream,
    private readonly holds: HoldRepository,
    private readonly clock: Clock,
    private readonly runner: RulesRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subs = [
      this.stream.events$.subscribe((e) => {
        if (e.alarm.heldUntil && e.alarm.state !== 'resolved') this.watch(e.alarm.id, Date.parse(e.alarm.heldUntil));
        else this.forget(e.alarm.id);
      }),
      this.runner.partitionsRecovered$.subscribe(() => void this.armHeld()),
    ];
    await this.armHeld();
  }

  private async armHeld(): Promise<void> {
    try {
      for (const h of await this.holds.held()) this.watch(h.id, h.until);
    } catch (err) {
      this.log.error({ msg: 'held alarms not re-armed', err: (err as Error).message });
    }
  }

  onModuleDestroy(): void {
    this.subs.forEach((s) => s.unsubscribe());
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
  }

  watch(alarmId: string, at: number): void {
    const current = this.timers.get(alarmId);
    if (current?.at === at) return;
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(
      () => void this.fire(alarmId, at),
      Math.min(MAX_TIMEOUT_MS, Math.max(0, at - this.clock.now())),
    );
    timer.unref();
    this.timers.set(alarmId, { at, timer });
  }

  forget(alarmId: string): void {
    const current = this.timers.get(alarmId);
    if (!current) return;
    clearTimeout(current.timer);
    this.timers.delete(alarmId);
  }

  private async fire(alarmId: string, at: number): Promise<void> {
    if (this.timers.get(alarmId)?.at !== at) return;
    this.timers.delete(alarmId);
    if (this.clock.now() < at) return this.watch(alarmId, at);
    try {
      if (await this.alarms.returnFromHold(alarmId)) this.log.log({ msg: 'held alarm returned', alarmId });
    } catch (err) {
      this.log.error({ msg: 'held alarm not returned', alarmId, err: (err as Error).message });
      // Try again shortly: a held alarm must not stay parked because one write failed.
      const timer = setTimeout(() => void this.fire(alarmId, at), 5_000);
      timer.unref();
      this.timers.set(alarmId, { at, timer });
    }
  }
}
