import { Command } from 'commander';
import { validateUplink } from '@bedside/contracts';
import { intOption, numberOption, parseCommon, requireAdmin, withCommonOptions } from '../cli/common-options';
import { EXIT } from '../cli/exit-codes';
import { Output } from '../cli/output';
import { HubRestClient } from '../hub/hub-rest.client';
import { sleep } from '../util/sleep';
import { RestWatchSource } from '../watch/rest-watch.source';
import { WatchStats, type WatchSummary } from '../watch/watch-stats';
import type { WatchSource, WatchedMessage } from '../watch/watch-source';

export function watchCommand(): Command {
  return withCommonOptions(new Command('watch'))
    .description("follow a device's traffic, validated against the contract, with rates, seq gaps and clock skew")
    .requiredOption('--device-id <id>', 'device to follow')
    .option('--interval <ms>', 'poll interval', '1000')
    .option('--since <s>', 'start this many seconds in the past', '10')
    .option('--duration <s>', 'stop after this many seconds; 0 = until Ctrl-C', '0')
    .option('--quiet', 'only the periodic summary, not every message', false)
    .addHelpText(
      'after',
      `
The hub does not yet let admins subscribe over MQTT, so watch polls the REST API
(GET /api/devices/:id, /telemetry, /events with a moving "from") and rebuilds each message the
device sent. Every message is validated with the same contract code the hub uses. Skew is
hub receipt minus device timestamp for events, and "seen" time minus device timestamp for
telemetry (an upper bound including the poll interval).

Exit codes: 0 every message valid, 1 invalid messages seen, 2 usage, 3 hub unreachable.

Example:
  devices-sim watch --hub http://hub:3000 --admin admin:secret --device-id mattress-3k9x2m1q7z`,
    )
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runWatch(raw);
    });
}

async function runWatch(raw: Record<string, unknown>): Promise<number> {
  const common = parseCommon(raw);
  const out = new Output(common.json);
  const api = new HubRestClient(common.hub, requireAdmin(common, 'watch'));
  const interval = intOption('--interval', raw.interval, 100);
  const duration = numberOption('--duration', raw.duration, 0);
  const source: WatchSource = new RestWatchSource(
    api,
    String(raw.deviceId),
    interval,
    numberOption('--since', raw.since, 0) * 1000,
  );
  const stats = new WatchStats();
  let kind: Parameters<typeof validateUplink>[0] = 'mattress';
  let lastError = '';

  const onMessage = (m: WatchedMessage) => {
    const v = validateUplink(kind, m.channel, JSON.stringify(m.body));
    stats.add(m, v.ok);
    out.record({
      type: 'message',
      channel: m.channel,
      valid: v.ok,
      ...(!v.ok && { code: v.code, errors: v.errors }),
      seq: m.seq,
      deviceTs: m.deviceTs,
      receivedAt: m.receivedAt,
      body: m.body,
    });
    if (raw.quiet) return;
    const time = new Date(m.deviceTs ?? m.receivedAt ?? m.observedAt).toISOString().slice(11, 23);
    const verdict = v.ok ? out.paint('ok', 'valid') : out.paint('fail', `INVALID ${v.code}: ${v.message}`);
    out.line(
      `${time} ${m.channel.padEnd(9)} ${m.seq !== null ? `seq ${m.seq}`.padEnd(12) : ''.padEnd(12)} ${verdict} ${out.paint('dim', brief(m))}`,
    );
  };
  const onError = (err: Error) => {
    if (err.message !== lastError) out.warn(`poll failed: ${err.message}`);
    lastError = err.message;
  };
  const target = await source.start(onMessage, onError);
  kind = target.kind;
  out.line(
    out.bold(
      `watching ${target.kind} ${target.deviceId} (bed ${target.bedId ?? 'none'}) via ${source.name} every ${interval} ms`,
    ),
  );

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const t0 = Date.now();
  while (!abort.signal.aborted && (!duration || Date.now() - t0 < duration * 1000)) {
    await sleep(Math.min(5000, duration ? t0 + duration * 1000 - Date.now() : 5000), abort.signal);
    const s = stats.summary();
    out.line(out.paint('info', summaryLine(s)));
    out.record({ type: 'progress', command: 'watch', ...s });
  }
  process.off('SIGINT', onSigint);
  source.stop();
  const s = stats.summary();
  out.record({ type: 'summary', command: 'watch', deviceId: target.deviceId, ok: s.invalid === 0, ...s });
  return s.invalid === 0 ? EXIT.OK : EXIT.FAILED;
}

function summaryLine(s: WatchSummary): string {
  const r = s.ratePerSec;
  const skew = s.skewMs.median === null ? 'n/a' : `${s.skewMs.median} ms median (${s.skewMs.source})`;
  return `-- ${s.messages} msgs (${s.invalid} invalid) | rate/s telemetry ${r.telemetry} events ${r.events} status ${r.status} | seq gaps ${s.seqGaps} (${s.missingSeq} missing, ${s.duplicateSeq} dup) | skew ${skew}`;
}

function brief(m: WatchedMessage): string {
  if (m.channel === 'telemetry') {
    const samples = (m.body.samples as Record<string, unknown>[]) ?? [];
    const last = samples.at(-1) ?? {};
    return (
      `${samples.length} sample(s) ` +
      Object.entries(last)
        .filter(([k]) => k !== 'ts')
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' ')
    );
  }
  return Object.entries(m.body)
    .filter(([k]) => k !== 'ts')
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
}
