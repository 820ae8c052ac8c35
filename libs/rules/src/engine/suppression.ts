import type { BedRuleState } from '../model/bed-state';
import type { TelemetryInput } from '../model/rule-input';
import type { RuleSet } from '../config/rule-set';

export type VitalSuppression = 'device_offline' | 'warming_up' | 'bed_empty' | 'not_worn' | 'low_signal';

/**
 * Why vital signs in this sample must not drive alarms, or null when they may. Readings from an empty
 * mattress, a wearable off the body, a weak signal or a sensor still settling are noise, not symptoms.
 */
export function vitalSuppression(ruleSet: RuleSet, state: BedRuleState, input: TelemetryInput, now: number): VitalSuppression | null {
  const device = state.devices[input.deviceId];
  if (!device || !device.online) return 'device_offline';
  if (now - device.onlineSince < ruleSet.suppression.warmupMs) return 'warming_up';
  if (input.deviceKind === 'mattress') {
    const inBed = typeof input.inBed === 'boolean' ? input.inBed : state.presence.inBed;
    if (inBed !== true) return 'bed_empty';
  } else {
    const worn = typeof input.worn === 'boolean' ? input.worn : device.worn;
    if (worn === false) return 'not_worn';
  }
  if (typeof input.signalQuality === 'number' && input.signalQuality < ruleSet.suppression.minSignalQuality) return 'low_signal';
  return null;
}
