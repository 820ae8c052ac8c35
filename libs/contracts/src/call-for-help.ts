import { CALL_FOR_HELP_EVENT_TYPES, type EventType } from './device-kind';
import type { UplinkChannel } from './topics';

/**
 * Whether an uplink's payload is a call for help (CALL_FOR_HELP_EVENT_TYPES), read from its
 * bytes, for code that holds a message ingest already validated but did not keep parsed. Only an
 * event is parsed; anything unreadable is not a call.
 */
export function isCallForHelp(channel: UplinkChannel, payload: Buffer | string): boolean {
  if (channel !== 'events') return false;
  try {
    const type = (JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')) as { type?: unknown })
      ?.type;
    return typeof type === 'string' && CALL_FOR_HELP_EVENT_TYPES.has(type as EventType);
  } catch {
    return false;
  }
}
