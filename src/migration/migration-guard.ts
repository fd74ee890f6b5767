import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { MigrationCheckOptions, MigrationFindingKind, MigrationReport, MigrationSeverity } from './finding';
import { MigrationCheck } from './migration-check';
import { isTemplateFile, loadStacks, StackTemplate } from './templates';

/**
 * Props of a `MigrationGuard`.
 */
export interface MigrationGuardProps extends MigrationCheckOptions {
  /**
   * The directory of the templates last deployed, one `<stack>.template.json` (or `.template.yaml`) per
   * stack, named as in `cdk.out`: what `MigrationGuard.recordBaseline()` and
   * `cdk-dynamodb-blueprints record-baseline cdk.out <dir>` write after a deployment.
   *
   * A relative path is resolved against the working directory of `cdk synth` (the app's root).
   * An empty directory means nothing is deployed yet: every synthesis passes.
   */
  readonly baselineDirectory: string;

  /**
   * Fail synthesis on warnings too (a billing mode switch, a new encryption key, a retained table leaving the stack).
   *
   * @default false
   */
  readonly failOnWarnings?: boolean;
}

/**
 * A validation plugin that fails `cdk synth` when deploying the app over its baseline (the templates
 * last deployed, committed in a directory) would fail, or replace, delete, orphan or unprotect a
 * DynamoDB table. It reports the same findings, with the same plan, as `MigrationCheck` and the
 * `check-migration` command.
 *
 * Every `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable` of every stack is compared with the
 * baseline template of the same stack (by artifact id, the name of its template in `cdk.out`).
 *
 * @example
 * const app = new App();
 * Validations.of(app).addPlugins(new MigrationGuard({ baselineDirectory: 'deployed' }));
 */
export class MigrationGuard implements IPolicyValidationPlugin {
  /**
   * Writes every stack template of a cloud assembly (`cdk.out`, stages included) into `baselineDirectory`
   * as `<artifact id>.template.json`: run it after a successful `cdk deploy`, and commit the directory.
   *
   * Templates of stacks no longer in the assembly are left in place: delete them when the stack is destroyed.
   *
   * @param assemblyDirectory the cloud assembly that was just deployed
   * @param baselineDirectory the baseline directory; created when missing
   * @returns the files written
   */
  public static recordBaseline(assemblyDirectory: string, baselineDirectory: string): string[] {
    if (!fs.existsSync(path.join(assemblyDirectory ?? '', 'manifest.json'))) {
      throw new Error(`\`assemblyDirectory\` is '${assemblyDirectory}', which is not a cloud assembly (no manifest.json): pass the cdk.out directory of the deployment (\`cdk deploy --output <dir>\`, default cdk.out).`);
    }
    const stacks = loadStacks('assemblyDirectory', assemblyDirectory);
    fs.mkdirSync(baselineDirectory, { recursive: true });
    return stacks.map((stack) => {
      const file = path.join(baselineDirectory, `${stack.stem}.template.json`);
      fs.writeFileSync(file, `${JSON.stringify(stack.template, null, 1)}\n`);
      return file;
    });
  }

  /** The name the synthesis report shows. */
  public readonly name = 'CdkDynamoDBBlueprints-MigrationGuard';
  /** The finding kinds it reports. */
  public readonly ruleIds?: string[] = Object.values(MigrationFindingKind);

  private readonly props: MigrationGuardProps;

  constructor(props: MigrationGuardProps) {
    if (typeof props?.baselineDirectory !== 'string' || props.baselineDirectory.trim() === '') {
      throw new Error(`\`baselineDirectory\` is ${JSON.stringify(props?.baselineDirectory)}: name the directory of last-deployed templates, for example 'deployed' (record it with \`cdk-dynamodb-blueprints record-baseline cdk.out deployed\`).`);
    }
    // Fails now, not at synthesis, on a malformed `accept` or `parameters`.
    MigrationCheck.compareTemplates({ Resources: {} }, { Resources: {} }, { accept: props.accept, parameters: props.parameters });
    this.props = props;
  }

  /**
   * Compares the synthesized templates with the baseline. Called by the CDK during synthesis.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const dir = path.resolve(this.props.baselineDirectory);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new Error(`\`baselineDirectory\` is '${this.props.baselineDirectory}' (${dir}), which is not a directory: record the last-deployed templates there (\`cdk-dynamodb-blueprints record-baseline cdk.out ${this.props.baselineDirectory}\` after a deployment, or an empty directory before the first one).`);
    }
    if (!fs.readdirSync(dir).some(isTemplateFile)) {
      return { success: true, violations: [] };
    }
    const before = loadStacks('baselineDirectory', dir);
    const templatePaths = new Map<string, string>();
    const after: StackTemplate[] = context.stackTemplates.map((s) => {
      const stem = path.basename(s.templatePath).replace(/\.template\.json$/, '');
      templatePaths.set(stem, s.templatePath);
      const template = JSON.parse(fs.readFileSync(s.templatePath, 'utf-8'));
      return { name: stem, stem, keys: [stem, s.stackConstructPath], template };
    });
    const report = MigrationCheck._compareStacks(before, after, { accept: this.props.accept, parameters: this.props.parameters });
    const failing = report.findings.filter((f) => this.props.failOnWarnings || f.severity === MigrationSeverity.ERROR);
    const violations: PolicyViolation[] = report.findings.map((f) => ({
      ruleName: f.kind,
      description: `${f.stack}/${f.table}: ${f.change}. ${f.why}`,
      fix: `${f.fix}${planFor(report, f.stack, f.table)}`,
      severity: f.severity === MigrationSeverity.ERROR || this.props.failOnWarnings ? 'error' : 'warning',
      violatingResources: [{
        templatePath: templatePaths.get(f.stack) ?? path.join(dir, `${f.stack}.template.json`),
        locations: [`Resources/${f.table}`],
      }],
    }));
    return { success: failing.length === 0, violations };
  }
}

/** The plan's steps for one table, as a sentence to append to a fix. */
function planFor(report: MigrationReport, stack: string, table: string): string {
  const steps = report.plan
    .map((d) => ({ deployment: d.deployment, step: d.steps.find((s) => s.stack === stack && s.table === table) }))
    .filter((x) => x.step !== undefined)
    .map((x) => `deployment ${x.deployment}: ${x.step!.action}`);
  return steps.length === 0 ? '' : ` Plan (${report.plan.length} deployments; the last is the new template as is): ${steps.join('; ')}.`;
}
