import { Injectable } from '@nestjs/common';
import { Clock } from '@bedside/common';
import type { AlarmView } from '../model/alarm-record';
import { withContext, type AlarmContext, type ContextualAlarmView } from '../model/alarm-context';
import { AlarmContextRepository } from '../persistence/alarm-context.repository';
import { BedLabels } from '../provisional/bed-labels';

/** Registry edits (a renamed resident, a new display name) show up on open streams within this. */
const TTL_MS = 30_000;

interface Cached<T> {
  value: T;
  at: number;
}

/**
 * Adds bed, resident, household and actor display names to alarms for the stream, where one
 * event at a time arrives; a short cache keeps a burst of events to one lookup per bed.
 */
@Injectable()
export class AlarmContextService {
  private readonly beds = new Map<string, Cached<AlarmContext | undefined>>();
  private readonly names = new Map<string, Cached<string | undefined>>();

  constructor(
    private readonly repo: AlarmContextRepository,
    private readonly clock: Clock,
    private readonly labels: BedLabels,
  ) {}

  async enrich(alarms: readonly AlarmView[]): Promise<ContextualAlarmView[]> {
    const now = this.clock.now();
    const fresh = <T>(c: Cached<T> | undefined): c is Cached<T> => c !== undefined && now - c.at < TTL_MS;
    const missingBeds = [...new Set(alarms.map((a) => a.bedId))].filter((id) => !fresh(this.beds.get(id)));
    const actors = alarms.flatMap((a) => [a.acknowledgedBy, a.resolvedBy]).filter((u): u is string => !!u);
    const missingNames = [...new Set(actors)].filter((u) => !fresh(this.names.get(u)));
    const [contexts, names] = await Promise.all([this.repo.forBeds(missingBeds), this.repo.displayNames(missingNames)]);
    for (const id of missingBeds) this.beds.set(id, { value: contexts.get(id), at: now });
    for (const [id, c] of contexts) this.labels.remember(id, c);
    for (const u of missingNames) this.names.set(u, { value: names.get(u), at: now });
    if (this.beds.size > 10_000) this.beds.clear();
    if (this.names.size > 10_000) this.names.clear();
    const known = new Map(
      actors.flatMap((u) => (this.names.get(u)?.value ? [[u, this.names.get(u)!.value!] as const] : [])),
    );
    return alarms.map((a) => withContext(a, this.beds.get(a.bedId)?.value, known));
  }

  /** Display names of timeline actors, uncached: a detail is read once. */
  actorNames(usernames: readonly string[]): Promise<Map<string, string>> {
    return this.repo.displayNames(usernames);
  }
}
