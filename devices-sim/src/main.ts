import { Command, CommanderError } from 'commander';
import { checkCommand } from './commands/check.command';
import { clusterCommand } from './commands/cluster.command';
import { corpusCommand } from './commands/corpus.command';
import { demoCommand } from './commands/demo.command';
import { fleetCommand } from './commands/fleet.command';
import { loadCommand } from './commands/load.command';
import { scenarioCommand } from './commands/scenario.command';
import { watchCommand } from './commands/watch.command';
import { EXIT, HubUnreachableError, UsageError, isUnreachable } from './cli/exit-codes';

/** devices-sim: simulated beds for installers, demos and load. */
export function buildProgram(): Command {
  const program = new Command('devices-sim')
    .description(
      'Bedside device simulator: fleets, scenarios, commissioning checks, live watch, load and realistic nights',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const cmd of [
    fleetCommand(),
    scenarioCommand(),
    checkCommand(),
    watchCommand(),
    loadCommand(),
    demoCommand(),
    corpusCommand(),
    clusterCommand(),
  ]) {
    program.addCommand(cmd.exitOverride().showHelpAfterError('(run with --help for usage)'));
  }
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode =
        err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version'
          ? EXIT.OK
          : EXIT.USAGE;
    } else if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = EXIT.USAGE;
    } else if (err instanceof HubUnreachableError || isUnreachable(err)) {
      process.stderr.write(`error: ${(err as Error).message}\n`);
      process.exitCode = EXIT.UNREACHABLE;
    } else {
      process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = EXIT.FAILED;
    }
  }
}

if (require.main === module) void main();
