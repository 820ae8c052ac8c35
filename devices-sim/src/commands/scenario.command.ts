import { Command } from 'commander';
import { intOption, numberOption, parseCommon, requireAdmin, withCommonOptions } from '../cli/common-options';
import { EXIT, UsageError } from '../cli/exit-codes';
import { Output, fmtMs } from '../cli/output';
import { obtainBeds } from '../fleet/obtain-beds';
import { describeChange, putBedRules, type RuleChange } from '../hub/bed-rules';
import { HubRestClient } from '../hub/hub-rest.client';
import { SCENARIOS, findScenario } from '../scenarios/scenario-catalog';
import {
  DEFAULT_OPTIONS,
  FAST_MARGIN_MS,
  timingsFromRuleSet,
  type ScenarioOptions,
} from '../scenarios/scenario-definition';
import { runScenario } from '../scenarios/scenario-runner';

export function scenarioCommand(): Command {
  const list = SCENARIOS.map(
    (s) =>
      `  ${s.name.padEnd(16)} ${s.summary} (~${fmtMs(s.estimateMs(DEFAULT_OPTIONS))}, --fast-rules ~${fmtMs(fastEstimate(s.name))})`,
  ).join('\n');
  return withCommonOptions(new Command('scenario'))
    .description('play one incident on one bed and show the alarms, acks and errors the hub answers with')
    .argument('<name>', 'scenario name (see below)')
    .option('--cancelled', 'fall: the resident cancels within the cancel window (expects no alarm)', false)
    .option(
      '--fast-rules',
      "shorten this scenario's hold times on its bed to a few seconds (PUT /api/beds/:id/rules; needs --admin)",
      false,
    )
    .option('--time-scale <k>', "speed up sender-side phases (never the hub's rule timers)", '1')
    .option('--credentials <file>', 'use a bed from a credentials file instead of provisioning one')
    .option('--bed <index>', 'which bed of the credentials file (0-based)', '0')
    .addHelpText(
      'after',
      `
Scenarios (durations are real time: the hub's hold times and warm-up run in real time; with
--fast-rules the bed gets a rule override that shortens them, printed before the scenario starts):
${list}

The alarm check reads GET /api/alarms/stream (needs --admin); a hub without it gives
"skipped: hub has no alarm stream". Exit codes: 0 pass or skipped, 1 failed, 2 usage, 3 unreachable.

Examples:
  devices-sim scenario sos --admin admin:secret
  devices-sim scenario bradycardia --fast-rules --admin admin:secret
  devices-sim scenario fall --cancelled --admin admin:secret --hub http://hub:3000 --mqtt mqtt://hub:1883
  devices-sim scenario malformed --credentials beds.json --json`,
    )
    .action(async (name: string, raw: Record<string, unknown>) => {
      process.exitCode = await runScenarioCommand(name, raw);
    });
}

/** The estimate with --fast-rules, for the help text: absent fields of the override keep their defaults. */
function fastEstimate(name: string): number {
  const def = findScenario(name)!;
  return def.estimateMs({
    cancelled: false,
    fast: true,
    rules: timingsFromRuleSet(def.fastRules({ cancelled: false }) ?? {}),
    marginMs: FAST_MARGIN_MS,
  });
}

async function runScenarioCommand(name: string, raw: Record<string, unknown>): Promise<number> {
  const common = parseCommon(raw);
  const out = new Output(common.json);
  const def = findScenario(name);
  if (!def) throw new UsageError(`unknown scenario "${name}"; one of: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const fast = raw.fastRules === true;
  const cancelled = raw.cancelled === true;
  const timeScale = numberOption('--time-scale', raw.timeScale, 1, 1000);
  const bedIndex = intOption('--bed', raw.bed, 0);
  const admin = fast ? requireAdmin(common, '--fast-rules (PUT /api/beds/:id/rules)') : undefined;
  const beds = await obtainBeds(
    common,
    {
      beds: bedIndex + 1,
      credentials: raw.credentials as string | undefined,
      prefix: `scenario-${def.name}`,
      timeZone: def.timeZone?.(),
    },
    out,
  );
  const bed = beds[bedIndex];

  let o: ScenarioOptions & { timeScale: number } = { ...DEFAULT_OPTIONS, cancelled, timeScale };
  let changed: RuleChange[] | null = null;
  if (fast) {
    if (!bed.bedId)
      throw new UsageError(`--fast-rules needs the bed id, and bed ${bed.label} of the credentials file has none`);
    const override = def.fastRules({ cancelled });
    if (override) {
      const applied = await putBedRules(new HubRestClient(common.hub, admin), bed.bedId, override);
      changed = applied.changed;
      o = { ...o, fast: true, rules: timingsFromRuleSet(applied.effective), marginMs: FAST_MARGIN_MS };
      out.line(
        `--fast-rules: PUT /api/beds/${bed.bedId}/rules ${JSON.stringify(override)}${applied.version !== null ? ` (bed override version ${applied.version})` : ''}`,
      );
      for (const c of changed) out.line(`  changed ${describeChange(c)}`);
      if (changed.length === 0) out.line('  (the effective rule set already had these values)');
      out.record({ type: 'rules', bedId: bed.bedId, override, version: applied.version, changed });
    } else {
      changed = [];
      o = { ...o, fast: true, marginMs: FAST_MARGIN_MS };
      out.line(`--fast-rules: ${def.name} waits on no hub hold time; bed rules left unchanged`);
      out.record({ type: 'rules', bedId: bed.bedId, override: null, version: null, changed });
    }
  }

  const expectation = def.expect(o);
  const estimateMs = def.estimateMs(o);
  out.line(out.bold(`scenario ${def.name}${o.cancelled ? ' (cancelled)' : ''}: ${def.summary}`));
  out.line(
    `bed ${bed.label} (${bed.bedId ?? 'unknown id'})${def.timeZone ? `, household time zone ${def.timeZone()}` : ''}`,
  );
  out.line(
    `expect: ${expectation.type === 'alarm' ? `alarm ${expectation.kind} (${expectation.severity})${expectation.device ? ` for the ${expectation.device}` : ''}` : expectation.type === 'no-alarm' ? `no ${expectation.kind} alarm` : 'an error per bad payload'} - ${expectation.note}`,
  );
  out.line(
    `takes about ${fmtMs(estimateMs)} (hub rule timers run in real time${fast ? ', shortened by --fast-rules' : ''})`,
  );
  out.record({
    type: 'plan',
    scenario: def.name,
    cancelled: o.cancelled,
    fastRules: fast,
    bedId: bed.bedId,
    expect: expectation,
    rules: o.rules,
    estimateMs,
  });

  const r = await runScenario(def, bed, common, o, out);
  const tone = r.verdict === 'pass' ? 'ok' : r.verdict === 'fail' ? 'fail' : 'skip';
  out.line(
    out.paint(tone, `${r.verdict.toUpperCase()}: ${r.reason}`) +
      ` (${fmtMs(r.durationMs)}, ${r.alarms.length} alarms, ${r.acks} acks, ${r.errors} errors)`,
  );
  out.record({
    type: 'summary',
    command: 'scenario',
    scenario: def.name,
    cancelled: o.cancelled,
    ok: r.verdict !== 'fail',
    verdict: r.verdict,
    reason: r.reason,
    bedId: bed.bedId,
    expect: expectation,
    matched: r.matched,
    alarms: r.alarms,
    fastRules: fast ? { changed } : null,
    acks: r.acks,
    errors: r.errors,
    durationMs: r.durationMs,
  });
  return r.verdict === 'fail' ? EXIT.FAILED : EXIT.OK;
}
