// Test helper (not exported): drives one bed like the live scheduler would, with a manual clock.
import { DEFAULT_RULE_SET } from '../config/default-rule-set';
import { mergeRuleSets } from '../config/merge-rule-set';
import type { RuleSet, RuleSetOverride } from '../config/rule-set';
import { evaluate, nextDeadline } from '../engine/evaluate';
import { initialBedState, type BedRuleState, type InitialDevice } from '../model/bed-state';
import type { RuleAction } from '../model/rule-action';
import type { DeviceEventType, MattressTelemetryInput, RuleInput, WearableTelemetryInput } from '../model/rule-input';
import type { RuleKind } from '../model/rule-kind';
import { ManualClock } from '../time/manual-clock';
import { fromLocal } from '../time/zoned-time';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** 2025-01-15 12:00 in Asia/Shanghai (UTC+8): daytime, outside the night window. */
export const NOON_SHANGHAI = Date.UTC(2025, 0, 15, 4, 0);

type Mattress = Omit<MattressTelemetryInput, 'type' | 'deviceKind' | 'deviceId'>;
type Wearable = Omit<WearableTelemetryInput, 'type' | 'deviceKind' | 'deviceId'>;

export interface HarnessOptions {
  overrides?: RuleSetOverride;
  start?: number;
  /** Devices known at start (not warming up). Default: mattress m1 only. */
  devices?: Array<Omit<InitialDevice, 'lastSeenAt'>>;
  bedId?: string;
}

export class BedHarness {
  readonly ruleSet: RuleSet;
  readonly clock: ManualClock;
  state: BedRuleState;
  /** Every action so far, in order. */
  readonly log: RuleAction[] = [];

  constructor(options: HarnessOptions = {}) {
    this.ruleSet = mergeRuleSets(DEFAULT_RULE_SET, options.overrides);
    this.clock = new ManualClock(options.start ?? NOON_SHANGHAI);
    const devices = (options.devices ?? [{ id: 'm1', kind: 'mattress' }]).map((d) => ({
      ...d,
      lastSeenAt: this.clock.now(),
    }));
    this.state = initialBedState(options.bedId ?? 'bed-1', { devices });
    // A fresh state has no timers yet: one tick arms them, as the live service does when it adopts a bed.
    this.send({ type: 'tick' });
  }

  get now(): number {
    return this.clock.now();
  }

  send(input: RuleInput): RuleAction[] {
    const result = evaluate(this.ruleSet, this.state, input, this.clock.now());
    this.state = result.state;
    this.log.push(...result.actions);
    return result.actions;
  }

  /** Moves time forward, ticking at every deadline on the way, like the one-timer-per-bed scheduler. */
  advance(ms: number): RuleAction[] {
    return this.advanceTo(this.clock.now() + ms);
  }

  advanceTo(target: number): RuleAction[] {
    const out: RuleAction[] = [];
    for (let d = nextDeadline(this.state); d !== null && d <= target; d = nextDeadline(this.state)) {
      this.clock.set(d);
      out.push(...this.send({ type: 'tick' }));
    }
    this.clock.set(target);
    return out;
  }

  mattress(sample: Mattress, deviceId = 'm1'): RuleAction[] {
    return this.send({ type: 'telemetry', deviceKind: 'mattress', deviceId, ...sample });
  }

  wearable(sample: Wearable, deviceId = 'w1'): RuleAction[] {
    return this.send({ type: 'telemetry', deviceKind: 'wearable', deviceId, ...sample });
  }

  event(event: DeviceEventType, deviceId = 'b1', extra: { eventId?: string; motionless?: boolean } = {}): RuleAction[] {
    return this.send({ type: 'event', event, deviceId, ...extra });
  }

  /** Sends the same mattress sample every `everyMs` for `durationMs` (first one now), ticking in between. */
  holdMattress(sample: Mattress, durationMs: number, everyMs = 5 * SECOND, deviceId = 'm1'): RuleAction[] {
    const out: RuleAction[] = [];
    const end = this.clock.now() + durationMs;
    out.push(...this.mattress(sample, deviceId));
    while (this.clock.now() + everyMs <= end) {
      out.push(...this.advance(everyMs));
      out.push(...this.mattress(sample, deviceId));
    }
    out.push(...this.advanceTo(end));
    return out;
  }

  holdWearable(sample: Wearable, durationMs: number, everyMs = 5 * SECOND, deviceId = 'w1'): RuleAction[] {
    const out: RuleAction[] = [];
    const end = this.clock.now() + durationMs;
    out.push(...this.wearable(sample, deviceId));
    while (this.clock.now() + everyMs <= end) {
      out.push(...this.advance(everyMs));
      out.push(...this.wearable(sample, deviceId));
    }
    out.push(...this.advanceTo(end));
    return out;
  }

  /**
   * Delivers samples that carry their own `ts` the way a device uploads them: every `uploadEveryMs`
   * (counted from the first sample) one message with the samples taken in that period, arriving
   * `delayMs` after the period ends; `uploadEveryMs` 0 streams each sample alone, `delayMs` after its
   * `ts`. Timers fire on the way, as with the live scheduler.
   */
  deliver(samples: readonly TimedSample[], options: { uploadEveryMs?: number; delayMs?: number } = {}): RuleAction[] {
    const { uploadEveryMs = 0, delayMs = 0 } = options;
    const out: RuleAction[] = [];
    if (samples.length === 0) return out;
    const first = samples[0].ts;
    const arrival = (ts: number) =>
      (uploadEveryMs === 0 ? ts : first + (Math.floor((ts - first) / uploadEveryMs) + 1) * uploadEveryMs) + delayMs;
    for (let i = 0; i < samples.length;) {
      const at = arrival(samples[i].ts);
      out.push(...this.advanceTo(Math.max(at, this.now)));
      for (; i < samples.length && arrival(samples[i].ts) === at; i++) out.push(...this.send(samples[i]));
    }
    return out;
  }

  raises(kind?: RuleKind): Extract<RuleAction, { type: 'raise' }>[] {
    return this.log.filter(
      (a): a is Extract<RuleAction, { type: 'raise' }> => a.type === 'raise' && (!kind || a.kind === kind),
    );
  }

  ofType<T extends RuleAction['type']>(type: T, kind?: RuleKind): Extract<RuleAction, { type: T }>[] {
    return this.log.filter((a): a is Extract<RuleAction, { type: T }> => a.type === type && (!kind || a.kind === kind));
  }
}

export type TimedSample = (MattressTelemetryInput | WearableTelemetryInput) & { ts: number };

/** `count` samples of one device every `everyMs` from `from`; `fields(i)` gives sample i's readings. */
export function series(
  device: { deviceKind: 'mattress' | 'wearable'; deviceId?: string },
  from: number,
  everyMs: number,
  count: number,
  fields: (i: number) => Mattress | Wearable,
): TimedSample[] {
  const deviceId = device.deviceId ?? (device.deviceKind === 'mattress' ? 'm1' : 'w1');
  const out: TimedSample[] = [];
  for (let i = 0; i < count; i++)
    out.push({
      type: 'telemetry',
      deviceKind: device.deviceKind,
      deviceId,
      ...fields(i),
      ts: from + i * everyMs,
    });
  return out;
}

/** Instant of a local "YYYY-MM-DDTHH:MM" in a zone. */
export function localTime(timeZone: string, iso: string): number {
  const [date, time] = iso.split('T') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return fromLocal({ year, month, day, hour, minute }, timeZone);
}
