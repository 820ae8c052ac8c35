import { Injectable, Logger } from '@nestjs/common';
import { Database } from '@bedside/database';
import { BedRuleStateRepository } from '../persistence/bed-rule-state.repository';
import { BedEntries } from './bed-entries';
import { storedState } from './bed-entry';

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
    this.checkpointing = this.checkpointing.then(async () => {
      const dirty = [...this.beds.values()].filter((e) => e.version > e.savedVersion);
      if (dirty.length === 0) return;
      const snapshot = dirty.map((e) => ({ entry: e, saved: storedState(e, e.state, e.cursor, e.version) }));
      try {
        // In slices, each awaited: serialising ten thousand states in one statement held the
        // event loop long enough to show in the SOS -> alarm p99.
        for (let i = 0; i < snapshot.length; i += CHECKPOINT_SLICE) {
          const slice = snapshot.slice(i, i + CHECKPOINT_SLICE);
          await this.states.saveMany(
            this.database.db,
            slice.map((s) => s.saved),
          );
          for (const s of slice) s.entry.savedVersion = Math.max(s.entry.savedVersion, s.saved.version);
        }
      } catch (err) {
        this.log.error({
          msg: 'rule state checkpoint failed; will retry',
          beds: dirty.length,
          err: (err as Error).message,
        });
      }
    });
    return this.checkpointing;
  }
}
