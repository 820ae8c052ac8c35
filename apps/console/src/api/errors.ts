import type { ApiErrorBody } from './types';

/** A non-2xx answer from the hub, carrying its `{code, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static from(status: number, body: ApiErrorBody | undefined): ApiError {
    const message = Array.isArray(body?.message) ? body.message.join('; ') : (body?.message ?? `HTTP ${status}`);
    return new ApiError(status, body?.code ?? `HTTP_${status}`, message);
  }
}
