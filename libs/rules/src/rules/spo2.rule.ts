import { vitalSignRule } from './vital-sign.rule';

/** Blood oxygen saturation from the wearable. */
export const spo2Rule = vitalSignRule({
  kind: 'spo2',
  section: 'spo2',
  field: 'spo2',
  sources: ['wearable'],
  label: 'SpO2',
  unit: '%',
});
