import { HubUnreachableError } from '../cli/exit-codes';
import { sleep } from './sleep';

/** Calls `fn` until it returns a value (not undefined), or gives up after `timeoutMs` returning undefined. */
export async function poll<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      if (err instanceof HubUnreachableError || Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) return undefined;
    await sleep(intervalMs);
  }
}
