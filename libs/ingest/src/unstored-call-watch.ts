import { Injectable } from '@nestjs/common';
import { DatabaseHealth } from '@bedside/database';
import { IngestEvents, type CallForHelp } from './ingest.events';

/** A call for help not stored within this is reported as unstored (a healthy store takes milliseconds). */
export const UNSTORED_CALL_BOUND_MS = 1000;

/**
 * Watches the storage of each call for help: when it fails, outlasts the bound, or the database
 * is already known to be down, `unstoredCall$` says so, so consoles can be shown the call before
 * the database takes it; when it is stored, `storedCall$` says so. The event itself still waits
 * for storage before it is acknowledged (MQTT 3.1.1 §4.3.2) and before any alarm is raised.
 */
@Injectable()
export class UnstoredCallWatch {
  constructor(
    private readonly bus: IngestEvents,
    private readonly database: DatabaseHealth,
  ) {}

  watch(call: CallForHelp, stored: Promise<void>): void {
    let reported = false;
    const report = () => {
      if (reported) return;
      reported = true;
      this.bus.unstoredCall$.next(call);
    };
    if (this.database.down) report();
    const timer = reported ? null : setTimeout(report, UNSTORED_CALL_BOUND_MS);
    timer?.unref();
    stored.then(
      () => {
        if (timer) clearTimeout(timer);
        this.bus.storedCall$.next(call);
      },
      () => {
        if (timer) clearTimeout(timer);
        report();
      },
    );
  }
}
