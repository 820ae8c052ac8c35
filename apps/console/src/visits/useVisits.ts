import { useCallback, useEffect, useRef, useState } from 'react';
import type { StreamStatus } from '../api/alarm-stream';
import { supervisionApi, type Visit, type VisitFilter } from '../api/supervision';
import { openVisitStream } from './visit-stream';

/** Changes arriving together (a planner sweep plans many visits) cause one read of the list. */
const COALESCE_MS = 250;

/**
 * Whether the visit stream is live, and a counter that moves on every visit change and every
 * (re)connect: lists read themselves again when it moves.
 */
export function useVisitStream(): { status: StreamStatus; version: number } {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [version, setVersion] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const close = openVisitStream({
      onOpen: bump,
      onStatus: setStatus,
      onChange: () => {
        if (timer.current === null)
          timer.current = setTimeout(() => {
            timer.current = null;
            bump();
          }, COALESCE_MS);
      },
    });
    return () => {
      close();
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, []);
  return { status, version };
}

/** A visit list read again whenever the stream says visits changed, or on `reload()`. */
function useLiveList(load: (signal: AbortSignal) => Promise<Visit[]>, key: string, version: number) {
  const [visits, setVisits] = useState<Visit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const ctrl = new AbortController();
    loader
      .current(ctrl.signal)
      .then((v) => {
        setVisits(v);
        setError(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(err);
      });
    return () => ctrl.abort();
  }, [key, tick, version]);

  return { visits, error, reload };
}

export function useVisits(filter: VisitFilter, version: number) {
  const key = JSON.stringify(filter);
  return useLiveList((signal) => supervisionApi.visits(JSON.parse(key) as VisitFilter, signal), key, version);
}

/** The signed-in worker's open visits (assigned to them by user), overdue first. */
export function useMyVisits(version: number) {
  return useLiveList((signal) => supervisionApi.myVisits(signal), 'mine', version);
}
