import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { includedStack, ruleFindings, tableResource } from './util';
import { DynamoDBBlueprintChecks, rules } from '../../src';

/**
 * Each rule of the pack applied alone, through a neutral test pack (cdk-nag's `TestPack` pattern),
 * to hand-written resources: what it reports does not depend on our pack's wiring or its memo.
 */

type Rule = (node: CfnResource) => NagRuleResult;
const ACCOUNT = '123456789012';

const globalTable = (replica: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::DynamoDB::GlobalTable',
  DeletionPolicy: 'Retain',
  UpdateReplacePolicy: 'Retain',
  Properties: {
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'gsi1pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    Replicas: [{
      Region: 'us-east-1',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { KMSMasterKeyId: 'alias/orders' },
      ...replica,
    }],
    ...properties,
  },
});

const gsi = (name: string, projection: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  IndexName: name, KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }], Projection: projection, ...extra,
});

const mapping = (properties: Record<string, unknown>) => ({
  Orders: globalTable({}, { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } }),
  Projector: {
    Type: 'AWS::Lambda::EventSourceMapping',
    Properties: {
      FunctionName: 'projector',
      EventSourceArn: { 'Fn::GetAtt': 'Orders.StreamArn' },
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:failed` } },
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      ...properties,
    },
  },
});

const dax = (properties: Record<string, unknown>) => ({
  Cache: {
    Type: 'AWS::DAX::Cluster',
    Properties: {
      IAMRoleARN: `arn:aws:iam::${ACCOUNT}:role/dax`,
      NodeType: 'dax.r5.large',
      ReplicationFactor: 3,
      SSESpecification: { SSEEnabled: true },
      ClusterEndpointEncryptionType: 'TLS',
      ...properties,
    },
  },
});

const provisioned = {
  BillingMode: 'PROVISIONED',
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 10 },
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'gsi1pk', AttributeType: 'S' }],
};

/** [rule, why it fails, resources that fail it, its findings, resources that pass it]. */
const CASES: Array<[string, Rule, string, Record<string, unknown>, string[], Record<string, unknown>]> = [
  ['DDB1', rules.dynamodb.DynamoDBPointInTimeRecovery, 'a replica without PITR',
    { T: globalTable({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }) }, ['Replica::us-east-1'], { T: globalTable() }],
  ['DDB2', rules.dynamodb.DynamoDBRetainPolicy, 'Delete policies',
    { T: { ...tableResource(), DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' } }, ['DeletionPolicy', 'UpdateReplacePolicy'], { T: tableResource() }],
  ['DDB3', rules.dynamodb.DynamoDBDeletionProtectionEnabled, 'a replica without deletion protection',
    { T: globalTable({ DeletionProtectionEnabled: false }) }, ['Replica::us-east-1'], { T: globalTable() }],
  ['DDB4', rules.dynamodb.DynamoDBCMKEncryption, 'an AWS owned key',
    { T: globalTable({}, { SSESpecification: { SSEEnabled: false } }) }, ['Replica::us-east-1'], { T: globalTable() }],
  ['DDB5', rules.dynamodb.DynamoDBBackupCoverage, 'no PITR and no backup selection',
    { T: tableResource() }, [''], { T: globalTable() }],
  ['DDB6', rules.dynamodb.DynamoDBAutoScaling, 'fixed provisioned capacity',
    { T: tableResource(provisioned) }, ['Table::Reads', 'Table::Writes'], { T: tableResource() }],
  ['DDB7', rules.dynamodb.DynamoDBGSIWriteCapacity, 'an index writing 2 units under a table writing 10',
    { T: tableResource({ ...provisioned, GlobalSecondaryIndexes: [gsi('byX', { ProjectionType: 'KEYS_ONLY' }, { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 } })] }) },
    ['Index::byX'],
    { T: tableResource({ ...provisioned, GlobalSecondaryIndexes: [gsi('byX', { ProjectionType: 'KEYS_ONLY' }, { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 10 } })] }) }],
  ['DDB8', rules.dynamodb.DynamoDBPartitionKeyCardinality, 'a partition key named orderStatus',
    { T: tableResource({ AttributeDefinitions: [{ AttributeName: 'orderStatus', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'orderStatus', KeyType: 'HASH' }] }) },
    ['Table::orderStatus'], { T: tableResource() }],
  ['DDB9', rules.dynamodb.DynamoDBGSIProjectionNotAll, 'an ALL projection',
    { T: globalTable({}, { GlobalSecondaryIndexes: [gsi('byX', { ProjectionType: 'ALL' })] }) }, ['Index::byX'],
    { T: globalTable({}, { GlobalSecondaryIndexes: [gsi('byX', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] })] }) }],
  ['DDB10', rules.dynamodb.DynamoDBNoLSI, 'a local secondary index',
    { T: tableResource({ AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'at', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], LocalSecondaryIndexes: [{ IndexName: 'byAt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }] }) },
    ['Index::byAt'], { T: tableResource() }],
  ['DDB11', rules.dynamodb.DynamoDBGSICount, 'six global secondary indexes',
    { T: globalTable({}, { GlobalSecondaryIndexes: [1, 2, 3, 4, 5, 6].map((i) => gsi(`i${i}`, { ProjectionType: 'KEYS_ONLY' })) }) }, [''],
    { T: globalTable({}, { GlobalSecondaryIndexes: [1, 2, 3, 4, 5].map((i) => gsi(`i${i}`, { ProjectionType: 'KEYS_ONLY' })) }) }],
  ['DDB12', rules.dynamodb.DynamoDBReplicaStreamNewAndOldImages, 'two replicas and a KEYS_ONLY stream',
    { T: globalTable({}, { StreamSpecification: { StreamViewType: 'KEYS_ONLY' }, Replicas: [{ Region: 'us-east-1' }, { Region: 'eu-west-1' }] }) }, [''],
    { T: globalTable({}, { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' }, Replicas: [{ Region: 'us-east-1' }, { Region: 'eu-west-1' }] }) }],
  ['DDB13', rules.dynamodb.DynamoDBTTLAttributeNumber, 'a TTL attribute declared as a String key',
    { T: tableResource({ TimeToLiveSpecification: { AttributeName: 'pk', Enabled: true } }) }, [''],
    { T: tableResource({ TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }) }],
  ['ESM1', rules.lambda.LambdaStreamOnFailureDestination, 'no on-failure destination', mapping({ DestinationConfig: undefined }), [''], mapping({})],
  ['ESM2', rules.lambda.LambdaStreamBisectOnError, 'no bisect', mapping({ BisectBatchOnFunctionError: false }), [''], mapping({})],
  ['ESM3', rules.lambda.LambdaStreamReportBatchItemFailures, 'no ReportBatchItemFailures', mapping({ FunctionResponseTypes: [] }), [''], mapping({})],
  ['ESM4', rules.lambda.LambdaStreamMaximumRetryAttempts, 'retries -1', mapping({ MaximumRetryAttempts: -1 }), [''], mapping({})],
  ['ESM5', rules.lambda.LambdaStreamMaximumRecordAge, 'no maximum record age', mapping({ MaximumRecordAgeInSeconds: undefined }), [''], mapping({})],
  ['DAX1', rules.dax.DAXEncryptedAtRest, 'no encryption at rest', dax({ SSESpecification: { SSEEnabled: false } }), [''], dax({})],
  ['DAX2', rules.dax.DAXTLSEndpoint, 'no TLS', dax({ ClusterEndpointEncryptionType: 'NONE' }), [''], dax({})],
  ['DAX3', rules.dax.DAXMinimumNodes, 'one node', dax({ ReplicationFactor: 1 }), [''], dax({})],
];

describe.each(CASES)('%s alone', (_suffix, rule, why, failing, expected, passing) => {
  test(`Noncompliance: ${why}`, () => {
    expect(ruleFindings(includedStack(failing), rule)).toEqual(expected);
  });
  test('Compliance', () => {
    expect(ruleFindings(includedStack(passing), rule)).toEqual([]);
  });
});

test('every rule of the pack is tested alone, here or with the reference forms, data events and Pipes matrices', () => {
  const elsewhere = ['DDB14', 'IAM1', 'IAM2', 'KDS1', 'PIPE1', 'PIPE2', 'PIPE3', 'PIPE4', 'PIPE5'];
  const ids = DynamoDBBlueprintChecks.rules().map((r) => r.ruleId.replace('DynamoDBBlueprint-', ''));
  expect([...CASES.map(([suffix]) => suffix), ...elsewhere].sort()).toEqual([...ids].sort());
  for (const [suffix, rule] of CASES) {
    expect(DynamoDBBlueprintChecks.rules().find((r) => r.ruleId === `DynamoDBBlueprint-${suffix}`)?.ruleName).toBe(rule.name);
  }
});
