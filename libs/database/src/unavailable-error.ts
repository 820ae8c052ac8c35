/**
 * Whether an error means the database cannot be reached right now (an outage that ends by
 * itself), as opposed to a query the database refused. SQLSTATE class 08 is "connection
 * exception"; 57P01-57P03 are an administrator or crash shutdown and "cannot connect now"
 * (PostgreSQL, Appendix A); the rest are the socket errors node-postgres surfaces.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code)) return true;
  }
  const message = (err as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection/i.test(
      message,
    )
  );
}
