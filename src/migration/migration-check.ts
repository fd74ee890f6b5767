import * as fs from 'fs';
import { Stack, Stage } from 'aws-cdk-lib';
import { formatAdoption, isAdoption, planAdoption } from './adoption';
import { TableAdoption } from './adoption-finding';
import {
  MigrationCheckOptions,
  MigrationDeployment,
  MigrationFinding,
  MigrationFindingKind,
  MigrationReport,
  MigrationSeverity,
} from './finding';
import { cannotTellFinding, conditionFindings, readTables } from './resolved-tables';
import { compareTable, relocatedTable, removedTable, sameKeys } from './table-changes';
import { TableSide } from './table-side';
import { checkTemplate, loadStacks, pairStacks, readTemplate, StackTemplate } from './templates';
import { parseParameterValues } from '../model/template-resolution';

/**
 * Options of `MigrationCheck.assertDeployable`.
 */
export interface AssertDeployableOptions extends MigrationCheckOptions {
  /**
   * Fail on warnings too (a billing mode switch, a new encryption key, a retained table leaving the stack).
   *
   * @default false
   */
  readonly failOnWarnings?: boolean;
}

const KIND_ORDER = Object.values(MigrationFindingKind) as string[];

/**
 * Compares the DynamoDB tables of a deployed template with a new one and says what the deployment
 * would do to them: fail (two GSIs at once, a stream view type change), replace the table (a new
 * key, name or LSI), delete or unprotect it, or succeed. For changes that need several deployments
 * it gives the plan.
 *
 * Stacks are matched by name (or template file name), tables by logical id; a table that leaves while
 * one with the same keys appears under another logical id, or in another stack, is reported as
 * renamed or moved. Both `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable` are checked.
 *
 * @example
 * const report = MigrationCheck.comparePaths('deployed/Orders.template.json', 'cdk.out');
 * if (!report.safe) { console.error(MigrationCheck.formatReport(report)); }
 */
export class MigrationCheck {
  /**
   * Compares two templates of one stack.
   *
   * @param before the deployed template, as parsed JSON
   * @param after the new template, as parsed JSON
   */
  public static compareTemplates(before: any, after: any, options: MigrationCheckOptions = {}): MigrationReport {
    checkTemplate('before', 'the template passed in', before);
    checkTemplate('after', 'the template passed in', after);
    return MigrationCheck._compareStacks(
      [{ name: 'template', keys: ['template'], stem: 'template', template: before }],
      [{ name: 'template', keys: ['template'], stem: 'template', template: after }],
      options,
    );
  }

  /**
   * Compares two template files or cloud assembly directories (`cdk.out`), or a template file with
   * the one stack of an assembly. Stacks are paired by stack name, artifact id or template file name.
   *
   * Templates may be JSON or YAML; YAML's short-form tags (`!Ref`, `!GetAtt`, `!Sub` ...) are read as
   * the long forms (`Ref`, `Fn::GetAtt`, `Fn::Sub`), as CloudFormation returns them in JSON.
   *
   * Note: throws when a path does not exist or holds no CloudFormation template in JSON or YAML, or when
   * the two sides share no stack.
   *
   * @param beforePath the deployed side: a template file, a directory of `<stack>.template.json` (or `.template.yaml`) files, or a cloud assembly
   * @param afterPath the new side, the same kinds of path
   */
  public static comparePaths(beforePath: string, afterPath: string, options: MigrationCheckOptions = {}): MigrationReport {
    const before = loadStacks('before', beforePath);
    const after = loadStacks('after', afterPath);
    if (pairStacks(before, after).length === 0) {
      const names = (stacks: StackTemplate[]) => stacks.map((s) => s.name).join(', ');
      throw new Error(`\`before\` ('${beforePath}') and \`after\` ('${afterPath}') share no stack: before has ${names(before)}, after has ${names(after)}. Name committed templates <stack name>.template.json, as cdk.out does.`);
    }
    return MigrationCheck._compareStacks(before, after, options);
  }

  /**
   * Throws unless `stack` can be deployed safely over the template committed at `templatePath`
   * (its last deployed template). The error lists every finding and, where one exists, the plan.
   *
   * Use it in a jest test so the build fails before `cdk deploy` does.
   *
   * @param stack the stack as the code defines it now
   * @param templatePath the last deployed template of this stack, in JSON or YAML
   */
  public static assertDeployable(stack: Stack, templatePath: string, options: AssertDeployableOptions = {}): void {
    if (!fs.existsSync(templatePath)) {
      throw new Error(`\`templatePath\` is '${templatePath}', which does not exist: commit the last deployed template of ${stack.stackName} there (\`aws cloudformation get-template --stack-name ${stack.stackName} --query TemplateBody --output json > ${templatePath}\`, or copy cdk.out/${stack.templateFile} after a deployment).`);
    }
    const before = readTemplate('templatePath', templatePath);
    const assembly = Stage.of(stack)!.synth({ force: true });
    const after = assembly.getStackArtifact(stack.artifactId).template;
    const report = MigrationCheck._compareStacks(
      [{ name: stack.stackName, keys: [stack.stackName], stem: stack.artifactId, template: before }],
      [{ name: stack.stackName, keys: [stack.stackName], stem: stack.artifactId, template: after }],
      options,
    );
    const failing = report.findings.filter((f) => options.failOnWarnings || f.severity === MigrationSeverity.ERROR);
    if (failing.length > 0) {
      throw new Error(`${stack.stackName} cannot be deployed safely over ${templatePath}:\n${MigrationCheck.formatReport(report)}`);
    }
  }

  /**
   * The report as text: one block per finding, then the plan.
   */
  public static formatReport(report: MigrationReport): string {
    const lines: string[] = [];
    const errors = report.findings.filter((f) => f.severity === MigrationSeverity.ERROR).length;
    const warnings = report.findings.length - errors;
    lines.push(`${report.tablesCompared} table(s) in ${report.stacksCompared} stack(s) compared: ${errors} error(s), ${warnings} warning(s).`);
    for (const f of report.findings) {
      lines.push('');
      lines.push(`${f.severity} ${f.kind} ${f.stack}/${f.table}`);
      lines.push(`  change: ${f.change}`);
      lines.push(`  why:    ${f.why}`);
      lines.push(`  fix:    ${f.fix}`);
    }
    for (const adoption of report.adoptions ?? []) {
      lines.push('', ...formatAdoption(adoption));
    }
    if (report.plan.length > 0) {
      lines.push('');
      lines.push(`Safe plan: ${report.plan.length} deployments, each accepted by CloudFormation; the last one is the new template as is.`);
      for (const deployment of report.plan) {
        lines.push(`  Deployment ${deployment.deployment}:`);
        for (const step of deployment.steps) {
          lines.push(`    ${step.stack}/${step.table}: ${step.action}`);
        }
      }
    }
    return lines.join('\n');
  }

  /**
   * Compares the stacks of both sides. Shared by the paths, the unit-test helper and the synthesis plugin.
   *
   * @internal
   */
  public static _compareStacks(before: StackTemplate[], after: StackTemplate[], options: MigrationCheckOptions): MigrationReport {
    const accepted = MigrationCheck.parseAccept(options.accept ?? []);
    const parameters = parseParameterValues('parameters', options.parameters ?? []);
    const tablesOf = (template: any) => readTables(template, parameters);
    const findings: MigrationFinding[] = [];
    const adoptions: TableAdoption[] = [];
    const sequences: Array<{ stack: string; table: string; steps: string[] }> = [];
    let tablesCompared = 0;
    const pairs = pairStacks(before, after);
    // Tables that left a stack, and tables new to a stack (including stacks new to the app): a table
    // that leaves while one with the same keys appears was renamed or moved, not removed.
    const gone: Array<{ stack: string; table: TableSide; template: any; afterTemplate: any }> = [];
    const fresh: Array<{ stack: string; table: TableSide }> = [];
    const adopt = (stack: string, beforeTemplate: any, afterTemplate: any, old: TableSide, now: TableSide) => {
      const adoption = planAdoption(stack, beforeTemplate, afterTemplate, old, now,
        (x, y) => MigrationCheck.compareTemplates(x, y));
      adoptions.push(adoption);
      sequences.push({ stack, table: now.definition.logicalId, steps: adoption.deployments.map((d) => d.summary) });
    };
    for (const [b, a] of pairs) {
      const beforeTables = tablesOf(b.template);
      const afterTables = tablesOf(a.template);
      for (const table of afterTables) {
        findings.push(...conditionFindings(a.name, table, parameters));
        const unknown = cannotTellFinding(a.name, beforeTables.find((x) => x.definition.logicalId === table.definition.logicalId), table);
        if (unknown !== undefined) {
          findings.push(unknown);
        }
      }
      fresh.push(...afterTables
        .filter((t) => !beforeTables.some((x) => x.definition.logicalId === t.definition.logicalId))
        .map((table) => ({ stack: a.name, table })));
      for (const old of beforeTables) {
        const now = afterTables.find((t) => t.definition.logicalId === old.definition.logicalId);
        if (now === undefined) {
          gone.push({ stack: a.name, table: old, template: b.template, afterTemplate: a.template });
          continue;
        }
        tablesCompared++;
        const changes = compareTable(a.name, old, now);
        findings.push(...changes.findings);
        if (isAdoption(old.definition, now.definition)) {
          adopt(a.name, b.template, a.template, old, now);
        }
        if (changes.steps.length > 0) {
          sequences.push({ stack: a.name, table: now.definition.logicalId, steps: changes.steps });
        }
      }
    }
    const paired = new Set(pairs.flatMap(([b, a]) => [b, a]));
    for (const a of after.filter((s) => !paired.has(s))) {
      fresh.push(...tablesOf(a.template).map((table) => ({ stack: a.name, table })));
    }
    const claimed = new Set<TableSide>();
    for (const old of gone) {
      const twin = MigrationCheck.findTwin(old, fresh.filter((f) => !claimed.has(f.table)));
      if (twin === undefined) {
        findings.push(removedTable(old.stack, old.table));
      } else {
        claimed.add(twin.table);
        findings.push(relocatedTable(old.stack, old.table, twin.stack, twin.table));
        if (twin.stack === old.stack && isAdoption(old.table.definition, twin.table.definition)) {
          adopt(old.stack, old.template, old.afterTemplate, old.table, twin.table);
        }
      }
    }

    MigrationCheck.checkAcceptedTables(accepted, [...before, ...after], tablesOf);
    const adopted = new Set(adoptions.flatMap((x) => [`${x.stack}/${x.fromLogicalId}`, `${x.stack}/${x.toLogicalId}`]));
    const kept = findings
      .map((f) => (adopted.has(`${f.stack}/${f.table}`) && (f.kind === MigrationFindingKind.RESOURCE_TYPE_CHANGED || f.kind === MigrationFindingKind.TABLE_RENAMED)
        ? { ...f, fix: `Adopt the live table in the deployments of the plan: retain and protect it, remove it from the stack, \`cdk import\` it with the resource mapping, then deploy the new template (see the adoption of ${f.table}).` }
        : f))
      .filter((f) => !accepted.some((x) => x.kind === f.kind && (x.table === undefined || x.table === f.table || x.table === `${f.stack}/${f.table}`)))
      .sort((x, y) => x.stack.localeCompare(y.stack) || x.table.localeCompare(y.table) || KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind));
    sequences.sort((x, y) => x.stack.localeCompare(y.stack) || x.table.localeCompare(y.table));
    const plan: MigrationDeployment[] = [];
    const length = Math.max(0, ...sequences.map((s) => s.steps.length));
    for (let i = 0; i < length; i++) {
      plan.push({
        deployment: i + 1,
        steps: sequences
          .filter((s) => i < s.steps.length)
          .map((s) => ({ stack: s.stack, table: s.table, action: s.steps[i] })),
      });
    }
    return {
      safe: !kept.some((f) => f.severity === MigrationSeverity.ERROR),
      findings: kept,
      plan,
      stacksCompared: pairs.length,
      tablesCompared,
      adoptions: adoptions.length > 0 ? adoptions : undefined,
    };
  }

  /**
   * The new table most likely to be `old` under another logical id: the same keys, preferably the same
   * stack, then the same fixed table name, then the same resource type.
   */
  private static findTwin(
    old: { stack: string; table: TableSide },
    candidates: Array<{ stack: string; table: TableSide }>,
  ): { stack: string; table: TableSide } | undefined {
    const score = (c: { stack: string; table: TableSide }) =>
      (c.stack === old.stack ? 4 : 0)
      + (c.table.definition.tableName !== undefined && c.table.definition.tableName === old.table.definition.tableName ? 2 : 0)
      + (c.table.definition.resourceType === old.table.definition.resourceType ? 1 : 0);
    return candidates
      .filter((c) => sameKeys(old.table, c.table))
      .sort((x, y) => score(y) - score(x))[0];
  }

  /** Refuses an accepted table that no template has: a construct id or a typo would silently match nothing. */
  private static checkAcceptedTables(
    accepted: Array<{ kind: string; table?: string }>,
    stacks: StackTemplate[],
    tablesOf: (template: any) => TableSide[],
  ): void {
    const ids = new Set<string>();
    for (const stack of stacks) {
      for (const table of tablesOf(stack.template)) {
        ids.add(table.definition.logicalId);
        ids.add(`${stack.name}/${table.definition.logicalId}`);
      }
    }
    const unknown = accepted.filter((x) => x.table !== undefined && !ids.has(x.table));
    // With no table on either side (nothing deployed yet) there is nothing to match or to miss.
    if (unknown.length > 0 && ids.size > 0) {
      const known = [...ids].filter((id) => id.includes('/')).sort();
      throw new Error(`\`accept\` names ${unknown.map((x) => `'${x.kind}:${x.table}'`).join(', ')}, but no template has a table with that logical id: `
        + `the tables are ${known.length === 0 ? 'none' : known.join(', ')} (Stack/LogicalId, or the LogicalId alone; a logical id, not a construct id).`);
    }
  }

  private static parseAccept(accept: string[]): Array<{ kind: string; table?: string }> {
    return accept.map((entry) => {
      const [kind, ...rest] = String(entry).split(':');
      if (!KIND_ORDER.includes(kind) || rest.length > 1 || rest[0] === '') {
        throw new Error(`\`accept\` has '${entry}': write KIND or KIND:LogicalId (or KIND:Stack/LogicalId), where KIND is one of ${KIND_ORDER.join(', ')}.`);
      }
      return { kind, table: rest[0] };
    });
  }
}
