/**
 * What a flooding device costs the hub: the hub's CPU time (utime + stime, robust on a shared
 * machine where latency is not) per message refused for quota while one device floods telemetry
 * at QoS 0 and one floods status at QoS 1 without reading its socket (the two devices of the
 * fairness bench), minus the same hub's CPU over an equal quiet window. Alone:
 *
 *   node dist/bench/flood-cost.bench.js [--window-s 10] [--rounds 2] [--profile]
 *
 * --profile writes a CPU profile of the last flood window (bench/profile-on-signal.ts) and prints
 * where its time went.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { hubApi } from '../libs/testing/src/hub-api';
import { stuckDevice } from './device-fairness.bench';
import { argNumber } from './lib/argv';
import { cpuSeconds } from './lib/proc';
import { summariseProfile } from './lib/profile';
import { scrape, spawnHub } from './lib/servers';

interface Creds {
  deviceId: string;
  mqtt: { username: string; password: string; clientId: string };
}

export interface FloodCostResult {
  windowS: number;
  rounds: { load: number[]; quietCpuMs: number; floodCpuMs: number; refused: number; sent: number }[];
  /** Hub CPU per refused message, µs: (flood CPU − quiet CPU) ÷ refused, over all rounds. */
  usPerRefused: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadNow = () => loadavg().map((x) => Math.round(x * 100) / 100);

export async function floodCostBench(
  o: { windowS: number; rounds: number; profile?: boolean },
  log: (s: string) => void = console.log,
): Promise<FloodCostResult> {
  const hub = await spawnHub();
  try {
    const api = hubApi(hub);
    const port = Number(new URL(hub.mqttUrl).port);
    const beds = [await api.provisionBed('flood-0'), await api.provisionBed('flood-1')];
    const flooderCreds = beds[0].devices.mattress.credentials as Creds;
    const stuckCreds = beds[1].devices.mattress.credentials as Creds;
    const refusedNow = async () => (await scrape(hub.httpUrl))('bedside_mqtt_quota_exceeded_total');
    const rounds: FloodCostResult['rounds'] = [];
    for (let round = 1; round <= o.rounds; round++) {
      const load = loadNow();
      const q0 = cpuSeconds(hub.pid);
      await sleep(o.windowS * 1000);
      const quietCpuMs = (cpuSeconds(hub.pid) - q0) * 1000;

      const flooder = spawn(process.execPath, [join(__dirname, 'device-fairness.bench.js'), '--flood-child'], {
        env: { PATH: process.env.PATH ?? '', FLOOD_URL: hub.mqttUrl, FLOOD_CREDS: JSON.stringify(flooderCreds) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      flooder.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const stuck = await stuckDevice(port, stuckCreds);
      const stopStuck = stuck.flood();
      // Past both devices' bursts: the window sees refusals only.
      await sleep(1000);
      const profiling = o.profile && round === o.rounds;
      if (profiling) process.kill(hub.pid, 'SIGURG');
      const r0 = await refusedNow();
      const f0 = cpuSeconds(hub.pid);
      await sleep(o.windowS * 1000);
      const floodCpuMs = (cpuSeconds(hub.pid) - f0) * 1000;
      const refused = (await refusedNow()) - r0;
      if (profiling) process.kill(hub.pid, 'SIGURG');
      const exited = new Promise((r) => flooder.once('exit', r));
      flooder.kill('SIGTERM');
      await exited;
      stopStuck();
      stuck.socket.destroy();
      const sent = Number(/sent (\d+)/.exec(out)?.[1] ?? 0);
      rounds.push({ load, quietCpuMs: Math.round(quietCpuMs), floodCpuMs: Math.round(floodCpuMs), refused, sent });
      log(
        `round ${round}: load ${load.join(', ')}; hub CPU quiet ${Math.round(quietCpuMs)} ms, flood ${Math.round(floodCpuMs)} ms; ${refused} refused (${sent} telemetry sent)`,
      );
      await sleep(1500);
    }
    const extra = rounds.reduce((n, r) => n + r.floodCpuMs - r.quietCpuMs, 0);
    const refused = rounds.reduce((n, r) => n + r.refused, 0);
    const usPerRefused = refused > 0 ? Math.round(((extra * 1000) / refused) * 10) / 10 : NaN;
    log(`hub CPU per refused message: ${usPerRefused} µs (${refused} refused in ${o.rounds} × ${o.windowS} s)`);
    if (o.profile) {
      const file = join(hub.dataDir, 'bench-window.cpuprofile');
      for (let i = 0; i < 50 && !existsSync(file); i++) await sleep(100);
      const s = summariseProfile(file);
      log(`profile of the last flood window (${file}): busy ${s.busyMs} of ${s.durationMs} ms`);
      for (const a of s.areas.slice(0, 12))
        log(`  ${a.area.padEnd(42)} ${String(a.selfMs).padStart(6)} ms ${a.pctOfBusy}%`);
      log('  top functions (self):');
      for (const f of s.topSelf.slice(0, 20))
        log(`  ${String(f.selfMs).padStart(6)} ms ${String(f.pctOfBusy).padStart(5)}%  ${f.fn}  ${f.where}`);
      log('  our code (inclusive):');
      for (const f of s.topOurInclusive.slice(0, 12))
        log(`  ${String(f.totalMs).padStart(6)} ms ${String(f.pctOfBusy).padStart(5)}%  ${f.fn}  ${f.where}`);
    }
    return { windowS: o.windowS, rounds, usPerRefused };
  } finally {
    await hub.stop();
  }
}

if (require.main === module) {
  floodCostBench({
    windowS: argNumber('--window-s', 10),
    rounds: argNumber('--rounds', 2),
    profile: process.argv.includes('--profile'),
  }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
