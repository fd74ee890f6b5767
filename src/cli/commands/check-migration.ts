import { Command } from 'commander';
import { MigrationReport, MigrationSeverity } from '../../migration/finding';
import { MigrationCheck } from '../../migration/migration-check';
import { MigrationGuard } from '../../migration/migration-guard';

interface CheckMigrationOptions {
  readonly json?: boolean;
  readonly accept?: string[];
  readonly failOnWarnings?: boolean;
  readonly parameters?: string[];
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
    .option('--parameters <Name=Value>', 'a template parameter value, as `cdk deploy --parameters` takes it (repeatable); parameters not given take their Default', (value: string, previous: string[] = []) => [...previous, value])
    .addHelpText('after', '\nExit codes: 0 safe, 1 the deployment would fail or replace, delete or unprotect a table, 2 bad input.')
    .action(function (this: Command, before: string, after: string, options: CheckMigrationOptions) {
      let report: MigrationReport;
      try {
        report = MigrationCheck.comparePaths(before, after, { accept: options.accept ?? [], parameters: options.parameters ?? [] });
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

/**
 * `record-baseline <assembly> <directory>`: after a deployment, writes each stack template of the
 * deployed cloud assembly into the baseline directory that `MigrationGuard` and `check-migration` read.
 */
export function registerRecordBaselineCommand(program: Command): Command {
  return program
    .command('record-baseline')
    .description('After a successful deployment, copy every stack template of the deployed cloud assembly into the baseline directory (one <artifact id>.template.json per stack) that MigrationGuard and check-migration compare against. Commit the directory.')
    .argument('<assembly>', 'the cloud assembly that was deployed (cdk.out)')
    .argument('<directory>', 'the baseline directory, created when missing')
    .action(function (this: Command, assembly: string, directory: string) {
      let files: string[];
      try {
        files = MigrationGuard.recordBaseline(assembly, directory);
      } catch (err) {
        this.error(`record-baseline: ${(err as Error).message}`, { exitCode: 2, code: 'record-baseline.badInput' });
      }
      this.configureOutput().writeOut!(files.map((f) => `${f}\n`).join(''));
    });
}
