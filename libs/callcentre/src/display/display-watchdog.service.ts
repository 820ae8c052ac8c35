import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { AlarmService, AlarmStream } from '@bedside/alarms';
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
  private sub: Subscription | null = null;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly stream: AlarmStream, private readonly displays: DisplayRepository, private readonly alarms: AlarmService, private readonly env: EnvDto) {}

  onApplicationBootstrap(): void {
    this.sub = this.stream.events$.subscribe((e) => {
      if (e.type !== 'alarm.raised' || e.alarm.suppressed || this.timers.has(e.alarm.id)) return;
      const timer = setTimeout(() => void this.check(e.alarm.id), this.env.DISPLAY_CONFIRM_TIMEOUT_MS);
      timer.unref();
      this.timers.set(e.alarm.id, timer);
    });
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
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
