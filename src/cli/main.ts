#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCheckMigrationCommand } from './commands/check-migration';

/** Where the CLI writes: the process streams, or collectors in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * Runs the CLI in-process and resolves to its exit code.
 *
 * Commands report a non-zero exit code by calling `command.error(message, { exitCode })`;
 * commander's own usage errors (a missing argument, an unknown option) are bad input: 2.
 */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = new Command('cdk-dynamodb-blueprints')
    .description('Design and migration tools for Amazon DynamoDB tables defined with the AWS CDK.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerCheckMigrationCommand(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code.startsWith('commander.') && err.exitCode !== 0 ? 2 : err.exitCode;
    }
    io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
