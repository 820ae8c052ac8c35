import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@bedside/common';
import { DatabaseHealth } from '@bedside/database';
import type { BusMessage } from './bus/bus-envelope';
import { ClusterBus } from './bus/cluster-bus';
import { DatabasePeerView } from './database-peer-view';

const KIND = 'database.reachability';
/** How often each node says whether it reaches the database. */
const SAY_MS = 1000;
/** A node not heard from for this long (three sayings) says nothing. */
const STALE_MS = 3 * SAY_MS;

interface ReachabilityMessage extends BusMessage {
  kind: typeof KIND;
  reachable: boolean;
}

/**
 * Each node tells the others every second whether it reaches the database, so a node that
 * cannot can tell an outage of the database (nobody reaches it: stay in rotation, devices are
 * held and heard) from being cut off alone (others reach it: leave the rotation, so HAProxy
 * sends its devices and consoles to nodes that can store what they send).
 */
@Injectable()
export class DatabasePeers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly view: DatabasePeerView;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(ClusterBus) private readonly bus: ClusterBus,
    private readonly database: DatabaseHealth,
    private readonly clock: Clock,
  ) {
    this.view = new DatabasePeerView(bus.nodeId, STALE_MS);
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.bus.subscribeAll<ReachabilityMessage>((m, meta) => {
      if (m.kind === KIND) this.view.heard(meta.from, m.reachable, this.clock.now());
    });
    this.timer = setInterval(
      () => this.bus.publishToAll({ kind: KIND, reachable: !this.database.down } satisfies ReachabilityMessage),
      SAY_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  /** This node cannot reach the database and another node can. */
  get cutOffAlone(): boolean {
    return this.database.down && this.view.othersReachIt(this.clock.now());
  }
}
