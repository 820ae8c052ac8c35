import { GroupCommit } from '@bedside/common';
import type { TelemetryPoint } from '../telemetry-point';
import { MINUTE_MS, MinuteFold, ROLLUP_DEFINITIONS, minuteOf, type RollupDefinitions } from './minute-rollup';
import { keyOf, type MinuteRollupRepository, type RollupKey, type RollupWrite } from './minute-rollup.repository';

/** A row another writer changed is loaded and folded again at most this many times a batch. */
const CONFLICT_ROUNDS = 3;
/** Rows untouched this long leave the cache (late data reloads its row); swept at most once a minute. */
const KEEP_MS = 3 * MINUTE_MS;

interface Entry {
  fold: MinuteFold;
  /** Samples of the stored row (0: none). */
  stored: number;
  /** When a batch last touched it (wall clock: device clocks may be anywhere). */
  touchedAt: number;
}

/**
 * Folds stored telemetry into per-minute rollups as ingest writes it, group-committed like the
 * samples: a batch loads the rows it touches that are not in memory (one query), folds its
 * samples and upserts the rows that gained any (one statement). Rows of the last few minutes
 * stay in memory, so a device reporting live costs no read. A fold ignores an instant already
 * folded, so a resent batch counts once. Batches are applied one at a time; a row that another
 * writer (another hub) changed meanwhile is loaded and folded again.
 */
export class MinuteRollupWriter {
  private readonly commit: GroupCommit<TelemetryPoint[]>;
  private readonly cache = new Map<string, Entry>();
  private chain: Promise<void> = Promise.resolve();
  private sweptAt = 0;
  private written = 0;

  constructor(
    private readonly repository: MinuteRollupRepository,
    batching: { delayMs: number; maxBatch: number } = { delayMs: 0, maxBatch: 2000 },
    private readonly def: RollupDefinitions = ROLLUP_DEFINITIONS,
    private readonly now: () => number = Date.now,
  ) {
    this.commit = new GroupCommit((batches) => this.serially(batches), batching);
  }

  /**
   * Resolves once the samples' minutes are stored. Samples of no bed (nothing to summarise) and
   * of call buttons (they report only battery, which no summary reads) are left out.
   */
  write(points: readonly TelemetryPoint[]): Promise<void> {
    const kept = points.filter((p) => p.bedId !== null && p.kind !== 'button');
    return kept.length ? this.commit.submit(kept) : Promise.resolve();
  }

  flush(): Promise<void> {
    return this.commit.drain();
  }

  /** Rows written since start. */
  get rowsWritten(): number {
    return this.written;
  }

  private serially(batches: TelemetryPoint[][]): Promise<void> {
    const run = this.chain.then(() => this.apply(batches.flat()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async apply(points: readonly TelemetryPoint[]): Promise<void> {
    const groups = new Map<string, { key: RollupKey & { kind: TelemetryPoint['kind'] }; points: TelemetryPoint[] }>();
    for (const p of points) {
      const key = { bedId: p.bedId!, deviceId: p.deviceId, minute: minuteOf(p.ts), kind: p.kind };
      const k = keyOf(key);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { key, points: [] }));
      g.points.push(p);
    }
    const now = this.now();
    try {
      await this.load([...groups.keys()].filter((k) => !this.cache.has(k)).map((k) => groups.get(k)!.key));
      let todo = [...groups.keys()];
      for (let round = 0; ; round++) {
        const writes: RollupWrite[] = [];
        for (const k of todo) {
          const entry = this.cache.get(k)!;
          entry.touchedAt = now;
          for (const p of groups.get(k)!.points) entry.fold.add(p, this.def);
          if (entry.fold.samples !== entry.stored)
            writes.push({ rollup: entry.fold.toRollup(), baseSamples: entry.stored });
        }
        const conflicts = new Set((await this.repository.save(writes)).map(keyOf));
        this.written += writes.length - conflicts.size;
        for (const w of writes) {
          const k = keyOf(w.rollup);
          if (!conflicts.has(k)) this.cache.get(k)!.stored = w.rollup.samples;
        }
        if (!conflicts.size) break;
        if (round + 1 >= CONFLICT_ROUNDS) throw new Error(`telemetry rollups: ${conflicts.size} rows kept changing`);
        todo = [...conflicts];
        for (const k of todo) this.cache.delete(k);
        await this.load(todo.map((k) => groups.get(k)!.key));
      }
    } catch (err) {
      // What the store holds is unknown now: these rows are read again when next touched (the
      // device resends what was not acknowledged, and a fold counts each instant once).
      for (const k of groups.keys()) this.cache.delete(k);
      throw err;
    }
    this.sweep(now);
  }

  private async load(keys: readonly (RollupKey & { kind: TelemetryPoint['kind'] })[]): Promise<void> {
    if (!keys.length) return;
    const stored = new Map((await this.repository.load(keys)).map((r) => [keyOf(r), r]));
    for (const key of keys) {
      const k = keyOf(key);
      const row = stored.get(k);
      this.cache.set(
        k,
        row
          ? { fold: MinuteFold.from(row), stored: row.samples, touchedAt: 0 }
          : { fold: MinuteFold.empty(key.deviceId, key.bedId, key.kind, key.minute), stored: 0, touchedAt: 0 },
      );
    }
  }

  /** Once a minute: forget the rows no batch touched lately (minutes live devices have left behind). */
  private sweep(now: number): void {
    if (now - this.sweptAt < MINUTE_MS) return;
    this.sweptAt = now;
    for (const [k, entry] of this.cache) if (entry.touchedAt < now - KEEP_MS) this.cache.delete(k);
  }
}
