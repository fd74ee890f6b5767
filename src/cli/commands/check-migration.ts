import { Command } from 'commander';
import { MigrationReport, MigrationSeverity } from '../../migration/finding';
import { MigrationCheck } from '../../migration/migration-check';

interface CheckMigrationOptions {
  readonly json?: boolean;
  readonly accept?: string[];
  readonly failOnWarnings?: boolean;
}

/**
 * `check-migration <before> <after> [--json]`: exit 0 when the deployment is safe, 1 when it would
 * fail or replace, delete or unprotect a table, 2 for bad input.
 */
export function registerCheckMigrationCommand(program: Command): Command {
  return program
    .command('check-migration')
    .description('Check that deploying <after> over <before> neither fails nor replaces, deletes or unprotects a DynamoDB table; print the findings and, when several deployments are needed, the plan.')
    .argument('<before>', 'the deployed side: a template file in JSON or YAML (short-form tags included), a directory of <stack>.template.json or .template.yaml files, or a cloud assembly directory')
    .argument('<after>', 'the new side, usually cdk.out after `cdk synth`')
    .option('--json', 'print the report (safe, findings, plan) as JSON')
    .option('--accept <finding>', 'accept a finding: KIND or KIND:LogicalId (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--fail-on-warnings', 'exit 1 on warnings too')
    .addHelpText('after', '\nExit codes: 0 safe, 1 the deployment would fail or replace, delete or unprotect a table, 2 bad input.')
    .action(function (this: Command, before: string, after: string, options: CheckMigrationOptions) {
      let report: MigrationReport;
      try {
        report = MigrationCheck.comparePaths(before, after, { accept: options.accept ?? [] });
      } catch (err) {
        this.error(`check-migration: ${(err as Error).message}`, { exitCode: 2, code: 'check-migration.badInput' });
      }
      const write = this.configureOutput().writeOut!;
      write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${MigrationCheck.formatReport(report)}\n`);
      const failing = report.findings.filter((f) => options.failOnWarnings || f.severity === MigrationSeverity.ERROR);
      if (failing.length > 0) {
        this.error(`check-migration: ${failing.length} finding(s) block this deployment.`, { exitCode: 1, code: 'check-migration.unsafe' });
      }
    });
}
