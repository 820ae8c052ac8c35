import type { RuleScope } from '../persistence/rule-set.repository';

export interface RuleChangeWatchDeps {
  /** Rule-set versions appended after `afterId`. */
  appendedAfter(afterId: number): Promise<{ lastId: number; scopes: { scope: RuleScope; scopeId: string }[] }>;
  bedsOfOrganisation(organisationId: string): Promise<string[]>;
  /** Rules changed for these beds, or every bed (null). */
  changed(bedIds: string[] | null): Promise<void>;
  onError(err: unknown): void;
}

/**
 * Clustered: rule changes reach the beds' owners on the fast path, which may drop them. Rule
 * sets are append-only versions, so every interval the owner also looks for versions appended
 * since the last it knew and drops the cached rules of the beds they cover: a dropped message
 * delays a rule change by at most one interval, never loses it.
 */
export class RuleChangeWatch {
  private lastId: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deps: RuleChangeWatchDeps,
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One look; runs every interval, exposed for tests. The first look only learns where the log ends. */
  check(): Promise<void> {
    this.running ??= this.look()
      .catch((err) => this.deps.onError(err))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async look(): Promise<void> {
    const after = this.lastId ?? 0;
    const { lastId, scopes } = await this.deps.appendedAfter(after);
    const first = this.lastId === null;
    this.lastId = lastId;
    if (first || scopes.length === 0) return;
    if (scopes.some((s) => s.scope === 'default')) return this.deps.changed(null);
    const beds = new Set<string>();
    for (const s of scopes) {
      if (s.scope === 'bed') beds.add(s.scopeId);
      else for (const id of await this.deps.bedsOfOrganisation(s.scopeId)) beds.add(id);
    }
    await this.deps.changed([...beds]);
  }
}
