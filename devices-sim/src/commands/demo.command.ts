import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import type { DeviceKind } from '@bedside/contracts';
import { intOption, numberOption } from '../cli/common-options';
import { EXIT, UsageError } from '../cli/exit-codes';
import { Output, fmtMs } from '../cli/output';
import { connectDevices, deviceClients, type SimDevice } from '../fleet/connect-devices';
import { fleetStats, statsLine } from '../fleet/fleet-stats';
import { streamTelemetry } from '../fleet/stream-telemetry';
import { openAlarmStream, type AlarmStream, type RaisedAlarm } from '../hub/alarm-stream';
import { describeChange, putBedRules } from '../hub/bed-rules';
import type { BedCredentials } from '../hub/credentials';
import { HttpError, HubRestClient } from '../hub/hub-rest.client';
import { provisionBeds } from '../hub/provisioner';
import { createBedModels } from '../models/bed-models';
import type { AnySample, ModelOutput, SignalModel } from '../models/model.types';
import { seedDemoHistory } from '../history/demo-history';
import { findScenario } from '../scenarios/scenario-catalog';
import { sleep } from '../util/sleep';

/** dist/devices-sim/src/commands -> dist/apps/hub/src/main.js (the built hub). */
const HUB_MAIN = resolve(__dirname, '../../../apps/hub/src/main.js');
const REPO_ROOT = resolve(__dirname, '../../../..');

export const DEMO_OPERATOR = {
  username: 'demo',
  password: 'demo-lantern-harbour',
  displayName: 'Demo operator',
} as const;

/** A scripted incident: what is done to which bed, when (after the fleet is streaming), and the alarm it must raise. */
interface Incident {
  name: string;
  bedIndex: number;
  atMs: number;
  kind: string;
  severity: string;
  /** The alarm must arrive within this long after `atMs` (hold time + slack). */
  withinMs: number;
  /** Scenario whose --fast-rules override the bed gets (null: nothing to shorten). */
  rulesFrom: string | null;
  start: (ctx: IncidentContext) => Promise<string>;
}

interface IncidentContext {
  device: (kind: DeviceKind) => SimDevice;
  override: (kind: DeviceKind, fn: ((s: AnySample) => AnySample) | null) => void;
}

const restingInBed = (s: AnySample) => {
  const m = s as { heartRate?: number; respirationRate?: number; movement?: number; signalQuality?: number };
  return {
    ...s,
    inBed: true,
    heartRate: m.heartRate ?? 64,
    respirationRate: m.respirationRate ?? 14,
    movement: m.movement ?? 3,
    signalQuality: Math.max(m.signalQuality ?? 85, 80),
  } as AnySample;
};

const INCIDENTS: Incident[] = [
  {
    name: 'SOS press',
    bedIndex: 0,
    atMs: 8_000,
    kind: 'sos',
    severity: 'critical',
    withinMs: 10_000,
    rulesFrom: null,
    start: async ({ device }) => {
      const { eventId } = await device('button').client.publishEvent('button.pressed');
      return `call button pressed (event ${eventId})`;
    },
  },
  {
    name: 'fall',
    bedIndex: 1,
    atMs: 14_000,
    kind: 'fall',
    severity: 'critical',
    withinMs: 20_000,
    rulesFrom: 'fall',
    start: async ({ device }) => {
      const { eventId } = await device('wearable').client.publishEvent('fall.detected', { confidence: 0.94 });
      return `wearable fall.detected (event ${eventId}), not cancelled`;
    },
  },
  {
    name: 'bradycardia',
    bedIndex: 2,
    atMs: 20_000,
    kind: 'heart_rate',
    severity: 'critical',
    withinMs: 20_000,
    rulesFrom: 'bradycardia',
    start: async ({ override }) => {
      override('mattress', (s) => ({ ...restingInBed(s), heartRate: 36 }) as AnySample);
      setTimeout(() => override('mattress', restingInBed), 45_000).unref();
      return 'mattress heart rate 36 bpm for 45 s';
    },
  },
];

/** Wraps a model so the demo can replace its samples for a while (the scripted incidents). */
class OverridableModel implements SignalModel {
  fn: ((s: AnySample) => AnySample) | null = null;
  constructor(private readonly base: SignalModel) {}
  get kind() {
    return this.base.kind;
  }
  next(t: number): ModelOutput {
    const r = this.base.next(t);
    // While overridden the sample decides presence: drop the model's own bed exits/returns.
    return this.fn ? { sample: this.fn(r.sample), events: r.events.filter((e) => !e.type.startsWith('bed.')) } : r;
  }
}

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'start a hub on embedded defaults plus a small fleet with scripted incidents: alarms in the console within a minute',
    )
    .option('--http-port <n>', 'hub HTTP port (default 3000, or a free one if 3000 is busy)')
    .option('--mqtt-port <n>', 'hub MQTT port (default 1883, or a free one if 1883 is busy)')
    .option('--data-dir <dir>', 'keep the hub data here (default: a temporary directory removed on exit)')
    .option('--beds <n>', 'beds in the fleet (at least 3: the first three get the incidents)', '6')
    .option(
      '--duration <s>',
      'stop by itself this many seconds after the fleet starts streaming; 0 = until Ctrl-C',
      '0',
    )
    .option('--seed <n>', 'seed of the signal models', '1')
    .option(
      '--history-nights <n>',
      'past nights each bed uploads as a device buffer once the incidents are under way (wellness summaries, baselines, visits); 0 = none',
      '28',
    )
    .option('--hub-logs', "copy the hub's log to stderr", false)
    .option('--json', 'machine-readable output: one JSON object per line (the last is the summary)', false)
    .addHelpText(
      'after',
      `
Starts the built hub (dist/apps/hub/src/main.js: run "npm run build" first) with embedded PGlite,
creates an operator "${DEMO_OPERATOR.username}" / "${DEMO_OPERATOR.password}", provisions the beds and streams
them at 1 message per second per device. Scripted incidents on the first three beds:
  ~8 s   SOS press (bed 1)                        -> sos, critical, at once
  ~14 s  fall not cancelled (bed 2)               -> fall, critical, after a 6 s cancel window
  ~20 s  heart rate 36 bpm for 45 s (bed 3)       -> heart_rate, critical, after a 3 s hold
Beds 2 and 3 get the --fast-rules overrides of the fall and bradycardia scenarios (printed).
  ~25 s  --history-nights past nights of every bed uploaded (seeded; every sixth resident from the
         fifth slowly deteriorating, from the sixth often away; every third living alone with a weekly
         visit policy): nightly summaries, baselines and the visit list fill in over the next minutes.
Ctrl-C (SIGINT) or SIGTERM stops the fleet and the hub cleanly.

Exit codes: 0 ok, 1 the hub failed or an incident's alarm did not arrive, 2 usage.

Examples:
  npm run demo
  devices-sim demo --duration 120 --data-dir ./data-demo
  devices-sim demo --http-port 3100 --mqtt-port 1884 --duration 40 --json`,
    )
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runDemo(raw);
    });
}

async function runDemo(raw: Record<string, unknown>): Promise<number> {
  const json = raw.json === true;
  const out = new Output(json);
  const beds = intOption('--beds', raw.beds, 3, 200);
  const duration = numberOption('--duration', raw.duration, 0);
  const seed = intOption('--seed', raw.seed, 0);
  const historyNights = intOption('--history-nights', raw.historyNights, 0, 120);
  if (!existsSync(HUB_MAIN))
    throw new UsageError(`the hub is not built (${HUB_MAIN} is missing): run "npm run build" first`);
  const httpPort = await choosePort('--http-port', raw.httpPort, 3000);
  const mqttPort = await choosePort('--mqtt-port', raw.mqttPort, 1883);
  if (httpPort.port === mqttPort.port) throw new UsageError('--http-port and --mqtt-port must differ');
  for (const p of [httpPort, mqttPort]) if (p.note) out.line(out.paint('warn', p.note));

  const keepData = typeof raw.dataDir === 'string';
  const dataDir = keepData ? resolve(String(raw.dataDir)) : mkdtempSync(join(tmpdir(), 'bedside-demo-'));
  mkdirSync(dataDir, { recursive: true });
  const admin = { username: 'admin', password: `demo-${randomBytes(9).toString('base64url')}` };
  const httpUrl = `http://localhost:${httpPort.port}`;
  const apiUrl = `http://127.0.0.1:${httpPort.port}`;
  const mqttUrl = `mqtt://127.0.0.1:${mqttPort.port}`;

  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (!stop.signal.aborted) out.line(`\n${sig}: stopping the fleet and the hub...`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const t0 = Date.now();
  const hub = startHubProcess({
    dataDir,
    httpPort: httpPort.port,
    mqttPort: mqttPort.port,
    adminPassword: admin.password,
    copyLogs: raw.hubLogs === true,
  });
  const alarms: RaisedAlarm[] = [];
  let devices: SimDevice[] = [];
  let stopStreaming: (() => void) | null = null;
  let stream: AlarmStream | null = null;
  let failure: string | null = null;
  let fleetStart = Date.now();
  const incidents: {
    name: string;
    bed: string;
    bedId: string | null;
    kind: string;
    severity: string;
    startedAt: number | null;
    dueBy: number | null;
    alarm: RaisedAlarm | null;
  }[] = [];

  try {
    out.line(
      `starting the hub (${HUB_MAIN.replace(REPO_ROOT + '/', '')}), data in ${dataDir}${keepData ? '' : ' (temporary)'}...`,
    );
    await hub.ready(apiUrl, stop.signal);
    if (stop.signal.aborted) throw new Error('interrupted');
    out.line(`hub up in ${fmtMs(Date.now() - t0)}`);

    const api = new HubRestClient(apiUrl, admin);
    // Reuse the demo organisation (and operator) of an earlier run in the same --data-dir.
    const users = await api.get<{ username: string; organisationId: string | null }[]>('/api/users');
    let orgId = users.find((u) => u.username === DEMO_OPERATOR.username)?.organisationId ?? null;
    if (!orgId) {
      orgId = (await api.post<{ id: string }>('/api/organisations', { name: 'Bedside demo' })).id;
      try {
        await api.post('/api/users', {
          username: DEMO_OPERATOR.username,
          password: DEMO_OPERATOR.password,
          displayName: DEMO_OPERATOR.displayName,
          role: 'operator',
          organisationId: orgId,
        });
      } catch (err) {
        if (!(err instanceof HttpError && err.status === 409)) throw err;
        out.warn(
          `user ${DEMO_OPERATOR.username} already exists (not in a demo organisation): sign in as admin instead`,
        );
      }
    }
    const creds = await provisionBeds(api, beds, 'demo', { organisationId: orgId });
    out.line(`provisioned ${creds.length} beds (${creds.length * 3} devices) in organisation "Bedside demo"`);
    out.record({ type: 'provisioned', beds: creds.length, devices: creds.length * 3, organisationId: orgId });

    for (const inc of INCIDENTS) {
      const def = inc.rulesFrom ? findScenario(inc.rulesFrom) : undefined;
      const override = def?.fastRules({ cancelled: false });
      const bed = creds[inc.bedIndex];
      if (!override || !bed.bedId) continue;
      const applied = await putBedRules(api, bed.bedId, override);
      out.line(`bed ${bed.label} (${inc.name}): PUT /api/beds/${bed.bedId}/rules ${JSON.stringify(override)}`);
      for (const c of applied.changed) out.line(`  changed ${describeChange(c)}`);
      out.record({ type: 'rules', bed: bed.label, bedId: bed.bedId, override, changed: applied.changed });
    }

    const opened = await openAlarmStream(apiUrl, api.authHeader);
    if (!opened.available) throw new Error(`the hub has no alarm stream: ${opened.reason}`);
    stream = opened.stream;
    const labels = new Map(creds.map((b) => [b.bedId, b.label]));
    stream.onAlarm((a) => {
      alarms.push(a);
      const label = labels.get(a.bedId) ?? a.bedId ?? 'no bed';
      out.line(
        out.paint(
          'info',
          `${clock()} ALARM ${a.kind} (${a.severity}) on bed ${label}${a.subject ? ` [${String(a.subject)}]` : ''}`,
        ),
      );
      out.record({ type: 'alarm', bed: label, ...a });
      for (const inc of incidents)
        if (!inc.alarm && inc.bedId === a.bedId && inc.kind === a.kind && inc.startedAt !== null) inc.alarm = a;
    });

    const { devices: connected, failures } = await connectDevices(creds, {
      create: deviceClients({ mqttUrl, reconnect: true }),
    });
    devices = connected;
    if (failures.length)
      throw new Error(
        `${failures.length} devices could not connect, e.g. ${failures[0].deviceId}: ${failures[0].error.message}`,
      );
    const models = new Map<SimDevice, OverridableModel>();
    const byBed = new Map<number, Record<DeviceKind, SignalModel>>();
    for (const d of devices) {
      if (!byBed.has(d.bedIndex)) byBed.set(d.bedIndex, createBedModels(seed, d.bedIndex, { utcOffsetMinutes: 480 }));
      models.set(d, new OverridableModel(byBed.get(d.bedIndex)![d.kind]));
    }
    // The bradycardia resident rests in bed from the start, so the mattress has vitals to watch.
    for (const inc of INCIDENTS.filter((i) => i.name === 'bradycardia')) {
      const d = devices.find((x) => x.bedIndex === inc.bedIndex && x.kind === 'mattress');
      if (d) models.get(d)!.fn = restingInBed;
    }
    await Promise.all(
      devices.map((d) =>
        d.client.publishStatus({
          state: 'online',
          ts: Date.now(),
          firmware: 'sim-1.0',
          rssi: -55,
          ...(d.kind !== 'mattress' && { battery: 90 }),
        }),
      ),
    );
    stopStreaming = streamTelemetry(devices, models as Map<SimDevice, SignalModel>, 1, 1, () => undefined);
    fleetStart = Date.now();

    printBanner(out, { httpUrl, mqttUrl, admin, dataDir, keepData, beds: creds.length, duration });
    out.record({
      type: 'hub',
      consoleUrl: httpUrl,
      httpUrl: apiUrl,
      mqttUrl,
      docsUrl: `${httpUrl}/api/docs`,
      dataDir,
      keepData,
      admin,
      operator: { username: DEMO_OPERATOR.username, password: DEMO_OPERATOR.password },
      pid: hub.proc.pid,
    });

    for (const inc of INCIDENTS) {
      const bed = creds[inc.bedIndex];
      const entry = {
        name: inc.name,
        bed: bed.label,
        bedId: bed.bedId,
        kind: inc.kind,
        severity: inc.severity,
        startedAt: null as number | null,
        dueBy: null as number | null,
        alarm: null as RaisedAlarm | null,
      };
      incidents.push(entry);
      const ctx: IncidentContext = {
        device: (kind) => devices.find((d) => d.bedIndex === inc.bedIndex && d.kind === kind)!,
        override: (kind, fn) => {
          const d = devices.find((x) => x.bedIndex === inc.bedIndex && x.kind === kind);
          if (d) models.get(d)!.fn = fn;
        },
      };
      void (async () => {
        await sleep(fleetStart + inc.atMs - Date.now(), stop.signal);
        if (stop.signal.aborted) return;
        entry.startedAt = Date.now();
        entry.dueBy = entry.startedAt + inc.withinMs;
        try {
          const what = await inc.start(ctx);
          out.line(
            `${clock()} incident on bed ${bed.label}: ${inc.name} - ${what} (expect ${inc.kind}, ${inc.severity})`,
          );
          out.record({
            type: 'incident',
            name: inc.name,
            bed: bed.label,
            bedId: bed.bedId,
            detail: what,
            expect: { kind: inc.kind, severity: inc.severity },
          });
        } catch (err) {
          out.warn(`incident ${inc.name} on bed ${bed.label} failed: ${(err as Error).message}`);
        }
      })();
    }

    if (historyNights > 0)
      void (async () => {
        // After the scripted incidents: their alarms are not to wait behind weeks of summaries.
        await sleep(fleetStart + 25_000 - Date.now(), stop.signal);
        if (stop.signal.aborted) return;
        try {
          const h = await seedDemoHistory(api, orgId, devices, {
            nights: historyNights,
            timeZone: 'Asia/Shanghai',
            seed,
          });
          out.line(
            `${clock()} history: ${historyNights} nights of ${h.beds} beds uploaded (${h.samples} samples); summaries and visits at ${httpUrl}/visits`,
          );
          out.record({ type: 'history', nights: historyNights, ...h });
        } catch (err) {
          if (!stop.signal.aborted) out.warn(`history upload failed: ${(err as Error).message}`);
        }
      })();

    let lastStats = Date.now();
    while (!stop.signal.aborted && (!duration || Date.now() - fleetStart < duration * 1000)) {
      await sleep(Math.min(1000, duration ? fleetStart + duration * 1000 - Date.now() : 1000), stop.signal);
      if (hub.exited()) {
        failure = `the hub exited unexpectedly (${hub.exitDescription()})`;
        break;
      }
      if (Date.now() - lastStats >= 30_000) {
        lastStats = Date.now();
        const s = fleetStats(devices);
        out.line(`${clock()} fleet: ${statsLine(s)} | alarms raised ${alarms.length}`);
        out.record({ type: 'progress', command: 'demo', elapsedMs: Date.now() - t0, alarms: alarms.length, ...s });
      }
    }
  } catch (err) {
    if (!stop.signal.aborted) failure = (err as Error).message;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // A second Ctrl-C during the shutdown leaves at once (the hub is in its own process group: stop it too).
    const hardStop = () => {
      hub.proc.kill('SIGKILL');
      process.exit(EXIT.FAILED);
    };
    process.once('SIGINT', hardStop);
    process.once('SIGTERM', hardStop);
    stopStreaming?.();
    stream?.close();
    await Promise.all(devices.map((d) => d.client.end()));
    const exit = await hub.stop(15_000);
    if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    process.off('SIGINT', hardStop);
    process.off('SIGTERM', hardStop);
    out.line(
      `hub stopped${/code 0|SIGTERM/.test(exit) ? '' : ` (${exit})`}${keepData ? `; data kept in ${dataDir}` : ''}`,
    );
  }

  const now = Date.now();
  const missed = incidents.filter((i) => !i.alarm && i.dueBy !== null && i.dueBy <= now);
  if (!failure && missed.length)
    failure = `no alarm for ${missed.map((i) => `${i.name} (${i.kind}) on bed ${i.bed}`).join(', ')}`;
  const wrongSeverity = incidents.filter((i) => i.alarm && i.alarm.severity !== i.severity);
  if (!failure && wrongSeverity.length)
    failure = wrongSeverity
      .map((i) => `${i.name} raised ${i.alarm!.kind} as ${i.alarm!.severity}, expected ${i.severity}`)
      .join('; ');
  if (failure) {
    out.warn(`demo failed: ${failure}`);
    if (hub.exited() || /hub/.test(failure)) out.warn(`last hub log lines:\n${hub.logTail(40)}`);
  }
  const ok = failure === null;
  out.line(
    (ok ? out.paint('ok', 'demo done: ') : out.paint('fail', 'demo failed: ')) +
      `${alarms.length} alarms raised in ${fmtMs(Date.now() - t0)}`,
  );
  out.record({
    type: 'summary',
    command: 'demo',
    ok,
    reason: failure,
    durationMs: Date.now() - t0,
    alarmsRaised: alarms.length,
    alarms: alarms.map((a) => ({
      id: a.id,
      kind: a.kind,
      severity: a.severity,
      bedId: a.bedId,
      subject: a.subject ?? null,
    })),
    incidents: incidents.map((i) => ({
      name: i.name,
      bed: i.bed,
      bedId: i.bedId,
      expect: { kind: i.kind, severity: i.severity },
      started: i.startedAt !== null,
      alarm: i.alarm ? { id: i.alarm.id, kind: i.alarm.kind, severity: i.alarm.severity } : null,
    })),
  });
  return ok ? EXIT.OK : EXIT.FAILED;
}

function printBanner(
  out: Output,
  o: {
    httpUrl: string;
    mqttUrl: string;
    admin: { username: string; password: string };
    dataDir: string;
    keepData: boolean;
    beds: number;
    duration: number;
  },
): void {
  const b = (s: string) => out.bold(s);
  out.line('');
  out.line(b('Bedside demo is running'));
  out.line(
    `  console      ${b(o.httpUrl)}   sign in as ${b(DEMO_OPERATOR.username)} / ${b(DEMO_OPERATOR.password)} (operator)`,
  );
  out.line(`  REST API     ${o.httpUrl}/api/docs   admin (HTTP Basic): ${o.admin.username} / ${o.admin.password}`);
  out.line(`  MQTT         ${o.mqttUrl}`);
  out.line(`  fleet        ${o.beds} beds (mattress, call button, wearable each), 1 message/s per device`);
  out.line(`  incidents    SOS at ~8 s (bed demo-1), fall at ~14 s (demo-2), bradycardia at ~20 s (demo-3)`);
  out.line(`  data         ${o.dataDir}${o.keepData ? '' : ' (removed on exit)'}`);
  out.line(
    o.duration
      ? `  stops by itself after ${o.duration} s (Ctrl-C stops earlier)`
      : '  Ctrl-C stops the fleet and the hub',
  );
  out.line('');
}

const clock = () => new Date().toISOString().slice(11, 19);

/** The default port when free; otherwise a free one (with a note). An explicit port must be free. */
async function choosePort(name: string, value: unknown, fallback: number): Promise<{ port: number; note?: string }> {
  if (value !== undefined) {
    const port = intOption(name, value, 1, 65535);
    if (!(await portFree(port))) throw new UsageError(`${name} ${port} is in use`);
    return { port };
  }
  if (await portFree(fallback)) return { port: fallback };
  const port = await anyFreePort();
  return { port, note: `port ${fallback} is busy: using ${port} (${name} to choose)` };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => done(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '0.0.0.0', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

interface HubHandle {
  proc: ChildProcess;
  ready(apiUrl: string, signal: AbortSignal): Promise<void>;
  exited(): boolean;
  exitDescription(): string;
  logTail(lines: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs: number): Promise<string>;
}

/**
 * The built hub as a child process on embedded defaults (PGlite in DATA_DIR, no InfluxDB). It gets
 * its own process group, so a Ctrl-C in the terminal reaches only the demo, which then stops the
 * hub once with SIGTERM (a graceful shutdown) after the fleet has disconnected.
 */
function startHubProcess(o: {
  dataDir: string;
  httpPort: number;
  mqttPort: number;
  adminPassword: string;
  copyLogs: boolean;
}): HubHandle {
  const logFile = join(o.dataDir, 'hub.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  let tail: string[] = [];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    DATA_DIR: o.dataDir,
    HTTP_PORT: String(o.httpPort),
    MQTT_PORT: String(o.mqttPort),
    HTTP_HOST: '127.0.0.1',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: o.adminPassword,
    LOG_LEVEL: 'info',
    // A demo shows the uploaded history summarised and visits planned within seconds, not 5 minutes.
    WELLNESS_SWEEP_MS: '5000',
    VISITS_SWEEP_MS: '5000',
  };
  const proc = spawn(process.execPath, [HUB_MAIN], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const onData = (d: Buffer) => {
    log.write(d);
    if (o.copyLogs) process.stderr.write(d);
    tail = tail.concat(d.toString().split('\n').filter(Boolean)).slice(-200);
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  // If the demo itself dies, do not leave the hub running.
  const killOnExit = () => proc.kill('SIGTERM');
  process.once('exit', killOnExit);
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const exitDescription = () => (proc.signalCode ? `signal ${proc.signalCode}` : `exit code ${proc.exitCode}`);
  return {
    proc,
    exited,
    exitDescription,
    logTail: (n) => tail.slice(-n).join('\n') || readTail(logFile, n),
    async ready(apiUrl, signal) {
      const deadline = Date.now() + 60_000;
      while (!signal.aborted) {
        if (exited()) throw new Error(`the hub exited during start (${exitDescription()})`);
        try {
          const res = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(2_000) });
          if (res.status === 200) return;
        } catch {
          /* not listening yet */
        }
        if (Date.now() > deadline) throw new Error('the hub did not answer /health within 60 s');
        await sleep(200, signal);
      }
    },
    async stop(graceMs) {
      process.off('exit', killOnExit);
      if (!exited()) {
        const gone = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await gone;
        clearTimeout(timer);
      }
      await new Promise<void>((r) => log.end(() => r()));
      return exitDescription();
    },
  };
}

function readTail(file: string, n: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}
