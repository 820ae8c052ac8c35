/** A FIFO lock. Used so alarm_events ids commit, and reach the live stream, in id order. */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the holders before; the returned function releases. */
  async acquire(): Promise<() => void> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise((r) => (release = r));
    await prev;
    return release;
  }

  async lock<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
