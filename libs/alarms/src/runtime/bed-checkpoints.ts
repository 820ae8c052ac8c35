import { Injectable, Logger } from '@nestjs/common';
import { assertPartitionEpoch, isFenced, type FenceToken } from '@bedside/cluster';
import { Database } from '@bedside/database';
import { BedRuleStateRepository } from '../persistence/bed-rule-state.repository';
import { BedEntries } from './bed-entries';
import { storedState, type BedEntry } from './bed-entry';
import { BedOwnership } from './bed-ownership';

/**
 * State changed by telemetry or status alone (nothing durable per sameDurableState, no alarm
 * action, no device event) is checkpointed in batched writes this often instead of one
 * transaction per sample (a shorter interval kept PostgreSQL busy enough that device events
 * stored during a checkpoint waited visibly). What a crash can lose is only what sliding readings
 * moved (last-seen instants, latest values): after a restart a silent device's offline timer may
 * fire up to this much early. Conditions starting, alarms, events and timers being armed are
 * always written at once in their own transaction (AlarmCommitter).
 */
const CHECKPOINT_MS = 15_000;
const CHECKPOINT_SLICE = 250;

/** Durable bed state: the periodic batched write of every bed state changed in memory only. */
@Injectable()
export class BedCheckpoints {
  private readonly log = new Logger('RulesRunner');
  private timer: NodeJS.Timeout | null = null;
  private checkpointing: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: Database,
    private readonly states: BedRuleStateRepository,
    private readonly beds: BedEntries,
    private readonly ownership: BedOwnership,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.checkpoint(), CHECKPOINT_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes every bed state changed without a transaction since the last checkpoint. */
  checkpoint(): Promise<void> {
    return this.write(() => [...this.beds.values()]);
  }

  /** Writes the changed states of one partition's beds under its fence (a partition being handed over). */
  checkpointPartition(entries: readonly BedEntry[], fence: FenceToken | null): Promise<void> {
    return this.write(() => entries, fence);
  }

  private write(pick: () => Iterable<BedEntry>, fence?: FenceToken | null): Promise<void> {
    this.checkpointing = this.checkpointing.then(async () => {
      const dirty = [...pick()].filter((e) => e.version > e.savedVersion);
      if (dirty.length === 0) return;
      const groups =
        fence !== undefined
          ? new Map([[fence, dirty]])
          : this.ownership.clustered
            ? this.byPartition(dirty)
            : new Map([[null, dirty]]);
      for (const [fence, group] of groups) {
        try {
          await this.save(group, fence);
        } catch (err) {
          // A fenced partition has a new owner, which restored its own state: nothing to retry.
          if (isFenced(err)) continue;
          this.log.error({
            msg: 'rule state checkpoint failed; will retry',
            beds: group.length,
            err: (err as Error).message,
          });
        }
      }
    });
    return this.checkpointing;
  }

  /** Clustered: each partition's states under its own fence; beds this node no longer owns are skipped. */
  private byPartition(dirty: readonly BedEntry[]): Map<FenceToken | null, BedEntry[]> {
    const groups = new Map<number, { fence: FenceToken; beds: BedEntry[] }>();
    for (const e of dirty) {
      const fence = this.ownership.tokenFor(e.ctx.bedId);
      if (!fence) continue;
      const g = groups.get(fence.partition) ?? { fence, beds: [] };
      g.beds.push(e);
      groups.set(fence.partition, g);
    }
    return new Map([...groups.values()].map((g) => [g.fence, g.beds]));
  }

  private async save(dirty: readonly BedEntry[], fence: FenceToken | null): Promise<void> {
    const snapshot = dirty.map((e) => ({ entry: e, saved: storedState(e, e.state, e.cursor, e.version) }));
    // In slices, each awaited: serialising ten thousand states in one statement held the
    // event loop long enough to show in the SOS -> alarm p99.
    for (let i = 0; i < snapshot.length; i += CHECKPOINT_SLICE) {
      const slice = snapshot.slice(i, i + CHECKPOINT_SLICE);
      const saved = slice.map((s) => s.saved);
      if (fence)
        await this.database.db.transaction().execute(async (tx) => {
          await assertPartitionEpoch(tx, fence);
          await this.states.saveMany(tx, saved);
        });
      else await this.states.saveMany(this.database.db, saved);
      for (const s of slice) s.entry.savedVersion = Math.max(s.entry.savedVersion, s.saved.version);
    }
  }
}
