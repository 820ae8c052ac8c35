import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { HUB_MAIN, REPO_ROOT } from '../../../libs/testing/src/hub-launcher';
import { intOption, numberOption } from '../cli/common-options';
import { EXIT, UsageError } from '../cli/exit-codes';
import { Output, fmtMs } from '../cli/output';
import { type SimDevice } from '../fleet/connect-devices';
import { seedDemoHistory } from '../history/demo-history';
import { fleetStats, statsLine } from '../fleet/fleet-stats';
import { openAlarmStream, type AlarmStream, type RaisedAlarm } from '../hub/alarm-stream';
import { HubRestClient } from '../hub/hub-rest.client';
import { sleep } from '../util/sleep';
import { printBanner } from '../demo/demo-banner';
import { connectDemoFleet, streamDemoFleet } from '../demo/demo-fleet';
import { startHubProcess } from '../demo/demo-hub';
import { scheduleIncidents, type IncidentProgress } from '../demo/demo-incidents';
import { DEMO_OPERATOR } from '../demo/demo-operator';
import { choosePort } from '../demo/demo-ports';
import { demoFailure, recordSummary } from '../demo/demo-report';
import { provisionDemo } from '../demo/demo-setup';

export { DEMO_OPERATOR };

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
  const hub = await startHubProcess({
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
  const incidents: IncidentProgress[] = [];

  try {
    out.line(
      `starting the hub (${HUB_MAIN.replace(REPO_ROOT + '/', '')}), data in ${dataDir}${keepData ? '' : ' (temporary)'}...`,
    );
    await hub.ready(stop.signal);
    if (stop.signal.aborted) throw new Error('interrupted');
    out.line(`hub up in ${fmtMs(Date.now() - t0)}`);

    const api = new HubRestClient(apiUrl, admin);
    const { organisationId, creds } = await provisionDemo(api, beds, out);

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
          `${clock()} ALARM ${a.kind} (${a.severity}) on bed ${label}${typeof a.subject === 'string' && a.subject ? ` [${a.subject}]` : ''}`,
        ),
      );
      out.record({ type: 'alarm', bed: label, ...a });
      for (const inc of incidents)
        if (!inc.alarm && inc.bedId === a.bedId && inc.kind === a.kind && inc.startedAt !== null) inc.alarm = a;
    });

    const fleet = await connectDemoFleet(creds, mqttUrl);
    devices = fleet.devices;
    if (fleet.failures.length)
      throw new Error(
        `${fleet.failures.length} devices could not connect, e.g. ${fleet.failures[0].deviceId}: ${fleet.failures[0].error.message}`,
      );
    const streaming = await streamDemoFleet(devices, seed);
    stopStreaming = streaming.stop;
    const fleetStart = Date.now();

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

    scheduleIncidents(incidents, {
      creds,
      devices,
      models: streaming.models,
      fleetStart,
      signal: stop.signal,
      out,
      clock,
    });

    if (historyNights > 0)
      void (async () => {
        // After the scripted incidents: their alarms are not to wait behind weeks of summaries.
        await sleep(fleetStart + 25_000 - Date.now(), stop.signal);
        if (stop.signal.aborted) return;
        try {
          const h = await seedDemoHistory(api, organisationId, devices, {
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

  failure = demoFailure(failure, incidents);
  if (failure) {
    out.warn(`demo failed: ${failure}`);
    if (hub.exited() || /hub/.test(failure)) out.warn(`last hub log lines:\n${hub.logTail(40)}`);
  }
  const ok = failure === null;
  out.line(
    (ok ? out.paint('ok', 'demo done: ') : out.paint('fail', 'demo failed: ')) +
      `${alarms.length} alarms raised in ${fmtMs(Date.now() - t0)}`,
  );
  recordSummary(out, { ok, failure, t0, alarms, incidents });
  return ok ? EXIT.OK : EXIT.FAILED;
}

const clock = () => new Date().toISOString().slice(11, 19);
