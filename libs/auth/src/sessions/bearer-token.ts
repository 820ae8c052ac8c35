/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), read as the
 * authenticator reads it, so what is signed out or held is the session that was let in.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const h = header ?? '';
  const space = h.indexOf(' ');
  if (space < 0 || h.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  return h.slice(space + 1).trim() || undefined;
}
