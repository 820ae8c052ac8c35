import { idleLimitMs, openAlarmStream } from './alarm-stream';
import { setUnauthorizedHandler } from './client';

describe('dead-stream detection', () => {
  it('allows two heartbeats of the period the hub announces, plus a little slack', () => {
    expect(idleLimitMs('1000')).toBe(2500);
    expect(idleLimitMs('15000')).toBe(30_500);
  });

  it('assumes the default heartbeat when the hub announces none or nonsense', () => {
    expect(idleLimitMs(null)).toBe(30_500);
    expect(idleLimitMs('abc')).toBe(30_500);
    expect(idleLimitMs('5')).toBe(30_500);
  });
});

describe('alarm stream reader', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  /** A 200 text/event-stream answer sending `chunks`, then ending (`end`) or staying open until aborted. */
  const streamAnswer = (chunks: string[], end: boolean, signal: AbortSignal) =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
          if (end) controller.close();
          else signal.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
        },
      }),
      { headers: { 'content-type': 'text/event-stream', 'x-heartbeat-ms': '1000' } },
    );

  it('parses events split across chunks and resumes from the last event id after the stream ends', async () => {
    const alarm = { id: 'a1', state: 'raised' };
    const sent: (string | null)[] = [];
    const fetchStub = jest.fn((_path: string, init: RequestInit) => {
      sent.push(new Headers(init.headers).get('Last-Event-ID'));
      return Promise.resolve(
        sent.length === 1
          ? streamAnswer(
              [
                ': heartbeat\n\n',
                `id: 41\nevent: alarm.raised\ndata: ${JSON.stringify({ alarm, at: '2026-01-01T00:00:00Z' })}\n\n`,
                'event: alarm.acknowledged\nda',
                `ta: ${JSON.stringify({ alarm: { ...alarm, state: 'acknowledged' } })}\r\nid: 42\r\n\r\n`,
                'id: 43\nevent: something.else\ndata: {}\n\n',
              ],
              true,
              init.signal!,
            )
          : streamAnswer([], false, init.signal!),
      );
    });
    globalThis.fetch = fetchStub as unknown as typeof fetch;
    const events: { type: string; id: string | null; state: string }[] = [];
    const statuses: string[] = [];
    const opens: boolean[] = [];
    const close = openAlarmStream({
      onEvent: (e) => events.push({ type: e.type, id: e.id, state: e.alarm.state }),
      onStatus: (s) => statuses.push(s),
      onOpen: (resumed) => opens.push(resumed),
    });
    try {
      for (let i = 0; i < 100 && sent.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events).toEqual([
        { type: 'alarm.raised', id: '41', state: 'raised' },
        { type: 'alarm.acknowledged', id: '42', state: 'acknowledged' },
      ]);
      // the unknown event's id still counts: the hub resumes after it
      expect(sent).toEqual([null, '43']);
      expect(opens).toEqual([false, true]);
      expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    } finally {
      close();
    }
  });

  /** Answers `status` with the hub's error body to the first `refusals` connects, then a stream that stays open. */
  const refusing = (status: number, code: string, refusals: number) => {
    let calls = 0;
    const fetchStub = jest.fn((_path: string, init: RequestInit) =>
      Promise.resolve(
        ++calls <= refusals
          ? new Response(JSON.stringify({ code, message: 'x' }), {
              status,
              headers: { 'content-type': 'application/json' },
            })
          : streamAnswer([': heartbeat\n\n'], false, init.signal!),
      ),
    );
    globalThis.fetch = fetchStub as unknown as typeof fetch;
    return fetchStub;
  };

  it('a 503 (the hub cannot confirm the session during a database outage) keeps the session and retries', async () => {
    const signedOut = jest.fn();
    setUnauthorizedHandler(signedOut);
    const fetchStub = refusing(503, 'DATABASE_UNAVAILABLE', 2);
    const statuses: string[] = [];
    const close = openAlarmStream({
      onEvent: () => undefined,
      onStatus: (s) => statuses.push(s),
      onOpen: () => undefined,
    });
    try {
      for (let i = 0; i < 200 && !statuses.includes('live'); i++) await new Promise((r) => setTimeout(r, 20));
      expect(fetchStub).toHaveBeenCalledTimes(3);
      expect(statuses).toEqual(['connecting', 'reconnecting', 'reconnecting', 'live']);
      expect(signedOut).not.toHaveBeenCalled();
    } finally {
      close();
      setUnauthorizedHandler(() => undefined);
    }
  });

  it('a 401 (the session ended) signs the console out and stops reconnecting', async () => {
    const signedOut = jest.fn();
    setUnauthorizedHandler(signedOut);
    const fetchStub = refusing(401, 'UNAUTHENTICATED', 1);
    const close = openAlarmStream({ onEvent: () => undefined, onStatus: () => undefined, onOpen: () => undefined });
    try {
      for (let i = 0; i < 50 && signedOut.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 1200)); // longer than the first backoff
      expect(signedOut).toHaveBeenCalledTimes(1);
      expect(fetchStub).toHaveBeenCalledTimes(1);
    } finally {
      close();
      setUnauthorizedHandler(() => undefined);
    }
  });
});
