import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad, type LoadRecord, type WindowRecord } from './load';

type ConnectedRecord = Extract<LoadRecord, { type: 'connected' }>;
import { cpuSeconds, mainThreadSleeps, rssBytes, systemSeconds, treeCpuSeconds } from './proc';
import { summariseProfile, type ProfileSummary } from './profile';
import { memoryAfterGc, ROOT, scrape } from './servers';
import { round, spread } from './stats';
import { waitFor } from '../../libs/testing/src/wait-for';
import { log, sleep } from './log';
import { type BenchOptions, type QosSummary, type SpoolResult, type StepResult, type WindowResult } from './results';
import type { LiveTarget } from './targets';

/**
 * The load generator's CPU priority (devices-sim load --nice). In production the devices are
 * elsewhere; here the generator (~0.33 core at 10,000 beds, QoS 1, with its lean connections;
 * ~0.6 with MQTT.js clients) shares two cores with the server, PostgreSQL and influxd, and at
 * equal priority it took CPU the server needed. It
 * applies to every target alike; its lateness is reported, and a lagging generator breaks a step.
 */
export const GENERATOR_NICE = 19;

/** Beds whose call buttons one `devices-sim load --sos` run uses: a press each, plus its probe's warm-up press. */
const sosBedsUsed = (presses: number, windows: number) => (presses > 0 ? presses * windows + 1 : 0);

/** Waits until the delivered counter reaches `expected` or stops moving. */
async function settle(read: () => Promise<number>, expected: number, maxMs: number): Promise<number> {
  const deadline = Date.now() + maxMs;
  let last = await read();
  let still = Date.now();
  while (Date.now() < deadline && last < expected) {
    await sleep(100);
    const v = await read();
    if (v !== last) {
      last = v;
      still = Date.now();
    } else if (Date.now() - still > 1000) break;
  }
  return last;
}

export async function runStep(t: LiveTarget, beds: number, o: BenchOptions): Promise<StepResult> {
  const creds = await t.credsFor(beds);
  const isHub = t.hub !== null;
  const memBefore = await memoryAfterGc(t.server, rssBytes);
  let memAfter: typeof memBefore | null = null;
  let start: {
    cpu: number;
    sys: number;
    sleeps: number;
    backend: number;
    side: Record<string, number>;
    gen: number;
    gc: number | null;
    delivered: number;
  } | null = null;
  const serverPids = () => (t.serverPids ? t.serverPids() : [t.server.pid]);
  const serverCpu = () => serverPids().reduce((a, p) => a + cpuSeconds(p), 0);
  const serverSys = () => serverPids().reduce((a, p) => a + systemSeconds(p), 0);
  const serverSleeps = () => serverPids().reduce((a, p) => a + mainThreadSleeps(p), 0);
  const sideCpu = (): Record<string, number> =>
    Object.fromEntries(Object.entries(t.sidePids?.() ?? {}).map(([k, pids]) => [k, treeCpuSeconds(pids)]));
  const windows: WindowResult[] = [];
  let connected: ConnectedRecord | null = null;
  const sosPerWindow = isHub ? o.sos : 0;
  const windowsPerStep = o.runs * 2;
  const args = [
    '--mqtt',
    t.server.mqttUrl,
    '--credentials',
    creds,
    '--beds',
    String(beds),
    '--kinds',
    'mattress',
    '--rate',
    '1',
    '--duration',
    String(o.windowS),
    '--qos',
    '0,1',
    '--runs',
    String(o.runs),
    '--pause',
    String(o.pauseS),
    '--hold',
    String(o.holdS),
    '--drain',
    String(o.drainS),
    '--connect-rate',
    '2000',
    '--warmup',
    String(o.warmupS),
    '--nice',
    String(GENERATOR_NICE),
    ...(isHub
      ? [
          '--hub',
          t.hub!.httpUrl,
          '--admin',
          `${t.hub!.admin.username}:${t.hub!.admin.password}`,
          '--sos',
          String(sosPerWindow),
          '--sos-offset',
          String(t.sosOffset),
          '--sos-timeout',
          '10',
        ]
      : []),
  ];
  t.sosOffset += sosBedsUsed(sosPerWindow, windowsPerStep);
  const timeoutMs =
    120_000 +
    beds * 40 +
    (o.warmupS + o.drainS) * 1000 +
    windowsPerStep * (o.windowS + o.drainS + o.pauseS + 12) * 1000;
  const res = await runLoad(args, {
    timeoutMs,
    onRecord: async (r, genPid) => {
      if (r.type === 'connected') connected = r;
      if (o.measureMemory !== false && ((r.type === 'connected' && o.warmupS === 0) || r.type === 'warmed-up')) {
        await sleep(Math.max(0, o.holdS * 1000 - 1500));
        memAfter = await memoryAfterGc(t.server, rssBytes);
      } else if (r.type === 'window-start') {
        const backend = t.backendPids();
        start = {
          cpu: serverCpu(),
          sys: serverSys(),
          sleeps: serverSleeps(),
          backend: treeCpuSeconds(backend),
          side: sideCpu(),
          gen: cpuSeconds(genPid),
          gc: (await t.gcSeconds?.()) ?? null,
          delivered: await t.delivered(),
        };
      } else if (r.type === 'window' && start) {
        const s = start;
        start = null;
        const qos = r.qos;
        const delivered = (await settle(t.delivered, s.delivered + r.sent, 5000)) - s.delivered;
        const cpu = serverCpu() - s.cpu;
        const sys = serverSys() - s.sys;
        const sleeps = serverSleeps() - s.sleeps;
        const side = sideCpu();
        const backendPids = t.backendPids();
        const backend = backendPids.length ? treeCpuSeconds(backendPids) - s.backend : null;
        const gen = cpuSeconds(genPid) - s.gen;
        const gcEnd = s.gc === null ? null : ((await t.gcSeconds?.()) ?? null);
        const gc = s.gc === null || gcEnd === null ? null : gcEnd - s.gc;
        const undelivered = Math.max(0, r.sent - delivered);
        const unacked = qos === 1 ? r.sent - (r.acked ?? 0) : 0;
        const lost = isHub && qos === 1 ? unacked : Math.max(undelivered, unacked);
        const good = qos === 1 && isHub ? (r.acked ?? 0) : Math.min(delivered, r.sent);
        const sosRec = r.sos;
        windows.push({
          qos,
          sent: r.sent,
          delivered: good,
          lossRatio: r.sent ? lost / r.sent : 0,
          throughputPerSec: good / (r.sendWindowMs / 1000),
          p50Ms: r.latencyMs?.p50 ?? null,
          p99Ms: r.latencyMs?.p99 ?? null,
          p999Ms: r.latencyMs?.p999 ?? null,
          latenessP99Ms: r.latenessMs.p99,
          serverCpuUsPerMsg: good ? (cpu / good) * 1e6 : NaN,
          serverSystemShare: cpu > 0 ? sys / cpu : null,
          serverGcUsPerMsg: gc !== null && good ? (gc / good) * 1e6 : null,
          serverWakeupsPerMsg: good ? sleeps / good : null,
          backendCpuUsPerMsg: backend !== null && good ? (backend / good) * 1e6 : null,
          generatorCpuUsPerMsg: r.sent ? (gen / r.sent) * 1e6 : NaN,
          ...(t.sidePids
            ? {
                sideCpuUsPerMsg: Object.fromEntries(
                  Object.entries(side).map(([k, v]) => [k, good ? ((v - (s.side[k] ?? 0)) / good) * 1e6 : NaN]),
                ),
              }
            : {}),
          sos: !sosRec
            ? null
            : 'unavailable' in sosRec
              ? { unavailable: sosRec.unavailable }
              : {
                  presses: sosRec.presses,
                  matched: sosRec.matched,
                  p50: sosRec.latencyMs.p50,
                  p99: sosRec.latencyMs.p99,
                  p999: sosRec.latencyMs.p999,
                  max: sosRec.latencyMs.max,
                },
        });
      }
    },
  });
  // Assigned in the record callback, which control-flow analysis does not follow.
  const c = connected as ConnectedRecord | null;
  const connections = c?.devices ?? 0;
  const step: StepResult = {
    beds,
    connections,
    connectMs: c?.connectMs ?? 0,
    connectFailures: c?.connectFailures ?? beds,
    memory: null,
    qos: [],
    sos: null,
    broken: null,
    windows,
  };
  const ma = memAfter as typeof memBefore | null;
  if (ma && connections > 0) {
    step.memory = {
      before: memBefore.rss,
      after: ma.rss,
      bytesPerConnection: Math.round((ma.rss - memBefore.rss) / connections),
      heapBytesPerConnection:
        ma.heapUsed !== null && memBefore.heapUsed !== null
          ? Math.round(
              (ma.heapUsed + (ma.external ?? 0) - memBefore.heapUsed - (memBefore.external ?? 0)) / connections,
            )
          : null,
      gc: ma.gc,
    };
  }
  if (windows.length === 0) {
    step.error = `load generator produced no windows (exit ${res.code}): ${res.stderr.slice(-1500)}`;
    step.broken = 'no result';
    return step;
  }
  for (const qos of [0, 1] as const) {
    const ws = windows.filter((w) => w.qos === qos);
    const q: QosSummary = {
      qos,
      windows: ws.length,
      offeredPerSec: connections,
      throughputPerSec: spread(ws.map((w) => w.throughputPerSec)),
      lossRatio: spread(ws.map((w) => w.lossRatio)),
      p50Ms: spread(ws.map((w) => w.p50Ms)),
      p99Ms: spread(ws.map((w) => w.p99Ms)),
      p999Ms: spread(ws.map((w) => w.p999Ms)),
      latenessP99Ms: spread(ws.map((w) => w.latenessP99Ms)),
      serverCpuUsPerMsg: spread(ws.map((w) => w.serverCpuUsPerMsg)),
      serverSystemShare: spread(ws.map((w) => w.serverSystemShare)),
      serverGcUsPerMsg: spread(ws.map((w) => w.serverGcUsPerMsg ?? null)),
      serverWakeupsPerMsg: spread(ws.map((w) => w.serverWakeupsPerMsg ?? null)),
      backendCpuUsPerMsg: spread(ws.map((w) => w.backendCpuUsPerMsg)),
      generatorCpuUsPerMsg: spread(ws.map((w) => w.generatorCpuUsPerMsg)),
      broken: null,
    };
    const sideNames = [...new Set(ws.flatMap((w) => Object.keys(w.sideCpuUsPerMsg ?? {})))];
    if (sideNames.length)
      q.sideCpuUsPerMsg = Object.fromEntries(
        sideNames.map((k) => [k, spread(ws.map((w) => w.sideCpuUsPerMsg?.[k] ?? null))]),
      );
    const why: string[] = [];
    if ((q.lossRatio?.median ?? 1) > o.maxLoss) why.push(`loss ${round((q.lossRatio?.median ?? 1) * 100)} %`);
    if (qos === 1 && (q.p99Ms?.median ?? 0) > o.maxP99Ms) why.push(`p99 ${q.p99Ms?.median} ms`);
    if ((q.latenessP99Ms?.median ?? 0) > o.maxP99Ms)
      why.push(`generator lagging (lateness p99 ${q.latenessP99Ms?.median} ms)`);
    if (step.connectFailures > beds * 0.001) why.push(`${step.connectFailures} connect failures`);
    q.broken = why.length ? why.join(', ') : null;
    step.qos.push(q);
  }
  const broken = step.qos.filter((q) => q.broken).map((q) => `QoS ${q.qos}: ${q.broken}`);
  step.broken = broken.length ? broken.join('; ') : null;
  if (isHub) {
    const sw = windows.map((w) => w.sos).filter((s) => s !== null);
    const unavailable = sw.find((s): s is { unavailable: string } => s !== null && 'unavailable' in s);
    if (unavailable) step.sos = { unavailable: unavailable.unavailable };
    else {
      const ok = sw as { presses: number; matched: number; p50: number; p99: number; p999: number; max: number }[];
      const withData = ok.filter((s) => s.matched > 0);
      step.sos = {
        windows: ok.length,
        presses: ok.reduce((a, s) => a + s.presses, 0),
        matched: ok.reduce((a, s) => a + s.matched, 0),
        p50Ms: spread(withData.map((s) => s.p50)),
        p99Ms: spread(withData.map((s) => s.p99)),
        p999Ms: spread(withData.map((s) => s.p999)),
        maxMs: spread(withData.map((s) => s.max)),
      };
    }
  }
  return step;
}

export async function spoolTest(t: LiveTarget, beds: number): Promise<SpoolResult> {
  const creds = await t.credsFor(beds);
  const hub = t.hub!;
  const influx = t.influx!;
  const series: [number, number][] = [];
  let peakPoints = 0;
  let peakBytes = 0;
  let restartedAt = 0;
  let killedAt = 0;
  let caughtUpAt: number | null = null;
  let polling = true;
  const t0 = Date.now();
  const written0 = (await scrape(hub.httpUrl))('bedside_telemetry_points_written');
  const poll = (async () => {
    while (polling) {
      try {
        const m = await scrape(hub.httpUrl);
        const depth = m('bedside_telemetry_spool_depth_points');
        const bytes = m('bedside_telemetry_spool_bytes');
        series.push([Date.now() - t0, depth]);
        peakPoints = Math.max(peakPoints, depth);
        peakBytes = Math.max(peakBytes, bytes);
        if (restartedAt && caughtUpAt === null && depth === 0 && peakPoints > 0) caughtUpAt = Date.now();
      } catch {
        /* hub busy */
      }
      await sleep(250);
    }
  })();
  const outageMs = 10_000;
  const duration = 35;
  let summary: WindowRecord | undefined;
  await runLoad(
    [
      '--mqtt',
      hub.mqttUrl,
      '--credentials',
      creds,
      '--beds',
      String(beds),
      '--kinds',
      'mattress',
      '--rate',
      '1',
      '--duration',
      String(duration),
      '--qos',
      '1',
      '--runs',
      '1',
      '--drain',
      '10',
      '--connect-rate',
      '2000',
    ],
    {
      timeoutMs: 180_000,
      onRecord: (r) => {
        if (r.type === 'summary') summary = r;
        if (r.type === 'window-start') {
          void (async () => {
            await sleep(5000);
            log(`spool: killing influxd for ${outageMs / 1000} s`);
            killedAt = Date.now();
            await influx.kill();
            await sleep(outageMs);
            await influx.restart();
            restartedAt = Date.now();
            log('spool: influxd restarted');
          })();
        }
      },
    },
  );
  const deadline = Date.now() + 60_000;
  while (caughtUpAt === null && Date.now() < deadline && restartedAt) await sleep(250);
  polling = false;
  await poll;
  const written = (await scrape(hub.httpUrl))('bedside_telemetry_points_written') - written0;
  return {
    beds,
    outageMs: restartedAt && killedAt ? restartedAt - killedAt : 0,
    peakSpoolPoints: peakPoints,
    peakSpoolBytes: peakBytes,
    catchUpMs: caughtUpAt !== null && restartedAt ? Math.max(0, caughtUpAt - restartedAt) : null,
    pointsWrittenDuringRun: written,
    lossRatio: summary?.lossRatio ?? 1,
    p99Ms: summary?.latencyMs?.p99 ?? null,
    series: series.filter((_, i) => i % 4 === 0),
  };
}

/**
 * Profiles a steady window only: the hub runs as in the steps, the load connects and sends, and
 * the preload (bench/profile-on-signal.ts) samples from 5 s after the first window starts for
 * PROFILE_WINDOW_S, so start-up, provisioning and the connect storm stay out of the picture.
 */
const PROFILE_WINDOW_S = 10;
export async function profileHub(
  t: LiveTarget,
  beds: number,
  o: BenchOptions,
): Promise<{ summary: ProfileSummary; load: WindowRecord | null }> {
  const creds = await t.credsFor(beds);
  const hub = t.hub!;
  const profileFile = join(hub.dataDir, 'bench-window.cpuprofile');
  rmSync(profileFile, { force: true });
  const windowS = o.quick ? 2 : PROFILE_WINDOW_S;
  let load: WindowRecord | null = null;
  let profiling: Promise<void> | null = null;
  await runLoad(
    [
      '--mqtt',
      hub.mqttUrl,
      '--hub',
      hub.httpUrl,
      '--admin',
      `${hub.admin.username}:${hub.admin.password}`,
      '--credentials',
      creds,
      '--beds',
      String(beds),
      '--kinds',
      'mattress',
      '--rate',
      '1',
      '--duration',
      String(windowS + 10),
      '--qos',
      '1',
      '--drain',
      '10',
      '--connect-rate',
      '2000',
      '--sos',
      String(o.sos),
      '--sos-offset',
      String(t.sosOffset),
    ],
    {
      timeoutMs: 180_000,
      onRecord: (r) => {
        if (r.type === 'summary') load = r;
        if (r.type === 'window-start' && !profiling) {
          profiling = (async () => {
            await sleep(5_000);
            process.kill(hub.pid, 'SIGURG');
            await sleep(windowS * 1000);
            process.kill(hub.pid, 'SIGURG');
          })();
        }
      },
    },
  );
  t.sosOffset += sosBedsUsed(o.sos, 1);
  // Assigned in the record callback, which control-flow analysis does not follow.
  const started = profiling as Promise<void> | null;
  if (started) await started;
  await waitFor(() => existsSync(profileFile), { timeoutMs: 20_000, intervalMs: 100, what: 'window profile' });
  await sleep(500);
  const keep = join(o.outDir, `profile-${t.name}.cpuprofile`);
  writeFileSync(keep, readFileSync(profileFile));
  return { summary: { ...summariseProfile(keep), file: keep.replace(ROOT + '/', '') }, load };
}
