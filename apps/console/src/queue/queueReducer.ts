import type { Alarm, AlarmEvent } from '../api/types';

/** Open alarms by id. Resolved alarms leave the queue. */
export type QueueState = ReadonlyMap<string, Alarm>;

export type QueueAction =
  | { type: 'snapshot'; alarms: Alarm[] }
  | { type: 'event'; event: AlarmEvent }
  | { type: 'upsert'; alarm: Alarm }
  | { type: 'reset' };

const isOpen = (a: Alarm) => a.state !== 'resolved';

function upsert(state: QueueState, alarm: Alarm): QueueState {
  const next = new Map(state);
  if (isOpen(alarm)) next.set(alarm.id, alarm);
  else next.delete(alarm.id);
  return next;
}

export function queueReducer(state: QueueState, action: QueueAction): QueueState {
  switch (action.type) {
    case 'snapshot':
      return new Map(action.alarms.filter(isOpen).map((a) => [a.id, a]));
    case 'event':
      if (action.event.type === 'alarm.resolved') {
        const next = new Map(state);
        next.delete(action.event.alarm.id);
        return next;
      }
      return upsert(state, action.event.alarm);
    case 'upsert':
      return upsert(state, action.alarm);
    case 'reset':
      return new Map();
  }
}
