import { readEventStream } from '../../../testing/src/event-stream';

/**
 * Test client for GET /api/alarms/stream: collects every SSE event with its arrival time, the
 * journal's alarm events and the notices outside it apart.
 */
export interface ReceivedAlarmEvent {
  /** The event's position in the journal (its SSE id, what Last-Event-ID resumes from). */
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

/** A notice outside the journal (provisional.alarm, provisional.stored): sent without an SSE id. */
export interface ReceivedNotice {
  id: undefined;
  type: string;
  data: Record<string, any>;
  receivedAt: number;
}

export type ReceivedStreamEvent = ReceivedAlarmEvent | ReceivedNotice;

export interface AlarmStreamClient {
  /** The journal's alarm events, in arrival order. */
  events: ReceivedAlarmEvent[];
  /** The notices, in arrival order. */
  notices: ReceivedNotice[];
  /** Both, in arrival order. */
  all: ReceivedStreamEvent[];
  comments: string[];
  status: number;
  contentType: string | null;
  lastEventId(): number | null;
  /** The notices of one type whose data matches. */
  noticesOf(type: string, pred?: (data: Record<string, any>) => boolean): ReceivedNotice[];
  waitFor(pred: (e: ReceivedAlarmEvent) => boolean, timeoutMs?: number): Promise<ReceivedAlarmEvent>;
  waitForNotice(pred: (e: ReceivedNotice) => boolean, timeoutMs?: number): Promise<ReceivedNotice>;
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
  const notices: ReceivedNotice[] = [];
  const all: ReceivedStreamEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  // Ends when the stream ends or close() aborts it.
  const ended = readEventStream(res.body!, {
    onEvent: (m) => {
      const common = { type: m.event ?? 'message', receivedAt: Date.now() };
      if (m.id === undefined) {
        const notice: ReceivedNotice = { ...common, id: undefined, data: JSON.parse(m.data) as Record<string, any> };
        notices.push(notice);
        all.push(notice);
      } else {
        const event: ReceivedAlarmEvent = {
          ...common,
          id: Number(m.id),
          data: JSON.parse(m.data) as ReceivedAlarmEvent['data'],
        };
        events.push(event);
        all.push(event);
      }
      waiters.forEach((w) => w());
    },
    onComment: (c) => comments.push(c),
  }).catch(() => undefined);

  const brief = (e: ReceivedStreamEvent) =>
    e.id === undefined ? [e.type, e.data.key] : [e.id, e.type, e.data.alarm.kind, e.data.alarm.bedId];

  function waitIn<E extends ReceivedStreamEvent>(list: E[], pred: (e: E) => boolean, timeoutMs: number): Promise<E> {
    const found = list.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const e = list.find(pred);
        if (!e) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(e);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `no matching ${list === events ? 'alarm event' : 'notice'} within ${timeoutMs} ms; got ${JSON.stringify(list.map(brief))}`,
          ),
        );
      }, timeoutMs);
      waiters.add(check);
    });
  }

  return {
    events,
    notices,
    all,
    comments,
    status: res.status,
    contentType: res.headers.get('content-type'),
    lastEventId: () => (events.length ? events[events.length - 1].id : null),
    ended,
    noticesOf: (type, pred = () => true) => notices.filter((n) => n.type === type && pred(n.data)),
    waitFor: (pred, timeoutMs = 10_000) => waitIn(events, pred, timeoutMs),
    waitForNotice: (pred, timeoutMs = 10_000) => waitIn(notices, pred, timeoutMs),
    close: () => abort.abort(),
  };
}
