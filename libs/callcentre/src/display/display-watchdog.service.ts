import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { AlarmService, AlarmStream, RulesRunner } from '@bedside/alarms';
import { Clock } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { DisplayRepository } from './display.repository';

/**
 * An alarm that no console has shown within DISPLAY_CONFIRM_TIMEOUT_MS is escalated at once:
 * a raised alarm nobody can see is the failure a call centre fears most (a console frozen, a
 * browser tab asleep, a network cut).
 */
@Injectable()
export class DisplayWatchdog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DisplayWatchdog');
  private subs: Subscription[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly stream: AlarmStream,
    private readonly displays: DisplayRepository,
    private readonly alarms: AlarmService,
    private readonly env: EnvDto,
    private readonly clock: Clock,
    private readonly runner: RulesRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subs = [
      this.stream.events$.subscribe((e) => {
        if (e.type === 'alarm.raised' && !e.alarm.suppressed)
          this.watch(e.alarm.id, this.clock.now() + this.env.DISPLAY_CONFIRM_TIMEOUT_MS);
      }),
      // Clustered: the node that raised them may be gone.
      this.runner.partitionsRecovered$.subscribe(() => void this.watchUndisplayed()),
    ];
    await this.watchUndisplayed();
  }

  /**
   * Timers live in memory: after a restart (or a takeover), alarms raised before it and never
   * shown are watched again from their raise instant (an overdue one is checked at once).
   */
  private async watchUndisplayed(): Promise<void> {
    try {
      for (const a of await this.displays.undisplayedRaised())
        this.watch(a.id, a.raisedAt.getTime() + this.env.DISPLAY_CONFIRM_TIMEOUT_MS);
    } catch (err) {
      this.log.error({ msg: 'undisplayed alarms not re-watched', err: (err as Error).message });
    }
  }

  private watch(alarmId: string, dueAt: number): void {
    if (this.timers.has(alarmId)) return;
    const timer = setTimeout(() => void this.check(alarmId), Math.max(0, dueAt - this.clock.now()));
    timer.unref();
    this.timers.set(alarmId, timer);
  }

  onModuleDestroy(): void {
    this.subs.forEach((s) => s.unsubscribe());
    for (const t of this.timers.values()) clearTimeout(t);
  }

  private async check(alarmId: string): Promise<void> {
    this.timers.delete(alarmId);
    try {
      if (await this.displays.displayed(alarmId)) return;
      const escalated = await this.alarms.escalateUndisplayed(alarmId, this.env.DISPLAY_CONFIRM_TIMEOUT_MS);
      if (escalated) this.log.warn({ msg: 'alarm not shown on any console in time; escalated', alarmId });
    } catch (err) {
      this.log.error({ msg: 'display check failed', alarmId, err: (err as Error).message });
    }
  }
}
