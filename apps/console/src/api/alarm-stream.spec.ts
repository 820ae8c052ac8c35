import { idleLimitMs, openAlarmStream } from './alarm-stream';

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
});
