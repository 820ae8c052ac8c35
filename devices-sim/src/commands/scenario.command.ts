import { Command } from 'commander';
import { intOption, numberOption, parseCommon, withCommonOptions } from '../cli/common-options';
import { EXIT, UsageError } from '../cli/exit-codes';
import { Output, fmtMs } from '../cli/output';
import { obtainBeds } from '../fleet/obtain-beds';
import { SCENARIOS, findScenario } from '../scenarios/scenario-catalog';
import { runScenario } from '../scenarios/scenario-runner';

export function scenarioCommand(): Command {
  const list = SCENARIOS.map((s) => `  ${s.name.padEnd(16)} ${s.summary} (~${fmtMs(s.estimateMs({ cancelled: false }))})`).join('\n');
  return withCommonOptions(new Command('scenario'))
    .description('play one incident on one bed and show the alarms, acks and errors the hub answers with')
    .argument('<name>', 'scenario name (see below)')
    .option('--cancelled', 'fall: the resident cancels within the cancel window (expects no alarm)', false)
    .option('--time-scale <k>', "speed up sender-side phases (never the hub's rule timers)", '1')
    .option('--credentials <file>', 'use a bed from a credentials file instead of provisioning one')
    .option('--bed <index>', 'which bed of the credentials file (0-based)', '0')
    .addHelpText('after', `
Scenarios (durations are real time: the hub's hold times and warm-up cannot be sped up):
${list}

The alarm check reads GET /api/alarms/stream (needs --admin); a hub without it gives
"skipped: hub has no alarm stream". Exit codes: 0 pass or skipped, 1 failed, 2 usage, 3 unreachable.

Examples:
  devices-sim scenario sos --admin admin:secret
  devices-sim scenario fall --cancelled --admin admin:secret --hub http://hub:3000 --mqtt mqtt://hub:1883
  devices-sim scenario malformed --credentials beds.json --json`)
    .action(async (name: string, raw: Record<string, unknown>) => {
      process.exitCode = await runScenarioCommand(name, raw);
    });
}

async function runScenarioCommand(name: string, raw: Record<string, unknown>): Promise<number> {
  const common = parseCommon(raw);
  const out = new Output(common.json);
  const def = findScenario(name);
  if (!def) throw new UsageError(`unknown scenario "${name}"; one of: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const o = { cancelled: raw.cancelled === true, timeScale: numberOption('--time-scale', raw.timeScale, 1, 1000) };
  const bedIndex = intOption('--bed', raw.bed, 0);
  const beds = await obtainBeds(common, { beds: bedIndex + 1, credentials: raw.credentials as string | undefined, prefix: `scenario-${def.name}`, timeZone: def.timeZone?.() }, out);
  const bed = beds[bedIndex];
  const expectation = def.expect(o);
  out.line(out.bold(`scenario ${def.name}${o.cancelled ? ' (cancelled)' : ''}: ${def.summary}`));
  out.line(`bed ${bed.label} (${bed.bedId ?? 'unknown id'})${def.timeZone ? `, household time zone ${def.timeZone()}` : ''}`);
  out.line(`expect: ${expectation.type === 'alarm' ? `alarm ${expectation.kind}` : expectation.type === 'no-alarm' ? `no ${expectation.kind} alarm` : 'an error per bad payload'} - ${expectation.note}`);
  out.line(`takes about ${fmtMs(def.estimateMs(o))} (hub rule timers run in real time)`);
  out.record({ type: 'plan', scenario: def.name, cancelled: o.cancelled, bedId: bed.bedId, expect: expectation, estimateMs: def.estimateMs(o) });

  const r = await runScenario(def, bed, common, o, out);
  const tone = r.verdict === 'pass' ? 'ok' : r.verdict === 'fail' ? 'fail' : 'skip';
  out.line(out.paint(tone, `${r.verdict.toUpperCase()}: ${r.reason}`) + ` (${fmtMs(r.durationMs)}, ${r.alarms.length} alarms, ${r.acks} acks, ${r.errors} errors)`);
  out.record({ type: 'summary', command: 'scenario', scenario: def.name, ok: r.verdict !== 'fail', verdict: r.verdict, reason: r.reason, alarms: r.alarms, acks: r.acks, errors: r.errors, durationMs: r.durationMs });
  return r.verdict === 'fail' ? EXIT.FAILED : EXIT.OK;
}
