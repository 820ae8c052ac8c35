import { useEffect, useState } from 'react';
import type { AlarmEvent } from '../api/types';
import { useAlarmQueue } from './useAlarmQueue';

/**
 * A version number that goes up when the alarm stream carries an event `matches` accepts, at
 * most once per `debounceMs` (a burst of events re-reads once): put it in a fetch effect's
 * dependencies to keep a view live from the stream the queue already reads. `matches` should
 * keep its identity across renders (module level or useCallback).
 */
export function useStreamRefresh(matches: (e: AlarmEvent) => boolean, debounceMs: number): number {
  const { subscribe } = useAlarmQueue();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = subscribe((e) => {
      if (timer || !matches(e)) return;
      timer = setTimeout(() => {
        timer = null;
        setVersion((v) => v + 1);
      }, debounceMs);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [subscribe, matches, debounceMs]);
  return version;
}
