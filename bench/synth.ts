/**
 * Synth time of a 50-table app: BlueprintTable against TableV2s configured with the same features
 * (keys, an INCLUDE-projected GSI, a stream, TTL, PITR, deletion protection, contributor insights,
 * a customer-managed key each, RETAIN). Runs alternate so machine noise hits both sides alike.
 *
 *   npx ts-node --transpile-only --project tsconfig.dev.json bench/synth.ts [--runs 7] [--tables 50]
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, ProjectionType, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BlueprintTable, IndexProjection } from '../src';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const TABLES = arg('tables', 50);
const RUNS = arg('runs', 7);

function blueprintApp(validation: boolean): App {
  const app = new App({ builtinCloudFormationValidation: validation });
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  for (let i = 0; i < TABLES; i++) {
    new BlueprintTable(stack, `Table${i}`, {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      blueprintGlobalSecondaryIndexes: [{
        indexName: 'byStatus',
        partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
        projection: IndexProjection.include(['status', 'total']),
      }],
      timeToLiveAttribute: 'expiresAt',
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
  }
  return app;
}

function tableV2App(validation: boolean): App {
  const app = new App({ builtinCloudFormationValidation: validation });
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  for (let i = 0; i < TABLES; i++) {
    const key = new kms.Key(stack, `Table${i}Key`, { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    new TableV2(stack, `Table${i}`, {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      globalSecondaryIndexes: [{
        indexName: 'byStatus',
        partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
        sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: ['status', 'total'],
      }],
      timeToLiveAttribute: 'expiresAt',
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      encryption: TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      contributorInsightsSpecification: { enabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
  return app;
}

function time(build: (validation: boolean) => App, validation: boolean): number {
  const started = process.hrtime.bigint();
  build(validation).synth();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  console.log(`Synth of ${TABLES} tables, median of ${RUNS} runs (after one warm-up each), ms`);
  console.log('| schema validation | TableV2 | BlueprintTable | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const validation of [false, true]) {
    time(tableV2App, validation);
    time(blueprintApp, validation);
    const v2: number[] = [];
    const bp: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      v2.push(time(tableV2App, validation));
      bp.push(time(blueprintApp, validation));
    }
    console.log(`| ${validation ? 'on' : 'off'} | ${median(v2).toFixed(0)} | ${median(bp).toFixed(0)} | ${(median(bp) / median(v2)).toFixed(2)} |`);
  }
}

main();
