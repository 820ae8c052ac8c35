import { createParser } from 'eventsource-parser';
import { authHeaders, notifyUnauthorized } from './client';
import { ALARM_EVENT_TYPES, type Alarm, type AlarmEvent, type AlarmEventType, type Time } from './types';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface AlarmStreamHandlers {
  onEvent: (e: AlarmEvent) => void;
  onStatus: (s: StreamStatus) => void;
  /** After every successful (re)connect; `resumed` when Last-Event-ID was sent. */
  onOpen: (resumed: boolean) => void;
}

const PATH = '/api/alarms/stream';
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

const isAlarmEventType = (t: string): t is AlarmEventType => (ALARM_EVENT_TYPES as readonly string[]).includes(t);

/**
 * Reads the alarm SSE stream with fetch (EventSource cannot send Authorization), resuming with
 * Last-Event-ID after every disconnect and backing off exponentially. Returns `close()`.
 */
export function openAlarmStream(handlers: AlarmStreamHandlers): () => void {
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
    const resumed = lastEventId !== null;
    if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
    const res = await fetch(PATH, { headers, signal: ctrl.signal, cache: 'no-store' });
    if (res.status === 401) {
      closed = true;
      notifyUnauthorized();
      return;
    }
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    attempt = 0;
    handlers.onStatus('live');
    handlers.onOpen(resumed);

    // eventsource-parser (WHATWG HTML, server-sent events) reports an `id:` at its event's dispatch,
    // before the event itself; the last one seen is what Last-Event-ID resumes from.
    const parser = createParser({
      onId: (id) => (lastEventId = id),
      onRetry: (ms) => (retryHintMs = ms),
      onEvent: (m) => {
        const type = m.event ?? 'message';
        if (!isAlarmEventType(type)) return;
        let data: { alarm?: Alarm; at?: Time };
        try {
          data = JSON.parse(m.data) as { alarm?: Alarm; at?: Time };
        } catch {
          return;
        }
        if (!data.alarm) return;
        handlers.onEvent({ type, id: lastEventId, alarm: data.alarm, at: data.at ?? Date.now() });
      },
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
    handlers.onStatus('connecting');
    while (!closed) {
      try {
        await connectOnce();
      } catch {
        // network error, abort, or non-2xx: fall through to the backoff
      }
      if (closed) break;
      handlers.onStatus('reconnecting');
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
