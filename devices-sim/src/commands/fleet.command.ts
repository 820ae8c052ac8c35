import { Command, Option } from 'commander';
import { intOption, numberOption, parseCommon, withCommonOptions } from '../cli/common-options';
import { EXIT } from '../cli/exit-codes';
import { Output } from '../cli/output';
import { connectDevices, deviceClients, type SimDevice } from '../fleet/connect-devices';
import { fleetStats, statsLine } from '../fleet/fleet-stats';
import { obtainBeds } from '../fleet/obtain-beds';
import { streamTelemetry } from '../fleet/stream-telemetry';
import { createBedModels } from '../models/bed-models';
import type { SignalModel } from '../models/model.types';
import { sleep } from '../util/sleep';

export function fleetCommand(): Command {
  return withCommonOptions(new Command('fleet'))
    .description('N simulated beds (mattress, button, wearable each) streaming realistic telemetry')
    .option('--beds <n>', 'number of beds', '3')
    .option('--rate <hz>', 'telemetry messages per second per device', '1')
    .option('--duration <s>', 'seconds to run; 0 = until Ctrl-C', '0')
    .option('--credentials <file>', 'use beds from a credentials file instead of provisioning')
    .option('--save-credentials <file>', 'write provisioned credentials to this file')
    .addOption(new Option('--qos <n>', 'telemetry QoS').choices(['0', '1']).default('1'))
    .option('--presses-per-day <n>', 'random call-button presses per bed per day (raise real SOS alarms)', '0')
    .option('--utc-offset <min>', "residents' local time offset from UTC, minutes (sleep schedule)", '480')
    .addHelpText(
      'after',
      `
Every device gets its own MQTT connection with the Last Will from its credentials, publishes
status online (retained), then telemetry from the seeded signal models and the events they
produce (bed exit/return, worn/removed, presses). The live summary shows messages sent,
PUBACKed, event acks and errors from the hub, and reconnects.

Exit codes: 0 ok, 1 the hub rejected messages or publishes failed, 2 usage, 3 hub unreachable.

Examples:
  devices-sim fleet --admin admin:secret --beds 10 --rate 1 --duration 60 --save-credentials beds.json
  devices-sim fleet --credentials beds.json --beds 10 --mqtt mqtt://hub:1883 --json`,
    )
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runFleet(raw);
    });
}

async function runFleet(raw: Record<string, unknown>): Promise<number> {
  const common = parseCommon(raw);
  const out = new Output(common.json);
  const beds = intOption('--beds', raw.beds, 1, 100_000);
  const rate = numberOption('--rate', raw.rate, 0.001, 100);
  const duration = numberOption('--duration', raw.duration, 0);
  const qos = Number(raw.qos) as 0 | 1;
  const pressesPerDay = numberOption('--presses-per-day', raw.pressesPerDay, 0, 1000);
  const utcOffsetMinutes = intOption('--utc-offset', raw.utcOffset, -720, 840);

  const creds = await obtainBeds(
    common,
    {
      beds,
      credentials: raw.credentials as string | undefined,
      saveCredentials: raw.saveCredentials as string | undefined,
      prefix: 'fleet',
    },
    out,
  );
  const connectBar = out.bar('connecting {bar} {value}/{total} devices', creds.length * 3);
  const { devices, failures } = await connectDevices(creds, {
    create: deviceClients({ mqttUrl: common.mqtt, reconnect: true }),
    onConnected: (n) => connectBar?.update(n),
  });
  connectBar?.stop();
  for (const f of failures.slice(0, 5)) out.warn(`connect failed for ${f.deviceId}: ${f.error.message}`);
  if (devices.length === 0) {
    out.warn(`no device could connect to ${common.mqtt}`);
    out.record({ type: 'summary', command: 'fleet', ok: false, connectFailures: failures.length });
    return failures.every((f) => /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.test(f.error.message))
      ? EXIT.UNREACHABLE
      : EXIT.FAILED;
  }
  out.line(
    `${devices.length} devices connected${failures.length ? `, ${failures.length} failed` : ''}; streaming at ${rate}/s per device (QoS ${qos})${duration ? ` for ${duration} s` : ', Ctrl-C to stop'}`,
  );

  const models = new Map<SimDevice, SignalModel>();
  const byBed = new Map<number, ReturnType<typeof createBedModels>>();
  for (const d of devices) {
    if (!byBed.has(d.bedIndex))
      byBed.set(d.bedIndex, createBedModels(common.seed, d.bedIndex, { utcOffsetMinutes, pressesPerDay }));
    models.set(d, byBed.get(d.bedIndex)![d.kind]);
  }
  const hubErrors: string[] = [];
  for (const d of devices)
    d.client.on(
      'hub-error',
      (e: { code: string; message: string }) =>
        hubErrors.length < 20 && hubErrors.push(`${d.client.deviceId}: ${e.code} ${e.message}`),
    );
  await Promise.all(
    devices.map((d) =>
      d.client
        .publishStatus({
          state: 'online',
          ts: Date.now(),
          firmware: 'sim-1.0',
          rssi: -55,
          ...(d.kind !== 'mattress' && { battery: 90 }),
        })
        .catch(() => undefined),
    ),
  );

  const stop = streamTelemetry(devices, models, rate, qos, () => undefined);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const t0 = Date.now();
  const bar = duration ? out.bar('{bar} {value}/{total} s | {stats}', Math.ceil(duration)) : null;
  const every = out.tty ? 1000 : duration && duration <= 10 ? 1000 : 5000;
  let lastPrint = 0;
  while (!abort.signal.aborted && (!duration || Date.now() - t0 < duration * 1000)) {
    await sleep(Math.min(1000, duration ? t0 + duration * 1000 - Date.now() : 1000), abort.signal);
    const s = fleetStats(devices);
    const elapsed = Math.round((Date.now() - t0) / 1000);
    if (bar) bar.update(Math.min(elapsed, Math.ceil(duration)), { stats: statsLine(s) });
    else if (Date.now() - lastPrint >= every) {
      lastPrint = Date.now();
      if (out.tty) process.stdout.write(`\r${elapsed}s ${statsLine(s)}`);
      else out.line(`${elapsed}s ${statsLine(s)}`);
      out.record({ type: 'progress', command: 'fleet', elapsedMs: Date.now() - t0, ...s });
    }
  }
  process.off('SIGINT', onSigint);
  stop();
  bar?.stop();
  if (out.tty && !bar) process.stdout.write('\n');
  await sleep(500); // let in-flight PUBACKs and acks arrive
  const s = fleetStats(devices);
  await Promise.all(
    devices.map(async (d) => {
      await d.client.publishStatus({ state: 'offline', ts: Date.now() }).catch(() => undefined);
      await d.client.end();
    }),
  );
  const ok = s.errors === 0 && s.failed === 0;
  for (const e of hubErrors.slice(0, 10)) out.warn(`hub error: ${e}`);
  out.line(
    (ok ? out.paint('ok', 'done: ') : out.paint('fail', 'done with problems: ')) +
      statsLine(s) +
      ` in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  out.record({
    type: 'summary',
    command: 'fleet',
    ok,
    durationMs: Date.now() - t0,
    connectFailures: failures.length,
    ...s,
  });
  return ok ? EXIT.OK : EXIT.FAILED;
}
