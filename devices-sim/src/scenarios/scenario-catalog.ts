import { eventScenarios } from './event.scenarios';
import { malformedScenario } from './malformed.scenario';
import { nightAbsenceScenario } from './night-absence.scenario';
import type { ScenarioDefinition } from './scenario-definition';
import { vitalSignScenarios } from './vital-sign.scenarios';

export const SCENARIOS: ScenarioDefinition[] = [
  ...eventScenarios,
  nightAbsenceScenario,
  ...vitalSignScenarios,
  malformedScenario,
];

export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
