/**
 * What the other nodes last said of the shared database: whether they reach it. A node that
 * cannot reach the database while others can is cut off alone, and its devices are better served
 * elsewhere; when nobody reaches it, the outage is everyone's and moving devices helps nobody.
 */
export class DatabasePeerView {
  private readonly said = new Map<string, { reachable: boolean; at: number }>();

  constructor(
    private readonly self: string,
    /** A node not heard from for this long says nothing. */
    private readonly staleMs: number,
  ) {}

  heard(node: string, reachable: boolean, at: number): void {
    if (node !== this.self) this.said.set(node, { reachable, at });
  }

  othersReachIt(now: number): boolean {
    for (const s of this.said.values()) if (s.reachable && now - s.at <= this.staleMs) return true;
    return false;
  }
}
