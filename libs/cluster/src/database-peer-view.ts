/**
 * Whether this node is cut off from the shared database alone: it has had no answer from the
 * database for a while, and another node said within the last moments that it has (its own
 * answers are fresh). When nobody reaches the database the outage is everyone's, and moving
 * devices to another node helps nobody; when only this node cannot, they are better served
 * elsewhere. Each node judges its own answers by its own clock, so clocks need not agree.
 *
 * Margins: a node says "fresh" while its last answer is at most FRESH_MS old, and a saying
 * counts for HEARD_MS after it arrives, so a word sent just before a shared outage began counts
 * at most FRESH_MS + HEARD_MS into it; this node counts itself cut off only after SELF_STALE_MS
 * without an answer, which is longer. (The lease round asks the database every second.)
 */
export const FRESH_MS = 1500;
export const HEARD_MS = 1500;
export const SELF_STALE_MS = 4000;

export class DatabasePeerView {
  private readonly heardAt = new Map<string, number>();

  constructor(private readonly self: string) {}

  /** `node` said at `at` (this node's clock, on arrival) whether its database answers are fresh. */
  heard(node: string, fresh: boolean, at: number): void {
    if (node === this.self) return;
    if (fresh) this.heardAt.set(node, at);
    else this.heardAt.delete(node);
  }

  cutOffAlone(lastAnsweredAt: number, now: number): boolean {
    if (now - lastAnsweredAt <= SELF_STALE_MS) return false;
    for (const at of this.heardAt.values()) if (now - at <= HEARD_MS) return true;
    return false;
  }
}

/** What this node says of itself: its own last answer is fresh. */
export const freshAnswer = (lastAnsweredAt: number, now: number): boolean => now - lastAnsweredAt <= FRESH_MS;
