import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../current-user.decorator';
import { bearerToken } from './bearer-token';
import type { SessionEnd } from './session-end';
import { SessionResolver } from './session-resolver';
import { tokenDigest } from './token-digest';

/** What a held stream needs of the HTTP request and response. */
export interface StreamRequest {
  headers: { authorization?: string };
  user?: AuthUser;
}
export interface StreamResponse {
  end(chunk: string): unknown;
  once(event: 'close', listener: () => void): unknown;
}

const ENDED = ': session ended; sign in again\n\n';

interface Held {
  digest: string;
  userId: string | null;
}

/**
 * The long-lived responses (Server-Sent Events) held open for console sessions. A session's
 * right to a stream is checked once, when it opens, so when the session ends (signed out,
 * revoked, its user disabled or given a new role, here or on another hub) its streams are
 * closed: the console reconnects and is refused. Streams opened with HTTP Basic belong to no
 * session and are not held.
 */
@Injectable()
export class SessionStreams {
  private readonly open = new Map<StreamResponse, Held>();

  constructor(private readonly resolver: SessionResolver) {}

  get size(): number {
    return this.open.size;
  }

  hold(req: StreamRequest, res: StreamResponse): void {
    const token = bearerToken(req.headers.authorization);
    if (!token) return;
    const digest = tokenDigest(token);
    // Ended between the check that let the request in and now (told by another hub meanwhile).
    if (this.resolver.hasEnded(digest)) return void res.end(ENDED);
    this.open.set(res, { digest, userId: req.user?.userId ?? null });
    res.once('close', () => this.open.delete(res));
  }

  /** Closes the streams of an ended session (or of every session of a user but one); returns how many. */
  close(end: SessionEnd): number {
    let closed = 0;
    for (const [res, held] of [...this.open]) {
      const ended =
        end.kind === 'session'
          ? held.digest === end.digest
          : held.userId === end.userId && held.digest !== end.exceptDigest;
      if (!ended) continue;
      this.open.delete(res);
      res.end(ENDED);
      closed++;
    }
    return closed;
  }
}
