import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';

/**
 * The live alarm streams being served. At shutdown they are ended before the HTTP server
 * closes: an open Server-Sent Events response would otherwise hold the process until the
 * console went away, and its heartbeats would keep showing "live" for a hub that no longer
 * takes requests. A console reconnects with Last-Event-ID and misses nothing.
 */
@Injectable()
export class OpenStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<Response>();
  private closing = false;

  /** False once shutdown has begun: the caller answers 503 instead of streaming. */
  add(res: Response): boolean {
    if (this.closing) return false;
    this.open.add(res);
    res.once('close', () => this.open.delete(res));
    return true;
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const res of this.open) res.end(': hub shutting down; reconnect with Last-Event-ID\n\n');
    this.open.clear();
  }
}
