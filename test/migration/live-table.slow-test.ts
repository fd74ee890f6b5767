// Real describe-table output of DynamoDB Local: run by scripts/ci/table-adoption.sh, not by `npm test`
// (DynamoDB Local, and ts-jest type-checking the generated code, take ~10 s).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeContributorInsightsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { adoptLiveTable } from '../../src/migration/live-table';
import { readLiveTable } from '../../src/migration/live-table-description';
import { DynamoDBLocal, localClientConfig, startDynamoDBLocal } from '../../tools/dynamodb-local';
import { testApp, TEST_ENV } from '../util';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-22bb-33cc-44dd-555555eeeeee';

/** An AWS CLI call's output as the CLI prints it: the SDK's response without its metadata. */
async function cliOutput(client: DynamoDBClient, command: any): Promise<any> {
  try {
    const { $metadata: _, ...body } = await client.send(command);
    return JSON.parse(JSON.stringify(body));
  } catch (err) {
    // DynamoDB Local has no PITR or contributor insights APIs.
    if ((err as Error).name === 'UnknownOperationException') {
      return undefined;
    }
    throw err;
  }
}

/** Runs generated TypeScript: writes it beside this test (so modules resolve as here), loads it, removes it. */
function loadGenerated(code: string): any {
  const file = path.join(__dirname, `.generated-${process.pid}-${Date.now()}.ts`);
  fs.writeFileSync(file, code);
  try {
    // A file written at run time: only require() can load it (through ts-jest, which type-checks it).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe('a table created outside CloudFormation, described by DynamoDB Local', () => {
  let local: DynamoDBLocal;
  let client: DynamoDBClient;
  let described: any;
  let descriptions: { describeTable: any; continuousBackups?: any; timeToLive?: any; contributorInsights?: any };

  beforeAll(async () => {
    local = await startDynamoDBLocal();
    client = new DynamoDBClient(localClientConfig(local.endpoint));
    await client.send(new CreateTableCommand({
      TableName: 'task-events',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'dueAt', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{
        IndexName: 'byStatus',
        KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'dueAt', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
      }],
      LocalSecondaryIndexes: [{
        IndexName: 'byDue',
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'dueAt', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
    }));
    await client.send(new UpdateTimeToLiveCommand({ TableName: 'task-events', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    descriptions = {
      describeTable: await cliOutput(client, new DescribeTableCommand({ TableName: 'task-events' })),
      continuousBackups: await cliOutput(client, new DescribeContinuousBackupsCommand({ TableName: 'task-events' })),
      timeToLive: await cliOutput(client, new DescribeTimeToLiveCommand({ TableName: 'task-events' })),
      contributorInsights: await cliOutput(client, new DescribeContributorInsightsCommand({ TableName: 'task-events' })),
    };
    described = descriptions.describeTable.Table;
  });

  afterAll(async () => {
    client?.destroy();
    await local?.stop();
  });

  /** Generates the code for `descriptions`, runs it in a stack, and returns the table resource and the adoption. */
  function synthesizeGenerated(input: typeof descriptions) {
    const adoption = adoptLiveTable(input);
    const generated = loadGenerated(adoption.typescript);
    const stack = new Stack(testApp(), 'Tasks', { env: TEST_ENV });
    generated.taskEventsTable(stack);
    const template = Template.fromStack(stack).toJSON();
    const [logicalId, table] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable')!;
    return { adoption, logicalId, table };
  }

  test('the generated TypeScript compiles, runs and synthesizes the described keys, indexes, stream and TTL', () => {
    const { adoption, logicalId, table } = synthesizeGenerated(descriptions);
    const p = table.Properties;
    expect(logicalId).toBe(adoption.logicalId);
    expect(JSON.parse(adoption.resourceMapping)).toEqual({ [logicalId]: { TableName: 'task-events' } });
    expect(p.TableName).toBe(described.TableName);
    expect(p.KeySchema).toEqual(described.KeySchema);
    const sortByName = (defs: any[]) => [...defs].sort((x, y) => x.AttributeName.localeCompare(y.AttributeName));
    expect(sortByName(p.AttributeDefinitions)).toEqual(sortByName(described.AttributeDefinitions));
    expect(p.BillingMode).toBe(described.BillingModeSummary.BillingMode);
    const index = (i: any) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection });
    expect(p.GlobalSecondaryIndexes.map(index)).toEqual(described.GlobalSecondaryIndexes.map(index));
    expect(p.LocalSecondaryIndexes.map(index)).toEqual(described.LocalSecondaryIndexes.map(index));
    expect(p.StreamSpecification).toEqual({ StreamViewType: described.StreamSpecification.StreamViewType });
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: descriptions.timeToLive.TimeToLiveDescription.AttributeName, Enabled: true });
    // DynamoDB Local 3.3.0 accepts SSESpecification but describes no SSEDescription: the table reads as AWS owned.
    expect(described.SSEDescription).toBeUndefined();
    expect(p.SSESpecification).toEqual({ SSEEnabled: false });
    expect(table.DeletionPolicy).toBe('Retain');
    // The equivalent construct the generator synthesized agrees with the generated code (its stack is in
    // the table's region, which DynamoDB Local calls ddblocal).
    const equivalent = adoption.template.Resources[logicalId].Properties;
    expect(equivalent.Replicas[0].Region).toBe('ddblocal');
    expect({ ...equivalent, Replicas: [{ ...equivalent.Replicas[0], Region: 'us-east-1' }] }).toEqual(p);
  });

  test('with the SSEDescription AWS returns for a customer-managed key, the generated code uses that key', () => {
    const sse = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY_ARN };
    const { adoption, table } = synthesizeGenerated({ ...descriptions, describeTable: { Table: { ...described, SSEDescription: sse } } });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties.Replicas[0].SSESpecification).toEqual({ KMSMasterKeyId: KEY_ARN });
    expect(adoption.opinions.map((o) => o.setting)).not.toContain('encryption key');
    expect(adoption.python).toContain(`kms.Key.from_key_arn(scope, id + "Key", "${KEY_ARN}")`);
  });

  test('what DynamoDB Local cannot describe is said, not guessed', () => {
    const live = readLiveTable(descriptions);
    expect(descriptions.continuousBackups).toBeUndefined();
    expect(live.unknown.join('\n')).toContain('describe-continuous-backups');
    expect(live.pointInTimeRecovery).toBeUndefined();
    expect(live.timeToLiveAttribute).toBe('expiresAt');
    expect(live.latestStreamArn).toBe(described.LatestStreamArn);
  });

  test('the generated Python is valid Python and names the same settings', () => {
    const adoption = adoptLiveTable(descriptions);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'live-table-'));
    try {
      const file = path.join(dir, 'task_events.py');
      fs.writeFileSync(file, adoption.python);
      execFileSync('python3', ['-m', 'py_compile', file], { stdio: 'pipe' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(adoption.python).toContain('def task_events_table(scope: Construct, id: str = "TaskEvents") -> BlueprintTable:');
    expect(adoption.python).toContain('dynamo_stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES');
    expect(adoption.python).toContain('IndexProjection.include(["title"])');
    expect(adoption.python).toContain('encryption=dynamodb.TableEncryptionV2.dynamo_owned_key(),  # live value');
  });
});
