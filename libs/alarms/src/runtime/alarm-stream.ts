import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { AlarmStreamEvent } from '../model/alarm-record';

/**
 * Alarm events, emitted after commit and in alarm_events id order. `events$` carries this node's
 * own commits (webhooks, display watchdog). `live$` is what consoles are sent: the same events
 * on a single node; in clustered mode, once `followLog()` was called, only what the alarm log
 * tailer feeds in (every node's events, in id order), since local commits can interleave with
 * other nodes' ids.
 */
@Injectable()
export class AlarmStream {
  readonly events$ = new Subject<AlarmStreamEvent>();
  readonly live$ = new Subject<AlarmStreamEvent>();
  private fromLog = false;

  emit(events: readonly AlarmStreamEvent[]): void {
    for (const e of events) {
      this.events$.next(e);
      if (!this.fromLog) this.live$.next(e);
    }
  }

  /** From now on consoles get only what `emitFromLog` delivers. */
  followLog(): void {
    this.fromLog = true;
  }

  emitFromLog(events: readonly AlarmStreamEvent[]): void {
    for (const e of events) this.live$.next(e);
  }
}
