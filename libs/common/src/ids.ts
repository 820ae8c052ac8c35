import { randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case: no i/l/o/u
/** A short random token, readable aloud by an installer on the phone. */
export function shortToken(length = 10): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] & 31];
  return out;
}
