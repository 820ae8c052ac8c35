import type { RuleSet } from '../config/rule-set';
import type { DeviceState } from '../model/bed-state';
import type { EvalContext } from './eval-context';

// Weight of a new interval in the smoothed sample interval: one odd gap moves it a quarter of the way.
const INTERVAL_WEIGHT = 0.25;

/** The longest gap between two samples of a device that still counts as continuous data. */
export function maxGapMs(eventTime: RuleSet['eventTime'], sampleIntervalMs: number | null): number {
  if (sampleIntervalMs === null) return eventTime.maxGapMs;
  return Math.min(eventTime.maxGapMs, Math.max(eventTime.minGapMs, eventTime.gapFactor * sampleIntervalMs));
}

/**
 * Places a telemetry sample on its device's event-time line (per device: a wearable's batch arrives
 * after the mattress's live samples, yet neither is late). Sets the context's sample fields and
 * advances the device's watermark and sample interval. Returns true when the sample starts a new
 * timeline (the device's clock jumped back, or a backlog older than `clockResetMs` arrived): what
 * the device's samples held so far no longer connects to it.
 */
export function placeSample(ctx: EvalContext, device: DeviceState, ts: number): boolean {
  const eventTime = ctx.ruleSet.eventTime;
  const last = device.lastSampleTs;
  ctx.sampleTs = ts;
  ctx.sampleLate = false;
  let newTimeline = false;
  if (last === null) {
    device.lastSampleTs = ts;
  } else if (ts >= last) {
    const gap = ts - last;
    // Gaps beyond the cap are outages, not the device's cadence; equal ts (no per-sample ts) say nothing.
    if (gap > 0 && gap <= eventTime.maxGapMs) {
      const previous = device.sampleIntervalMs;
      device.sampleIntervalMs = previous === null ? gap : Math.round(previous + (gap - previous) * INTERVAL_WEIGHT);
    }
    device.lastSampleTs = ts;
  } else if (last - ts > eventTime.clockResetMs) {
    device.lastSampleTs = ts;
    newTimeline = true;
  } else {
    ctx.sampleLate = true;
  }
  ctx.sampleMaxGapMs = maxGapMs(eventTime, device.sampleIntervalMs);
  return newTimeline;
}
