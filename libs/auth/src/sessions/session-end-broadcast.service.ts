import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ClusterBus, type BusMessage, type BusMeta } from '@bedside/cluster';
import { asSessionEnd, type SessionEnd } from './session-end';
import { SessionResolver } from './session-resolver';
import { SessionStreams } from './session-streams';

export const SESSION_ENDED = 'session.ended';

export interface SessionEndedMessage extends BusMessage {
  kind: typeof SESSION_ENDED;
  end: SessionEnd;
}

/**
 * Every session end closes this hub's streams of that session at once. Clustered, an end made
 * here is also told to every other hub on the bus (`<prefix>.all.msg`), which forgets the
 * session and closes its streams at once rather than at its next read of the live sessions.
 * The bus may lose a message: that read (AUTH_SESSION_REFRESH_MS) still ends the session there,
 * and closes its streams, within one period.
 */
@Injectable()
export class SessionEndBroadcast implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Auth');
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly resolver: SessionResolver,
    private readonly streams: SessionStreams,
    @Optional() @Inject(ClusterBus) private readonly bus?: ClusterBus,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe.push(
      this.resolver.onEnd((end, source) => {
        const closed = this.streams.close(end);
        if (closed > 0) this.log.log({ msg: 'streams of an ended session closed', closed, source });
        if (source === 'here') this.bus?.publishToAll({ kind: SESSION_ENDED, end } satisfies SessionEndedMessage);
      }),
    );
    const bus = this.bus;
    if (bus) this.unsubscribe.push(bus.subscribeAll((m, meta) => this.received(m, meta, bus.nodeId)));
  }

  onApplicationShutdown(): void {
    this.unsubscribe.splice(0).forEach((u) => u());
  }

  /** Another hub's end (this hub's own comes back on the bus too, and was applied when made). */
  received(m: BusMessage, meta: BusMeta, self: string): void {
    if (m.kind !== SESSION_ENDED || meta.from === self) return;
    const end = asSessionEnd(m.end);
    if (!end) {
      this.log.warn({ msg: 'session end from another hub not understood', from: meta.from });
      return;
    }
    this.resolver.endedElsewhere(end);
  }
}
