import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { authHeaders, notifyUnauthorized } from './client';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface EventStreamOptions {
  path: string;
  /** Send Last-Event-ID on reconnect (a stream that replays what was missed). */
  resume: boolean;
  onMessage: (m: EventSourceMessage) => void;
  onStatus: (s: StreamStatus) => void;
  /** After every successful (re)connect; `resumed` when Last-Event-ID was sent. */
  onOpen: (resumed: boolean) => void;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15_000;
/** Heartbeat period assumed until the hub announces its own (x-heartbeat-ms). */
const DEFAULT_HEARTBEAT_MS = 15_000;
/**
 * No byte for this many heartbeat periods: the connection is dead even if TCP has not noticed
 * (a cut cable, a sleeping NAT), so the console says so and reconnects.
 */
const IDLE_HEARTBEATS = 2;
const IDLE_SLACK_MS = 500;

/** Idle limit for a stream whose hub heartbeats every `header` ms (missing or nonsense: the default). */
export function idleLimitMs(header: string | null): number {
  const hb = Number(header);
  const period = Number.isFinite(hb) && hb >= 100 && hb <= 300_000 ? hb : DEFAULT_HEARTBEAT_MS;
  return period * IDLE_HEARTBEATS + IDLE_SLACK_MS;
}

/**
 * Reads an SSE stream of the hub with fetch (EventSource cannot send Authorization),
 * reconnecting with exponential backoff (or the server's retry hint) after a drop or a silence
 * longer than two heartbeats, and resuming with Last-Event-ID when asked. Returns `close()`.
 */
export function openEventStream(o: EventStreamOptions): () => void {
  let closed = false;
  let lastEventId: string | null = null;
  let attempt = 0;
  let retryHintMs: number | null = null;
  let controller: AbortController | null = null;
  let wakeUp: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });

  const connectOnce = async (): Promise<void> => {
    controller = new AbortController();
    const ctrl = controller;
    const headers: Record<string, string> = {
      Accept: 'text/event-stream',
      'Cache-Control': 'no-cache',
      ...authHeaders(),
    };
    const resumed = o.resume && lastEventId !== null;
    if (resumed) headers['Last-Event-ID'] = lastEventId!;
    const res = await fetch(o.path, { headers, signal: ctrl.signal, cache: 'no-store' });
    if (res.status === 401) {
      closed = true;
      notifyUnauthorized();
      return;
    }
    if (!res.ok || !res.body) throw new Error(`${o.path} answered ${res.status}`);
    attempt = 0;
    o.onStatus('live');
    o.onOpen(resumed);

    // eventsource-parser (WHATWG HTML, server-sent events) reports an `id:` at its event's
    // dispatch, before the event itself; the last one seen is what Last-Event-ID resumes from.
    const parser = createParser({
      onId: (id) => (lastEventId = id),
      onRetry: (ms) => (retryHintMs = ms),
      onEvent: (m) => o.onMessage(m),
    });
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
    o.onStatus('connecting');
    while (!closed) {
      try {
        await connectOnce();
      } catch {
        // network error, abort, or non-2xx: fall through to the backoff
      }
      if (closed) break;
      o.onStatus('reconnecting');
      const base = Math.min(BACKOFF_MAX_MS, Math.max(retryHintMs ?? 0, BACKOFF_MIN_MS * 2 ** attempt));
      attempt = Math.min(attempt + 1, 10);
      await sleep(base / 2 + Math.random() * (base / 2));
    }
  })();

  return () => {
    closed = true;
    controller?.abort();
    wakeUp?.();
  };
}
