import type { AnySample } from '../models/model.types';
import { FAST_RULES, HUB_RULES, leadIn, type ScenarioDefinition, type ScenarioOptions } from './scenario-definition';

const worn = (s: AnySample) => ({ ...s, worn: true, heartRate: 78, spo2: 97, battery: 80 }) as AnySample;
const sec = (ms: number) => `${+(ms / 1000).toFixed(1)} s`;

/** The resident cancels a third of the way into the cancel window (10 s of the default 30 s). */
const cancelAfterMs = (o: ScenarioOptions) => Math.round(o.rules.fallCancelWindowMs / 3);

export const eventScenarios: ScenarioDefinition[] = [
  {
    name: 'fall',
    summary: 'wearable detects a fall; not cancelled (--cancelled: the resident cancels within the window)',
    devices: ['wearable'],
    expect: (o) =>
      o.cancelled
        ? {
            type: 'no-alarm',
            kind: 'fall',
            note: `cancelled ${sec(cancelAfterMs(o))} after detection, inside the ${sec(o.rules.fallCancelWindowMs)} window`,
          }
        : {
            type: 'alarm',
            kind: 'fall',
            severity: 'critical',
            note: `raised when the ${sec(o.rules.fallCancelWindowMs)} cancel window ends`,
          },
    estimateMs: (o) => leadIn(o, 20_000) + o.rules.fallCancelWindowMs + o.marginMs,
    fastRules: () => ({ fall: { cancelWindowMs: FAST_RULES.fallCancelWindowMs } }),
    run: async (ctx, o) => {
      await ctx.phase('walking, wearable worn', leadIn(o, 20_000), {
        kinds: ['wearable'],
        hold: false,
        override: { wearable: (s) => ({ ...worn(s), steps: 2 }) },
      });
      await ctx.event('wearable', 'fall.detected', { confidence: 0.93 });
      if (o.cancelled) {
        await ctx.phase('on the floor, resident reaches for the cancel', cancelAfterMs(o), {
          kinds: ['wearable'],
          hold: true,
          override: { wearable: (s) => ({ ...worn(s), steps: 0 }) },
        });
        await ctx.event('wearable', 'fall.cancelled');
        await ctx.phase(
          'cancel window runs out, no alarm expected',
          o.rules.fallCancelWindowMs - cancelAfterMs(o) + o.marginMs,
          { kinds: ['wearable'], hold: true, untilDone: true, override: { wearable: worn } },
        );
      } else {
        await ctx.phase('on the floor, no cancel', o.rules.fallCancelWindowMs + o.marginMs, {
          kinds: ['wearable'],
          hold: true,
          untilDone: true,
          override: { wearable: (s) => ({ ...worn(s), steps: 0 }) },
        });
      }
    },
  },
  {
    name: 'sos',
    summary: 'call button pressed',
    devices: ['button'],
    expect: () => ({ type: 'alarm', kind: 'sos', severity: 'critical', note: 'raised at once' }),
    estimateMs: (o) => leadIn(o, 5_000) + 15_000,
    fastRules: () => null,
    run: async (ctx, o) => {
      await ctx.phase('button idle', leadIn(o, 5_000), { kinds: ['button'], hold: false });
      await ctx.event('button', 'button.pressed');
      await ctx.wait('for the SOS alarm', 15_000, true);
    },
  },
  {
    name: 'low-battery',
    summary: `button battery falls to ${HUB_RULES.lowBatteryThreshold - 1} % (warning at or below ${HUB_RULES.lowBatteryThreshold} %)`,
    devices: ['button'],
    expect: (o) => ({
      type: 'alarm',
      kind: 'low_battery',
      severity: 'warning',
      device: 'button',
      note: `battery at or below ${o.rules.lowBatteryThreshold} %`,
    }),
    estimateMs: (o) => 7 * (o.fast ? 1_000 : 2_000) + 15_000,
    fastRules: () => null,
    run: async (ctx, o) => {
      const t = o.rules.lowBatteryThreshold;
      const step = o.fast ? 1_000 : 2_000;
      for (let b = t + 5; b >= t - 1; b--) {
        await ctx.phase(`battery ${b} %`, step, {
          kinds: ['button'],
          hold: false,
          override: { button: (s) => ({ ...s, battery: b }) },
        });
        if (ctx.done.aborted) return;
      }
      await ctx.phase(`battery ${t - 1} %, waiting for the alarm`, 15_000, {
        kinds: ['button'],
        hold: true,
        untilDone: true,
        override: { button: (s) => ({ ...s, battery: t - 1 }) },
      });
    },
  },
  {
    name: 'offline-lwt',
    summary: 'wearable drops its TCP connection; the broker publishes its Last Will {"state":"offline"}',
    devices: ['wearable'],
    expect: (o) => ({
      type: 'alarm',
      kind: 'device_offline',
      severity: 'minor',
      device: 'wearable',
      note: `raised on the Last Will once the wearable stayed offline ${sec(o.rules.offlineGraceMs)}`,
    }),
    estimateMs: (o) => leadIn(o, 10_000) + o.rules.offlineGraceMs + o.marginMs,
    fastRules: () => ({ deviceOffline: { graceMs: FAST_RULES.offlineGraceMs } }),
    run: async (ctx, o) => {
      await ctx.phase('online, streaming', leadIn(o, 10_000), {
        kinds: ['wearable'],
        hold: false,
        override: { wearable: worn },
      });
      ctx.device('wearable').dropConnection();
      ctx.log('wearable TCP connection destroyed without DISCONNECT: the broker must publish the Last Will');
      await ctx.wait('for the offline alarm', o.rules.offlineGraceMs + o.marginMs, true);
    },
  },
  {
    name: 'offline-silence',
    summary: `wearable stays connected but sends nothing (offline after ${HUB_RULES.offlineSilentAfterMs / 60_000} min of silence)`,
    devices: ['wearable'],
    expect: (o) => ({
      type: 'alarm',
      kind: 'device_offline',
      severity: 'minor',
      device: 'wearable',
      note: `raised ${sec(o.rules.offlineSilentAfterMs)} after the last message`,
    }),
    estimateMs: (o) => leadIn(o, 10_000) + o.rules.offlineSilentAfterMs + o.marginMs,
    fastRules: () => ({ deviceOffline: { silentAfterMs: FAST_RULES.offlineSilentAfterMs } }),
    run: async (ctx, o) => {
      await ctx.phase('online, streaming', leadIn(o, 10_000), {
        kinds: ['wearable'],
        hold: false,
        override: { wearable: worn },
      });
      ctx.log('wearable goes silent (connection kept open, only MQTT keep-alive pings)');
      await ctx.wait('silence', o.rules.offlineSilentAfterMs + o.marginMs, true);
    },
  },
];
