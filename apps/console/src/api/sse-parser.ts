/** One dispatched Server-Sent Event (WHATWG HTML §9.2.6). */
export interface SseMessage {
  /** The last event id seen on the stream so far (ids persist across events). */
  id: string | null;
  event: string;
  data: string;
}

/**
 * Incremental text/event-stream parser: feed it decoded chunks; it calls `onMessage` for each
 * complete event. Handles CRLF/CR/LF, `:` comments, `id:`, `event:`, `data:` (multi-line) and `retry:`.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private lastId: string | null = null;
  private sawData = false;

  constructor(
    private readonly onMessage: (m: SseMessage) => void,
    private readonly onRetry: (ms: number) => void = () => undefined,
    initialLastId: string | null = null,
  ) {
    this.lastId = initialLastId;
  }

  feed(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A lone \r at the very end might be the first half of \r\n: wait for more.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry(Number(value));
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    if (this.sawData) this.onMessage({ id: this.lastId, event: this.event || 'message', data: this.data.join('\n') });
    this.data = [];
    this.event = '';
    this.sawData = false;
  }

  get lastEventId(): string | null {
    return this.lastId;
  }
}
