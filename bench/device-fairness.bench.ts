/**
 * Device fairness: other devices' `stored` and `alarm` ack latency (the `alarm` ack is the
 * device's view of SOS -> alarm) while one device floods telemetry and one stops reading its
 * socket, side by side with the same presses on a quiet hub. Target: loaded p99 within 2x of
 * quiet. Part of `npm run bench`; alone:
 *
 *   node dist/bench/device-fairness.bench.js [--buttons 8] [--window-s 5] [--every-ms 250] [--rounds 1] [--postgres] [--pin|--no-pin] [--docs]
 *
 * --postgres runs the hub on a PostgreSQL server the bench starts on loopback (libs/testing)
 * instead of PGlite, whose queries run on the hub's own thread and dominate its CPU under SOS load.
 *
 * --pin runs the hub's main thread (its JavaScript) on one CPU, its helper threads anywhere, and
 * everything else (this process with its buttons, the flooding and the stuck device processes,
 * PostgreSQL) on the others, for the quiet and the loaded windows alike, so the flood generator
 * cannot take the hub's CPU. By default (or --no-pin) the scheduler is free: on two cores that
 * measured better, since pinned, PostgreSQL shares one CPU with the flood generator.
 *
 * Alone it writes bench/results/<time>-fairness.json and, with --docs, replaces the fairness
 * section of docs/benchmarks.md with these figures.
 */
import { spawn } from 'node:child_process';
import { loadavg, setPriority } from 'node:os';
import { connect as tcpConnect, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import mqttPacket, { type Packet } from 'mqtt-packet';
import {
  affinityOf,
  describePinning,
  planPinning,
  setAffinity,
  setMainThreadAffinity,
  type CpuPinning,
} from './lib/cpu-pinning';
import { acksTopic, devicePrefix, eventsTopic, statusTopic, telemetryTopic } from '../libs/contracts/src/topics';
import { hubApi } from '../libs/testing/src/hub-api';
import { startPostgres, type PostgresServer } from '../libs/testing/src/postgres-server';
import { saveLoneRun, startLoneRun } from './lib/lone-run';
import { mainThreadSchedMs } from './lib/proc';
import { countOf, pooled, quantileBoundMs, readHistogram, since, type Buckets } from './lib/prom-histogram';
import { writeDeviceFairnessSection } from './lib/report-files';
import { scrape, spawnHub, type HubServer } from './lib/servers';
import { GENERATOR_NICE } from './lib/steps';

export interface DeviceFairnessOptions {
  /** Call buttons pressing (one bed each), the devices whose latency is measured. */
  buttons: number;
  windowS: number;
  everyMs: number;
  /**
   * Quiet and loaded windows taken in turn this many times; the figures pool every round's
   * presses. On a shared machine one pair of windows says little (other jobs come and go).
   */
  rounds?: number;
  /** The hub's database: PGlite (embedded default) or a PostgreSQL server started by the bench. */
  database?: 'pglite' | 'postgres';
  /**
   * The hub's main thread on one CPU and the load on the others (taskset): true requires it;
   * unset or false, the scheduler is free (measured better on two cores: pinned, PostgreSQL
   * shares its one CPU with the flood and the SOS's storage waits behind it).
   */
  pin?: boolean;
}

export const DEFAULT_DEVICE_FAIRNESS: DeviceFairnessOptions = { buttons: 8, windowS: 5, everyMs: 250 };

export interface LatencyFigures {
  presses: number;
  storedAcks: number;
  alarmAcks: number;
  storedP50Ms: number | null;
  storedP99Ms: number | null;
  alarmP50Ms: number | null;
  alarmP99Ms: number | null;
  /**
   * From the hub's own histograms, as the upper bound of the bucket holding p99: SOS -> alarm on
   * the console stream (bedside_alarm_event_to_stream_seconds, kind sos) and the SOS input's wait
   * in the rules runner (bedside_rules_priority_wait_seconds).
   */
  streamP99BoundMs?: number | null;
  priorityWaitP99BoundMs?: number | null;
  /** Share of the windows' wall time the hub's main thread was runnable but waited for a CPU (other processes'). */
  hubCpuWaitPct?: number | null;
  /** The hub's garbage collection pauses in the windows: how many lasted over 10 ms (prom-client's bucket bound). */
  hubGcPausesOver10Ms?: number;
}

export interface DeviceFairnessResult {
  options: DeviceFairnessOptions;
  quiet: LatencyFigures;
  loaded: LatencyFigures;
  /** loaded p99 / quiet p99 (pooled over the rounds). */
  ratio: { stored: number | null; alarm: number | null };
  /** The same ratio of each round alone, in order (one round: the ratio above), with the machine's load average at the round's start. */
  roundRatios?: { stored: number | null; alarm: number | null; load?: number[] }[];
  withinTarget: boolean;
  flood: { sent: number; refusedForQuota: number; stuckDropped: boolean };
  /** The slowest `stored` and `alarm` acks of the first presses after the hub started (one per button, at once). */
  firstPresses?: { presses: number; storedMaxMs: number | null; alarmMaxMs: number | null };
  /** The CPUs of the hub and of the load for the whole run (both windows); null: not pinned. */
  pinning?: CpuPinning | null;
}

interface Creds {
  deviceId: string;
  mqtt: { username: string; password: string; clientId: string };
}

const quantile = (xs: number[], q: number): number | null =>
  xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** A call button as devices-sim plays one: each packet sent at once (TCP_NODELAY). */
async function connectClient(url: string, c: Creds): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    clientId: c.mqtt.clientId,
    username: c.mqtt.username,
    password: c.mqtt.password,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  (client.stream as Socket).setNoDelay(true);
  return client;
}

/** SOS presses from every button each `everyMs` for `windowS`: latency of each press's acks. */
interface Samples {
  presses: number;
  stored: number[];
  alarm: number[];
  stream: Buckets;
  priorityWait: Buckets;
  gc: Buckets;
  /** The hub main thread's run-queue wait and the wall time of the window, ms. */
  hubWaitMs: number;
  wallMs: number;
}

const figuresOf = (x: Samples): LatencyFigures => ({
  presses: x.presses,
  storedAcks: x.stored.length,
  alarmAcks: x.alarm.length,
  storedP50Ms: quantile(x.stored, 0.5),
  storedP99Ms: quantile(x.stored, 0.99),
  alarmP50Ms: quantile(x.alarm, 0.5),
  alarmP99Ms: quantile(x.alarm, 0.99),
  streamP99BoundMs: quantileBoundMs(x.stream, 0.99),
  priorityWaitP99BoundMs: quantileBoundMs(x.priorityWait, 0.99),
  hubCpuWaitPct: x.wallMs > 0 ? Math.round((x.hubWaitMs / x.wallMs) * 1000) / 10 : null,
  hubGcPausesOver10Ms: countOf(x.gc) - (x.gc.get(0.01) ?? 0),
});

const pool = (xs: Samples[]): Samples => ({
  presses: xs.reduce((n, x) => n + x.presses, 0),
  stored: xs.flatMap((x) => x.stored),
  alarm: xs.flatMap((x) => x.alarm),
  stream: pooled(xs.map((x) => x.stream)),
  priorityWait: pooled(xs.map((x) => x.priorityWait)),
  gc: pooled(xs.map((x) => x.gc)),
  hubWaitMs: xs.reduce((n, x) => n + x.hubWaitMs, 0),
  wallMs: xs.reduce((n, x) => n + x.wallMs, 0),
});

const STREAM = 'bedside_alarm_event_to_stream_seconds';
const PRIORITY_WAIT = 'bedside_rules_priority_wait_seconds';
const GC = 'bedside_nodejs_gc_duration_seconds';
const loadNow = () => loadavg().map((x) => Math.round(x * 100) / 100);

async function measure(hub: HubServer, buttons: Creds[], o: DeviceFairnessOptions, tag: string): Promise<Samples> {
  const url = hub.mqttUrl;
  const histograms = () =>
    Promise.all([
      readHistogram(hub.httpUrl, STREAM, { kind: 'sos' }),
      readHistogram(hub.httpUrl, PRIORITY_WAIT),
      readHistogram(hub.httpUrl, GC),
    ]);
  const before = await histograms();
  const sched0 = mainThreadSchedMs(hub.pidNow());
  const t0 = Date.now();
  const stored: number[] = [];
  const alarm: number[] = [];
  const sent = new Map<string, number>();
  const answered = new Set<string>();
  const clients = await Promise.all(
    buttons.map(async (b) => {
      const c = await connectClient(url, b);
      c.on('message', (_t, payload) => {
        const ack = JSON.parse(payload.toString()) as { eventId: string; status: string };
        const key = `${b.deviceId}/${ack.eventId}`;
        const at = sent.get(key);
        // The first ack of each status counts: a redelivered ack (QoS 1 resend, a duplicate
        // press answered again) is not a second press.
        if (at === undefined || answered.has(`${key}/${ack.status}`)) return;
        answered.add(`${key}/${ack.status}`);
        if (ack.status === 'stored') stored.push(Date.now() - at);
        if (ack.status === 'alarm') alarm.push(Date.now() - at);
      });
      await c.subscribeAsync(acksTopic(b.deviceId), { qos: 1 });
      return c;
    }),
  );
  const end = Date.now() + o.windowS * 1000;
  for (let n = 0; Date.now() < end; n++) {
    for (const [i, c] of clients.entries()) {
      const eventId = `${tag}-${n}`;
      sent.set(`${buttons[i].deviceId}/${eventId}`, Date.now());
      c.publish(eventsTopic(buttons[i].deviceId), JSON.stringify({ eventId, type: 'button.pressed', ts: Date.now() }), {
        qos: 1,
      });
    }
    await new Promise((r) => setTimeout(r, o.everyMs));
  }
  const deadline = Date.now() + 15_000;
  while ((stored.length < sent.size || alarm.length < sent.size) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await Promise.all(clients.map((c) => c.endAsync()));
  const [sched1, wallMs] = [mainThreadSchedMs(hub.pidNow()), Date.now() - t0];
  const after = await histograms();
  return {
    hubWaitMs: sched1.waitMs - sched0.waitMs,
    wallMs,
    presses: sent.size,
    stored,
    alarm,
    stream: since(before[0], after[0]),
    priorityWait: since(before[1], after[1]),
    gc: since(before[2], after[2]),
  };
}

/** A device that subscribes to its own topics, then never reads its socket again while it publishes. */
export async function stuckDevice(port: number, c: Creds): Promise<{ socket: Socket; flood: () => () => void }> {
  const socket = tcpConnect(port, '127.0.0.1');
  await new Promise((r, j) => socket.once('connect', r).once('error', j));
  socket.on('error', () => undefined);
  const send = (p: Record<string, unknown>) => socket.write(mqttPacket.generate(p as unknown as Packet));
  send({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    keepalive: 60,
    clientId: c.mqtt.clientId,
    username: c.mqtt.username,
    password: Buffer.from(c.mqtt.password),
  });
  send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: devicePrefix(c.deviceId) + '#', qos: 1 }] });
  await new Promise((r) => setTimeout(r, 300));
  socket.pause();
  return {
    socket,
    flood: () => {
      let on = true;
      let id = 1;
      void (async () => {
        while (on && !socket.destroyed) {
          while (socket.writableLength < 256 * 1024 && !socket.destroyed) {
            id = (id % 65535) + 1;
            send({ cmd: 'publish', topic: statusTopic(c.deviceId), payload: '{"state":"on"}', qos: 1, messageId: id });
          }
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      return () => (on = false);
    },
  };
}

/** A device that reads, but publishes telemetry as fast as its socket takes it (QoS 0). */
function floodTelemetry(client: MqttClient, deviceId: string): { stop: () => number } {
  let on = true;
  let sent = 0;
  void (async () => {
    while (on && client.connected) {
      for (let i = 0; i < 50; i++) {
        const ts = Date.now();
        client.publish(
          telemetryTopic(deviceId),
          JSON.stringify({ ts, seq: sent++, samples: [{ ts, inBed: true, heartRate: 60, respirationRate: 14 }] }),
          { qos: 0 },
        );
      }
      await new Promise((r) => setImmediate(r));
    }
  })();
  return {
    stop: () => {
      on = false;
      return sent;
    },
  };
}

const ratio = (loaded: number | null, quiet: number | null) =>
  loaded === null || quiet === null || quiet === 0 ? null : Math.round((loaded / quiet) * 100) / 100;

export async function deviceFairnessBench(
  o: DeviceFairnessOptions = DEFAULT_DEVICE_FAIRNESS,
  log: (s: string) => void = console.log,
): Promise<DeviceFairnessResult> {
  const ownCpus = affinityOf(process.pid);
  const pinning = o.pin === true ? planPinning(ownCpus) : null;
  if (o.pin === true && !pinning) throw new Error('--pin needs taskset and at least two CPUs this process may use');
  log(`device fairness: ${describePinning(pinning)}`);
  // This process first: what it starts from here on (PostgreSQL, the hub, the flooder) inherits it.
  if (pinning) setAffinity(process.pid, pinning.load);
  let pg: PostgresServer | undefined;
  let hub: HubServer | undefined;
  try {
    const env: Record<string, string> = {};
    if (o.database === 'postgres') {
      pg = await startPostgres();
      env.DATABASE_URL = await pg.createDatabase('bedside');
    }
    hub = await spawnHub({ env });
    if (pinning) {
      setMainThreadAffinity(hub.pid, pinning.hub, ownCpus ?? pinning.hub);
      const hubCpus = affinityOf(hub.pid);
      if (hubCpus?.join() !== pinning.hub.join()) throw new Error(`hub not pinned: CPUs ${hubCpus?.join(',')}`);
    }
    const api = hubApi(hub);
    const port = Number(new URL(hub.mqttUrl).port);
    const beds: Awaited<ReturnType<typeof api.provisionBed>>[] = [];
    for (let i = 0; i < o.buttons + 2; i++) beds.push(await api.provisionBed(`fairness-${i}`));
    const creds = (i: number, kind: 'button' | 'mattress') => beds[i].devices[kind].credentials as Creds;
    const buttons = beds.slice(2).map((_b, i) => creds(i + 2, 'button'));

    // One press per button first, not measured: a bed's first input loads its rules and state.
    // One press per button, the hub's first device events since it started: not in the windows.
    const first = await measure(hub, buttons, { ...o, windowS: 0.001 }, 'warm-up');
    const rounds = Math.max(1, o.rounds ?? 1);
    const flooderCreds = creds(0, 'mattress');
    const quietRounds: Samples[] = [];
    const loadedRounds: Samples[] = [];
    let sent = 0;
    let stuckDropped = false;
    const roundLoad: number[][] = [];
    for (let round = 1; round <= rounds; round++) {
      const of = rounds > 1 ? ` (round ${round} of ${rounds})` : '';
      roundLoad.push(loadNow());
      log(
        `device fairness: quiet window${of}, ${o.buttons} buttons pressing every ${o.everyMs} ms for ${o.windowS} s; load average ${roundLoad[round - 1].join(', ')}`,
      );
      quietRounds.push(await measure(hub, buttons, o, `quiet-${round}`));

      // The flooding device is its own process, as it would be its own machine: flooding from this
      // process would slow the measuring clients down and be counted against the hub.
      const flooder = await startChild('--flood-child', {
        FLOOD_URL: hub.mqttUrl,
        FLOOD_CREDS: JSON.stringify(flooderCreds),
      });
      const stuck = await startChild('--stuck-child', {
        STUCK_PORT: String(port),
        STUCK_CREDS: JSON.stringify(creds(1, 'mattress')),
      });
      await new Promise((r) => setTimeout(r, 500));
      log(`device fairness: loaded window${of}, one device flooding telemetry, one not reading`);
      loadedRounds.push(await measure(hub, buttons, o, `loaded-${round}`));
      sent += Number(/sent (\d+)/.exec(await flooder.stop())?.[1] ?? 0);
      stuckDropped ||= (await scrape(hub.httpUrl))('bedside_mqtt_connections_dropped_total') > 0;
      await stuck.stop();
      // Both gone before the next quiet window.
      await new Promise((r) => setTimeout(r, 500));
    }
    const quiet = figuresOf(pool(quietRounds));
    const loaded = figuresOf(pool(loadedRounds));
    const roundRatios = quietRounds.map((q, i) => {
      const [a, b] = [figuresOf(q), figuresOf(loadedRounds[i])];
      return {
        stored: ratio(b.storedP99Ms, a.storedP99Ms),
        alarm: ratio(b.alarmP99Ms, a.alarmP99Ms),
        load: roundLoad[i],
      };
    });
    const rejections = (
      await api.get<{ code: string; count: number }[]>(`/api/devices/${flooderCreds.deviceId}/rejections`)
    ).body;

    const r = {
      stored: ratio(loaded.storedP99Ms, quiet.storedP99Ms),
      alarm: ratio(loaded.alarmP99Ms, quiet.alarmP99Ms),
    };
    const result: DeviceFairnessResult = {
      options: o,
      quiet,
      loaded,
      ratio: r,
      roundRatios,
      withinTarget:
        loaded.alarmAcks === loaded.presses &&
        loaded.storedAcks === loaded.presses &&
        (r.stored ?? Infinity) <= 2 &&
        (r.alarm ?? Infinity) <= 2,
      firstPresses: {
        presses: first.presses,
        storedMaxMs: first.stored.length ? Math.max(...first.stored) : null,
        alarmMaxMs: first.alarm.length ? Math.max(...first.alarm) : null,
      },
      flood: {
        sent,
        refusedForQuota: rejections.find((x) => x.code === 'RATE_LIMITED')?.count ?? 0,
        stuckDropped,
      },
      pinning,
    };
    log(
      [
        `device fairness: ${describePinning(pinning)}`,
        'device fairness (ms)      quiet    loaded   ratio',
        `  stored ack p50       ${pad(quiet.storedP50Ms)} ${pad(loaded.storedP50Ms)}   ${ratio(loaded.storedP50Ms, quiet.storedP50Ms) ?? '-'}`,
        `  stored ack p99       ${pad(quiet.storedP99Ms)} ${pad(loaded.storedP99Ms)}   ${r.stored ?? '-'}`,
        `  SOS -> alarm ack p50 ${pad(quiet.alarmP50Ms)} ${pad(loaded.alarmP50Ms)}   ${ratio(loaded.alarmP50Ms, quiet.alarmP50Ms) ?? '-'}`,
        `  SOS -> alarm ack p99 ${pad(quiet.alarmP99Ms)} ${pad(loaded.alarmP99Ms)}   ${r.alarm ?? '-'}`,
        `  SOS -> stream p99 <= ${pad(quiet.streamP99BoundMs ?? null)} ${pad(loaded.streamP99BoundMs ?? null)}   (hub histogram bucket bound)`,
        `  SOS rules wait p99 <=${pad(quiet.priorityWaitP99BoundMs ?? null)} ${pad(loaded.priorityWaitP99BoundMs ?? null)}   (hub histogram bucket bound)`,
        `  hub main thread waiting for a CPU, % of window ${quiet.hubCpuWaitPct ?? '-'} / ${loaded.hubCpuWaitPct ?? '-'}`,
        `  hub garbage collection pauses over 10 ms ${pad(quiet.hubGcPausesOver10Ms ?? null)} ${pad(loaded.hubGcPausesOver10Ms ?? null)}`,
        `  first presses after the hub started (${first.presses} at once), slowest acks: stored ${result.firstPresses?.storedMaxMs ?? '-'} ms, alarm ${result.firstPresses?.alarmMaxMs ?? '-'} ms`,
        `  acks received        ${pad(quiet.alarmAcks)} ${pad(loaded.alarmAcks)}   of ${quiet.presses} / ${loaded.presses} presses`,
        `  flood: ${sent} telemetry messages sent, ${result.flood.refusedForQuota} refused for quota; stuck device dropped by the hub: ${stuckDropped}`,
        ...(rounds > 1
          ? [
              `  p99 ratio of each round (stored/alarm, load average at its start): ${roundRatios.map((x) => `${x.stored}/${x.alarm} (${x.load?.join(', ')})`).join('; ')}`,
            ]
          : []),
        `  within 2x of quiet: ${result.withinTarget}`,
      ].join('\n'),
    );
    return result;
  } finally {
    await hub?.stop();
    await pg?.stop().catch(() => undefined);
    // Back to what it was: under run-all the next benches run in this process.
    if (pinning && ownCpus) setAffinity(process.pid, ownCpus);
  }
}

const pad = (x: number | null) => String(x ?? '-').padStart(8);

interface Child {
  /** SIGTERM, then what the child printed once it is gone. */
  stop(): Promise<string>;
}

/** This file as a misbehaving device's process; resolves once it says it is connected and misbehaving. */
async function startChild(mode: '--flood-child' | '--stuck-child', env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, [__filename, mode], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready\n')) resolve();
    });
    void exited.then(() => reject(new Error(`${mode} exited before it was ready: ${output}`)));
  });
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      return output;
    },
  };
}

/**
 * A misbehaving device's process, at the lowest CPU priority like every load generator of these
 * benches: the device's CPU is its own machine's, and on the hub's two cores an equal share would
 * be counted against the hub. Misbehaves until SIGTERM, then prints how many messages it sent.
 */
async function deviceChild(mode: string): Promise<void> {
  setPriority(GENERATOR_NICE);
  let stop: () => number;
  if (mode === '--flood-child') {
    const c = JSON.parse(process.env.FLOOD_CREDS ?? '{}') as Creds;
    const client = await connectClient(process.env.FLOOD_URL ?? '', c);
    stop = floodTelemetry(client, c.deviceId).stop;
  } else {
    const c = JSON.parse(process.env.STUCK_CREDS ?? '{}') as Creds;
    const stuck = await stuckDevice(Number(process.env.STUCK_PORT), c);
    const stopFlood = stuck.flood();
    stop = () => {
      stopFlood();
      stuck.socket.destroy();
      return 0;
    };
  }
  process.once('SIGTERM', () => {
    process.stdout.write(`sent ${stop()}\n`, () => process.exit(0));
  });
  process.stdout.write('ready\n');
}

const childMode = ['--flood-child', '--stuck-child'].find((m) => process.argv.includes(m));
if (require.main === module && childMode) {
  void deviceChild(childMode);
} else if (require.main === module) {
  const run = startLoneRun();
  const arg = run.arg;
  deviceFairnessBench({
    buttons: arg('--buttons', DEFAULT_DEVICE_FAIRNESS.buttons),
    windowS: arg('--window-s', DEFAULT_DEVICE_FAIRNESS.windowS),
    everyMs: arg('--every-ms', DEFAULT_DEVICE_FAIRNESS.everyMs),
    rounds: arg('--rounds', 1),
    database: process.argv.includes('--postgres') ? 'postgres' : 'pglite',
    ...(process.argv.includes('--pin') && { pin: true }),
    ...(process.argv.includes('--no-pin') && { pin: false }),
  })
    .then((result) => {
      const { origin } = saveLoneRun('fairness', 'device-fairness.bench.js', run, result);
      if (process.argv.includes('--docs')) console.log(`wrote ${writeDeviceFairnessSection(result, origin)}`);
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
