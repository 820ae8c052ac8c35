/** Process exit codes: scripts and CI rely on these. */
export const EXIT = {
  OK: 0,
  /** A check step or scenario expectation failed. */
  FAILED: 1,
  /** Bad command line. */
  USAGE: 2,
  /** The hub (HTTP or MQTT) could not be reached. */
  UNREACHABLE: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad option values found after commander parsed them. */
export class UsageError extends Error {}

/** Connection refused, DNS failure, timeout: nothing answered. */
export class HubUnreachableError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what} unreachable: ${describeCause(cause)}`);
  }
}

export function describeCause(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const inner = e?.cause ?? e;
  return [inner?.code, inner?.message ?? String(err)].filter(Boolean).join(' ');
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isUnreachable(err: unknown): boolean {
  if (err instanceof HubUnreachableError) return true;
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  return (
    UNREACHABLE_CODES.has(e?.code ?? '') || UNREACHABLE_CODES.has(e?.cause?.code ?? '') || e?.name === 'TimeoutError'
  );
}
