import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority to `nice` (1-19). Linux keeps a nice value per thread, so
 * every thread (V8's GC helpers included) is lowered, read from /proc/self/task; threads started
 * later inherit it. Elsewhere the process's priority is set. Best effort: a refusal is ignored.
 */
export function lowerPriority(nice: number): void {
  let tids: number[] = [];
  try {
    tids = readdirSync('/proc/self/task').map(Number);
  } catch {
    /* not Linux */
  }
  for (const tid of tids.length > 0 ? tids : [0]) {
    try {
      setPriority(tid, nice);
    } catch {
      /* a thread that ended meanwhile, or no permission */
    }
  }
}
