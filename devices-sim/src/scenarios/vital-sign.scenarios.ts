import type { AnySample } from '../models/model.types';
import { HUB_RULES, MARGIN_MS, type ScenarioDefinition } from './scenario-definition';

const warm = 5_000 + HUB_RULES.warmupMs;

function mattressVital(name: string, summary: string, alarmKind: string, forMs: number, override: (s: AnySample) => AnySample, what: string): ScenarioDefinition {
  return {
    name, summary, devices: ['mattress'],
    expect: () => ({ type: 'alarm', kind: alarmKind, note: `${what} held ${forMs / 1000} s after the ${HUB_RULES.warmupMs / 1000} s sensor warm-up` }),
    estimateMs: () => warm + forMs + MARGIN_MS,
    run: async (ctx) => {
      const inBed = (s: AnySample) => ({ ...s, inBed: true, heartRate: 62, respirationRate: 14, movement: 2, signalQuality: 90 }) as AnySample;
      await ctx.phase('in bed, normal vitals (hub warm-up)', warm, { kinds: ['mattress'], hold: true, override: { mattress: inBed } });
      await ctx.phase(what, forMs + MARGIN_MS, { kinds: ['mattress'], hold: true, untilDone: true, override: { mattress: (s) => override(inBed(s)) } });
      await ctx.phase('back to normal', 5_000, { kinds: ['mattress'], hold: false, override: { mattress: inBed } });
    },
  };
}

export const vitalSignScenarios: ScenarioDefinition[] = [
  mattressVital('bradycardia', 'heart rate 36 bpm in bed (critical below 40 for 30 s)', 'heart_rate', HUB_RULES.heartRateCriticalForMs,
    (s) => ({ ...s, heartRate: 36 }) as AnySample, 'heart rate 36 bpm'),
  mattressVital('tachycardia', 'heart rate 148 bpm in bed (critical above 140 for 30 s)', 'heart_rate', HUB_RULES.heartRateCriticalForMs,
    (s) => ({ ...s, heartRate: 148 }) as AnySample, 'heart rate 148 bpm'),
  mattressVital('apnea', 'no breathing detected in bed (respiration 0 for 30 s)', 'apnea', HUB_RULES.apneaForMs,
    (s) => ({ ...s, respirationRate: 0, movement: 0 }) as AnySample, 'respiration rate 0 /min'),
  {
    name: 'low-spo2', summary: 'wearable SpO2 88 % (major at or below 91 % for 60 s)', devices: ['wearable'],
    expect: () => ({ type: 'alarm', kind: 'spo2', note: `SpO2 88 % held ${HUB_RULES.spo2ForMs / 1000} s after warm-up` }),
    estimateMs: () => warm + HUB_RULES.spo2ForMs + MARGIN_MS,
    run: async (ctx) => {
      const worn = (s: AnySample) => ({ ...s, worn: true, heartRate: 74, spo2: 97, steps: 0, battery: 80 }) as AnySample;
      await ctx.phase('worn, SpO2 97 % (hub warm-up)', warm, { kinds: ['wearable'], hold: true, override: { wearable: worn } });
      await ctx.phase('SpO2 88 %', HUB_RULES.spo2ForMs + MARGIN_MS, { kinds: ['wearable'], hold: true, untilDone: true, override: { wearable: (s) => ({ ...worn(s), spo2: 88 }) as AnySample } });
    },
  },
];
