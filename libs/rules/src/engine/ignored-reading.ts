import type { TelemetryInput } from '../model/rule-input';
import type { RuleKind } from '../model/rule-kind';
import type { EvalContext } from './eval-context';

export type IgnoredReading = 'late' | 'settling' | 'low_signal' | 'motion' | 'poor_signal';

export const IGNORED_READING_MESSAGES: Record<IgnoredReading | 'implausible_jump' | 'hold_gap', string> = {
  late: 'sample older than one already evaluated',
  settling: 'mattress settling after someone lay down',
  low_signal: 'signal quality too low',
  motion: 'SpO2 measured while moving',
  poor_signal: 'SpO2 signal too weak (poor perfusion or fit)',
  implausible_jump: 'implausible jump that did not persist',
  hold_gap: 'no samples long enough to tell: pending condition dropped',
};

/**
 * Why a reading of the resident cannot be trusted, or null. Such a reading counts as missing: it neither
 * confirms nor ends a pending condition, and the gap rule decides whether what was pending survives it.
 * Runs after vitalSuppression() (device online, bed occupied, wearable worn).
 */
export function ignoredReading(ctx: EvalContext, kind: RuleKind, input: TelemetryInput): IgnoredReading | null {
  if (ctx.sampleLate) return 'late';
  const { ruleSet } = ctx;
  if (input.deviceKind === 'mattress') {
    const inBedSince = ctx.state.devices[input.deviceId]?.inBedSince ?? null;
    if (inBedSince !== null && ctx.sampleTs - inBedSince < ruleSet.artefacts.settleAfterInBedMs) return 'settling';
  }
  const quality = input.signalQuality;
  if (typeof quality === 'number' && quality < ruleSet.suppression.minSignalQuality) return 'low_signal';
  if (kind === 'spo2') {
    const spo2 = ruleSet.artefacts.spo2;
    const movement = input.movement;
    if (spo2.maxMovement !== null && typeof movement === 'number' && movement > spo2.maxMovement) return 'motion';
    if (typeof quality === 'number' && quality < spo2.minSignalQuality) return 'poor_signal';
  }
  return null;
}
