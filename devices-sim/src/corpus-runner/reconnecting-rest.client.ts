import { HubRestClient } from '../hub/hub-rest.client';

/**
 * A hub on a compressed clock closes idle keep-alive sockets `speed` times sooner (5 s of its
 * time is 80 ms of ours at x60), so a pooled socket is often closed just as a request goes out
 * on it. Such a request never reached the hub: sending it again on a fresh socket is safe.
 */
export class ReconnectingRestClient extends HubRestClient {
  override async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.request<T>(method, path, body);
      } catch (err) {
        if (attempt >= 5 || !isClosedSocket(err)) throw err;
      }
    }
  }
}

export function isClosedSocket(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: { code?: string; cause?: { code?: string } } };
  const codes = [e?.code, e?.cause?.code, e?.cause?.cause?.code];
  return (
    codes.some((c) => c === 'ECONNRESET' || c === 'UND_ERR_SOCKET' || c === 'EPIPE') ||
    /other side closed|ECONNRESET/.test(e?.message ?? '')
  );
}
