import { idleLimitMs, type StreamStatus } from '../api/alarm-stream';
import { authHeaders, notifyUnauthorized } from '../api/client';
import { SseParser } from '../api/sse-parser';

const PATH = '/api/visits/stream';
const VISIT_EVENTS = new Set(['visit.planned', 'visit.changed', 'visit.overdue']);
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15_000;

export interface VisitStreamHandlers {
  /** A visit was planned, changed or flagged overdue. */
  onChange: () => void;
  /** After every (re)connect: the stream is live only, so what happened meanwhile must be read. */
  onOpen: () => void;
  onStatus: (s: StreamStatus) => void;
}

/**
 * Reads the visit SSE stream with fetch (EventSource cannot send Authorization), reconnecting
 * with exponential backoff after a drop or a silence longer than two heartbeats. Returns `close()`.
 */
export function openVisitStream(handlers: VisitStreamHandlers): () => void {
  let closed = false;
  let attempt = 0;
  let retryHintMs: number | null = null;
  let controller: AbortController | null = null;
  let wakeUp: (() => void) | null = null;

  const connectOnce = async (): Promise<void> => {
    const ctrl = (controller = new AbortController());
    const res = await fetch(PATH, {
      headers: { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', ...authHeaders() },
      signal: ctrl.signal,
      cache: 'no-store',
    });
    if (res.status === 401) {
      closed = true;
      notifyUnauthorized();
      return;
    }
    if (!res.ok || !res.body) throw new Error(`visit stream answered ${res.status}`);
    attempt = 0;
    handlers.onStatus('live');
    handlers.onOpen();
    const parser = new SseParser(
      (m) => {
        if (VISIT_EVENTS.has(m.event)) handlers.onChange();
      },
      (ms) => (retryHintMs = ms),
    );
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const idleMs = idleLimitMs(res.headers.get('x-heartbeat-ms'));
    let idle = setTimeout(() => ctrl.abort(), idleMs);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(idle);
        idle = setTimeout(() => ctrl.abort(), idleMs);
        parser.feed(value);
      }
    } finally {
      clearTimeout(idle);
    }
  };

  void (async () => {
    handlers.onStatus('connecting');
    while (!closed) {
      try {
        await connectOnce();
      } catch {
        // network error, abort or non-2xx: back off and reconnect
      }
      if (closed) break;
      handlers.onStatus('reconnecting');
      const base = Math.min(BACKOFF_MAX_MS, Math.max(retryHintMs ?? 0, BACKOFF_MIN_MS * 2 ** attempt));
      attempt = Math.min(attempt + 1, 10);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, base / 2 + Math.random() * (base / 2));
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  })();

  return () => {
    closed = true;
    controller?.abort();
    wakeUp?.();
  };
}
