import { Command } from 'commander';
import { intOption, numberOption, parseCommon, requireAdmin, withCommonOptions } from '../cli/common-options';
import { EXIT, UsageError } from '../cli/exit-codes';
import { Output } from '../cli/output';
import { DEFAULT_TARGETS } from '../corpus/alarm-classifier';
import { DEFAULT_EVENT_SHARE } from '../corpus/corpus';
import { runCorpus } from '../corpus-runner/corpus-runner';
import { figureLines, runLines } from '../corpus-runner/corpus-report';

export function corpusCommand(): Command {
  return withCommonOptions(new Command('corpus'))
    .description(
      'Realistic nights (normal nights plus declared true events) through a running hub; false alarms per bed-night and sensitivity',
    )
    .option('--beds <n>', 'number of beds (each gets its own resident and night)', '20')
    .option('--hours <h>', 'hours of the night to play from its start (10 = 21:00-07:00, one bed-night)', '10')
    .option('--speed <x>', "the hub clock's speed-up: the libfaketime factor the hub runs under (1 = real time)", '1')
    .option('--start <HH|now>', 'local hour the night starts (waits for it on the hub clock), or now', '21')
    .option('--event-share <f>', 'share of beds given one true event', String(DEFAULT_EVENT_SHARE))
    .option(
      '--max-false-per-night <n>',
      'target: false alarms per bed-night at most',
      String(DEFAULT_TARGETS.maxFalseAlarmsPerBedNight),
    )
    .option(
      '--max-lag <s>',
      'hub-time seconds of generator or hub lag (p99) above which the run is declared distorted',
      '10',
    )
    .addHelpText(
      'after',
      `
Each bed gets a resident (age, resting heart and breathing rate, SpO2 baseline) and a night:
sleep stages, toilet trips, turnovers, the mattress's HR 0 / RR 0 while settling, SpO2 motion
dips, the wearable off some nights, link dropouts, devices streaming at 1 Hz or uploading
batches every 1-2 min. A share of beds also has one true event (bradycardia, tachycardia,
apnea, desaturation, night absence, uncancelled fall) with its clinical window. Every alarm on
the stream is sorted: true (its event's window), late, repeat, false. All times are the hub's:
run the hub under libfaketime to compress the night, e.g.
  LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 FAKETIME='@2026-01-10 12:00:00 x60' npm start
then give the same factor with --speed. Households are in Asia/Shanghai (UTC+8).

Exit codes: 0 targets met, 1 a target missed or the run distorted, 2 usage, 3 hub unreachable.

Examples:
  devices-sim corpus --admin admin:secret --beds 20 --speed 60
  devices-sim corpus --admin admin:secret --beds 200 --speed 60 --seed 7 --json`,
    )
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runCorpusCommand(raw);
    });
}

async function runCorpusCommand(raw: Record<string, unknown>): Promise<number> {
  const common = parseCommon(raw);
  const out = new Output(common.json);
  const admin = requireAdmin(common, 'provisioning the corpus beds');
  const startRaw = String(raw.start);
  const startHour = startRaw === 'now' ? 'now' : intOption('--start', startRaw, 0, 23);
  const speed = numberOption('--speed', raw.speed, 1, 1000);
  const beds = intOption('--beds', raw.beds, 1, 10_000);
  const hours = numberOption('--hours', raw.hours, 0.1, 24);
  if (speed > 1 && (hours * 3600) / speed > 6 * 3600)
    throw new UsageError('that run would take over 6 hours; raise --speed or lower --hours');
  const result = await runCorpus(
    {
      hub: common.hub,
      mqtt: common.mqtt,
      admin,
      seed: common.seed,
      beds,
      hours,
      speed,
      startHour,
      eventShare: numberOption('--event-share', raw.eventShare, 0, 1),
      utcOffsetMinutes: 480,
      timeZone: 'Asia/Shanghai',
      targets: {
        ...DEFAULT_TARGETS,
        maxFalseAlarmsPerBedNight: numberOption('--max-false-per-night', raw.maxFalsePerNight, 0),
      },
      maxLagMs: numberOption('--max-lag', raw.maxLag, 0) * 1000,
    },
    {
      phase: (text) => out.line(out.paint('dim', text)),
      progress: (now, start, end, alarms) => {
        const done = Math.max(0, Math.min(1, (now - start) / (end - start)));
        if (out.tty)
          process.stdout.write(
            `\r${new Date(now).toISOString().slice(11, 19)} hub time  ${(done * 100).toFixed(0)} %  ${alarms} alarms `,
          );
        out.record({ type: 'progress', command: 'corpus', virtualNow: now, done, alarms });
      },
    },
  );
  if (out.tty) process.stdout.write('\n');
  for (const l of runLines(result, out)) out.line(l);
  for (const l of figureLines(result.figures, out)) out.line(l);
  for (const a of result.alarms) out.record({ type: 'alarm', ...a });
  out.record({ type: 'summary', command: 'corpus', ...result, alarms: undefined });
  out.line(
    result.ok
      ? out.paint('ok', 'targets met')
      : out.paint('fail', result.distorted ? 'run distorted: figures not trustworthy' : 'targets missed'),
  );
  return result.ok ? EXIT.OK : EXIT.FAILED;
}
