/**
 * Benchmark preload (never loaded by the hub in production): `node --expose-gc --require
 * dist/bench/gc-on-signal.js ...`. On SIGWINCH (unused by servers; Nest already traps SIGUSR2 for shutdown) runs a full GC and writes process.memoryUsage()
 * as JSON to $BENCH_MEM_FILE, so the suite can measure memory per idle connection after GC
 * without an endpoint in the hub.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEM_FILE;
if (file) {
  process.on('SIGWINCH', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), gc: typeof gc === 'function', at: Date.now() }));
  });
}
