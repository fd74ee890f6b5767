import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { BlueprintTable, DynamoDBBlueprintChecks, IndexProjection } from '../src';

/**
 * How long DynamoDBBlueprintChecks takes on a 50-table app, next to AwsSolutionsChecks on the same
 * app: `validateScope` over the whole tree, a fresh pack per run, median of RUNS runs after one
 * uncounted warm-up run.
 *
 *   npx ts-node --transpile-only --project tsconfig.dev.json bench/nag.ts
 */
const TABLES = 50;
const RUNS = 11;

function buildApp(): App {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  const role = new Role(stack, 'Api', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  for (let i = 0; i < TABLES; i++) {
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

function time(app: App, makePack: () => NagPack): { median: number; min: number; max: number; findings: number } {
  // One run first, uncounted: it pays for loading and JIT-compiling the rules.
  makePack().validateScope(app);
  const samples: number[] = [];
  let findings = 0;
  for (let run = 0; run < RUNS; run++) {
    const pack = makePack();
    const started = process.hrtime.bigint();
    const report = pack.validateScope(app);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    findings = report.violations.reduce((n, v) => n + v.violatingResources.length, 0);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(RUNS / 2)], min: samples[0], max: samples[RUNS - 1], findings };
}

function main(): void {
  const app = buildApp();
  const resources = app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
  const rows = [
    ['DynamoDBBlueprintChecks', time(app, () => new DynamoDBBlueprintChecks())],
    ['AwsSolutionsChecks', time(app, () => new AwsSolutionsChecks())],
  ] as const;
  console.log(`${TABLES} tables, ${resources} CloudFormation resources; validateScope, ${RUNS} runs each after a warm-up, node ${process.version}\n`);
  console.log('| pack | median ms | min ms | max ms | findings |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, t] of rows) {
    console.log(`| ${name} | ${t.median.toFixed(0)} | ${t.min.toFixed(0)} | ${t.max.toFixed(0)} | ${t.findings} |`);
  }
}

main();
