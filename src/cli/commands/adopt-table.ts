import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { print } from './options';
import { adoptionTemplates, formatAdoption } from '../../migration/adoption';
import { MigrationReport } from '../../migration/finding';
import { adoptLiveTable, LiveTableAdoption } from '../../migration/live-table';
import { MigrationCheck } from '../../migration/migration-check';

interface PlanAdoptionOptions {
  readonly out?: string;
  readonly json?: boolean;
}

/**
 * `plan-adoption <before> <after> [--out dir] [--json]`: the deployments that bring a live `Table` into the
 * stack as a BlueprintTable (retain, remove, import, deploy), each template checked, and the resource mapping.
 * Exit 0 when every deployment's template passes its check, 1 when one does not, 2 for bad input or no table to adopt.
 */
export function registerPlanAdoptionCommand(program: Command): Command {
  return program
    .command('plan-adoption')
    .description('Plan how a table deployed as AWS::DynamoDB::Table (Table) comes into the stack as the AWS::DynamoDB::GlobalTable (BlueprintTable, TableV2) of the same name in <after>: the deployments (retain and protect, remove, cdk import, deploy), each template checked, and the cdk import resource mapping.')
    .argument('<before>', 'the deployed side: a template file in JSON or YAML, a directory of <stack>.template.json files, or a cloud assembly')
    .argument('<after>', 'the new side, usually cdk.out after `cdk synth`')
    .option('--out <dir>', 'write <stack>.resource-mapping.json and each deployment\'s template (<stack>.deployment-<n>.template.json) there')
    .option('--json', 'print the adoptions as JSON, each resource mapping as an object')
    .addHelpText('after', '\nThen: cdk import <stack> --resource-mapping <dir>/<stack>.resource-mapping.json at the IMPORT deployment.\nExit codes: 0 every deployment\'s template passes its check, 1 one does not, 2 bad input or no table to adopt.')
    .action(function (this: Command, before: string, after: string, options: PlanAdoptionOptions) {
      let report: MigrationReport;
      try {
        report = MigrationCheck.comparePaths(before, after);
      } catch (err) {
        this.error(`plan-adoption: ${(err as Error).message}`, { exitCode: 2, code: 'plan-adoption.badInput' });
      }
      const adoptions = report.adoptions ?? [];
      if (adoptions.length === 0) {
        this.error(`plan-adoption: no table to adopt: no AWS::DynamoDB::Table of '${before}' appears in '${after}' as an AWS::DynamoDB::GlobalTable with the same literal table name. Give the BlueprintTable \`tableName\` set to the live table's name.`, { exitCode: 2, code: 'plan-adoption.nothingToAdopt' });
      }
      const files: string[] = [];
      if (options.out !== undefined) {
        fs.mkdirSync(options.out, { recursive: true });
        for (const adoption of adoptions) {
          const mapping = path.join(options.out, `${adoption.stack}.resource-mapping.json`);
          fs.writeFileSync(mapping, adoption.resourceMapping);
          files.push(mapping);
          adoptionTemplates(adoption).forEach((template, i) => {
            const file = path.join(options.out!, `${adoption.stack}.deployment-${i + 1}.template.json`);
            fs.writeFileSync(file, `${JSON.stringify(template, null, 1)}\n`);
            files.push(file);
          });
        }
      }
      if (options.json) {
        const json = adoptions.map((a) => ({ ...a, resourceMapping: JSON.parse(a.resourceMapping) }));
        print(this, JSON.stringify({ adoptions: json, files }, null, 2));
      } else {
        print(this, adoptions.map((a) => formatAdoption(a).join('\n')).join('\n\n'));
        if (files.length > 0) {
          print(this, `\nWritten:\n${files.map((f) => `  ${f}`).join('\n')}`);
        }
      }
      const problems = adoptions.flatMap((a) => a.deployments).reduce((n, d) => n + d.problems.length, 0);
      if (problems > 0) {
        this.error(`plan-adoption: ${problems} problem(s) in the deployments' templates.`, { exitCode: 1, code: 'plan-adoption.problems' });
      }
    });
}

interface AdoptLiveTableOptions {
  readonly describeTable: string;
  readonly continuousBackups?: string;
  readonly timeToLive?: string;
  readonly contributorInsights?: string;
  readonly constructId?: string;
  readonly language: string;
  readonly out?: string;
  readonly json?: boolean;
}

/**
 * `adopt-live-table --describe-table <file> ...`: the BlueprintTable code matching a table created outside
 * CloudFormation, the `cdk import` resource mapping, and the opinions that change the live table afterwards.
 */
export function registerAdoptLiveTableCommand(program: Command): Command {
  return program
    .command('adopt-live-table')
    .description('Write the BlueprintTable (TypeScript or Python) that matches a table created outside CloudFormation, from the AWS CLI\'s descriptions of it, with the cdk import resource mapping and the BlueprintTable defaults that will change the live table on the first deployment after the import.')
    .requiredOption('--describe-table <file>', 'the output of `aws dynamodb describe-table --table-name <name>`')
    .option('--continuous-backups <file>', 'the output of `aws dynamodb describe-continuous-backups --table-name <name>`')
    .option('--time-to-live <file>', 'the output of `aws dynamodb describe-time-to-live --table-name <name>`')
    .option('--contributor-insights <file>', 'the output of `aws dynamodb describe-contributor-insights --table-name <name>`')
    .option('--construct-id <id>', 'the construct id of the table (the logical id in the mapping derives from it)', undefined)
    .option('--language <language>', 'the code printed: typescript or python', 'typescript')
    .option('--out <dir>', 'write <table>.ts, <table>.py and <table>.resource-mapping.json there')
    .option('--json', 'print everything as JSON')
    .addHelpText('after', '\nExit codes: 0 written, 2 bad input.')
    .action(function (this: Command, options: AdoptLiveTableOptions) {
      let adoption: LiveTableAdoption;
      try {
        if (!['typescript', 'python'].includes(options.language)) {
          throw new Error(`\`--language\` is '${options.language}': write typescript or python.`);
        }
        adoption = adoptLiveTable({
          describeTable: readJson('--describe-table', options.describeTable),
          continuousBackups: readJson('--continuous-backups', options.continuousBackups),
          timeToLive: readJson('--time-to-live', options.timeToLive),
          contributorInsights: readJson('--contributor-insights', options.contributorInsights),
        }, options.constructId);
      } catch (err) {
        this.error(`adopt-live-table: ${(err as Error).message}`, { exitCode: 2, code: 'adopt-live-table.badInput' });
      }
      const name = adoption.table.tableName;
      const files: string[] = [];
      if (options.out !== undefined) {
        fs.mkdirSync(options.out, { recursive: true });
        const write = (file: string, text: string) => {
          fs.writeFileSync(path.join(options.out!, file), text);
          files.push(path.join(options.out!, file));
        };
        write(`${name}.ts`, adoption.typescript);
        write(`${name.replace(/[^A-Za-z0-9_]/g, '_')}.py`, adoption.python);
        write(`${name}.resource-mapping.json`, adoption.resourceMapping);
      }
      if (options.json) {
        const { template: _, ...rest } = adoption;
        print(this, JSON.stringify({ ...rest, resourceMapping: JSON.parse(adoption.resourceMapping), files }, null, 2));
        return;
      }
      const lines: string[] = [];
      if (files.length === 0) {
        lines.push(options.language === 'python' ? adoption.python : adoption.typescript);
      }
      lines.push(`Resource mapping (cdk import --resource-mapping ${name}.resource-mapping.json), for a table that is a direct child of its stack:`);
      lines.push(adoption.resourceMapping.trimEnd());
      lines.push('');
      lines.push(adoption.opinions.length === 0
        ? 'The live table already has every BlueprintTable default: the first deployment after the import changes nothing.'
        : `The first deployment after the import, once the "live value" lines are removed, changes ${adoption.opinions.length} setting(s):`);
      for (const o of adoption.opinions) {
        lines.push(`  ${o.setting} -> ${o.blueprint}: ${o.changes}`);
      }
      for (const c of adoption.table.notCarried) {
        lines.push(`Not carried: ${c}.`);
      }
      for (const u of adoption.table.unknown) {
        lines.push(`Not described: ${u}; the code keeps BlueprintTable's default, which may change the live table.`);
      }
      if (files.length > 0) {
        lines.push('', 'Written:', ...files.map((f) => `  ${f}`));
      }
      print(this, lines.join('\n'));
    });
}

function readJson(flag: string, file: string | undefined): any {
  if (file === undefined) {
    return undefined;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (err) {
    throw new Error(`\`${flag}\` is '${file}', which cannot be read (${(err as Error).message}).`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`\`${flag}\` is '${file}', which is not JSON (${(err as Error).message}): save the AWS CLI's output with \`--output json\`.`);
  }
}
