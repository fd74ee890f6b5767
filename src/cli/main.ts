#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { registerAdoptLiveTableCommand, registerPlanAdoptionCommand } from './commands/adopt-table';
import { registerCapacityCommand } from './commands/capacity';
import { registerCheckMigrationCommand, registerRecordBaselineCommand } from './commands/check-migration';
import { registerCostCommand } from './commands/cost';
import { registerHeatCommand } from './commands/heat';
import { registerRedriveCommand } from './commands/redrive';

/** Where the CLI writes: the process streams, or collectors in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * Runs the CLI in-process and resolves to its exit code.
 *
 * 0: success. 1: the answer shows what will throttle, fail or lose data (a key over a partition's
 * limits, an unsafe migration, records still parked). 2: bad input, whether commander's own usage
 * errors (a missing argument, an unknown option or command) or a value a command refuses. Commands
 * report 1 by calling `failWithFindings(command, message)` or `command.error(message, { exitCode: 1 })`.
 */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = new Command('cdk-dynamodb-blueprints')
    .description('Design and migration tools for Amazon DynamoDB tables defined with the AWS CDK: the capacity units of a call (capacity), '
      + 'the monthly cost of a workload (cost), a hot-partition forecast (heat), a deployment check between two templates (check-migration) '
      + 'and its baseline (record-baseline), and the replay of a stream consumer\'s parked records (redrive).')
    .version(packageVersion(), '-V, --version', 'print the version of cdk-dynamodb-blueprints and exit')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  program.addHelpText('after', '\nSizes take a unit (400B, 10KB, 50GB; 1 KB = 1,024 bytes) and rates a unit of time (400/s, 30000/min): a bare number is refused for both.'
    + '\nExit codes: 0 fine; 1 the answer shows what will throttle, fail or lose data (a key over a partition\'s limits, an unsafe migration, records still parked); 2 bad input.');
  registerCapacityCommand(program);
  registerCostCommand(program);
  registerCheckMigrationCommand(program);
  registerRecordBaselineCommand(program);
  registerPlanAdoptionCommand(program);
  registerAdoptLiveTableCommand(program);
  registerHeatCommand(program);
  registerRedriveCommand(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (usage errors, --help, --version).
      return err.code.startsWith('commander.') && err.exitCode !== 0 ? 2 : err.exitCode;
    }
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

/** The version of the installed package: `src/cli` and `lib/cli` both sit two levels below package.json. */
function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
