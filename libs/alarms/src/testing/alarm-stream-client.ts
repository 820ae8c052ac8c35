import { readEventStream } from '../../../testing/src/event-stream';

/** Test client for GET /api/alarms/stream: collects every SSE event with its arrival time. */
export interface ReceivedAlarmEvent {
  id: number;
  type: string;
  data: {
    alarm: {
      id: string;
      bedId: string;
      kind: string;
      severity: string;
      state: string;
      escalationLevel: number;
      [k: string]: unknown;
    };
    at: string;
  };
  receivedAt: number;
}

export interface AlarmStreamClient {
  events: ReceivedAlarmEvent[];
  comments: string[];
  status: number;
  contentType: string | null;
  lastEventId(): number | null;
  waitFor(pred: (e: ReceivedAlarmEvent) => boolean, timeoutMs?: number): Promise<ReceivedAlarmEvent>;
  /** Settles when the stream ends (the server or a proxy closed it, or close()). */
  ended: Promise<void>;
  close(): void;
}

export async function openAlarmStream(
  httpUrl: string,
  authHeader: string,
  opts: { lastEventId?: number; query?: boolean } = {},
): Promise<AlarmStreamClient> {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: authHeader, accept: 'text/event-stream' };
  let url = `${httpUrl}/api/alarms/stream`;
  if (opts.lastEventId !== undefined) {
    if (opts.query) url += `?lastEventId=${opts.lastEventId}`;
    else headers['last-event-id'] = String(opts.lastEventId);
  }
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: ReceivedAlarmEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  // Ends when the stream ends or close() aborts it.
  const ended = readEventStream(res.body!, {
    onEvent: (m) => {
      events.push({
        id: Number(m.id),
        type: m.event ?? 'message',
        data: JSON.parse(m.data) as ReceivedAlarmEvent['data'],
        receivedAt: Date.now(),
      });
      waiters.forEach((w) => w());
    },
    onComment: (c) => comments.push(c),
  }).catch(() => undefined);
  return {
    events,
    comments,
    status: res.status,
    contentType: res.headers.get('content-type'),
    lastEventId: () => (events.length ? events[events.length - 1].id : null),
    ended,
    waitFor(pred, timeoutMs = 10_000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const check = () => {
          const e = events.find(pred);
          if (!e) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(e);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching alarm event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => [e.id, e.type, e.data.alarm.kind, e.data.alarm.bedId]))}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () => abort.abort(),
  };
}
