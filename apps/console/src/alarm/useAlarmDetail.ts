import { useCallback, useEffect, useRef, useState } from 'react';
import { endpoints } from '../api/endpoints';
import type { AlarmDetail } from '../api/types';
import { useAlarmQueue } from '../queue/useAlarmQueue';

/** One alarm with its timeline; reloads when the stream reports a change to it. */
export function useAlarmDetail(id: string) {
  const { subscribe, upsert } = useAlarmQueue();
  const [detail, setDetail] = useState<AlarmDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const d = await endpoints.alarm(id);
      if (mine !== seq.current) return; // a newer load answered first
      setDetail(d);
      setError(null);
      if (d?.alarm) upsert(d.alarm);
    } catch (err) {
      if (mine === seq.current) setError(err);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [id, upsert]);

  useEffect(() => {
    setDetail(null);
    setLoading(true);
    void reload();
  }, [reload]);

  useEffect(() => subscribe((e) => e.alarm.id === id && void reload()), [id, subscribe, reload]);

  return { detail, error, loading, reload };
}
