import type { AnySample } from '../models/model.types';
import { fmtMs } from '../cli/output';
import { FAST_RULES, HUB_RULES, leadIn, type ScenarioDefinition } from './scenario-definition';

/**
 * A fixed-offset IANA zone (Etc/GMT±N) in which it is about 23:00 now, so the hub's night window
 * (22:00-06:00 local by default) is open while the scenario runs at any hour.
 */
export function zoneWhereItIsNight(now = Date.now()): string {
  const utcHour = new Date(now).getUTCHours();
  let offset = (((23 - utcHour) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  // IANA's Etc zones have inverted signs: Etc/GMT-8 is UTC+8.
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export const nightAbsenceScenario: ScenarioDefinition = {
  name: 'night-absence',
  summary: `out of bed at night and not back within ${HUB_RULES.nightReturnWithinMs / 60_000} min`,
  devices: ['mattress'],
  timeZone: () => zoneWhereItIsNight(),
  expect: (o) => ({
    type: 'alarm',
    kind: 'bed_exit',
    severity: 'major',
    note: `raised ${fmtMs(o.rules.nightReturnWithinMs)} after the exit, inside the night window (household provisioned in a zone where it is ~23:00 now)`,
  }),
  estimateMs: (o) => leadIn(o, 30_000) + o.rules.nightReturnWithinMs + o.marginMs + o.rules.presenceDebounceMs + 5_000,
  fastRules: () => ({
    bedExit: { returnWithinMs: FAST_RULES.nightReturnWithinMs },
    presence: { returnDebounceMs: FAST_RULES.presenceDebounceMs },
  }),
  run: async (ctx, o) => {
    const inBed = (s: AnySample) =>
      ({ ...s, inBed: true, heartRate: 58, respirationRate: 13, movement: 1, signalQuality: 88 }) as AnySample;
    await ctx.phase('asleep in bed', leadIn(o, 30_000), {
      kinds: ['mattress'],
      hold: false,
      override: { mattress: inBed },
    });
    await ctx.event('mattress', 'bed.exit');
    await ctx.phase('bed empty', o.rules.nightReturnWithinMs + o.marginMs, {
      kinds: ['mattress'],
      hold: true,
      untilDone: true,
      override: { mattress: (s) => ({ ts: s.ts, inBed: false, movement: 0 }) },
    });
    await ctx.event('mattress', 'bed.return');
    await ctx.phase('back in bed (the alarm clears after the return debounce)', o.rules.presenceDebounceMs + 5_000, {
      kinds: ['mattress'],
      hold: true,
      override: { mattress: inBed },
    });
  },
};
