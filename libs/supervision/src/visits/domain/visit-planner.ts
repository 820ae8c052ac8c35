import type { VisitSource } from './visit';

const DAY_MS = 86_400_000;

/** What the planner knows of one resident. */
export interface PlanningResident {
  residentId: string;
  householdId: string;
  organisationId: string;
  /** The resident's categories (e.g. living_alone) and since when. */
  categories: { category: string; since: number }[];
  /** Check-in time of the last visit that found the resident at home; null if none. */
  lastSeenAt: number | null;
  /** Due times of the resident's open (planned or assigned) visits. */
  openDueAts: number[];
  /** The resident's most recently closed visit (visited, not home or cancelled); null if none. */
  lastClosedVisitId: string | null;
}

/** A recent night the wellness assessment flagged. */
export interface FlaggedNight {
  residentId: string;
  night: string;
  /** When the night's window closed: a visit after it has seen the resident since. */
  windowEnd: number;
  codes: string[];
}

/** An organisation's rule: residents in `category` are visited at least every `intervalDays`. */
export interface VisitPolicy {
  category: string;
  intervalDays: number;
}

export interface VisitDraft {
  organisationId: string;
  residentId: string;
  householdId: string;
  source: VisitSource;
  sourceKey: string;
  reason: string;
  dueAt: number;
}

export interface PlanOptions {
  /** A visit for a flagged night is due this long after it is planned. */
  deviationDueMs: number;
  /** A policy visit is planned this long before it falls due (at most half the interval). */
  policyLeadMs: number;
}

export const DEFAULT_POLICY_LEAD_MS = 2 * DAY_MS;

/**
 * Plans the visits that should exist and do not: for a resident's latest flagged night when
 * nobody has seen them since and no open visit is due as soon; and, per the organisation's
 * policy, one interval after the last visit that found them at home (or after they entered
 * the category), when no visit is open - so a visit that found nobody home, or a cancelled
 * policy visit, is followed by another straight away. The result is keyed (source, source key), so planning
 * the same state again plans nothing new once stored.
 */
export function planVisits(input: {
  now: number;
  residents: readonly PlanningResident[];
  flagged: readonly FlaggedNight[];
  policies: ReadonlyMap<string, readonly VisitPolicy[]>;
  options: PlanOptions;
}): VisitDraft[] {
  const { now, options } = input;
  const latestFlag = new Map<string, FlaggedNight>();
  for (const f of input.flagged) {
    const seen = latestFlag.get(f.residentId);
    if (!seen || f.night > seen.night) latestFlag.set(f.residentId, f);
  }
  const drafts: VisitDraft[] = [];
  for (const r of input.residents) {
    const base = { organisationId: r.organisationId, residentId: r.residentId, householdId: r.householdId };
    const flag = latestFlag.get(r.residentId);
    const deviationDue = now + options.deviationDueMs;
    let plannedNow = false;
    if (
      flag &&
      (r.lastSeenAt === null || r.lastSeenAt < flag.windowEnd) &&
      !r.openDueAts.some((due) => due <= deviationDue)
    ) {
      drafts.push({
        ...base,
        source: 'deviation',
        sourceKey: flag.night,
        reason: `night ${flag.night}: ${flag.codes.join(', ')}`,
        dueAt: deviationDue,
      });
      plannedNow = true;
    }
    const rule = strictestPolicy(r, input.policies.get(r.organisationId) ?? []);
    if (rule && !plannedNow && r.openDueAts.length === 0) {
      const anchor = Math.max(r.lastSeenAt ?? -Infinity, rule.since);
      const intervalMs = rule.intervalDays * DAY_MS;
      const dueAt = anchor + intervalMs;
      if (dueAt - Math.min(options.policyLeadMs, intervalMs / 2) <= now) {
        drafts.push({
          ...base,
          source: 'policy',
          // The visit that follows the last closed one: a visit that found nobody home (or was
          // cancelled) is followed by a new one at once, and concurrent sweeps plan it once.
          sourceKey: `after:${r.lastClosedVisitId ?? 'none'}`,
          reason: `${rule.category}: at least every ${rule.intervalDays} days`,
          dueAt,
        });
      }
    }
  }
  return drafts;
}

/** The shortest interval among the resident's categories that have a policy, with when they entered it. */
function strictestPolicy(
  r: PlanningResident,
  policies: readonly VisitPolicy[],
): { category: string; intervalDays: number; since: number } | null {
  let best: { category: string; intervalDays: number; since: number } | null = null;
  for (const c of r.categories) {
    const p = policies.find((x) => x.category === c.category);
    if (p && (!best || p.intervalDays < best.intervalDays)) best = { ...p, since: c.since };
  }
  return best;
}
