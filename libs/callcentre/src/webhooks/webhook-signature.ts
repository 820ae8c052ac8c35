import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Bedside-Signature: t=<unix ms>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the scheme Stripe and
 * GitHub use: the receiver recomputes it with the shared secret and rejects old timestamps to
 * stop replays.
 */
export function signWebhook(secret: string, body: string, at: number): string {
  return `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
}

export function verifyWebhook(
  secret: string,
  body: string,
  header: string,
  now: number,
  toleranceMs = 5 * 60_000,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const at = Number(parts.t);
  if (!Number.isFinite(at) || Math.abs(now - at) > toleranceMs || !parts.v1) return false;
  const expected = Buffer.from(signWebhook(secret, body, at).split('v1=')[1], 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
