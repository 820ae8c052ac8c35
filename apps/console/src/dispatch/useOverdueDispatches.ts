import { useEffect, useRef, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { OpenDispatch } from '../api/types';
import { useAlarmQueue } from '../queue/useAlarmQueue';

/** Re-reads at most this often when several events come together. */
const DEBOUNCE_MS = 300;

/**
 * The organisation's overdue work orders, kept live from the alarm stream the queue already
 * reads: re-read when the hub flags one late (alarm.dispatch_overdue), when an alarm with a late
 * one changes (a responder arrived, the order closed, the alarm resolved), and after the stream
 * reconnects (events may have been missed meanwhile).
 */
export function useOverdueDispatches() {
  const { subscribe, status } = useAlarmQueue();
  const [dispatches, setDispatches] = useState<OpenDispatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const alarmIds = useRef(new Set<string>());

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

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = subscribe((e) => {
      if (e.type !== 'alarm.dispatch_overdue' && !alarmIds.current.has(e.alarm.id)) return;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setVersion((v) => v + 1);
      }, DEBOUNCE_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [subscribe]);

  return { dispatches, error };
}
