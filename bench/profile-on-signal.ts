/**
 * Benchmark preload (never loaded by the hub in production): `node --require
 * dist/bench/profile-on-signal.js ...`. SIGURG (ignored by default, unused by servers; SIGPROF
 * belongs to V8's sampler) toggles a CPU profile through the inspector, written to
 * $BENCH_PROFILE_FILE. It lets the suite profile a steady-load window only, without start-up,
 * provisioning and the connect storm that a whole-life `--cpu-prof` mixes in.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.BENCH_PROFILE_FILE;
if (file) {
  let session: Session | null = null;
  process.on('SIGURG', () => {
    if (!session) {
      const s = new Session();
      s.connect();
      s.post('Profiler.enable', () =>
        s.post('Profiler.setSamplingInterval', { interval: 500 }, () => s.post('Profiler.start')),
      );
      session = s;
      return;
    }
    const s = session;
    session = null;
    s.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(file, JSON.stringify(res.profile));
      s.disconnect();
    });
  });
}
