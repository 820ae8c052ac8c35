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
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    let cur: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (cur.data.length) {
              events.push({
                id: Number(cur.id),
                type: cur.event ?? 'message',
                data: JSON.parse(cur.data.join('\n')),
                receivedAt: Date.now(),
              });
              waiters.forEach((w) => w());
            }
            cur = { data: [] };
          } else if (line.startsWith(':')) comments.push(line.slice(1).trim());
          else {
            const i = line.indexOf(':');
            const field = i < 0 ? line : line.slice(0, i);
            const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
            if (field === 'id') cur.id = value;
            else if (field === 'event') cur.event = value;
            else if (field === 'data') cur.data.push(value);
          }
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    events,
    comments,
    status: res.status,
    contentType: res.headers.get('content-type'),
    lastEventId: () => (events.length ? events[events.length - 1].id : null),
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
