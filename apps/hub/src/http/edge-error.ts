/**
 * A request the HTTP edge refuses before any controller sees it (media type, size, nesting,
 * unsafe text, cross-site origin). The exception filter answers it in the usual
 * `{ code, message, details? }` shape with this status.
 */
export class EdgeError extends Error {
  constructor(
    readonly status: 400 | 403 | 413 | 415,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'EdgeError';
  }
}

/** A field-level 400: `field` is where the problem is (`body.contacts[0].name`, `query.actor`, `path`). */
export const invalidField = (field: string, problem: string, reason: string) =>
  new EdgeError(400, 'VALIDATION_FAILED', `${field} ${problem}`, { field, reason });
