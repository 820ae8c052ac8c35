import type { AnySample } from '../models/model.types';
import { HUB_RULES, MARGIN_MS, type ScenarioDefinition } from './scenario-definition';

const worn = (s: AnySample) => ({ ...s, worn: true, heartRate: 78, spo2: 97, battery: 80 }) as AnySample;

export const eventScenarios: ScenarioDefinition[] = [
  {
    name: 'fall', summary: 'wearable detects a fall; not cancelled (--cancelled: the resident cancels within the window)', devices: ['wearable'],
    expect: (o) => o.cancelled
      ? { type: 'no-alarm', kind: 'fall', note: `cancelled 10 s after detection, inside the ${HUB_RULES.fallCancelWindowMs / 1000} s window` }
      : { type: 'alarm', kind: 'fall', note: `raised when the ${HUB_RULES.fallCancelWindowMs / 1000} s cancel window ends` },
    estimateMs: () => 20_000 + HUB_RULES.fallCancelWindowMs + MARGIN_MS,
    run: async (ctx, o) => {
      await ctx.phase('walking, wearable worn', 20_000, { kinds: ['wearable'], hold: false, override: { wearable: (s) => ({ ...worn(s), steps: 2 }) as AnySample } });
      await ctx.event('wearable', 'fall.detected', { confidence: 0.93 });
      if (o.cancelled) {
        await ctx.phase('on the floor, resident reaches for the cancel', 10_000, { kinds: ['wearable'], hold: true, override: { wearable: (s) => ({ ...worn(s), steps: 0 }) as AnySample } });
        await ctx.event('wearable', 'fall.cancelled');
        await ctx.phase('cancel window runs out, no alarm expected', HUB_RULES.fallCancelWindowMs - 10_000 + MARGIN_MS, { kinds: ['wearable'], hold: true, untilDone: true, override: { wearable: worn } });
      } else {
        await ctx.phase('on the floor, no cancel', HUB_RULES.fallCancelWindowMs + MARGIN_MS, { kinds: ['wearable'], hold: true, untilDone: true, override: { wearable: (s) => ({ ...worn(s), steps: 0 }) as AnySample } });
      }
    },
  },
  {
    name: 'sos', summary: 'call button pressed', devices: ['button'],
    expect: () => ({ type: 'alarm', kind: 'sos', note: 'raised at once' }),
    estimateMs: () => 5_000 + 15_000,
    run: async (ctx) => {
      await ctx.phase('button idle', 5_000, { kinds: ['button'], hold: false });
      await ctx.event('button', 'button.pressed');
      await ctx.wait('for the SOS alarm', 15_000, true);
    },
  },
  {
    name: 'low-battery', summary: `button battery falls to ${HUB_RULES.lowBatteryThreshold - 1} % (warning at or below ${HUB_RULES.lowBatteryThreshold} %)`, devices: ['button'],
    expect: () => ({ type: 'alarm', kind: 'low_battery', note: `battery at or below ${HUB_RULES.lowBatteryThreshold} %` }),
    estimateMs: () => 6 * 2_000 + 15_000,
    run: async (ctx) => {
      for (let b = HUB_RULES.lowBatteryThreshold + 5; b >= HUB_RULES.lowBatteryThreshold - 1; b--) {
        await ctx.phase(`battery ${b} %`, 2_000, { kinds: ['button'], hold: false, override: { button: (s) => ({ ...s, battery: b }) as AnySample } });
      }
      await ctx.phase(`battery ${HUB_RULES.lowBatteryThreshold - 1} %, waiting for the alarm`, 15_000, { kinds: ['button'], hold: true, untilDone: true, override: { button: (s) => ({ ...s, battery: HUB_RULES.lowBatteryThreshold - 1 }) as AnySample } });
    },
  },
  {
    name: 'offline-lwt', summary: 'wearable drops its TCP connection; the broker publishes its Last Will {"state":"offline"}', devices: ['wearable'],
    expect: () => ({ type: 'alarm', kind: 'device_offline', note: 'raised at once on the Last Will' }),
    estimateMs: () => 10_000 + 20_000,
    run: async (ctx) => {
      await ctx.phase('online, streaming', 10_000, { kinds: ['wearable'], hold: false, override: { wearable: worn } });
      ctx.device('wearable').dropConnection();
      ctx.log('wearable TCP connection destroyed without DISCONNECT: the broker must publish the Last Will');
      await ctx.wait('for the offline alarm', 20_000, true);
    },
  },
  {
    name: 'offline-silence', summary: `wearable stays connected but sends nothing (offline after ${HUB_RULES.offlineSilentAfterMs / 60_000} min of silence)`, devices: ['wearable'],
    expect: () => ({ type: 'alarm', kind: 'device_offline', note: `raised ${HUB_RULES.offlineSilentAfterMs / 60_000} min after the last message` }),
    estimateMs: () => 10_000 + HUB_RULES.offlineSilentAfterMs + MARGIN_MS,
    run: async (ctx) => {
      await ctx.phase('online, streaming', 10_000, { kinds: ['wearable'], hold: false, override: { wearable: worn } });
      ctx.log('wearable goes silent (connection kept open, only MQTT keep-alive pings)');
      await ctx.wait('silence', HUB_RULES.offlineSilentAfterMs + MARGIN_MS, true);
    },
  },
];
