import type { Alarm, Time } from '../api/types';

/**
 * When it happened, which is what an age should count from: a fall is raised only after its
 * cancel window, so its own moment is the detection; other alarms from when they were raised.
 */
export function eventTime(alarm: Alarm): Time {
  if (alarm.kind !== 'fall') return alarm.raisedAt;
  const detected = (alarm.details as { detectedAt?: unknown } | null | undefined)?.detectedAt;
  return typeof detected === 'number' || typeof detected === 'string' ? detected : (alarm.startedAt ?? alarm.raisedAt);
}
