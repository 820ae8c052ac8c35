/** Waiters settled per turn of the event loop by `inSlices` callers. */
export const SETTLE_SLICE = 250;

/**
 * Calls `fn` on `items` in slices, yielding to the event loop (setImmediate) between slices.
 * Settling thousands of waiters at once runs all their continuations (one PUBACK write each)
 * in a single microtask drain, and nothing else, an SOS arriving or a database reply, is served
 * until it ends: at 10,000 messages a second that was a 30-40 ms stall several times a second.
 * Resolves once every item has been handled.
 */
export function inSlices<T>(
  items: readonly T[],
  fn: (item: T, index: number) => void,
  size = SETTLE_SLICE,
  budget?: SliceBudget,
): Promise<void> {
  return new Promise((done) => {
    let i = 0;
    const next = () => {
      const end = Math.min(i + size, items.length);
      if (budget) {
        const until = budget.now() + budget.ms;
        while (i < end) {
          fn(items[i], i);
          i++;
          if (budget.now() >= until) break;
        }
      } else for (; i < end; i++) fn(items[i], i);
      if (i < items.length) setImmediate(next);
      else done();
    };
    next();
  });
}

/**
 * A slice also ends once it has run `ms` (by `now`, a monotonic clock in ms), for items whose
 * cost varies: a count alone lets a slice of expensive items hold the loop for as long as they take.
 */
export interface SliceBudget {
  ms: number;
  now: () => number;
}
