import { vitalSignRule } from './vital-sign.rule';

/** Heart rate from the mattress (in bed) and from the wearable (worn). */
export const heartRateRule = vitalSignRule({
  kind: 'heart_rate',
  section: 'heartRate',
  field: 'heartRate',
  sources: ['mattress', 'wearable'],
  label: 'heart rate',
  unit: 'bpm',
});
