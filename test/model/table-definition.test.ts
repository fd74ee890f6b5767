import { Template } from 'aws-cdk-lib/assertions';
import {
  AttributeType, BillingMode, CfnGlobalTable, ProjectionType, StreamViewType, Table, TableEncryption, TableEncryptionV2, TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { AccessPatternReport, BlueprintTable, IndexProjection, TableDefinitions, TableResourceType } from '../../src';
import { testStack } from '../util';

const PK = { name: 'PK', type: AttributeType.STRING };
const SK = { name: 'SK', type: AttributeType.STRING };

test('reads a BlueprintTable: keys, index, stream, TTL, key and every replica', () => {
  const stack = testStack();
  new BlueprintTable(stack, 'Orders', {
    partitionKey: PK,
    sortKey: SK,
    blueprintGlobalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, projection: IndexProjection.include(['total']) }],
    timeToLiveAttribute: 'expiresAt',
    dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
  });
  const [table] = TableDefinitions.fromTemplate(Template.fromStack(stack).toJSON());
  expect(table).toMatchObject({
    resourceType: TableResourceType.GLOBAL_TABLE,
    partitionKey: { name: 'PK', type: 'S' },
    sortKey: { name: 'SK', type: 'S' },
    billingMode: 'PAY_PER_REQUEST',
    streamViewType: 'NEW_AND_OLD_IMAGES',
    timeToLiveAttribute: 'expiresAt',
    encryption: TableEncryption.CUSTOMER_MANAGED,
    customerManagedKey: true,
    deletionPolicy: 'Retain',
    updateReplacePolicy: 'Retain',
    replicas: [expect.objectContaining({ region: 'us-east-1', pointInTimeRecovery: true, recoveryPeriodInDays: 35, deletionProtection: true, contributorInsights: true })],
  });
  expect(table.globalSecondaryIndexes).toEqual([expect.objectContaining({
    indexName: 'byStatus', scope: 'GLOBAL', partitionKey: { name: 'GSI1PK', type: 'S' }, projectionType: 'INCLUDE', nonKeyAttributes: ['total'],
  })]);
});

test('reads a plain TableV2 with its defaults: AWS owned key, no protections, ALL projection', () => {
  const stack = testStack();
  new TableV2(stack, 'Plain', { partitionKey: PK, globalSecondaryIndexes: [{ indexName: 'byX', partitionKey: { name: 'X', type: AttributeType.NUMBER } }] });
  const [table] = TableDefinitions.fromTemplate(Template.fromStack(stack).toJSON());
  expect(table.customerManagedKey).toBe(false);
  expect(table.encryption).toBe(TableEncryption.DEFAULT);
  expect(table.replicas[0]).toMatchObject({ pointInTimeRecovery: false, deletionProtection: false, contributorInsights: false });
  expect(table.globalSecondaryIndexes[0]).toMatchObject({ projectionType: 'ALL', partitionKey: { name: 'X', type: 'N' } });
});

test('reads a Table (AWS::DynamoDB::Table) with auto scaling from its scalable targets', () => {
  const stack = testStack();
  const table = new Table(stack, 'Legacy', {
    partitionKey: PK,
    sortKey: SK,
    billingMode: BillingMode.PROVISIONED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.CUSTOMER_MANAGED,
  });
  table.addGlobalSecondaryIndex({ indexName: 'byX', partitionKey: { name: 'X', type: AttributeType.STRING }, projectionType: ProjectionType.KEYS_ONLY });
  table.autoScaleWriteCapacity({ minCapacity: 2, maxCapacity: 40 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
  table.autoScaleGlobalSecondaryIndexWriteCapacity('byX', { minCapacity: 1, maxCapacity: 20 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
  const [definition] = TableDefinitions.fromTemplate(Template.fromStack(stack).toJSON());
  expect(definition.resourceType).toBe(TableResourceType.TABLE);
  expect(definition.billingMode).toBe('PROVISIONED');
  expect(definition.writeCapacity).toMatchObject({ autoscaled: true, minCapacity: 2, maxCapacity: 40 });
  expect(definition.readCapacity).toEqual({ autoscaled: false, fixedUnits: 5 });
  expect(definition.globalSecondaryIndexes[0].writeCapacity).toMatchObject({ autoscaled: true, minCapacity: 1, maxCapacity: 20 });
  expect(definition.globalSecondaryIndexes[0].readCapacity).toEqual({ autoscaled: false, fixedUnits: 5 });
  expect(definition.customerManagedKey).toBe(true);
  expect(definition.replicas).toEqual([expect.objectContaining({ inStackRegion: true, pointInTimeRecovery: true, deletionProtection: false })]);
  expect(definition.replicas[0].region).toBeUndefined();
});

test('reads an L1 CfnGlobalTable with two replicas', () => {
  const stack = testStack();
  new CfnGlobalTable(stack, 'L1', {
    attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
    keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
    billingMode: 'PAY_PER_REQUEST',
    streamSpecification: { streamViewType: 'NEW_AND_OLD_IMAGES' },
    replicas: [
      { region: 'us-east-1', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } },
      { region: 'eu-west-1' },
    ],
  });
  const [table] = TableDefinitions.fromTemplate(Template.fromStack(stack).toJSON());
  expect(table.sortKey).toBeUndefined();
  expect(table.replicas.map((r) => [r.region, r.pointInTimeRecovery])).toEqual([['us-east-1', true], ['eu-west-1', false]]);
});

test('lists tables in logical-id order and ignores other resources', () => {
  const stack = testStack();
  new TableV2(stack, 'Zeta', { partitionKey: PK, encryption: TableEncryptionV2.awsManagedKey() });
  new TableV2(stack, 'Alpha', { partitionKey: PK });
  const ids = TableDefinitions.fromTemplate(Template.fromStack(stack).toJSON()).map((t) => t.logicalId);
  expect(ids).toHaveLength(2);
  expect(ids[0].startsWith('Alpha')).toBe(true);
  expect(ids[1].startsWith('Zeta')).toBe(true);
});

test('fails on a resource that is not a table', () => {
  expect(() => TableDefinitions.fromResource('Queue', { Type: 'AWS::SQS::Queue' }))
    .toThrow(/Resource Queue is of type AWS::SQS::Queue, not AWS::DynamoDB::Table, AWS::DynamoDB::GlobalTable or AWS::Serverless::SimpleTable/);
});

test('reads a multi-account replica: no key schema (its source\'s), the source ARN, the replica\'s own protections and key', () => {
  const [table] = TableDefinitions.fromTemplate({
    Resources: {
      Replica: {
        Type: 'AWS::DynamoDB::GlobalTable',
        DeletionPolicy: 'Retain',
        Properties: {
          GlobalTableSourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:us-east-1:111111111111:table/orders']] },
          TableName: 'orders',
          Replicas: [{
            Region: 'eu-west-1',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
            DeletionProtectionEnabled: true,
            ContributorInsightsSpecification: { Enabled: true },
            SSESpecification: { KMSMasterKeyId: 'arn:aws:kms:eu-west-1:222222222222:key/1' },
          }],
        },
      },
    },
  });
  expect(table.partitionKey).toBeUndefined();
  expect(table.sortKey).toBeUndefined();
  expect(JSON.parse(table.globalTableSourceArn!)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:us-east-1:111111111111:table/orders']] });
  expect(table).toMatchObject({
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
    encryption: TableEncryption.CUSTOMER_MANAGED,
    customerManagedKey: true,
    replicas: [{ region: 'eu-west-1', pointInTimeRecovery: true, recoveryPeriodInDays: 35, deletionProtection: true, contributorInsights: true }],
  });
});

test('a table without a key schema and without a source still fails to parse, naming the resource', () => {
  expect(() => TableDefinitions.fromTemplate({ Resources: { T: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1' }] } } } }))
    .toThrow(/Resource T: the KeySchema of the table has no HASH key/);
});

test('a reader that needs the keys says a multi-account replica\'s are its source\'s', () => {
  const [table] = TableDefinitions.fromTemplate({
    Resources: { Replica: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { GlobalTableSourceArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/orders', Replicas: [{ Region: 'eu-west-1' }] } } },
  });
  expect(() => AccessPatternReport.analyze(table, [{ name: 'getOrder', partitionKey: 'PK' }]))
    .toThrow(/Table Replica is a multi-account replica \(GlobalTableSourceArn arn:aws:dynamodb:us-east-1:111111111111:table\/orders\): its key schema and indexes are its source table's.*Pass the source table's definition instead/);
});
