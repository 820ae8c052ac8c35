import { vitalSignRule } from './vital-sign.rule';

/** Respiration rate from the mattress. A rate of 0 belongs to the apnea rule while it is enabled (one alarm, not two). */
export const respirationRule = vitalSignRule({
  kind: 'respiration',
  section: 'respiration',
  field: 'respirationRate',
  sources: ['mattress'],
  label: 'respiration rate',
  unit: '/min',
  ignores: (value, ruleSet) => value === 0 && ruleSet.apnea.enabled,
});
