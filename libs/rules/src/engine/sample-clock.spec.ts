import { DEFAULT_RULE_SET } from '../config/default-rule-set';
import { initialBedState } from '../model/bed-state';
import type { EvalContext } from './eval-context';
import { maxGapMs, placeSample } from './sample-clock';

const eventTime = DEFAULT_RULE_SET.eventTime;

function context(): { ctx: EvalContext; device: EvalContext['state']['devices'][string] } {
  const state = initialBedState('bed-1', { devices: [{ id: 'm1', kind: 'mattress', lastSeenAt: 0 }] });
  const ctx: EvalContext = {
    ruleSet: DEFAULT_RULE_SET,
    state,
    now: 0,
    actions: [],
    sampleTs: 0,
    sampleLate: false,
    sampleMaxGapMs: 0,
  };
  return { ctx, device: state.devices['m1'] };
}

describe('sample clock', () => {
  it.each`
    interval  | limit
    ${null}   | ${60_000}
    ${1_000}  | ${5_000}
    ${15_000} | ${30_000}
    ${45_000} | ${60_000}
  `('a device sampling every $interval ms may pause $limit ms', ({ interval, limit }) => {
    expect(maxGapMs(eventTime, interval)).toBe(limit);
  });

  it('learns the interval from sample times only, ignoring outages and repeated ts', () => {
    const { ctx, device } = context();
    for (const ts of [0, 15_000, 30_000, 30_000, 45_000, 600_000, 615_000]) placeSample(ctx, device, ts);
    expect(device.sampleIntervalMs).toBe(15_000);
    expect(ctx.sampleMaxGapMs).toBe(30_000);
    expect(device.lastSampleTs).toBe(615_000);
  });

  it('marks older samples late without moving the watermark; a much older one starts a new timeline', () => {
    const { ctx, device } = context();
    placeSample(ctx, device, 1_000_000);
    expect(placeSample(ctx, device, 999_000)).toBe(false);
    expect(ctx.sampleLate).toBe(true);
    expect(device.lastSampleTs).toBe(1_000_000);
    expect(placeSample(ctx, device, 1_000_000 - eventTime.clockResetMs - 1)).toBe(true);
    expect(ctx.sampleLate).toBe(false);
    expect(device.lastSampleTs).toBe(1_000_000 - eventTime.clockResetMs - 1);
  });
});
