import type { VitalBand, VitalRule } from '../config/rule-set';
import type { VitalTrack } from '../model/bed-state';

/**
 * What one sample did to a track: `accepted`; `jump_pending` (held back until the jump persists);
 * `jump_rejected` (the jump did not persist: its readings were an artefact, this one is accepted);
 * `gap` (accepted after a gap that dropped a pending condition as unknown).
 */
export type HoldStep = 'accepted' | 'jump_pending' | 'jump_rejected' | 'gap';

export function newTrack(ts: number): VitalTrack {
  return {
    value: null,
    at: ts,
    acceptedAt: ts,
    majorSince: null,
    criticalSince: null,
    clearSince: null,
    majorSamples: 0,
    criticalSamples: 0,
    jumpSince: null,
    jumpValue: null,
    jumpSamples: 0,
    ignoredReason: null,
    ignoredAt: null,
  };
}

/**
 * Advances a track by one trusted sample at its own time `ts` (event time, in order). A condition holds
 * from its first sample for as long as samples keep showing it with no gap longer than `maxGapMs`; a
 * longer gap makes what was pending unknown (it starts again), never "held". A step of `rule.maxStep` or
 * more from the last accepted reading is held back until it persists `jumpConfirmMs`; then it counts
 * from its first sample, so a real change is not delayed when `jumpConfirmMs` is shorter than the hold.
 * `neutral`: a reading another rule owns (neither abnormal nor normal here).
 */
export function advanceTrack(
  track: VitalTrack,
  value: number,
  ts: number,
  maxGapMs: number,
  rule: VitalRule,
  neutral: boolean,
  jumpConfirmMs: number,
): HoldStep {
  let step: HoldStep = 'accepted';
  if (track.value !== null && ts - track.at > maxGapMs) {
    if (track.majorSince !== null || track.criticalSince !== null) step = 'gap';
    resetTrack(track);
  }
  const reference = track.value;
  if (track.jumpSince !== null) {
    if (isJump(reference, value, rule)) {
      track.jumpSamples += 1;
      track.at = ts;
      if (ts - track.jumpSince < jumpConfirmMs) return 'jump_pending';
      const since = track.jumpSince;
      const samples = track.jumpSamples;
      clearJump(track);
      accept(track, value, ts, since, samples, rule, neutral);
      return step;
    }
    clearJump(track);
    step = 'jump_rejected';
  } else if (jumpConfirmMs > 0 && isJump(reference, value, rule)) {
    track.jumpSince = ts;
    track.jumpValue = value;
    track.jumpSamples = 1;
    track.at = ts;
    return 'jump_pending';
  }
  accept(track, value, ts, ts, 1, rule, neutral);
  return step;
}

/** How long the tier's condition has been shown by accepted samples, or null when it is not pending. */
export function heldFor(track: VitalTrack, tier: 'major' | 'critical'): number | null {
  const since = tier === 'major' ? track.majorSince : track.criticalSince;
  return since === null ? null : track.acceptedAt - since;
}

export function breaches(value: number, band: VitalBand): boolean {
  return (band.low !== null && value <= band.low) || (band.high !== null && value >= band.high);
}

/** Inside the widest configured band, pulled in by the clear margin on each side. */
export function insideClearBand(value: number, rule: VitalRule): boolean {
  const band = rule.major ?? rule.critical;
  if (!band) return false;
  return (
    (band.low === null || value >= band.low + rule.clearMargin) &&
    (band.high === null || value <= band.high - rule.clearMargin)
  );
}

/** Would breach a configured tier. */
export function isAbnormal(value: number, rule: VitalRule): boolean {
  return (
    (rule.major !== null && breaches(value, rule.major)) || (rule.critical !== null && breaches(value, rule.critical))
  );
}

function isJump(reference: number | null, value: number, rule: VitalRule): boolean {
  return reference !== null && rule.maxStep !== null && Math.abs(value - reference) >= rule.maxStep;
}

/** `start`: when the shown state began (the sample's time, or the first sample of a confirmed jump). */
function accept(
  track: VitalTrack,
  value: number,
  ts: number,
  start: number,
  samples: number,
  rule: VitalRule,
  neutral: boolean,
): void {
  const major = !neutral && rule.major !== null && breaches(value, rule.major);
  const critical = !neutral && rule.critical !== null && breaches(value, rule.critical);
  const inside = !neutral && insideClearBand(value, rule);
  track.majorSamples = major ? (track.majorSince === null ? samples : track.majorSamples + samples) : 0;
  track.majorSince = major ? (track.majorSince ?? start) : null;
  track.criticalSamples = critical ? (track.criticalSince === null ? samples : track.criticalSamples + samples) : 0;
  track.criticalSince = critical ? (track.criticalSince ?? start) : null;
  track.clearSince = inside ? (track.clearSince ?? start) : null;
  track.value = value;
  track.at = ts;
  track.acceptedAt = ts;
}

function resetTrack(track: VitalTrack): void {
  track.value = null;
  track.majorSince = null;
  track.criticalSince = null;
  track.clearSince = null;
  track.majorSamples = 0;
  track.criticalSamples = 0;
  clearJump(track);
}

function clearJump(track: VitalTrack): void {
  track.jumpSince = null;
  track.jumpValue = null;
  track.jumpSamples = 0;
}
