import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type { EventSourceMessage };

export interface EventStreamHandlers {
  /** A dispatched event (one with at least one `data:` line); `event` is undefined for the default type. */
  onEvent: (message: EventSourceMessage) => void;
  /** A comment line (`:` …), e.g. a heartbeat, trimmed. */
  onComment?: (comment: string) => void;
}

/**
 * Reads a text/event-stream body to its end (or until its request is aborted, which rejects),
 * parsed by eventsource-parser (WHATWG HTML, server-sent events). The one SSE reader of the tests,
 * the benchmarks and devices-sim.
 */
export async function readEventStream(body: ReadableStream<Uint8Array>, handlers: EventStreamHandlers): Promise<void> {
  const onComment = handlers.onComment;
  const parser = createParser({
    onEvent: handlers.onEvent,
    onComment: onComment && ((c) => onComment(c.trim())),
  });
  const decoder = new TextDecoder();
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>)
    parser.feed(decoder.decode(chunk, { stream: true }));
}
