import { endpoints } from '../api/endpoints';

/** Alarms this tab has already confirmed as displayed (once each is enough). */
const confirmed = new Set<string>();

/**
 * Tells the hub an operator can see the alarm, so it does not escalate as unseen.
 * Fire-and-forget: a missing endpoint (404) or a network error must never disturb the queue.
 */
export function confirmDisplayed(alarmId: string): void {
  if (confirmed.has(alarmId)) return;
  confirmed.add(alarmId);
  endpoints.displayed(alarmId).catch(() => undefined);
}
