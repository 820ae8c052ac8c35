import { openEventStream, type StreamStatus } from './event-stream';
import {
  ALARM_EVENT_TYPES,
  type Alarm,
  type AlarmEvent,
  type AlarmEventType,
  type ProvisionalNotice,
  type Time,
} from './types';

export { idleLimitMs, type StreamStatus } from './event-stream';

export interface AlarmStreamHandlers {
  onEvent: (e: AlarmEvent) => void;
  /** Calls for help not stored yet and their stored notices: outside the journal, never resumed from. */
  onProvisional?: (n: ProvisionalNotice) => void;
  onStatus: (s: StreamStatus) => void;
  /** After every successful (re)connect; `resumed` when Last-Event-ID was sent. */
  onOpen: (resumed: boolean) => void;
}

const isAlarmEventType = (t: string): t is AlarmEventType => (ALARM_EVENT_TYPES as readonly string[]).includes(t);

/** The alarm stream, resumed with Last-Event-ID after every disconnect. Returns `close()`. */
export function openAlarmStream(handlers: AlarmStreamHandlers): () => void {
  return openEventStream({
    path: '/api/alarms/stream',
    resume: true,
    onStatus: handlers.onStatus,
    onOpen: handlers.onOpen,
    onMessage: (m) => {
      const type = m.event ?? 'message';
      if (type === 'provisional.alarm' || type === 'provisional.stored') {
        try {
          const notice: unknown = JSON.parse(m.data);
          handlers.onProvisional?.({ type, notice } as ProvisionalNotice);
        } catch {
          // a notice the console cannot read is skipped like any other
        }
        return;
      }
      if (!isAlarmEventType(type)) return;
      let data: { alarm?: Alarm; at?: Time };
      try {
        data = JSON.parse(m.data) as { alarm?: Alarm; at?: Time };
      } catch {
        return;
      }
      if (!data.alarm) return;
      handlers.onEvent({ type, id: m.id ?? null, alarm: data.alarm, at: data.at ?? Date.now() });
    },
  });
}
