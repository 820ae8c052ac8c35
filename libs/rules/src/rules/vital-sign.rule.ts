import type { RuleSet, VitalBand, VitalRule } from '../config/rule-set';
import { clearEpisode, getEpisode, raiseEpisode, updateEpisode } from '../engine/episodes';
import type { EvalContext, RuleModule } from '../engine/eval-context';
import { nameCache } from '../engine/name-cache';
import { vitalSuppression } from '../engine/suppression';
import type { VitalTrack } from '../model/bed-state';
import type { DeviceKind, TelemetryInput } from '../model/rule-input';
import type { RuleKind } from '../model/rule-kind';
import { compareSeverity } from '../model/severity';

/** What makes a vital-sign rule different from another: which reading, from which devices. */
export interface VitalSpec {
  kind: RuleKind;
  section: 'heartRate' | 'respiration' | 'apnea' | 'spo2';
  field: 'heartRate' | 'respirationRate' | 'spo2';
  sources: readonly DeviceKind[];
  label: string;
  unit: string;
  /** Readings this rule leaves to another rule: neither abnormal nor normal here. */
  ignores?: (value: number, ruleSet: RuleSet) => boolean;
}

const TIERS = ['critical', 'major'] as const;
type Tier = (typeof TIERS)[number];
const SINCE: Record<Tier, 'criticalSince' | 'majorSince'> = { critical: 'criticalSince', major: 'majorSince' };

/**
 * Threshold rule in the Prometheus style: a tier goes pending on the first abnormal sample and fires once
 * it has held for its `forMs`; one alarm per bed and kind, upgraded when a worse tier fires. It clears with
 * hysteresis: every source back inside the band shrunk by `clearMargin`, held for `clearForMs`. Suppressed
 * samples reset the timers but neither fire nor clear an open alarm.
 */
export function vitalSignRule(spec: VitalSpec): RuleModule {
  const prefix = `${spec.kind}@`;
  const trackId = nameCache((deviceId) => prefix + deviceId);
  const timerName = { critical: nameCache((id) => `${id}:critical`), major: nameCache((id) => `${id}:major`) };
  const clearTimerName = nameCache((id) => `${id}:clear`);
  // The tracks are read with plain loops over the bed's vitals: this runs for every module on
  // every sample, and building entry arrays for it was a tenth of the evaluation's cost.
  const isOwn = (id: string) => id.startsWith(prefix);

  return {
    name: spec.kind,

    onInput(ctx, input) {
      if (input.type !== 'telemetry' || !spec.sources.includes(input.deviceKind)) return;
      const value = (input as Partial<Record<VitalSpec['field'], number | null>>)[spec.field];
      if (value === undefined) return;
      const id = trackId(input.deviceId);
      if (value === null || !Number.isFinite(value) || vitalSuppression(ctx.ruleSet, ctx.state, input as TelemetryInput, ctx.now) !== null) {
        delete ctx.state.vitals[id];
        return;
      }
      ctx.state.vitals[id] = observe(ctx, ctx.state.vitals[id], value);
    },

    check(ctx) {
      const rule = ctx.ruleSet[spec.section];
      const episode = getEpisode(ctx, spec.kind);
      const fired = firedTier(ctx, rule);
      if (fired && rule.enabled) {
        const finding = {
          reason: `${spec.kind}_${breachDirection(fired.track.value!, rule[fired.tier]!)}`,
          message: `${spec.label} ${fired.track.value} ${spec.unit} beyond the ${fired.tier} band for ${Math.round((ctx.now - fired.since) / 1000)} s`,
          details: { value: fired.track.value, deviceId: fired.deviceId, low: rule[fired.tier]!.low, high: rule[fired.tier]!.high, forMs: rule[fired.tier]!.forMs, since: fired.since },
        };
        if (!episode) raiseEpisode(ctx, spec.kind, null, fired.tier, fired.since, finding);
        else if (compareSeverity(fired.tier, episode.severity) > 0) {
          // An operator-resolved episode does not hide a worse reading: that is a new alarm.
          if (episode.resolvedAt !== null) raiseEpisode(ctx, spec.kind, null, fired.tier, fired.since, finding);
          else updateEpisode(ctx, episode, { severity: fired.tier }, { ...finding, reason: `${spec.kind}_escalated` });
        }
        return;
      }
      if (episode && isRecovered(ctx, rule)) {
        clearEpisode(ctx, episode, { reason: `${spec.kind}_normal`, message: `${spec.label} back to normal`, details: { value: firstValue(ctx) } });
      }
    },

    timers(ctx, add) {
      const rule = ctx.ruleSet[spec.section];
      const episode = getEpisode(ctx, spec.kind);
      const vitals = ctx.state.vitals;
      for (const id in vitals) {
        if (!isOwn(id)) continue;
        const track = vitals[id];
        for (const tier of TIERS) {
          const band = rule[tier];
          const since = track[SINCE[tier]];
          if (!band || since === null || !rule.enabled) continue;
          if (episode && compareSeverity(tier, episode.severity) <= 0) continue;
          add(timerName[tier](id), since + band.forMs);
        }
        if (episode && track.clearSince !== null) add(clearTimerName(id), track.clearSince + rule.clearForMs);
      }
    },
  };

  function observe(ctx: EvalContext, previous: VitalTrack | undefined, value: number): VitalTrack {
    const rule = ctx.ruleSet[spec.section];
    const ignored = spec.ignores?.(value, ctx.ruleSet) ?? false;
    const keep = (since: number | null | undefined, holds: boolean) => (holds ? (since ?? ctx.now) : null);
    return {
      value,
      at: ctx.now,
      majorSince: keep(previous?.majorSince, !ignored && rule.major !== null && breaches(value, rule.major)),
      criticalSince: keep(previous?.criticalSince, !ignored && rule.critical !== null && breaches(value, rule.critical)),
      clearSince: keep(previous?.clearSince, !ignored && insideClearBand(value, rule)),
    };
  }

  /** The worst tier held for its `forMs` by any device, the longest-held one first. */
  function firedTier(ctx: EvalContext, rule: VitalRule) {
    const vitals = ctx.state.vitals;
    for (const tier of TIERS) {
      const band = rule[tier];
      if (!band) continue;
      let best: { tier: Tier; since: number; track: VitalTrack; deviceId: string } | null = null;
      for (const id in vitals) {
        if (!isOwn(id)) continue;
        const track = vitals[id];
        const since = track[SINCE[tier]];
        if (since !== null && ctx.now - since >= band.forMs && (!best || since < best.since)) {
          best = { tier, since, track, deviceId: id.slice(prefix.length) };
        }
      }
      if (best) return best;
    }
    return null;
  }

  /** No device breaches any tier, and at least one has been back inside the clear band for `clearForMs`. */
  function isRecovered(ctx: EvalContext, rule: VitalRule): boolean {
    const vitals = ctx.state.vitals;
    let any = false;
    let cleared = false;
    for (const id in vitals) {
      if (!isOwn(id)) continue;
      const t = vitals[id];
      if (t.majorSince !== null || t.criticalSince !== null) return false;
      any = true;
      if (t.clearSince !== null && ctx.now - t.clearSince >= rule.clearForMs) cleared = true;
    }
    return any && cleared;
  }

  function firstValue(ctx: EvalContext): number | null {
    for (const id in ctx.state.vitals) if (isOwn(id)) return ctx.state.vitals[id].value;
    return null;
  }
}

export function breaches(value: number, band: VitalBand): boolean {
  return (band.low !== null && value <= band.low) || (band.high !== null && value >= band.high);
}

/** Inside the widest configured band, pulled in by the clear margin on each side. */
export function insideClearBand(value: number, rule: VitalRule): boolean {
  const band = rule.major ?? rule.critical;
  if (!band) return false;
  return (band.low === null || value >= band.low + rule.clearMargin) && (band.high === null || value <= band.high - rule.clearMargin);
}

function breachDirection(value: number, band: VitalBand): 'low' | 'high' {
  return band.low !== null && value <= band.low ? 'low' : 'high';
}
