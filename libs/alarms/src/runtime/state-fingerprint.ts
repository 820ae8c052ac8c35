import type { BedRuleState } from '@bedside/rules';

/**
 * The part of a bed's rule state that must survive a crash the moment it changes: which devices
 * are online, presence and absences, which vital signs are breached since when, a pending fall,
 * episodes, silences and which timers are armed. Left out: what every sample moves (last seen,
 * the latest reading, timer instants that slide with it), which a periodic checkpoint covers.
 */
export function stateFingerprint(s: BedRuleState): string {
  const devices: Record<string, unknown> = {};
  for (const [id, d] of Object.entries(s.devices)) devices[id] = { ...d, lastSeenAt: undefined };
  const vitals: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.vitals)) vitals[k] = { majorSince: v.majorSince, criticalSince: v.criticalSince, clearSince: v.clearSince };
  return JSON.stringify({
    devices, vitals, presence: s.presence, fall: s.fall, episodes: s.episodes, silence: s.silence,
    seenEventIds: s.seenEventIds.length ? s.seenEventIds[s.seenEventIds.length - 1] : null,
    timers: Object.keys(s.timers).sort(),
  });
}
