import type { BedRuleState } from '../model/bed-state';
import type { TelemetryInput } from '../model/rule-input';
import type { RuleSet } from '../config/rule-set';

export type VitalSuppression = 'device_offline' | 'warming_up' | 'bed_empty' | 'not_worn';

/**
 * Why vital signs in this sample are not the resident's at all, or null when they may be. Readings from
 * an empty mattress, a wearable off the body or a sensor just powered on say nothing about the resident:
 * what the device held so far is dropped (pending conditions start again). Compare ignoredReading(),
 * for readings of the resident that cannot be trusted.
 */
export function vitalSuppression(
  ruleSet: RuleSet,
  state: BedRuleState,
  input: TelemetryInput,
  now: number,
): VitalSuppression | null {
  const device = state.devices[input.deviceId];
  if (!device || !device.online) return 'device_offline';
  const ts = input.ts ?? now;
  if (device.warmupFromTs === null || ts - device.warmupFromTs < ruleSet.suppression.warmupMs) return 'warming_up';
  if (input.deviceKind === 'mattress') {
    const inBed = typeof input.inBed === 'boolean' ? input.inBed : state.presence.inBed;
    if (inBed !== true) return 'bed_empty';
  } else {
    const worn = typeof input.worn === 'boolean' ? input.worn : device.worn;
    if (worn === false) return 'not_worn';
  }
  return null;
}
