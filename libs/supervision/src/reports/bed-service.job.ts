import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { Clock } from '@bedside/common';
import { RegistryEvents } from '@bedside/registry';
import { SupervisionConfig } from '../supervision.config';
import { BedServiceRepository } from './bed-service.repository';

/**
 * Keeps the beds' periods in service current: at start, on every device binding or revocation
 * (evented by the registry, so those are exact), and every VISITS_SWEEP_MS for the changes the
 * registry does not announce (a resident moving in or out, a device added to a bed). The
 * monthly report reconciles once more before it reads the periods.
 */
@Injectable()
export class BedServiceJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('BedService');
  private timer: NodeJS.Timeout | null = null;
  private sub: Subscription | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly periods: BedServiceRepository,
    private readonly registry: RegistryEvents,
    private readonly config: SupervisionConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.sub = this.registry.deviceAccess$.subscribe(() => this.run());
    this.run();
    this.timer = setInterval(() => this.run(), this.config.sweepMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.sub?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass at a time; a request during a pass runs one more after it. */
  private run(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.periods
      .reconcile(this.clock.now())
      .then((r) => {
        if (r.opened || r.closed) this.log.log({ msg: 'beds in service changed', ...r });
      })
      .catch((err: Error) => this.log.error({ msg: 'bed service reconcile failed', err: err.message }))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.run();
        }
      });
  }
}
