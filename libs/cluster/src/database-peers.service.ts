import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@bedside/common';
import type { BusMessage } from './bus/bus-envelope';
import { ClusterBus } from './bus/cluster-bus';
import { DatabasePeerView, freshAnswer } from './database-peer-view';
import { LeaseManager } from './lease-manager';

const KIND = 'database.answers';
/** How often each node says whether the database answers it. */
const SAY_MS = 500;

interface AnswersMessage extends BusMessage {
  kind: typeof KIND;
  fresh: boolean;
}

/**
 * Each node tells the others twice a second whether the database answers it (its lease round,
 * every second), so a node it does not answer can tell an outage of the database (nobody gets
 * answers: stay in rotation, devices are held and heard) from being cut off alone (others get
 * answers: leave the rotation, so HAProxy sends its devices and consoles to nodes that can
 * store what they send).
 */
@Injectable()
export class DatabasePeers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly view: DatabasePeerView;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(ClusterBus) private readonly bus: ClusterBus,
    // Clustered mode always has leases; without them there is no answer of its own to tell.
    @Optional() @Inject(LeaseManager) private readonly leases: LeaseManager | undefined,
    private readonly clock: Clock,
  ) {
    this.view = new DatabasePeerView(bus.nodeId);
  }

  onApplicationBootstrap(): void {
    const leases = this.leases;
    if (!leases) return;
    this.unsubscribe = this.bus.subscribeAll<AnswersMessage>((m, meta) => {
      if (m.kind === KIND) this.view.heard(meta.from, m.fresh, this.clock.now());
    });
    this.timer = setInterval(() => {
      const fresh = freshAnswer(leases.databaseAnsweredAt, this.clock.now());
      this.bus.publishToAll({ kind: KIND, fresh } satisfies AnswersMessage);
    }, SAY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  /** The database has not answered this node for a while, and it answers another node. */
  get cutOffAlone(): boolean {
    return !!this.leases && this.view.cutOffAlone(this.leases.databaseAnsweredAt, this.clock.now());
  }
}
