import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device secrets are 256 random bits issued by the hub, not human passwords, so a salted
 * HMAC-SHA-256 is enough: a slow KDF would only make a reconnect storm of 10,000 beds costly
 * without adding protection against guessing (OWASP Password Storage: slow hashes are for
 * low-entropy secrets).
 */
export function issueSecret(): { secret: string; salt: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  return { secret, salt, hash: hashSecret(secret, salt) };
}

export function hashSecret(secret: string, salt: string): string {
  return createHmac('sha256', salt).update(secret).digest('hex');
}

export function verifySecret(secret: string, salt: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret, salt), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
