#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCapacityCommand } from './commands/capacity';
import { registerCostCommand } from './commands/cost';

/** Where the CLI writes; the process streams unless a test passes its own. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * Runs the CLI in-process and resolves to its exit code: 0 on success, non-zero on bad input.
 *
 * @param argv the arguments after the program name, e.g. `['capacity', '--operation', 'get', ...]`
 */
export async function main(argv: string[], io: CliIo = process): Promise<number> {
  const program = new Command('cdk-dynamodb-blueprints')
    .description('Design tools for Amazon DynamoDB: capacity units and monthly cost.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerCapacityCommand(program);
  registerCostCommand(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (usage errors, --help, --version).
      return err.exitCode;
    }
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
