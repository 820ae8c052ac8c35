/**
 * The cluster bus (ClusterBus on core NATS) on loopback: fast-path latency and cost per
 * message, request/reply and no-responders times, and how fast both sides are back after the
 * NATS server restarts. Two buses in this process, a real nats-server on a random port. Not a
 * timed test: run it by hand.
 *
 *   npx tsc -p tsconfig.build.json && npx tsc-alias -p tsconfig.build.json
 *   node dist/bench/cluster-bus.bench.js [messages=100000]
 *
 * Prints one JSON line. Library imports are relative so the file runs without path aliases.
 */
import { readFileSync } from 'node:fs';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { SystemClock } from '../libs/common/src/clock';
import { ClusterBus, type BusCounters } from '../libs/cluster/src/bus/cluster-bus';
import { startNats, type NatsServer } from '../libs/testing/src/nats-server';
import { waitFor } from '../libs/testing/src/wait-for';

const uncounted: BusCounters = {
  published: () => undefined,
  received: () => undefined,
  dropped: () => undefined,
  undecodable: () => undefined,
  handlerFailed: () => undefined,
  requestFailed: () => undefined,
  connected: () => undefined,
};
const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const round = (x: number) => Math.round(x * 1000) / 1000;
function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.floor(q * s.length))]);
}
/** CPU ms of a process (utime + stime, /proc/<pid>/stat, 100 Hz ticks). */
function cpuMsOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

export async function clusterBusBench(messages = 100_000) {
  let nats: NatsServer = await startNats();
  const url = nats.url;
  const bus = (nodeId: string) => new ClusterBus({ url, nodeId }, new SystemClock(), uncounted, quiet);
  const a = bus('hub-a');
  const b = bus('hub-b');
  a.start();
  b.start();
  await waitFor(() => a.connected && b.connected, { what: 'both buses connected' });

  const latencies: number[] = [];
  let received = 0;
  for (let p = 0; p < 64; p++) {
    b.subscribePartition<{ kind: string; t?: string }>(p, (m) => {
      received++;
      if (m.t) latencies.push(ms(BigInt(m.t)));
    });
  }
  b.servePartition<{ kind: string; n: number }>(1, (c) => ({ kind: 'ack', n: c.n }));
  await b.flush();
  await a.flush();

  // Latency at about 1,000 messages a second, one at a time.
  const paced = 3000;
  for (let i = 0; i < paced; i++) {
    a.publishToPartition(i % 64, { kind: 'event', t: String(process.hrtime.bigint()), bedId: `bed-${i}` });
    await sleep(1);
  }
  await waitFor(() => received === paced, { what: 'the paced messages' });

  // Throughput and CPU per message, bursts of 500 per turn of the event loop.
  received = 0;
  const cpu0 = process.cpuUsage();
  const server0 = serverCpu(nats);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < messages; i += 500) {
    for (let j = 0; j < 500; j++) a.publishToPartition((i + j) % 64, { kind: 'event', bedId: `bed-${j}`, seq: i + j });
    await nextTurn();
  }
  await waitFor(() => received === messages, { what: 'every burst message', timeoutMs: 120_000 });
  const burstMs = ms(t0);
  const cpu = process.cpuUsage(cpu0);
  const serverMs = serverCpu(nats) - server0;

  const rtt: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = process.hrtime.bigint();
    await a.requestPartition(1, { kind: 'cmd', n: i }, 2000);
    rtt.push(ms(t));
  }
  const noResponders: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    await a.requestPartition(40, { kind: 'cmd' }, 5000).catch((e: { code?: string }) => {
      if (e.code !== 'PARTITION_UNAVAILABLE') throw e;
    });
    noResponders.push(ms(t));
  }

  const restarts: { downMs: number; dropped: number; reconnectedMs: number; deliveredMs: number }[] = [];
  for (const downMs of [1000, 3000, 10_000]) {
    const port = nats.port;
    await nats.stop();
    await waitFor(() => !a.connected && !b.connected, { what: 'both buses to notice' });
    let dropped = 0;
    const down = Date.now();
    while (Date.now() - down < downMs) {
      if (!a.publishToPartition(2, { kind: 'lost' })) dropped++;
      await sleep(10);
    }
    const up = process.hrtime.bigint();
    nats = await startNats({ port });
    await waitFor(() => a.connected && b.connected, { what: 'both buses back', timeoutMs: 30_000, intervalMs: 5 });
    const reconnectedMs = ms(up);
    received = 0;
    a.publishToPartition(3, { kind: 'after' });
    await waitFor(() => received === 1, { what: 'delivery after the restart', intervalMs: 1 });
    restarts.push({ downMs, dropped, reconnectedMs: round(reconnectedMs), deliveredMs: round(ms(up)) });
  }

  await a.close();
  await b.close();
  await nats.stop();
  return {
    bench: 'cluster-bus' as const,
    fastPath: { messages: paced, ratePerS: 1000, p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99) },
    burst: {
      messages,
      msgPerS: Math.round((messages / burstMs) * 1000),
      clientCpuUsPerMsg: round((cpu.user + cpu.system) / messages),
      serverCpuUsPerMsg: round((serverMs * 1000) / messages),
    },
    request: { sequential: rtt.length, p50Ms: pct(rtt, 0.5), p99Ms: pct(rtt, 0.99) },
    noResponders: {
      requests: noResponders.length,
      timeoutMs: 5000,
      p50Ms: pct(noResponders, 0.5),
      p99Ms: pct(noResponders, 0.99),
    },
    restarts,
  };
}

function serverCpu(nats: NatsServer): number {
  if (!nats.pid) throw new Error('nats-server has no pid');
  return cpuMsOf(nats.pid);
}

if (require.main === module) {
  clusterBusBench(Number(process.argv[2] ?? 100_000))
    .then((r) => console.log(JSON.stringify(r)))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
