import { readEventStream, type EventSourceMessage } from './event-stream';

function body(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const s of chunks) c.enqueue(enc.encode(s));
      c.close();
    },
  });
}

describe('readEventStream', () => {
  it('parses events split across chunks: ids, types, multi-line data, CRLF, comments', async () => {
    const events: EventSourceMessage[] = [];
    const comments: string[] = [];
    await readEventStream(
      body([
        'retry: 2000\n\n: heart',
        'beat \n\nid: 7\nevent: alarm.rai',
        'sed\ndata: {"a":\r\ndata: 1}\r\n\r\n',
        'data: plain\n\nevent: empty\n\n',
        'id: 8\ndata: unterminated',
      ]),
      { onEvent: (m) => events.push(m), onComment: (c) => comments.push(c) },
    );
    expect(comments).toEqual(['heartbeat']);
    expect(events).toEqual([
      { id: '7', event: 'alarm.raised', data: '{"a":\n1}' },
      { id: undefined, event: undefined, data: 'plain' },
    ]);
  });
});
