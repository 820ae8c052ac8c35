import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { AlarmStreamEvent } from '../model/alarm-record';

/** In-process live alarm events, emitted after commit and in alarm_events id order. */
@Injectable()
export class AlarmStream {
  readonly events$ = new Subject<AlarmStreamEvent>();

  emit(events: readonly AlarmStreamEvent[]): void {
    for (const e of events) this.events$.next(e);
  }
}
