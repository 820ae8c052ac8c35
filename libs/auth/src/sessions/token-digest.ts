import { createHash } from 'node:crypto';

/** A bearer token's SHA-256 (hex): what the sessions table and the hub's memory hold instead of the token. */
export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');
