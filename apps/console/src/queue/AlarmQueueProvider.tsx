import { createContext, useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { openAlarmStream, type StreamStatus } from '../api/alarm-stream';
import { endpoints } from '../api/endpoints';
import type { Alarm, AlarmEvent } from '../api/types';
import { queueReducer } from './queueReducer';
import { sortAlarms } from './sortAlarms';

export interface AlarmQueue {
  alarms: Alarm[];
  status: StreamStatus;
  loading: boolean;
  error: string | null;
  /** Apply an alarm the console got back from an action (acknowledge, resolve) before its event arrives. */
  upsert: (alarm: Alarm) => void;
  /** Every stream event, for pages that show one alarm. Returns unsubscribe. */
  subscribe: (fn: (e: AlarmEvent) => void) => () => void;
}

export const AlarmQueueContext = createContext<AlarmQueue | null>(null);

/**
 * The live queue for the whole signed-in session: a snapshot of open alarms taken on every
 * (re)connect of the SSE stream, with events that arrive meanwhile replayed on top, in order.
 */
export function AlarmQueueProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(queueReducer, new Map());
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const listeners = useRef(new Set<(e: AlarmEvent) => void>());
  const pending = useRef<AlarmEvent[] | null>(null);

  useEffect(() => {
    let disposed = false;
    const takeSnapshot = async () => {
      if (pending.current) return; // one already in flight will replay everything
      pending.current = [];
      try {
        const alarms = await endpoints.openAlarms();
        if (disposed) return;
        dispatch({ type: 'snapshot', alarms });
        setError(null);
      } catch (err) {
        if (!disposed) setError((err as Error).message);
      } finally {
        const buffered = pending.current ?? [];
        pending.current = null;
        if (!disposed) {
          for (const event of buffered) dispatch({ type: 'event', event });
          setLoading(false);
        }
      }
    };
    let streamStatus: StreamStatus = 'connecting';
    const close = openAlarmStream({
      onStatus: (s) => {
        streamStatus = s;
        if (!disposed) setStatus(s);
      },
      onOpen: () => void takeSnapshot(),
      onEvent: (event) => {
        if (disposed) return;
        if (pending.current) pending.current.push(event);
        else dispatch({ type: 'event', event });
        listeners.current.forEach((l) => l(event));
      },
    });
    // While the stream is down, poll the list so the queue never goes stale.
    const first = setTimeout(() => streamStatus !== 'live' && void takeSnapshot(), 3000);
    const poll = setInterval(() => streamStatus !== 'live' && void takeSnapshot(), 10_000);
    return () => {
      disposed = true;
      clearTimeout(first);
      clearInterval(poll);
      close();
    };
  }, []);

  const upsert = useCallback((alarm: Alarm) => dispatch({ type: 'upsert', alarm }), []);
  const subscribe = useCallback((fn: (e: AlarmEvent) => void) => {
    listeners.current.add(fn);
    return () => void listeners.current.delete(fn);
  }, []);
  const alarms = useMemo(() => sortAlarms(state.values()), [state]);

  const value = useMemo(
    () => ({ alarms, status, loading, error, upsert, subscribe }),
    [alarms, status, loading, error, upsert, subscribe],
  );
  return <AlarmQueueContext.Provider value={value}>{children}</AlarmQueueContext.Provider>;
}
