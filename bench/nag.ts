import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { BlueprintTable, DynamoDBBlueprintChecks, IndexProjection } from '../src';

/**
 * How long DynamoDBBlueprintChecks takes on a 50-table and a 400-table app, next to
 * AwsSolutionsChecks on the same app: `validateScope` over the whole tree, a fresh pack per run,
 * median of RUNS runs after one uncounted warm-up run. The target: at most 1.5x AwsSolutionsChecks.
 *
 *   npx ts-node --transpile-only --project tsconfig.dev.json bench/nag.ts [tables...]
 */
const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const RUNS = 11;

function buildApp(tables: number): App {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  const role = new Role(stack, 'Api', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  for (let i = 0; i < tables; i++) {
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
 * Times several packs on one app, their runs interleaved (A, B, C, A, B, C...) so that load from
 * other processes falls on all of them alike.
 */
function time(app: App, makePacks: Array<() => NagPack>): Timing[] {
  // One run each first, uncounted: it pays for loading and JIT-compiling the rules.
  makePacks.forEach((make) => make().validateScope(app));
  const samples: number[][] = makePacks.map(() => []);
  const findings: number[] = makePacks.map(() => 0);
  for (let run = 0; run < RUNS; run++) {
    makePacks.forEach((make, i) => {
      const pack = make();
      const started = process.hrtime.bigint();
      const report = pack.validateScope(app);
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
  console.log(`validateScope, ${RUNS} interleaved runs each after a warm-up, wall clock, node ${process.version}\n`);
  console.log('| tables | resources | pack | median ms | min ms | max ms | findings | ratio to AwsSolutionsChecks |');
  console.log('|---:|---:|---|---:|---:|---:|---:|---:|');
  for (const tables of SIZES.length > 0 ? SIZES : [50, 400]) {
    const app = buildApp(tables);
    const resources = app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
    const [ours, advisory, theirs] = time(app, [
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
      console.log(`| ${tables} | ${resources} | ${name} | ${t.median.toFixed(0)} | ${t.min.toFixed(0)} | ${t.max.toFixed(0)} | ${t.findings} | ${(t.median / theirs.median).toFixed(2)} |`);
    }
  }
}

main();
