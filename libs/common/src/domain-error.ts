/**
 * Errors the domain raises on purpose. Each code maps to one HTTP status at the REST edge
 * (http-exception.filter.ts) and to one MQTT error code where it reaches a device.
 */
export const DOMAIN_ERROR_STATUS = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  INVALID_TRANSITION: 409,
  UNAVAILABLE: 503,
  // The database cannot be reached and the answer needs it (signing in, an unconfirmed session).
  DATABASE_UNAVAILABLE: 503,
  // A write by a node whose partition lease was taken over (a stale fencing epoch).
  PARTITION_FENCED: 503,
  // A bed's partition has no owner this node can reach right now (it is moving): retry shortly.
  PARTITION_UNAVAILABLE: 503,
  // The node a request was addressed to did not answer over the cluster bus.
  NODE_UNAVAILABLE: 503,
} as const;
export type DomainErrorCode = keyof typeof DOMAIN_ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) => new DomainError('NOT_FOUND', `${what} ${id} not found`, { id });
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new DomainError('CONFLICT', message, details);
