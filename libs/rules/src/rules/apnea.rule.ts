import { vitalSignRule } from './vital-sign.rule';

/** No breathing (respiration rate at or below the critical band's `low`, default 0) while in bed. */
export const apneaRule = vitalSignRule({
  kind: 'apnea',
  section: 'apnea',
  field: 'respirationRate',
  sources: ['mattress'],
  label: 'respiration rate',
  unit: '/min',
});
