import { useCallback, useEffect, useRef, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { OpenDispatch } from '../api/types';
import type { AlarmEvent } from '../api/types';
import { useAlarmQueue } from '../queue/useAlarmQueue';
import { useStreamRefresh } from '../queue/useStreamRefresh';

/** Re-reads at most this often when several events come together. */
const DEBOUNCE_MS = 300;

/**
 * The organisation's overdue work orders, kept live from the alarm stream the queue already
 * reads: re-read when the hub flags one late (alarm.dispatch_overdue), when an alarm with a late
 * one changes (a responder arrived, the order closed, the alarm resolved), and after the stream
 * reconnects (events may have been missed meanwhile).
 */
export function useOverdueDispatches() {
  const { status } = useAlarmQueue();
  const [dispatches, setDispatches] = useState<OpenDispatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alarmIds = useRef(new Set<string>());
  const version = useStreamRefresh(
    useCallback((e: AlarmEvent) => e.type === 'alarm.dispatch_overdue' || alarmIds.current.has(e.alarm.id), []),
    DEBOUNCE_MS,
  );

  useEffect(() => {
    const ctrl = new AbortController();
    endpoints.openDispatches(true, ctrl.signal).then(
      (ds) => {
        alarmIds.current = new Set(ds.map((d) => d.alarmId));
        setDispatches(ds);
        setError(null);
      },
      (err: Error) => !ctrl.signal.aborted && setError(err.message),
    );
    return () => ctrl.abort();
  }, [version, status]);

  return { dispatches, error };
}
