import { HubUnreachableError, isUnreachable } from '../cli/exit-codes';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly body: unknown,
  ) {
    super(
      `${method} ${path} answered ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`.slice(0, 500),
    );
  }
}

/** JSON over HTTP with the admin's Basic credentials; unreachable hubs raise HubUnreachableError. */
export class HubRestClient {
  readonly authHeader: string | undefined;

  constructor(
    readonly baseUrl: string,
    admin?: { username: string; password: string },
    private readonly timeoutMs = 10_000,
  ) {
    this.authHeader = admin
      ? 'Basic ' + Buffer.from(`${admin.username}:${admin.password}`).toString('base64')
      : undefined;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: {
          ...(this.authHeader && { authorization: this.authHeader }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      if (isUnreachable(err) || (err as Error).message === 'fetch failed')
        throw new HubUnreachableError(`hub REST API at ${this.baseUrl}`, err);
      throw err;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep text */
    }
    if (!res.ok) throw new HttpError(res.status, method, path, parsed);
    return parsed as T;
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
}
