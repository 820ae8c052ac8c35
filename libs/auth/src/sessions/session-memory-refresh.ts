import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RepeatingSweep } from '@bedside/common';
import { EnvDto } from '@bedside/config';
import { SessionResolver } from './session-resolver';

/** The first read soon after start, so a hub that just (re)started can answer for every session. */
const FIRST_READ_MS = 1_000;

/** Reads the live console sessions into the hub's memory every AUTH_SESSION_REFRESH_MS; stops the resolver's timers at shutdown. */
@Injectable()
export class SessionMemoryRefresh implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweep: RepeatingSweep;

  constructor(
    private readonly resolver: SessionResolver,
    env: EnvDto,
  ) {
    const log = new Logger('Auth');
    this.sweep = new RepeatingSweep(
      () => resolver.refresh(),
      env.AUTH_SESSION_REFRESH_MS,
      (err) => log.warn({ msg: 'live sessions not read', reason: err.message }),
    );
  }

  onApplicationBootstrap(): void {
    this.sweep.start(FIRST_READ_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
    this.resolver.stop();
  }
}
