import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { BlueprintTable, DynamoDBBlueprintChecks, IndexProjection } from '../src';

/**
 * How long DynamoDBBlueprintChecks takes on a 50-table and a 400-table app, next to
 * AwsSolutionsChecks on the same app, a fresh pack per run, median of RUNS interleaved runs after one
 * uncounted warm-up run. The target: at most 1.5x AwsSolutionsChecks. Two entry points:
 * - `validate(context)`: what `Validations.of(app).addPlugins()` runs once `cdk synth` has written the
 *   templates; the context is the one the CDK gives plugins, captured from a real synthesis.
 * - `validateScope(app)`: a direct call on the construct tree (tests, tools), with nothing synthesized.
 *
 *   npm run bench -- nag [tables...]
 */
const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const RUNS = 21;

/** A plugin that keeps the validation context the CDK hands plugins after synthesis. */
class ContextCapture implements IPolicyValidationPlugin {
  public readonly name = 'ContextCapture';
  public context?: IPolicyValidationContext;
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.context = context;
    return { success: true, violations: [] };
  }
}

/** Synthesizes the app into a temporary folder and returns the context its validation plugins get. */
function synthesizedContext(app: App): IPolicyValidationContext {
  const capture = new ContextCapture();
  Validations.of(app).addPlugins(capture);
  app.synth();
  return capture.context!;
}

/** Tables per stack: 400 tables in one stack would pass CloudFormation's 500-resource limit. */
const TABLES_PER_STACK = 50;

function buildApp(tables: number): App {
  const app = new App({ builtinCloudFormationValidation: false, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nag-')) });
  let stack!: Stack;
  let role!: Role;
  for (let i = 0; i < tables; i++) {
    if (i % TABLES_PER_STACK === 0) {
      stack = new Stack(app, `Bench${i / TABLES_PER_STACK}`, { env: { account: '123456789012', region: 'us-east-1' } });
      role = new Role(stack, 'Api', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    }
    // Four in five are BlueprintTables with two indexes; every fifth is a provisioned, auto scaled
    // Table, whose scalable targets the capacity rules must look up.
    if (i % 5 === 4) {
      const table = new Table(stack, `Legacy${i}`, {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
        billingMode: BillingMode.PROVISIONED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
      });
      table.autoScaleReadCapacity({ minCapacity: 5, maxCapacity: 100 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
      table.autoScaleWriteCapacity({ minCapacity: 5, maxCapacity: 100 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
      table.grant(role, 'dynamodb:GetItem');
      continue;
    }
    const table = new BlueprintTable(stack, `Table${i}`, {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      blueprintGlobalSecondaryIndexes: [
        { indexName: 'gsi1', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, projection: IndexProjection.include(['a', 'b']) },
        { indexName: 'gsi2', partitionKey: { name: 'GSI2PK', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
      ],
    });
    table.grant(role, 'dynamodb:Query', 'dynamodb:GetItem');
  }
  return app;
}

interface Timing { median: number; min: number; max: number; findings: number }

/**
 * Times several packs on one app through one entry point, their runs interleaved (A, B, C, A, B, C...)
 * so that load from other processes falls on all of them alike.
 */
function time(run: (pack: NagPack) => PolicyValidationPluginReport, makePacks: Array<() => NagPack>): Timing[] {
  // One run each first, uncounted: it pays for loading and JIT-compiling the rules.
  makePacks.forEach((make) => run(make()));
  const samples: number[][] = makePacks.map(() => []);
  const findings: number[] = makePacks.map(() => 0);
  for (let r = 0; r < RUNS; r++) {
    makePacks.forEach((make, i) => {
      const pack = make();
      const started = process.hrtime.bigint();
      const report = run(pack);
      samples[i].push(Number(process.hrtime.bigint() - started) / 1e6);
      findings[i] = report.violations.reduce((n, v) => n + v.violatingResources.length, 0);
    });
  }
  return samples.map((s, i) => {
    s.sort((a, b) => a - b);
    return { median: s[Math.floor(RUNS / 2)], min: s[0], max: s[RUNS - 1], findings: findings[i] };
  });
}

function main(): void {
  console.log(`${RUNS} interleaved runs each after a warm-up, wall clock, ${TABLES_PER_STACK} tables a stack, node ${process.version}\n`);
  console.log('| tables | resources | entry point | pack | median ms | min ms | max ms | findings | ratio to AwsSolutionsChecks |');
  console.log('|---:|---:|---|---|---:|---:|---:|---:|---:|');
  for (const tables of SIZES.length > 0 ? SIZES : [50, 400]) {
    const app = buildApp(tables);
    const context = synthesizedContext(app);
    const resources = app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
    const entryPoints = [
      ['validate(context) after synthesis', (pack: NagPack) => pack.validate(context)],
      ['validateScope(app)', (pack: NagPack) => pack.validateScope(app)],
    ] as const;
    for (const [entryPoint, run] of entryPoints) {
      const [ours, advisory, theirs] = time(run, [
        () => new DynamoDBBlueprintChecks(),
        () => new DynamoDBBlueprintChecks(undefined, { includeAdvisoryRules: true }),
        () => new AwsSolutionsChecks(),
      ]);
      const rows = [
        ['DynamoDBBlueprintChecks', ours],
        ['DynamoDBBlueprintChecks, advisory rules on', advisory],
        ['AwsSolutionsChecks', theirs],
      ] as const;
      for (const [name, t] of rows) {
        console.log(`| ${tables} | ${resources} | ${entryPoint} | ${name} | ${t.median.toFixed(0)} | ${t.min.toFixed(0)} | ${t.max.toFixed(0)} | ${t.findings} | ${(t.median / theirs.median).toFixed(2)} |`);
      }
    }
  }
}

main();
