import { Injectable } from '@nestjs/common';
import { initialBedState, type RuleSet } from '@bedside/rules';
import { BedContextRepository } from '../persistence/bed-context.repository';
import { BedRuleStateRepository } from '../persistence/bed-rule-state.repository';
import { RuleConfigService } from '../services/rule-config.service';
import type { BedEntry } from './bed-entry';
import { SharedRuleSets } from './shared-rule-sets';

/**
 * The beds the runner has in memory: loaded on first use from the saved rule state (or a fresh
 * one), with their effective rules loaded lazily and dropped when they change.
 */
@Injectable()
export class BedEntries {
  private readonly beds = new Map<string, BedEntry>();
  private readonly ruleSets = new SharedRuleSets();

  constructor(
    private readonly contexts: BedContextRepository,
    private readonly states: BedRuleStateRepository,
    private readonly ruleConfig: RuleConfigService,
  ) {}

  /** The cached entry, without awaiting (the hot path), or undefined. */
  cached(bedId: string): BedEntry | undefined {
    return this.beds.get(bedId);
  }

  ids(): string[] {
    return [...this.beds.keys()];
  }

  values(): IterableIterator<BedEntry> {
    return this.beds.values();
  }

  /** Forgets a bed (its partition moved to another node). */
  drop(bedId: string): void {
    this.beds.delete(bedId);
  }

  async get(bedId: string): Promise<BedEntry> {
    const cached = this.beds.get(bedId);
    if (cached) return cached;
    const ctx = await this.contexts.get(bedId);
    const stored = await this.states.get(bedId);
    // Only devices heard from before count towards silence: a device still in its box is not "offline".
    const devices = ctx.devices
      .filter((d) => d.lastSeenAt !== null)
      .map((d) => ({ id: d.id, kind: d.kind, lastSeenAt: d.lastSeenAt! }));
    const version = stored?.version ?? 0;
    const entry: BedEntry = {
      ctx,
      ruleSet: null,
      rulesGeneration: 0,
      state: stored?.state ?? initialBedState(bedId, { devices }),
      cursor: stored?.eventCursor ?? null,
      escalations: new Map(),
      needsReplay: false,
      version,
      savedVersion: version,
    };
    this.beds.set(bedId, entry);
    return entry;
  }

  /** Beds with a saved rule state (boot recovery restores them). */
  async savedBedIds(): Promise<string[]> {
    return this.states.bedIds();
  }

  /** The bed's effective rules, shared with beds whose rules are the same. */
  async rules(entry: BedEntry): Promise<RuleSet> {
    const generation = entry.rulesGeneration;
    const { ruleSet } = await this.ruleConfig.effective(entry.ctx.bedId);
    const shared = this.ruleSets.share(ruleSet);
    if (entry.rulesGeneration === generation) entry.ruleSet = shared;
    return shared;
  }

  /** Rules changed for these beds: their cached rules are dropped (a load in flight is not cached). */
  rulesChanged(bedIds: readonly string[]): void {
    for (const id of bedIds) {
      const entry = this.beds.get(id);
      if (!entry) continue;
      entry.ruleSet = null;
      entry.rulesGeneration += 1;
    }
  }
}
