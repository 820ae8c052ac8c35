import { Command } from 'commander';
import { DEVICE_KINDS, type DeviceKind } from '@bedside/contracts';
import { intOption, numberOption, parseCommon, withCommonOptions } from '../cli/common-options';
import { EXIT, UsageError } from '../cli/exit-codes';
import { Output } from '../cli/output';
import { connectDevices } from '../fleet/connect-devices';
import { obtainBeds } from '../fleet/obtain-beds';
import type { BedCredentials } from '../hub/credentials';
import { loadLoadCredentials } from '../load/lean-provisioner';
import { LoadDeviceConnection } from '../load/load-device-connection';
import { runOpenLoop, type LoadDevice } from '../load/open-loop';
import type { SosResult } from '../load/sos-probe';
import { SosProbeProcess } from '../load/sos-probe-process';
import { lowerPriority } from '../util/lower-priority';
import { createBedModels } from '../models/bed-models';
import type { SignalModel } from '../models/model.types';
import { sleep } from '../util/sleep';

export function loadCommand(): Command {
  return withCommonOptions(new Command('load'))
    .description('open-loop load for benchmarks: throughput, loss and publish->PUBACK latency percentiles')
    .option('--beds <n>', 'number of beds (one connection per device)', '10')
    .option(
      '--kinds <list>',
      'device kinds per bed that connect and send telemetry, comma-separated',
      DEVICE_KINDS.join(','),
    )
    .option('--rate <hz>', 'telemetry messages per second per device', '1')
    .option('--duration <s>', 'seconds of sending (one measurement window)', '10')
    .option('--qos <list>', 'QoS of the telemetry: 0, 1, or a list such as 0,1 (one window each, in order)', '1')
    .option('--runs <n>', 'repeat the windows (all --qos values) this many times on the same connections', '1')
    .option('--pause <s>', 'idle seconds between windows', '1')
    .option(
      '--warmup <s>',
      'unmeasured QoS 1 sending after connecting, so the first window does not pay for first messages (0 = none)',
      '0',
    )
    .option(
      '--hold <s>',
      'idle seconds after connecting (and warming up), before the first window (memory per idle connection)',
      '0',
    )
    .option('--drain <s>', 'seconds to wait for outstanding PUBACKs after the last send', '10')
    .option('--connect-rate <n>', 'new connections per second (the hub throttles per address)', '100')
    .option(
      '--sos <n>',
      'call-button presses per window, each from a different bed, timed to alarm.raised on the alarm stream (needs --admin)',
      '0',
    )
    .option(
      '--sos-offset <n>',
      'index of the first bed whose button presses (rotate across invocations; each uses presses x windows + 1 beds)',
      '0',
    )
    .option('--sos-timeout <s>', 'seconds to wait for the alarm of a press', '10')
    .option(
      '--nice <n>',
      "lower this generator's CPU priority (1-19) once the SOS probe has started, so on a shared machine the system under test is served first",
    )
    .option('--credentials <file>', 'use beds from a credentials file instead of provisioning')
    .option('--save-credentials <file>', 'write provisioned credentials to this file')
    .addHelpText(
      'after',
      `
Sends on a fixed timetable without waiting for acks (open loop) and records, in HDR
histograms, the publish->PUBACK latency (QoS 1; the hub acks after storing) and how late the
scheduler sent each message. Loss = QoS 1 messages sent but not PUBACKed.

With --runs/--qos lists every window is reported as a {"type":"window"} record (with --json,
"window-start" is printed when a window begins so a harness can sample the server), then one
"summary". --hold prints {"type":"connected"} and idles before the first window.

--sos presses call buttons from a probe process of its own (its buttons and the alarm-stream
reader do not share an event loop with thousands of simulated devices), at normal priority
even with --nice. Its first press (one bed more) is a warm-up and is not measured.

Exit codes: 0 no loss, 1 loss or failed publishes, 2 usage, 3 hub unreachable.

Examples:
  devices-sim load --admin admin:secret --beds 100 --rate 1 --duration 60
  devices-sim load --credentials beds.json --beds 20 --rate 5 --duration 30 --qos 1 --json
  devices-sim load --credentials beds.json --beds 1000 --kinds mattress --qos 0,1 --runs 3 --duration 5 --sos 10 --admin admin:secret --json`,
    )
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runLoad(raw);
    });
}

function parseKinds(raw: unknown): DeviceKind[] {
  const kinds = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const k of kinds)
    if (!(DEVICE_KINDS as readonly string[]).includes(k))
      throw new UsageError(`--kinds: unknown kind ${k} (${DEVICE_KINDS.join(', ')})`);
  if (kinds.length === 0) throw new UsageError('--kinds needs at least one kind');
  return [...new Set(kinds)] as DeviceKind[];
}

function parseQos(raw: unknown): (0 | 1)[] {
  const list = String(raw)
    .split(',')
    .map((s) => s.trim());
  if (list.length === 0 || list.some((q) => q !== '0' && q !== '1'))
    throw new UsageError(`--qos must be 0, 1 or a list of them, got ${String(raw)}`);
  return list.map(Number) as (0 | 1)[];
}

async function runLoad(raw: Record<string, unknown>): Promise<number> {
  const common = parseCommon(raw);
  const out = new Output(common.json);
  const beds = intOption('--beds', raw.beds, 1, 100_000);
  const kinds = parseKinds(raw.kinds);
  const rate = numberOption('--rate', raw.rate, 0.001, 1000);
  const duration = numberOption('--duration', raw.duration, 0.1);
  const qosList = parseQos(raw.qos);
  const runs = intOption('--runs', raw.runs, 1, 100);
  const pauseMs = numberOption('--pause', raw.pause, 0) * 1000;
  const holdMs = numberOption('--hold', raw.hold, 0) * 1000;
  const warmupMs = numberOption('--warmup', raw.warmup, 0) * 1000;
  const drainMs = numberOption('--drain', raw.drain, 0) * 1000;
  const perSecond = intOption('--connect-rate', raw.connectRate, 1);
  const sos = intOption('--sos', raw.sos, 0, 100_000);
  const sosOffset = intOption('--sos-offset', raw.sosOffset, 0);
  const sosTimeoutMs = numberOption('--sos-timeout', raw.sosTimeout, 0.1) * 1000;
  const nice = raw.nice === undefined ? null : intOption('--nice', raw.nice, 1, 19);
  const windows = runs * qosList.length;

  let creds: BedCredentials[];
  if (typeof raw.credentials === 'string' && raw.credentials) {
    const file = loadLoadCredentials(raw.credentials, kinds);
    if (file.beds.length < beds)
      throw new UsageError(`${raw.credentials} holds ${file.beds.length} beds, ${beds} asked for`);
    out.line(`using ${beds} of ${file.beds.length} beds from ${raw.credentials}`);
    creds = file.beds.slice(0, beds);
  } else {
    creds = await obtainBeds(
      common,
      { beds, saveCredentials: raw.saveCredentials as string | undefined, prefix: 'load' },
      out,
    );
  }

  if (sos > 0 && !common.admin) throw new UsageError('--sos needs --admin (the alarm stream is an admin API)');
  // Buttons of distinct beds (those that have one), rotating from --sos-offset.
  const pool = creds.filter((b) => b.devices.button);
  // One more than the presses: the probe's first, unmeasured press (see sos-probe.main).
  const buttonBeds =
    sos > 0
      ? Array.from({ length: Math.min(pool.length, sos * windows + 1) }, (_, k) => pool[(sosOffset + k) % pool.length])
      : [];

  const c0 = Date.now();
  // The probe first (its stream must be open before any press), in its own process at normal priority.
  let probe: SosProbeProcess | null = null;
  let sosUnavailable: string | null = null;
  const failures: { deviceId: string; error: Error }[] = [];
  let buttons = 0;
  if (buttonBeds.length > 0 && common.admin) {
    const authHeader = 'Basic ' + Buffer.from(`${common.admin.username}:${common.admin.password}`).toString('base64');
    const started = await SosProbeProcess.start({
      hubUrl: common.hub,
      authHeader,
      mqttUrl: common.mqtt,
      beds: buttonBeds,
      perSecond,
      timeoutMs: sosTimeoutMs,
    });
    if ('unavailable' in started) sosUnavailable = started.unavailable;
    else {
      probe = started.probe;
      buttons = started.buttons;
      failures.push(...started.failures.map((f) => ({ deviceId: f.deviceId, error: new Error(f.error) })));
    }
  }
  if (nice !== null) lowerPriority(nice);
  const cbar = out.bar('connecting {bar} {value}/{total}', creds.length * kinds.length);
  const connected = await connectDevices(creds, {
    create: (c, kind) => new LoadDeviceConnection(c, kind, { mqttUrl: common.mqtt }),
    perSecond,
    kinds,
    onConnected: (n) => cbar?.update(n),
  });
  const devices = connected.devices;
  failures.push(...connected.failures);
  cbar?.stop();
  const connectMs = Date.now() - c0;
  if (devices.length === 0) {
    out.warn(`no device could connect to ${common.mqtt}: ${failures[0]?.error.message}`);
    out.record({ type: 'summary', command: 'load', ok: false, connectFailures: failures.length });
    await probe?.stop();
    return /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.test(failures[0]?.error.message ?? '')
      ? EXIT.UNREACHABLE
      : EXIT.FAILED;
  }
  out.record({ type: 'connected', devices: devices.length, buttons, connectFailures: failures.length, connectMs });
  out.line(
    `${devices.length} connections (+${buttons} buttons) in ${connectMs} ms; offering ${(devices.length * rate).toFixed(1)} msg/s for ${duration} s per window, ${windows} window(s)`,
  );
  const models = new Map<LoadDevice, SignalModel>();
  for (const d of devices) models.set(d, createBedModels(common.seed, d.bedIndex)[d.kind]);
  if (warmupMs > 0) {
    // A server's first message from a device costs more (a hub loads the bed's rules and state):
    // measured windows should show the steady state.
    const w = await runOpenLoop(devices, models, { rate, durationMs: warmupMs, qos: 1, drainMs });
    out.record({ type: 'warmed-up', sent: w.sent, acked: w.acked });
    out.line(`warmed up: ${w.acked}/${w.sent} PUBACKed`);
  }
  if (holdMs > 0) {
    out.line(`holding ${devices.length} idle connections for ${holdMs / 1000} s`);
    await sleep(holdMs);
  }

  const results: Record<string, unknown>[] = [];
  let allOk = failures.length === 0;
  for (let w = 0; w < windows; w++) {
    const qos = qosList[w % qosList.length];
    if (w > 0 && pauseMs > 0) await sleep(pauseMs);
    out.record({ type: 'window-start', index: w, qos, at: Date.now() });
    const bar = out.bar('{bar} {value}/{total} s | sent {sent}', Math.ceil(duration));
    const sosRun: Promise<SosResult | null> = probe
      ? probe.run(sos, duration * 1000, sosTimeoutMs)
      : Promise.resolve(null);
    const r = await runOpenLoop(devices, models, {
      rate,
      durationMs: duration * 1000,
      qos,
      drainMs,
      onTick: (ms, sent) =>
        bar ? bar.update(Math.floor(ms / 1000), { sent }) : out.line(`${Math.floor(ms / 1000)}s sent ${sent}`),
    });
    bar?.update(Math.ceil(duration), { sent: r.sent });
    bar?.stop();
    const sosResult = await sosRun;
    const errors = devices.reduce((a, d) => a + d.client.counters.errors, 0);
    const reconnects = devices.reduce((a, d) => a + d.client.counters.reconnects, 0);
    const lost = qos === 1 ? r.sent - r.acked : 0;
    const latency = r.latency.summary();
    const lateness = r.lateness.summary();
    const seconds = r.sendWindowMs / 1000;
    const ok = lost === 0 && r.failed === 0 && failures.length === 0;
    allOk &&= ok;
    const rec = {
      type: windows > 1 ? 'window' : 'summary',
      command: 'load',
      index: w,
      ok,
      beds: creds.length,
      devices: devices.length,
      kinds,
      connectFailures: failures.length,
      connectMs,
      rate,
      durationS: duration,
      qos,
      offeredPerSec: round(devices.length * rate),
      scheduled: r.scheduled,
      sent: r.sent,
      acked: qos === 1 ? r.acked : null,
      lost,
      failed: r.failed,
      lossRatio: r.sent ? round(lost / r.sent, 6) : 0,
      throughputPerSec: round((qos === 1 ? r.acked : r.sent) / seconds),
      sendWindowMs: Math.round(r.sendWindowMs),
      errors,
      reconnects,
      latencyMs: qos === 1 ? latency : null,
      latenessMs: lateness,
      sos: sosResult ?? (sosUnavailable ? { unavailable: sosUnavailable } : null),
      endedAt: Date.now(),
    };
    results.push(rec);
    out.record(rec);
    out.line(
      `[${w + 1}/${windows}] QoS ${qos}: sent ${r.sent}/${r.scheduled} | ${qos === 1 ? `PUBACKed ${r.acked} | lost ${lost} | ` : ''}failed ${r.failed} | hub errors ${errors} | throughput ${rec.throughputPerSec}/s`,
    );
    if (qos === 1)
      out.line(
        `publish->PUBACK ms: p50 ${latency.p50} p90 ${latency.p90} p99 ${latency.p99} p99.9 ${latency.p999} max ${latency.max} (n=${latency.count})`,
      );
    out.line(`scheduler lateness ms: p50 ${lateness.p50} p99 ${lateness.p99} max ${lateness.max}`);
    if (sosResult)
      out.line(
        `SOS event->alarm ms: p50 ${sosResult.latencyMs.p50} p99 ${sosResult.latencyMs.p99} max ${sosResult.latencyMs.max} (${sosResult.matched}/${sosResult.presses} raised)`,
      );
    else if (sosUnavailable) out.line(`SOS: not measured, ${sosUnavailable}`);
  }
  await Promise.all([probe?.stop(), ...devices.map((d) => d.client.end())]);
  if (windows > 1)
    out.record({
      type: 'summary',
      command: 'load',
      ok: allOk,
      windows: results.length,
      beds: creds.length,
      devices: devices.length,
      buttons,
      connectMs,
      connectFailures: failures.length,
    });
  out.line(allOk ? out.paint('ok', 'OK: no loss') : out.paint('fail', 'FAILED: loss or errors'));
  return allOk ? EXIT.OK : EXIT.FAILED;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
