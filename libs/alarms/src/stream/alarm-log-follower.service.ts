import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EnvDto } from '@bedside/config';
import { DatabaseHealth } from '@bedside/database';
import { ALARM_LOG_CHANNEL, AlarmRepository } from '../persistence/alarm.repository';
import { AlarmStream } from '../runtime/alarm-stream';
import { AlarmLogListener } from './alarm-log-listener';
import { AlarmLogTailer } from './alarm-log-tailer';

/** The poll that catches what a lost NOTIFY or a dropped LISTEN session would miss. */
const POLL_MS = 1000;

/**
 * Clustered mode: consoles on every node are sent every node's alarm events, in id order, from
 * the shared alarm_events log (LISTEN/NOTIFY wakes the tailer, a poll is the safety net). The
 * console stream's replay and the tailer read the same log, so Last-Event-ID resumes on any node
 * with no gap and no duplicate. On a single node this does nothing: local commits are the log.
 */
@Injectable()
export class AlarmLogFollower implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('AlarmLog');
  private tailer: AlarmLogTailer | null = null;
  private listener: AlarmLogListener | null = null;

  constructor(
    private readonly env: EnvDto,
    private readonly stream: AlarmStream,
    private readonly alarms: AlarmRepository,
    private readonly database: DatabaseHealth,
  ) {
    // Before any evaluation can emit: consoles must never get a local event ahead of the log.
    if (this.clustered) this.stream.followLog();
  }

  private get clustered(): boolean {
    return this.env.CLUSTER_NODE_ID !== undefined && this.env.DATABASE_URL !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.clustered) return;
    // An outage is logged once, as the outage, not by every poll and reconnect that meets it.
    const warn = (msg: string, err: Error, fields: Record<string, unknown> = {}) => {
      if (!this.database.unavailable('alarm log', err)) this.log.warn({ msg, err: err.message, ...fields });
    };
    const tailer = new AlarmLogTailer(
      this.alarms,
      (events) => this.stream.emitFromLog(events),
      { pollMs: POLL_MS },
      warn,
    );
    await tailer.start();
    this.tailer = tailer;
    this.listener = new AlarmLogListener(
      this.env.DATABASE_URL!,
      ALARM_LOG_CHANNEL,
      () => void tailer.wake(),
      1000,
      warn,
    );
    await this.listener.start();
    this.log.log({ msg: 'following the shared alarm log', from: tailer.position, pollMs: POLL_MS });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
    await this.tailer?.stop();
  }
}
