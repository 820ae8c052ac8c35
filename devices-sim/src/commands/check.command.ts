import { Command, Option } from 'commander';
import { DEVICE_KINDS, type DeviceKind } from '@bedside/contracts';
import { checkSteps } from '../check/check-steps';
import { runSteps } from '../check/step-runner';
import { intOption, parseCommon, withCommonOptions } from '../cli/common-options';
import { EXIT, UsageError } from '../cli/exit-codes';
import { Output, fmtMs } from '../cli/output';

export function checkCommand(): Command {
  return withCommonOptions(new Command('check'))
    .description('installer commissioning checklist for one device identity: pass/fail and timing per step')
    .requiredOption('--device-id <id>', 'device id (MQTT username and client id)')
    .requiredOption('--secret <secret>', 'device secret (MQTT password)')
    .addOption(new Option('--kind <kind>', 'device kind').choices([...DEVICE_KINDS]).makeOptionMandatory())
    .option('--timeout <ms>', 'how long each step waits for the hub', '10000')
    .addHelpText(
      'after',
      `
Steps: connect + authenticate, subscribe to errors/acks, status online seen via REST,
telemetry stored, event acked, bad message -> error, test alarm on the alarm stream.
Steps that read the hub back need --admin; without it they are skipped.

Exit codes: 0 all steps passed or skipped, 1 a step failed, 2 usage, 3 hub unreachable.

Example:
  devices-sim check --hub http://hub:3000 --mqtt mqtt://hub:1883 --admin admin:secret \\
    --device-id button-ab12cd34ef --secret 9f2c... --kind button`,
    )
    .action(async (raw: Record<string, unknown>) => {
      process.exitCode = await runCheck(raw);
    });
}

async function runCheck(raw: Record<string, unknown>): Promise<number> {
  const common = parseCommon(raw);
  const out = new Output(common.json);
  const kind = raw.kind as DeviceKind;
  if (typeof raw.deviceId !== 'string' || typeof raw.secret !== 'string' || !raw.deviceId || !raw.secret)
    throw new UsageError('--device-id and --secret are required');
  const o = {
    ...common,
    deviceId: raw.deviceId,
    secret: raw.secret,
    kind,
    timeoutMs: intOption('--timeout', raw.timeout, 100),
  };
  out.line(out.bold(`Commissioning check: ${kind} ${o.deviceId} via ${o.mqtt}${o.admin ? ` and ${o.hub}` : ''}`));
  const { steps, cleanup } = checkSteps(o);
  const t0 = performance.now();
  const results = await runSteps(steps, out, { deviceId: o.deviceId, kind });
  await cleanup();
  const failed = results.find((r) => r.status === 'fail');
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const summary = { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
  const total = performance.now() - t0;
  const code = !failed ? EXIT.OK : failed.unreachable ? EXIT.UNREACHABLE : EXIT.FAILED;
  out.line(
    failed
      ? out.paint('fail', `FAILED at step "${failed.label}": ${failed.detail}`) +
          ` (${summary.passed} passed, ${summary.skipped} skipped, ${fmtMs(total)})`
      : out.paint('ok', `OK: ${summary.passed} passed, ${summary.skipped} skipped in ${fmtMs(total)}`),
  );
  out.record({
    type: 'summary',
    command: 'check',
    ok: !failed,
    ...(failed && { failedStep: failed.step }),
    ...summary,
    durationMs: Math.round(total),
    exitCode: code,
  });
  return code;
}
