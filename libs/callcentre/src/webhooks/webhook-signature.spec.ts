import { signWebhook, verifyWebhook } from './webhook-signature';
import { backoffMs } from './webhook-dispatcher.service';

describe('webhook signature', () => {
  it('verifies its own signature and rejects tampering, other secrets and stale timestamps', () => {
    const at = 1_800_000_000_000;
    const sig = signWebhook('s3cret', '{"a":1}', at);
    expect(verifyWebhook('s3cret', '{"a":1}', sig, at + 1000)).toBe(true);
    expect(verifyWebhook('s3cret', '{"a":2}', sig, at)).toBe(false);
    expect(verifyWebhook('other', '{"a":1}', sig, at)).toBe(false);
    expect(verifyWebhook('s3cret', '{"a":1}', sig, at + 10 * 60_000)).toBe(false);
  });

  it('backs off exponentially up to ten minutes', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(20)).toBe(600_000);
  });
});
