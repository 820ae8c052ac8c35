import type { RuleSet, VitalBand, VitalRule } from '../config/rule-set';
import { clearEpisode, getEpisode, raiseEpisode, recordIgnored, updateEpisode } from '../engine/episodes';
import type { EvalContext, RuleModule } from '../engine/eval-context';
import { IGNORED_READING_MESSAGES, ignoredReading } from '../engine/ignored-reading';
import { nameCache } from '../engine/name-cache';
import { vitalSuppression } from '../engine/suppression';
import { advanceTrack, isAbnormal, newTrack } from '../engine/vital-hold';
import type { VitalTrack } from '../model/bed-state';
import type { DeviceKind } from '../model/rule-input';
import type { RuleKind } from '../model/rule-kind';
import { compareSeverity } from '../model/severity';

export { breaches, insideClearBand } from '../engine/vital-hold';

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
const SAMPLES: Record<Tier, 'criticalSamples' | 'majorSamples'> = {
  critical: 'criticalSamples',
  major: 'majorSamples',
};

/**
 * Threshold rule judged in event time (each sample at its own `ts`; see vital-hold.ts): a tier goes
 * pending on the first abnormal sample and fires once samples have shown it for its `forMs` (and for at
 * least `minSamples` samples); one alarm per bed and kind, upgraded when a worse tier fires. It clears
 * with hysteresis: every source back inside the band shrunk by `clearMargin`, shown for `clearForMs`.
 * Samples that are not the resident's (empty bed, not worn, warming up) drop what was pending;
 * untrustworthy ones (ignoredReading) count as missing. Neither fires nor clears an open alarm.
 * Holds need samples, not time: no timers.
 */
export function vitalSignRule(spec: VitalSpec): RuleModule {
  const prefix = `${spec.kind}@`;
  const trackId = nameCache((deviceId) => prefix + deviceId);
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
      const vitals = ctx.state.vitals;
      if (
        value === null ||
        !Number.isFinite(value) ||
        vitalSuppression(ctx.ruleSet, ctx.state, input, ctx.now) !== null
      ) {
        delete vitals[id];
        return;
      }
      const rule = ctx.ruleSet[spec.section];
      const neutral = spec.ignores?.(value, ctx.ruleSet) ?? false;
      const ignored = ignoredReading(ctx, spec.kind, input);
      let track = vitals[id];
      if (ignored !== null) {
        // One journal entry per run of ignored readings, and only for runs that would have mattered:
        // readings flickering around a signal threshold are one run, not one entry per flicker.
        if (!rule.enabled || neutral || !isAbnormal(value, rule)) return;
        track ??= vitals[id] = newTrack(ctx.sampleTs);
        const sameRun =
          track.ignoredReason === ignored &&
          track.ignoredAt !== null &&
          Math.abs(ctx.sampleTs - track.ignoredAt) <= ctx.ruleSet.eventTime.maxGapMs;
        track.ignoredAt = ctx.sampleTs;
        if (!sameRun) {
          track.ignoredReason = ignored;
          recordIgnored(ctx, spec.kind, input.deviceId, ctx.sampleTs, {
            reason: `ignored_${ignored}`,
            message: `${spec.label} ${value} ${spec.unit} ignored: ${IGNORED_READING_MESSAGES[ignored]}`,
            details: { value, deviceId: input.deviceId, ts: ctx.sampleTs },
          });
        }
        return;
      }
      if (!track) track = vitals[id] = newTrack(ctx.sampleTs);
      // What the step may overwrite, for the journal (locals: no object per sample).
      const reference = track.value;
      const lastAt = track.at;
      const jumpSince = track.jumpSince;
      const jumpValue = track.jumpValue;
      const pending = pendingSince(track);
      const step = advanceTrack(
        track,
        value,
        ctx.sampleTs,
        ctx.sampleMaxGapMs,
        rule,
        neutral,
        ctx.ruleSet.artefacts.jumpConfirmMs,
      );
      if (step === 'accepted' || step === 'jump_pending' || !rule.enabled) return;
      if (step === 'gap') {
        recordIgnored(ctx, spec.kind, input.deviceId, pending!, {
          reason: 'hold_gap',
          message: `${spec.label}: ${IGNORED_READING_MESSAGES.hold_gap} (${Math.round((ctx.sampleTs - lastAt) / 1000)} s without a sample)`,
          details: {
            deviceId: input.deviceId,
            lastSampleTs: lastAt,
            nextSampleTs: ctx.sampleTs,
            maxGapMs: ctx.sampleMaxGapMs,
          },
        });
      } else if (
        jumpValue !== null &&
        isAbnormal(jumpValue, rule) &&
        !(spec.ignores?.(jumpValue, ctx.ruleSet) ?? false)
      ) {
        recordIgnored(ctx, spec.kind, input.deviceId, jumpSince!, {
          reason: 'ignored_implausible_jump',
          message: `${spec.label} ${jumpValue} ${spec.unit} ignored: ${IGNORED_READING_MESSAGES.implausible_jump}`,
          details: { value: jumpValue, from: reference, deviceId: input.deviceId, ts: jumpSince, backTo: value },
        });
      }
    },

    check(ctx) {
      const rule = ctx.ruleSet[spec.section];
      const episode = getEpisode(ctx, spec.kind);
      const fired = firedTier(ctx, rule);
      if (fired && rule.enabled) {
        const finding = {
          reason: `${spec.kind}_${breachDirection(fired.track.value!, rule[fired.tier]!)}`,
          message: `${spec.label} ${fired.track.value} ${spec.unit} beyond the ${fired.tier} band for ${Math.round((fired.track.acceptedAt - fired.since) / 1000)} s`,
          details: {
            value: fired.track.value,
            deviceId: fired.deviceId,
            low: rule[fired.tier]!.low,
            high: rule[fired.tier]!.high,
            forMs: rule[fired.tier]!.forMs,
            since: fired.since,
            lastSampleTs: fired.track.acceptedAt,
          },
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
        clearEpisode(ctx, episode, {
          reason: `${spec.kind}_normal`,
          message: `${spec.label} back to normal`,
          details: { value: firstValue(ctx) },
        });
      }
    },
  };

  /** The worst tier shown for its `forMs` (and `minSamples`) by any device, the longest-held one first. */
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
        if (
          since !== null &&
          track.acceptedAt - since >= band.forMs &&
          track[SAMPLES[tier]] >= rule.minSamples &&
          (!best || since < best.since)
        ) {
          best = { tier, since, track, deviceId: id.slice(prefix.length) };
        }
      }
      if (best) return best;
    }
    return null;
  }

  /** No device breaches any tier, and at least one has been shown back inside the clear band for `clearForMs`. */
  function isRecovered(ctx: EvalContext, rule: VitalRule): boolean {
    const vitals = ctx.state.vitals;
    let any = false;
    let cleared = false;
    for (const id in vitals) {
      if (!isOwn(id)) continue;
      const t = vitals[id];
      if (t.majorSince !== null || t.criticalSince !== null) return false;
      if (t.value === null) continue;
      any = true;
      if (t.clearSince !== null && t.acceptedAt - t.clearSince >= rule.clearForMs) cleared = true;
    }
    return any && cleared;
  }

  function firstValue(ctx: EvalContext): number | null {
    for (const id in ctx.state.vitals)
      if (isOwn(id) && ctx.state.vitals[id].value !== null) return ctx.state.vitals[id].value;
    return null;
  }
}

function pendingSince(track: VitalTrack): number | null {
  const { majorSince, criticalSince } = track;
  if (majorSince === null) return criticalSince;
  return criticalSince === null ? majorSince : Math.min(majorSince, criticalSince);
}

function breachDirection(value: number, band: VitalBand): 'low' | 'high' {
  return band.low !== null && value <= band.low ? 'low' : 'high';
}
