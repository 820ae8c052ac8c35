import type { DeviceIdentity } from '@bedside/registry';

interface Remembered {
  identity: DeviceIdentity;
  /** Until when this node knows the identity was current: its last lookup, or the device leaving. */
  confirmedAt: number;
}

/**
 * Device identities this node has read, for logins while the database is unreachable. During an
 * outage every device that sends anything is closed unacknowledged so that it resends (MQTT
 * 3.1.1 §4.4); a device that could not log in again would then not be heard at all, not even
 * its call for help. The secret is still checked, against the remembered salt and hash.
 *
 * An identity counts as current until the device leaves this node: while it is connected here,
 * a revocation or rotation reaches this node (and is forgotten at once). After it left, an
 * access change may be made elsewhere unseen, so the identity is used only within `graceMs`.
 * Least recently used identities beyond `max` are dropped.
 */
export class RememberedIdentities {
  private readonly entries = new Map<string, Remembered>();

  constructor(
    private readonly graceMs: number,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Read from the database at `at`. */
  remember(identity: DeviceIdentity, at: number): void {
    if (this.graceMs <= 0) return;
    this.entries.delete(identity.id);
    this.entries.set(identity.id, { identity, confirmedAt: at });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The device was connected here until `at`: any access change up to then was seen. */
  confirm(deviceId: string, at: number): void {
    const e = this.entries.get(deviceId);
    if (e) e.confirmedAt = Math.max(e.confirmedAt, at);
  }

  /** Revoked, rotated, deleted or unknown: never used again until read anew. */
  forget(deviceId: string): void {
    this.entries.delete(deviceId);
  }

  /** The identity to log in with while the database cannot be asked, if still trusted at `now`. */
  recall(deviceId: string, now: number): DeviceIdentity | undefined {
    const e = this.entries.get(deviceId);
    if (!e || now - e.confirmedAt > this.graceMs) return undefined;
    return e.identity;
  }
}
