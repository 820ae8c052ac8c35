/**
 * Partitions whose beds are being recovered after this node gained them. Work for such a bed
 * waits for its gate, so nothing is evaluated before the missed events were replayed. Gates
 * raised in one lease round share one recovery run (one set of queries for all of them).
 */
export class PartitionGates {
  private readonly gates = new Map<number, Promise<void>>();
  private batch: { partitions: number[]; open: () => void; done: Promise<void> } | null = null;

  constructor(private readonly recover: (partitions: number[]) => Promise<void>) {}

  /** Closes the partition's gate until a recovery run that includes it has finished. */
  close(partition: number): void {
    if (!this.batch) {
      let open!: () => void;
      const done = new Promise<void>((resolve) => (open = resolve));
      const batch = { partitions: [] as number[], open, done };
      this.batch = batch;
      setImmediate(() => {
        this.batch = null;
        void this.recover(batch.partitions)
          .catch(() => undefined)
          .finally(() => {
            for (const p of batch.partitions) if (this.gates.get(p) === batch.done) this.gates.delete(p);
            batch.open();
          });
      });
    }
    this.batch.partitions.push(partition);
    this.gates.set(partition, this.batch.done);
  }

  /** The gate work for this partition must wait for, or undefined when it is open. */
  of(partition: number): Promise<void> | undefined {
    return this.gates.get(partition);
  }

  get closed(): number {
    return this.gates.size;
  }

  /** Resolves when every recovery run started so far has finished. */
  async settled(): Promise<void> {
    await Promise.all(this.gates.values());
  }
}
