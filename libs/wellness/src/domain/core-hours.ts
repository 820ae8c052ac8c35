import { toLocal } from '@bedside/rules';

/** Whether the instant falls in the night's core hours, in the household's time zone (the range may cross midnight). */
export function inCoreHours(
  epochMs: number,
  timeZone: string,
  def: { coreStartHour: number; coreEndHour: number },
): boolean {
  const hour = toLocal(epochMs, timeZone).hour;
  return def.coreStartHour <= def.coreEndHour
    ? hour >= def.coreStartHour && hour < def.coreEndHour
    : hour >= def.coreStartHour || hour < def.coreEndHour;
}
