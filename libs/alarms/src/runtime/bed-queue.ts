/**
 * Serialises work per bed (a promise chain per bed) while beds run concurrently. Every job first
 * waits for the gate, so nothing runs before boot recovery has replayed what was missed.
 */
export class BedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private gate: Promise<void> = Promise.resolve();
  private gateOpen = true;

  /** Jobs wait for `gate` (e.g. boot recovery) before running. */
  hold(gate: Promise<void>): void {
    this.gate = gate;
    this.gateOpen = false;
    void gate.then(() => {
      if (this.gate === gate) this.gateOpen = true;
    });
  }

  /**
   * True when a job for this bed could start right now: the gate is open and nothing of the bed
   * is queued or running. Work done synchronously at such a moment is serialised as if it had
   * been queued, without a promise round trip.
   */
  isIdle(bedId: string): boolean {
    return this.gateOpen && !this.tails.has(bedId);
  }

  run<T>(bedId: string, job: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(bedId) ?? this.gate;
    const next = prev.then(job, job);
    const tail = next.catch(() => undefined);
    this.tails.set(bedId, tail);
    // Forget finished chains so the map does not grow with every bed ever seen.
    void tail.then(() => {
      if (this.tails.get(bedId) === tail) this.tails.delete(bedId);
    });
    return next;
  }

  /** Resolves when the jobs queued so far for these beds have finished. */
  async settled(bedIds: Iterable<string>): Promise<void> {
    const tails: Promise<unknown>[] = [];
    for (const id of bedIds) {
      const tail = this.tails.get(id);
      if (tail) tails.push(tail);
    }
    await Promise.all(tails);
  }

  /** Resolves when every queued job has finished. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
