import type { DeviceIdentity } from '@bedside/registry';
import { RememberedIdentities } from './remembered-identities';

const identity = (id: string): DeviceIdentity => ({
  id,
  kind: 'button',
  organisationId: 'org-1',
  bedId: 'bed-1',
  secretSalt: 'salt',
  secretHash: 'hash',
  revoked: false,
});

describe('RememberedIdentities', () => {
  const HOUR = 3_600_000;

  it('recalls an identity within the grace after it was last known current, not after', () => {
    const ids = new RememberedIdentities(HOUR, 10);
    ids.remember(identity('d1'), 0);
    expect(ids.recall('d1', HOUR)?.id).toBe('d1');
    expect(ids.recall('d1', HOUR + 1)).toBeUndefined();
  });

  it('counts the grace from when the device left this node: until then an access change would have reached it', () => {
    const ids = new RememberedIdentities(HOUR, 10);
    ids.remember(identity('d1'), 0);
    ids.confirm('d1', 5 * HOUR); // connected here for five hours, then gone
    expect(ids.recall('d1', 6 * HOUR)?.id).toBe('d1');
    expect(ids.recall('d1', 6 * HOUR + 1)).toBeUndefined();
    ids.confirm('d1', HOUR); // never moves back in time
    expect(ids.recall('d1', 6 * HOUR)?.id).toBe('d1');
  });

  it('forgets a device at once (revoked, rotated, moved to another bed, or unknown to the database)', () => {
    const ids = new RememberedIdentities(HOUR, 10);
    ids.remember(identity('d1'), 0);
    ids.forget('d1');
    expect(ids.recall('d1', 1)).toBeUndefined();
    ids.confirm('d1', 2); // confirming a forgotten device does not bring it back
    expect(ids.recall('d1', 3)).toBeUndefined();
  });

  it('keeps at most `max`, dropping the least recently read', () => {
    const ids = new RememberedIdentities(HOUR, 2);
    ids.remember(identity('d1'), 0);
    ids.remember(identity('d2'), 0);
    ids.remember(identity('d1'), 1); // read again: now the most recent
    ids.remember(identity('d3'), 2);
    expect(ids.size).toBe(2);
    expect(ids.recall('d2', 3)).toBeUndefined();
    expect(ids.recall('d1', 3)?.id).toBe('d1');
    expect(ids.recall('d3', 3)?.id).toBe('d3');
  });

  it('remembers nothing with a grace of 0', () => {
    const ids = new RememberedIdentities(0, 10);
    ids.remember(identity('d1'), 0);
    expect(ids.recall('d1', 0)).toBeUndefined();
  });
});
