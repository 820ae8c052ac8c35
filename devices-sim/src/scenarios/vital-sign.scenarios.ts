import type { AnySample } from '../models/model.types';
import {
  FAST_RULES,
  leadIn,
  type HubRuleTimings,
  type ScenarioDefinition,
  type ScenarioOptions,
} from './scenario-definition';

/** Worn with normal vitals until the hub's sensor warm-up after coming online is over. */
const warm = (o: ScenarioOptions) => leadIn(o, 5_000) + o.rules.warmupMs;
/** In bed with normal vitals until the warm-up and the settling after lying down are over (both count from the first sample). */
const settled = (o: ScenarioOptions) => leadIn(o, 5_000) + Math.max(o.rules.warmupMs, o.rules.settleAfterInBedMs);
const sec = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;

function mattressVital(
  name: string,
  summary: string,
  alarm: { kind: string; severity: string },
  forMs: (r: HubRuleTimings) => number,
  fast: Record<string, unknown>,
  override: (s: AnySample) => AnySample,
  what: string,
): ScenarioDefinition {
  return {
    name,
    summary,
    devices: ['mattress'],
    expect: (o) => ({
      type: 'alarm',
      ...alarm,
      note: `${what} held ${sec(forMs(o.rules))} after the ${sec(Math.max(o.rules.warmupMs, o.rules.settleAfterInBedMs))} sensor warm-up and settling`,
    }),
    estimateMs: (o) => settled(o) + forMs(o.rules) + o.marginMs,
    // A change beyond the rule's maxStep is confirmed before it counts: shortened too, so it stays under the hold.
    fastRules: () => ({
      suppression: { warmupMs: FAST_RULES.warmupMs },
      artefacts: { settleAfterInBedMs: FAST_RULES.settleAfterInBedMs, jumpConfirmMs: FAST_RULES.jumpConfirmMs },
      ...fast,
    }),
    run: async (ctx, o) => {
      const inBed = (s: AnySample) =>
        ({ ...s, inBed: true, heartRate: 62, respirationRate: 14, movement: 2, signalQuality: 90 }) as AnySample;
      await ctx.phase('in bed, normal vitals (hub warm-up and settling)', settled(o), {
        kinds: ['mattress'],
        hold: true,
        override: { mattress: inBed },
      });
      await ctx.phase(what, forMs(o.rules) + o.marginMs, {
        kinds: ['mattress'],
        hold: true,
        untilDone: true,
        override: { mattress: (s) => override(inBed(s)) },
      });
      await ctx.phase('back to normal', leadIn(o, 5_000), {
        kinds: ['mattress'],
        hold: false,
        override: { mattress: inBed },
      });
    },
  };
}

/** Both heart-rate tiers shortened; the critical tier (the one these readings hit) fires first. */
const fastHeartRate = {
  heartRate: {
    major: { forMs: FAST_RULES.heartRateMajorForMs },
    critical: { forMs: FAST_RULES.heartRateCriticalForMs },
  },
};

export const vitalSignScenarios: ScenarioDefinition[] = [
  mattressVital(
    'bradycardia',
    'heart rate 36 bpm in bed (critical at or below 40 for 30 s)',
    { kind: 'heart_rate', severity: 'critical' },
    (r) => r.heartRateCriticalForMs,
    fastHeartRate,
    (s) => ({ ...s, heartRate: 36 }),
    'heart rate 36 bpm',
  ),
  mattressVital(
    'tachycardia',
    'heart rate 148 bpm in bed (critical at or above 140 for 30 s)',
    { kind: 'heart_rate', severity: 'critical' },
    (r) => r.heartRateCriticalForMs,
    fastHeartRate,
    (s) => ({ ...s, heartRate: 148 }),
    'heart rate 148 bpm',
  ),
  mattressVital(
    'apnea',
    'no breathing detected in bed (respiration 0 for 30 s)',
    { kind: 'apnea', severity: 'critical' },
    (r) => r.apneaForMs,
    { apnea: { critical: { forMs: FAST_RULES.apneaForMs } } },
    (s) => ({ ...s, respirationRate: 0, movement: 0 }),
    'respiration rate 0 /min',
  ),
  {
    name: 'low-spo2',
    summary: 'wearable SpO2 88 % (major at or below 91 % for 60 s)',
    devices: ['wearable'],
    expect: (o) => ({
      type: 'alarm',
      kind: 'spo2',
      severity: 'major',
      note: `SpO2 88 % held ${sec(o.rules.spo2ForMs)} after the ${sec(o.rules.warmupMs)} warm-up`,
    }),
    estimateMs: (o) => warm(o) + o.rules.spo2ForMs + o.marginMs,
    fastRules: () => ({
      suppression: { warmupMs: FAST_RULES.warmupMs },
      spo2: { major: { forMs: FAST_RULES.spo2ForMs } },
    }),
    run: async (ctx, o) => {
      const worn = (s: AnySample) =>
        ({ ...s, worn: true, heartRate: 74, spo2: 97, steps: 0, battery: 80 }) as AnySample;
      await ctx.phase('worn, SpO2 97 % (hub warm-up)', warm(o), {
        kinds: ['wearable'],
        hold: true,
        override: { wearable: worn },
      });
      await ctx.phase('SpO2 88 %', o.rules.spo2ForMs + o.marginMs, {
        kinds: ['wearable'],
        hold: true,
        untilDone: true,
        override: { wearable: (s) => ({ ...worn(s), spo2: 88 }) },
      });
    },
  },
];
