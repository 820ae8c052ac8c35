import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Subject } from 'rxjs';
import { Clock } from '@bedside/common';
import { Database } from './database';
import { OutageLog } from '@bedside/observability';
import { isDatabaseUnavailable } from './unavailable-error';

/** How often a failing database is probed to notice it is back. */
const PROBE_MS = 2_000;

/**
 * The one place that knows whether the database is down. Callers report a failed call with
 * `unavailable(source, err)`: an outage error is logged as part of the outage (once, then a
 * rate-limited reminder) and true is returned, so the caller does not log it again; any other
 * error returns false and stays the caller's to log. While down, a probe notices the recovery.
 */
@Injectable()
export class DatabaseHealth implements OnApplicationShutdown {
  private readonly outage: OutageLog;
  private probe: NodeJS.Timeout | null = null;
  /** The database answers again after an outage. */
  readonly recovered$ = new Subject<void>();

  constructor(
    @Inject(Database) private readonly database: Database,
    @Inject(Clock) clock: Clock,
  ) {
    const log = new Logger('Database');
    this.outage = new OutageLog('database', { error: (m) => log.error(m), log: (m) => log.log(m) }, () => clock.now());
  }

  get down(): boolean {
    return this.outage.failing;
  }

  unavailable(source: string, err: unknown): boolean {
    if (!isDatabaseUnavailable(err)) return false;
    this.outage.failure(source, err);
    this.probe ??= setInterval(() => void this.check(), PROBE_MS);
    this.probe.unref();
    return true;
  }

  /**
   * Pings the database now. A reachable database ends a known outage at once rather than at the
   * next probe, so a health check that answers "reachable" and `down` never disagree.
   */
  async reachable(): Promise<boolean> {
    const ok = await this.database.ping();
    if (ok) this.answered();
    return ok;
  }

  /** A call just succeeded: the database is back, if it was down (no need to wait for the probe). */
  answered(): void {
    if (!this.outage.failing) return;
    this.outage.recovered();
    this.stopProbe();
    this.recovered$.next();
  }

  onApplicationShutdown(): void {
    this.stopProbe();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }

  private async check(): Promise<void> {
    await this.reachable();
  }
}
