import { Command, Option } from 'commander';
import { intOption, numberOption, parseCommon, withCommonOptions } from '../cli/common-options';
import { EXIT } from '../cli/exit-codes';
import { Output } from '../cli/output';
import { connectDevices, type SimDevice } from '../fleet/connect-devices';
import { obtainBeds } from '../fleet/obtain-beds';
import { runOpenLoop } from '../load/open-loop';
import { createBedModels } from '../models/bed-models';
import type { SignalModel } from '../models/model.types';

export function loadCommand(): Command {
  return withCommonOptions(new Command('load'))
    .description('open-loop load for benchmarks: throughput, loss and publish->PUBACK latency percentiles')
    .option('--beds <n>', 'number of beds (3 devices each, one connection per device)', '10')
    .option('--rate <hz>', 'telemetry messages per second per device', '1')
    .option('--duration <s>', 'seconds of sending', '10')
    .addOption(new Option('--qos <n>', 'QoS of the telemetry').choices(['0', '1']).default('1'))
    .option('--drain <s>', 'seconds to wait for outstanding PUBACKs after the last send', '10')
    .option('--connect-rate <n>', 'new connections per second (the hub throttles per address)', '100')
    .option('--credentials <file>', 'use beds from a credentials file instead of provisioning')
    .option('--save-credentials <file>', 'write provisioned credentials to this file')
    .addHelpText('after', `
Sends on a fixed timetable without waiting for acks (open loop) and records, in HDR
histograms, the publish->PUBACK latency (QoS 1; the hub acks after storing) and how late the
scheduler sent each message. Loss = QoS 1 messages sent but not PUBACKed.

Exit codes: 0 no loss, 1 loss or failed publishes, 2 usage, 3 hub unreachable.

Examples:
  devices-sim load --admin admin:secret --beds 100 --rate 1 --duration 60
  devices-sim load --credentials beds.json --beds 20 --rate 5 --duration 30 --qos 1 --json`)
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runLoad(raw);
    });
}

async function runLoad(raw: Record<string, unknown>): Promise<number> {
  const common = parseCommon(raw);
  const out = new Output(common.json);
  const beds = intOption('--beds', raw.beds, 1, 100_000);
  const rate = numberOption('--rate', raw.rate, 0.001, 1000);
  const duration = numberOption('--duration', raw.duration, 0.1);
  const qos = Number(raw.qos) as 0 | 1;
  const drainMs = numberOption('--drain', raw.drain, 0) * 1000;
  const perSecond = intOption('--connect-rate', raw.connectRate, 1);

  const creds = await obtainBeds(common, { beds, credentials: raw.credentials as string | undefined, saveCredentials: raw.saveCredentials as string | undefined, prefix: 'load' }, out);
  const c0 = Date.now();
  const cbar = out.bar('connecting {bar} {value}/{total}', creds.length * 3);
  const { devices, failures } = await connectDevices(creds, { mqttUrl: common.mqtt, perSecond, onConnected: (n) => cbar?.update(n) });
  cbar?.stop();
  const connectMs = Date.now() - c0;
  if (devices.length === 0) {
    out.warn(`no device could connect to ${common.mqtt}: ${failures[0]?.error.message}`);
    out.record({ type: 'summary', command: 'load', ok: false, connectFailures: failures.length });
    return /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.test(failures[0]?.error.message ?? '') ? EXIT.UNREACHABLE : EXIT.FAILED;
  }
  out.line(`${devices.length} connections in ${connectMs} ms; offering ${(devices.length * rate).toFixed(1)} msg/s for ${duration} s (QoS ${qos})`);
  const models = new Map<SimDevice, SignalModel>();
  for (const d of devices) models.set(d, createBedModels(common.seed, d.bedIndex)[d.kind]);

  const bar = out.bar('{bar} {value}/{total} s | sent {sent}', Math.ceil(duration));
  const r = await runOpenLoop(devices, models, {
    rate, durationMs: duration * 1000, qos, drainMs,
    onTick: (ms, sent) => (bar ? bar.update(Math.floor(ms / 1000), { sent }) : out.line(`${Math.floor(ms / 1000)}s sent ${sent}`)),
  });
  bar?.update(Math.ceil(duration), { sent: r.sent });
  bar?.stop();
  const errors = devices.reduce((a, d) => a + d.client.counters.errors, 0);
  const reconnects = devices.reduce((a, d) => a + d.client.counters.reconnects, 0);
  await Promise.all(devices.map((d) => d.client.end()));

  const lost = qos === 1 ? r.sent - r.acked : 0;
  const latency = r.latency.summary();
  const lateness = r.lateness.summary();
  const seconds = r.sendWindowMs / 1000;
  const summary = {
    type: 'summary', command: 'load', ok: lost === 0 && r.failed === 0 && failures.length === 0,
    beds: creds.length, devices: devices.length, connectFailures: failures.length, connectMs, rate, durationS: duration, qos,
    offeredPerSec: round(devices.length * rate), scheduled: r.scheduled, sent: r.sent, acked: qos === 1 ? r.acked : null, lost, failed: r.failed,
    lossRatio: r.sent ? round(lost / r.sent, 6) : 0, throughputPerSec: round((qos === 1 ? r.acked : r.sent) / seconds), sendWindowMs: Math.round(r.sendWindowMs),
    errors, reconnects, latencyMs: qos === 1 ? latency : null, latenessMs: lateness,
  };
  out.record(summary);
  out.line(`sent ${r.sent}/${r.scheduled} | ${qos === 1 ? `PUBACKed ${r.acked} | lost ${lost} | ` : ''}failed ${r.failed} | hub errors ${errors} | throughput ${summary.throughputPerSec}/s`);
  if (qos === 1) out.line(`publish->PUBACK ms: p50 ${latency.p50} p90 ${latency.p90} p99 ${latency.p99} p99.9 ${latency.p999} max ${latency.max} (n=${latency.count})`);
  out.line(`scheduler lateness ms: p50 ${lateness.p50} p99 ${lateness.p99} max ${lateness.max}`);
  out.line(summary.ok ? out.paint('ok', 'OK: no loss') : out.paint('fail', 'FAILED: loss or errors'));
  return summary.ok ? EXIT.OK : EXIT.FAILED;
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
