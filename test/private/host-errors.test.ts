import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BackupPlanRule } from 'aws-cdk-lib/aws-backup';
import { AttributeType, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  BlueprintTable, CapacityCalculator, CapacityOperation, CostEstimator, CostWorkloadProps, DaxCluster, DynamoDBGatewayEndpoint,
  HeatForecast, IndexProjection, KeyDistribution, KinesisChangeStream, SortKeyCondition, TableAccess, TableAlarms, TableBackupPlan,
  TableStreamConsumer,
} from '../../src';
import { testStack } from '../util';

/*
 * The errors of the jsii API, read from Python, Java, .NET or Go, name props as the caller writes them.
 * The jsii runtime of each language starts the Node process with JSII_AGENT set; each case sets it the same way.
 */

const PK = { name: 'PK', type: AttributeType.STRING };

function withAgent<T>(agent: string, run: () => T): T {
  const previous = process.env.JSII_AGENT;
  process.env.JSII_AGENT = agent;
  try {
    return run();
  } finally {
    if (previous === undefined) {
      delete process.env.JSII_AGENT;
    } else {
      process.env.JSII_AGENT = previous;
    }
  }
}

/** The message `provoke` fails with. */
function errorOf(provoke: () => unknown): string {
  try {
    provoke();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('no error was thrown');
}

function handler(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
  });
}

function streamTable(stack: Stack): BlueprintTable {
  return new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
}

function vpc(stack: Stack): Vpc {
  return new Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED }] });
}

// One representative error per area: [area, what provokes it, the prop as TypeScript spells it, as Python does].
const CASES: Array<[string, () => unknown, string, string]> = [
  ['stream consumer props', () => {
    const stack = testStack();
    return new TableStreamConsumer(stack, 'C', { table: streamTable(stack), handler: handler(stack), maxBatchingWindow: Duration.minutes(6) });
  }, '`maxBatchingWindow`', '`max_batching_window`'],
  ['stream consumer validation (addValidation)', () => {
    const stack = testStack();
    new TableStreamConsumer(stack, 'C', { table: streamTable(stack), handler: handler(stack), consumerId: 'has#hash' });
    return Template.fromStack(stack);
  }, '`consumerId`', '`consumer_id`'],
  ['TableAccess grants', () => {
    const stack = testStack();
    return TableAccess.queries(new BlueprintTable(stack, 'T', { partitionKey: PK }), { indexNames: ['byStatus', 'byStatus'] });
  }, '`indexNames`', '`index_names`'],
  ['cost estimator', () => CostEstimator.estimate({ itemSizeBytes: 1024 } as CostWorkloadProps), '`readsPerSecond`', '`reads_per_second`'],
  ['capacity calculator', () => CapacityCalculator.forOperation({ operation: CapacityOperation.GET_ITEM }), '`itemSizeBytes`', '`item_size_bytes`'],
  ['access patterns', () => {
    const table = new BlueprintTable(testStack(), 'T', { partitionKey: PK, sortKey: { name: 'SK', type: AttributeType.STRING } });
    table.addAccessPattern({ name: 'x', partitionKey: 'PK', sortKey: 'SK' });
  }, '`sortKeyCondition`', '`sort_key_condition`'],
  ['access patterns, checked at synthesis (addValidation)', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'T', { partitionKey: PK });
    table.addAccessPattern({ name: 'x', partitionKey: 'PK', sortKey: 'SK', sortKeyCondition: SortKeyCondition.beginsWith('A#') });
    return Template.fromStack(stack);
  }, '`sortKeyCondition`', '`sort_key_condition`'],
  ['heat forecast', () => HeatForecast.forKey({ readsPerSecond: 1, itemsPerRead: 0, itemSizeBytes: 1024, distribution: KeyDistribution.uniform(2) }),
    '`itemsPerRead`', '`items_per_read`'],
  ['backup plan', () => {
    const stack = testStack();
    return new TableBackupPlan(stack, 'B', { tables: [new BlueprintTable(stack, 'T', { partitionKey: PK })], rules: [BackupPlanRule.daily(), BackupPlanRule.daily()] });
  }, '`rules[1].ruleName`', '`rules[1].rule_name`'],
  ['DAX', () => {
    const stack = testStack();
    return new DaxCluster(stack, 'D', { table: new BlueprintTable(stack, 'T', { partitionKey: PK }), vpc: vpc(stack), replicationFactor: 0 });
  }, '`replicationFactor`', '`replication_factor`'],
  ['Kinesis', () => new KinesisChangeStream(testStack(), 'S', { shardCount: 2 }), '`shardCount`', '`shard_count`'],
  ['alarms', () => {
    const stack = testStack();
    return new TableAlarms(stack, 'A', { table: new BlueprintTable(stack, 'T', { partitionKey: PK }), alarmNamePrefix: 'a|b' });
  }, '`alarmNamePrefix`', '`alarm_name_prefix`'],
  ['perimeter', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'T', { partitionKey: PK });
    new DynamoDBGatewayEndpoint(stack, 'E', { vpc: vpc(stack), tables: [table] }).requireEndpoint(table);
  }, '`tableName`', '`table_name`'],
  ['projection', () => IndexProjection.include([]), '`IndexProjection.keysOnly()`', '`IndexProjection.keys_only()`'],
];

describe('errors name props in the calling language', () => {
  test.each(CASES)('%s: TypeScript spelling without JSII_AGENT', (_area, provoke, typescript, python) => {
    const message = errorOf(provoke);
    expect(message).toContain(typescript);
    expect(message).not.toContain(python);
  });

  test.each(CASES)('%s: Python spelling for JSII_AGENT=Python/3.11.4', (_area, provoke, typescript, python) => {
    const message = withAgent('Python/3.11.4', () => errorOf(provoke));
    expect(message).toContain(python);
    expect(message).not.toContain(typescript);
  });

  test('Go: exported fields and Type_Method', () => {
    const [, dax] = CASES.find(([area]) => area === 'DAX')!;
    expect(withAgent('go1.22.1/linux/amd64', () => errorOf(dax))).toContain('`ReplicationFactor` is 0');
    expect(withAgent('go1.22.1/linux/amd64', () => errorOf(() => IndexProjection.include([]))))
      .toContain('or choose `IndexProjection_KeysOnly()`');
  });

  test('Java: builder methods for a setting', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'T', { partitionKey: PK });
    const network = new Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED }] });
    const message = withAgent('Java/17.0.9', () => errorOf(() => new DaxCluster(stack, 'D', { table, vpc: network })));
    expect(message).toContain('create the VPC with `.maxAzs(3)`');
  });
});

describe('every error of the jsii API goes through hostError', () => {
  // TypeScript-only code (the Lambda runtime, the CLI, the template model, migration) and the rule pack, whose
  // rule errors name CloudFormation properties and whose findings are spelt where the pack reports them.
  const TYPESCRIPT_ONLY = ['runtime', 'cli', 'model', 'migration', 'nag'];
  const SRC = path.join(__dirname, '..', '..', 'src');

  function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        return dir === SRC && TYPESCRIPT_ONLY.includes(entry.name) ? [] : sources(full);
      }
      return entry.name.endsWith('.ts') ? [full] : [];
    });
  }

  test('no `new Error(` whose message is not spelt for the caller', () => {
    const unspelt = sources(SRC).flatMap((file) => fs.readFileSync(file, 'utf8').split('\n')
      .map((line, i) => ({ where: `${path.relative(SRC, file)}:${i + 1}`, line }))
      .filter(({ line }) => /new Error\(/.test(line) && !/spellForHost\(/.test(line))
      .map(({ where, line }) => `${where}: ${line.trim()}`));
    expect(unspelt).toEqual([]);
  });

  test('the scan sees the jsii API: hostError is thrown across its folders', () => {
    const folders = new Set(sources(SRC).filter((file) => /throw hostError\(/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(SRC, file).split(path.sep)[0]));
    expect([...folders].sort()).toEqual(expect.arrayContaining(['access-patterns', 'backup', 'capacity', 'cost', 'dax', 'grants', 'heat', 'kinesis', 'monitoring', 'perimeter', 'private', 'streams', 'table']));
  });
});
