import { createContext, useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { openAlarmStream, type StreamStatus } from '../api/alarm-stream';
import { endpoints } from '../api/endpoints';
import type { Alarm, AlarmEvent, ProvisionalAlarm } from '../api/types';
import { NO_PROVISIONAL, provisionalReducer } from './provisionalReducer';
import { queueReducer } from './queueReducer';
import { sortAlarms } from './sortAlarms';

export interface AlarmQueue {
  alarms: Alarm[];
  /** Calls for help heard by the hub but not stored yet (the database is unreachable), oldest first. */
  provisional: ProvisionalAlarm[];
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
  const [calls, dispatchCall] = useReducer(provisionalReducer, NO_PROVISIONAL);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const listeners = useRef(new Set<(e: AlarmEvent) => void>());
  const pending = useRef<AlarmEvent[] | null>(null);

  useEffect(() => {
    let disposed = false;
    let snapshotFailed = false;
    const takeSnapshot = async () => {
      if (pending.current) return; // one already in flight will replay everything
      pending.current = [];
      try {
        const alarms = await endpoints.openAlarms();
        if (disposed) return;
        dispatch({ type: 'snapshot', alarms });
        snapshotFailed = false;
        setError(null);
      } catch (err) {
        snapshotFailed = true;
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
      onOpen: () => {
        dispatchCall({ type: 'reconnected' });
        void takeSnapshot();
      },
      onProvisional: (n) => {
        if (disposed) return;
        if (n.type === 'provisional.alarm') dispatchCall({ type: 'heard', call: n.notice });
        else dispatchCall({ type: 'stored', key: n.notice.key });
      },
      onEvent: (event) => {
        if (disposed) return;
        if (pending.current) pending.current.push(event);
        else dispatch({ type: 'event', event });
        listeners.current.forEach((l) => l(event));
      },
    });
    // While the stream is down, or connected while the hub could not list the alarms (its
    // database unreachable: the stream still brings calls not yet stored), poll the list so
    // the queue never goes stale.
    const stale = () => streamStatus !== 'live' || snapshotFailed;
    const first = setTimeout(() => stale() && void takeSnapshot(), 3000);
    const poll = setInterval(() => stale() && void takeSnapshot(), 10_000);
    const expire = setInterval(() => dispatchCall({ type: 'expire', now: Date.now() }), 30_000);
    return () => {
      disposed = true;
      clearInterval(expire);
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
  const provisional = useMemo(() => [...calls.open.values()], [calls]);

  const value = useMemo(
    () => ({ alarms, provisional, status, loading, error, upsert, subscribe }),
    [alarms, provisional, status, loading, error, upsert, subscribe],
  );
  return <AlarmQueueContext.Provider value={value}>{children}</AlarmQueueContext.Provider>;
}
