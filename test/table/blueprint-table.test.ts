import { CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  AttributeType, Billing, Capacity, ContributorInsightsMode, ProjectionType, StreamViewType, TableClass,
  TableEncryptionV2, TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BlueprintTable, BlueprintTableProps, IndexProjection } from '../../src';
import { testApp, testStack, TEST_ENV } from '../util';

const PK = { name: 'PK', type: AttributeType.STRING };
const SK = { name: 'SK', type: AttributeType.STRING };
const REPLICA_KEYS = {
  'eu-west-1': 'arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111',
  'ap-southeast-2': 'arn:aws:kms:ap-southeast-2:123456789012:key/22222222-2222-2222-2222-222222222222',
};

function synth(props: Partial<BlueprintTableProps> = {}, stack: Stack = testStack()) {
  const table = new BlueprintTable(stack, 'Table', { partitionKey: PK, sortKey: SK, ...props });
  // Lazy: a template synthesizes the app, after which the tree cannot change.
  return { stack, table, get template() { return Template.fromStack(stack); } };
}

function globalTable(template: Template): any {
  const tables = template.findResources('AWS::DynamoDB::GlobalTable');
  const ids = Object.keys(tables);
  expect(ids).toHaveLength(1);
  return tables[ids[0]];
}

function replica(template: Template, region: string): any {
  const found = globalTable(template).Properties.Replicas.find((r: any) => r.Region === region);
  expect(found).toBeDefined();
  return found;
}

describe('defaults', () => {
  test('is a TableV2 that emits one AWS::DynamoDB::GlobalTable with a composite key', () => {
    const { table, template } = synth();
    expect(table).toBeInstanceOf(TableV2);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' }],
    });
  });

  test('bills on demand', () => {
    const { table, template } = synth();
    expect(globalTable(template).Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(globalTable(template).Properties.WriteProvisionedThroughputSettings).toBeUndefined();
    expect(table.tableBillingMode).toBe('PAY_PER_REQUEST');
  });

  test('turns point-in-time recovery on with the longest recovery period', () => {
    const { template } = synth();
    expect(replica(template, TEST_ENV.region).PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
      RecoveryPeriodInDays: 35,
    });
  });

  test('turns deletion protection on', () => {
    const { template } = synth();
    expect(replica(template, TEST_ENV.region).DeletionProtectionEnabled).toBe(true);
  });

  test('retains the table on delete and on replacement', () => {
    const { template } = synth();
    const resource = globalTable(template);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  test('turns contributor insights on', () => {
    const { template } = synth();
    expect(replica(template, TEST_ENV.region).ContributorInsightsSpecification).toEqual({ Enabled: true });
  });

  test('uses the standard table class', () => {
    const { template } = synth();
    expect(replica(template, TEST_ENV.region).TableClass).toBe('STANDARD');
  });

  test('encrypts with a customer-managed key it creates, rotated and retained', () => {
    const { table, template } = synth();
    expect(globalTable(template).Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    const keys = template.findResources('AWS::KMS::Key');
    const keyIds = Object.keys(keys);
    expect(keyIds).toHaveLength(1);
    expect(keys[keyIds[0]].Properties.EnableKeyRotation).toBe(true);
    expect(keys[keyIds[0]].DeletionPolicy).toBe('Retain');
    expect(replica(template, TEST_ENV.region).SSESpecification).toEqual({ KMSMasterKeyId: { 'Fn::GetAtt': [keyIds[0], 'Arn'] } });
    expect(table.createdEncryptionKey).toBeDefined();
    expect(table.encryptionKey).toBe(table.createdEncryptionKey);
    expect(table.createdEncryptionKey!.node.id).toBe('TableKey');
  });

  test('has no stream and no time to live unless asked', () => {
    const { table, template } = synth();
    expect(globalTable(template).Properties.StreamSpecification).toBeUndefined();
    expect(globalTable(template).Properties.TimeToLiveSpecification).toBeUndefined();
    expect(table.streamViewType).toBeUndefined();
  });

  test('projects INCLUDE with the named attributes when only nonKeyAttributes are given (TableV2 style)', () => {
    const { template } = synth({
      globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, nonKeyAttributes: ['total'] }],
    });
    expect(globalTable(template).Properties.GlobalSecondaryIndexes[0].Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] });
  });

  test('every replica gets PITR, deletion protection, contributor insights and its own key', () => {
    const stack = testStack();
    const { template } = synth({
      encryption: TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'K'), REPLICA_KEYS),
      replicas: [{ region: 'eu-west-1' }, { region: 'ap-southeast-2' }],
    }, stack);
    const replicas = globalTable(template).Properties.Replicas;
    expect(replicas.map((r: any) => r.Region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    for (const r of replicas) {
      expect(r.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 });
      expect(r.DeletionProtectionEnabled).toBe(true);
      expect(r.ContributorInsightsSpecification).toEqual({ Enabled: true });
    }
    expect(replica(template, 'eu-west-1').SSESpecification).toEqual({ KMSMasterKeyId: REPLICA_KEYS['eu-west-1'] });
    expect(replica(template, 'ap-southeast-2').SSESpecification).toEqual({ KMSMasterKeyId: REPLICA_KEYS['ap-southeast-2'] });
  });

  test('a table with replicas streams NEW_AND_OLD_IMAGES', () => {
    const { table, template } = synth({ encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1' }] });
    expect(globalTable(template).Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(table.streamViewType).toBe(StreamViewType.NEW_AND_OLD_IMAGES);
  });

  test('provisioned capacity is auto scaled at 70% and indexes inherit the table\'s write scaling', () => {
    const { template } = synth({
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ minCapacity: 5, maxCapacity: 100 }),
        writeCapacity: Capacity.autoscaled({ minCapacity: 5, maxCapacity: 50 }),
      }),
      globalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    });
    const props = globalTable(template).Properties;
    const writeScaling = {
      WriteCapacityAutoScalingSettings: {
        MinCapacity: 5, MaxCapacity: 50, TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 },
      },
    };
    expect(props.BillingMode).toBe('PROVISIONED');
    expect(props.WriteProvisionedThroughputSettings).toEqual(writeScaling);
    expect(props.GlobalSecondaryIndexes[0].WriteProvisionedThroughputSettings).toEqual(writeScaling);
    expect(replica(template, TEST_ENV.region).ReadProvisionedThroughputSettings).toEqual({
      ReadCapacityAutoScalingSettings: { MinCapacity: 5, MaxCapacity: 100, TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } },
    });
  });
});

describe('overrides', () => {
  test('removal policy, deletion protection, PITR and contributor insights can be turned off', () => {
    const { template } = synth({
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      pointInTimeRecovery: false,
      contributorInsights: false,
    });
    const r = replica(template, TEST_ENV.region);
    expect(globalTable(template).DeletionPolicy).toBe('Delete');
    expect(r.DeletionProtectionEnabled).toBe(false);
    expect(r.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
    expect(r.ContributorInsightsSpecification).toEqual({ Enabled: false });
  });

  test('a recovery period and a contributor insights mode can be chosen', () => {
    const { template } = synth({
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 7 },
      contributorInsightsSpecification: { enabled: true, mode: ContributorInsightsMode.THROTTLED_KEYS },
    });
    const r = replica(template, TEST_ENV.region);
    expect(r.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 });
    expect(r.ContributorInsightsSpecification).toEqual({ Enabled: true, Mode: 'THROTTLED_KEYS' });
  });

  test('a given customer-managed key is used and no key is created', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Mine');
    const { table, template } = synth({ encryption: TableEncryptionV2.customerManagedKey(key) }, stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(table.createdEncryptionKey).toBeUndefined();
    expect(table.encryptionKey).toBe(key);
  });

  test('the AWS managed key can be chosen explicitly', () => {
    const { template } = synth({ encryption: TableEncryptionV2.awsManagedKey() });
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(globalTable(template).Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(replica(template, TEST_ENV.region).SSESpecification).toBeUndefined();
  });

  test('stream, TTL, table class, table name, on-demand maximum and warm throughput', () => {
    const { template } = synth({
      tableName: 'app-prod-orders',
      dynamoStream: StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: 'expiresAt',
      tableClass: TableClass.STANDARD_INFREQUENT_ACCESS,
      billing: Billing.onDemand({ maxReadRequestUnits: 1000, maxWriteRequestUnits: 500 }),
      warmThroughput: { readUnitsPerSecond: 15000, writeUnitsPerSecond: 5000 },
    });
    const props = globalTable(template).Properties;
    expect(props.TableName).toBe('app-prod-orders');
    expect(props.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(props.WriteOnDemandThroughputSettings).toEqual({ MaxWriteRequestUnits: 500 });
    expect(props.WarmThroughput).toEqual({ ReadUnitsPerSecond: 15000, WriteUnitsPerSecond: 5000 });
    const r = replica(template, TEST_ENV.region);
    expect(r.TableClass).toBe('STANDARD_INFREQUENT_ACCESS');
    expect(r.ReadOnDemandThroughputSettings).toEqual({ MaxReadRequestUnits: 1000 });
  });

  test('KEYS_ONLY and ALL projections are explicit choices, and LSIs get the INCLUDE default', () => {
    const { template } = synth({
      globalSecondaryIndexes: [
        { indexName: 'keys', partitionKey: { name: 'A', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
        { indexName: 'all', partitionKey: { name: 'B', type: AttributeType.STRING }, projection: IndexProjection.all() },
        { indexName: 'typed', partitionKey: { name: 'C', type: AttributeType.STRING }, projectionType: ProjectionType.ALL },
      ],
      localSecondaryIndexes: [
        { indexName: 'byDate', sortKey: { name: 'createdAt', type: AttributeType.STRING }, projection: IndexProjection.include(['title']) },
      ],
    });
    const props = globalTable(template).Properties;
    expect(props.GlobalSecondaryIndexes.map((g: any) => [g.IndexName, g.Projection])).toEqual([
      ['keys', { ProjectionType: 'KEYS_ONLY' }],
      ['all', { ProjectionType: 'ALL' }],
      ['typed', { ProjectionType: 'ALL' }],
    ]);
    expect(props.LocalSecondaryIndexes).toEqual([{
      IndexName: 'byDate',
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
    }]);
  });

  test('addGlobalSecondaryIndex applies the INCLUDE default after construction', () => {
    const { table, stack } = synth();
    table.addGlobalSecondaryIndex({ indexName: 'late', partitionKey: { name: 'L', type: AttributeType.STRING }, nonKeyAttributes: ['x'] });
    const props = globalTable(Template.fromStack(stack)).Properties;
    expect(props.GlobalSecondaryIndexes).toEqual([expect.objectContaining({ IndexName: 'late', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } })]);
  });

  test('an index whose write scaling is below the table\'s gets a warning', () => {
    const { stack } = synth({
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ maxCapacity: 100 }),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 100 }),
      }),
      globalSecondaryIndexes: [{
        indexName: 'small',
        partitionKey: { name: 'A', type: AttributeType.STRING },
        projection: IndexProjection.keysOnly(),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }),
      }],
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/Table', Match.stringLikeRegexp('Index small can scale writes to 10 units, below the table\'s 100'));
  });
});

describe('works wherever a TableV2 does', () => {
  test('grantReadData covers the table, its indexes and its key', () => {
    const stack = testStack();
    const { table } = synth({
      globalSecondaryIndexes: [{ indexName: 'byA', partitionKey: { name: 'A', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    }, stack);
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    table.grantReadData(role);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as any;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.some((s: any) => [s.Action].flat().includes('dynamodb:GetItem'))).toBe(true);
    expect(statements.some((s: any) => [s.Action].flat().includes('kms:Decrypt'))).toBe(true);
  });
});

describe('validation', () => {
  const gsi = (extra: object = {}) => ({ indexName: 'byStatus', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, ...extra });

  test.each<[string, Partial<BlueprintTableProps>, RegExp]>([
    ['fails on fixed provisioned read capacity', {
      billing: Billing.provisioned({ readCapacity: Capacity.fixed(5), writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }) }),
    }, /`billing` sets `readCapacity` to Capacity.fixed\(5\): fixed provisioned capacity throttles.*Capacity.autoscaled/],
    ['fails on a non-integer on-demand maximum', { billing: Billing.onDemand({ maxReadRequestUnits: 0 }) }, /maxReadRequestUnits.*is 0: it must be a whole number of at least 1/],
    ['fails on fixed index write capacity', {
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ maxCapacity: 10 }),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }),
      }),
      globalSecondaryIndexes: [gsi({ projection: IndexProjection.keysOnly(), writeCapacity: Capacity.fixed(5) })],
    }, /`globalSecondaryIndexes\[0\].writeCapacity` sets `writeCapacity` to Capacity.fixed\(\): fixed provisioned capacity throttles/],
    ['fails on index capacity on an on-demand table', {
      globalSecondaryIndexes: [gsi({ projection: IndexProjection.keysOnly(), readCapacity: Capacity.autoscaled({ maxCapacity: 10 }) })],
    }, /readCapacity\/writeCapacity on an on-demand table/],
    ['fails on an index without named attributes (INCLUDE default)', { globalSecondaryIndexes: [gsi()] }, /projects INCLUDE \(the default\) but names no attributes/],
    ['fails on INCLUDE with an empty list', { globalSecondaryIndexes: [gsi({ projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [] })] }, /names no attributes/],
    ['fails on both projection and projectionType', {
      globalSecondaryIndexes: [gsi({ projection: IndexProjection.all(), projectionType: ProjectionType.ALL })],
    }, /sets both `projection` and `projectionType`/],
    ['fails on nonKeyAttributes with ALL', {
      globalSecondaryIndexes: [gsi({ projectionType: ProjectionType.ALL, nonKeyAttributes: ['a'] })],
    }, /non-key attributes only apply to INCLUDE/],
    ['fails on a duplicate projected attribute', { globalSecondaryIndexes: [gsi({ nonKeyAttributes: ['a', 'a'] })] }, /lists 'a' twice/],
    ['fails on a key attribute in the projection', { globalSecondaryIndexes: [gsi({ nonKeyAttributes: ['PK'] })] }, /lists the key attribute 'PK' in its projection/],
    ['fails on more than 100 projected attributes across indexes', {
      globalSecondaryIndexes: [
        gsi({ nonKeyAttributes: Array.from({ length: 60 }, (_, i) => `a${i}`) }),
        { indexName: 'other', partitionKey: { name: 'X', type: AttributeType.STRING }, nonKeyAttributes: Array.from({ length: 41 }, (_, i) => `b${i}`) },
      ],
    }, /project 101 non-key attributes in all: DynamoDB allows at most 100/],
    ['fails on duplicate index names', {
      globalSecondaryIndexes: [gsi({ projection: IndexProjection.keysOnly() })],
      localSecondaryIndexes: [{ indexName: 'byStatus', sortKey: { name: 'createdAt', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    }, /'byStatus' is also the name of `globalSecondaryIndexes\[0\]`/],
    ['fails on more than 20 GSIs', {
      globalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({ indexName: `gsi${i}`, partitionKey: { name: `k${i}`, type: AttributeType.STRING }, projection: IndexProjection.keysOnly() })),
    }, /has 21 indexes: DynamoDB allows 20 per table/],
    ['fails on more than 5 LSIs', {
      localSecondaryIndexes: Array.from({ length: 6 }, (_, i) => ({ indexName: `lsi${i}`, sortKey: { name: `s${i}`, type: AttributeType.STRING }, projection: IndexProjection.keysOnly() })),
    }, /has 6 indexes: DynamoDB allows 5 per table/],
    ['fails on an LSI that sorts by the table sort key', {
      localSecondaryIndexes: [{ indexName: 'same', sortKey: SK, projection: IndexProjection.keysOnly() }],
    }, /must sort by a different attribute/],
    ['fails on one attribute with two types', {
      globalSecondaryIndexes: [{ indexName: 'byA', partitionKey: { name: 'PK', type: AttributeType.NUMBER }, projection: IndexProjection.keysOnly() }],
    }, /declares 'PK' as N, but it is already a key of type S/],
    ['fails on a TTL attribute that is a key', { timeToLiveAttribute: 'SK' }, /`timeToLiveAttribute` is 'SK', a key of the table/],
    ['fails on a TTL attribute that an index declares as a string', {
      timeToLiveAttribute: 'GSI1PK', globalSecondaryIndexes: [gsi({ projection: IndexProjection.keysOnly() })],
    }, /which an index declares as type S/],
    ['fails on an invalid table name', { tableName: 'orders table!' }, /`tableName` is 'orders table!': DynamoDB names must be 3 to 255 characters/],
    ['fails on a too-short table name', { tableName: 'ab' }, /`tableName` is 'ab'/],
    ['fails on an invalid index name', { globalSecondaryIndexes: [{ ...gsi({ projection: IndexProjection.keysOnly() }), indexName: 'by status' }] }, /`globalSecondaryIndexes\[0\].indexName` is 'by status'/],
    ['fails on a wrong key type', { partitionKey: { name: 'PK', type: 'BOOL' as AttributeType } }, /`partitionKey.type` of 'PK' is "BOOL"/],
    ['fails on an empty key name', { partitionKey: { name: '', type: AttributeType.STRING } }, /`partitionKey.name` is "": a key attribute name must be 1 to 255/],
    ['fails on a sort key equal to the partition key', { sortKey: PK }, /`sortKey` and `partitionKey` are both 'PK'/],
    ['fails on a recovery period out of range', { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 36 } }, /recoveryPeriodInDays` is 36: it must be a whole number of days from 1 to 35/],
    ['fails on a recovery period with PITR off', { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false, recoveryPeriodInDays: 7 } }, /while `pointInTimeRecoveryEnabled` is false/],
    ['fails on both PITR props', { pointInTimeRecovery: true, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }, /`pointInTimeRecovery` and `pointInTimeRecoverySpecification` are both set/],
    ['fails on both contributor insights props', { contributorInsights: true, contributorInsightsSpecification: { enabled: true } }, /`contributorInsights` and `contributorInsightsSpecification` are both set/],
    ['fails on a bad warm throughput', { warmThroughput: { readUnitsPerSecond: -1 } }, /`warmThroughput.readUnitsPerSecond` is -1/],
    ['fails on replicas without an encryption choice', { replicas: [{ region: 'eu-west-1' }] }, /`encryption` is not set on a table with replicas in eu-west-1: a KMS key lives in one region.*awsManagedKey\(\) explicitly/],
    ['fails on a replica in the stack region', { encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'us-east-1' }] }, /`replicas\[0\].region` is 'us-east-1', the stack's own region/],
    ['fails on a duplicate replica', { encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1' }, { region: 'eu-west-1' }] }, /lists 'eu-west-1' twice/],
    ['fails on a malformed replica region', { encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'europe' }] }, /'europe', which is not an AWS region name/],
    ['fails on a replica stream that is not NEW_AND_OLD_IMAGES', {
      encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1' }], dynamoStream: StreamViewType.KEYS_ONLY,
    }, /`dynamoStream` is KEYS_ONLY, but a table with `replicas` replicates through a NEW_AND_OLD_IMAGES stream/],
    ['fails on replica read capacity on an on-demand table', {
      encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1', readCapacity: Capacity.autoscaled({ maxCapacity: 10 }) }],
    }, /`replicas\[0\].readCapacity` is set on an on-demand table/],
  ])('%s', (_name, props, error) => {
    expect(() => synth(props)).toThrow(error);
  });

  test('fails on a customer-managed key without a key for each replica region', () => {
    const stack = testStack();
    expect(() => synth({
      encryption: TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'K'), { 'eu-west-1': REPLICA_KEYS['eu-west-1'] }),
      replicas: [{ region: 'eu-west-1' }, { region: 'ap-southeast-2' }],
    }, stack)).toThrow(/has no key ARN for the replica region\(s\) ap-southeast-2/);
  });

  test('fails on a key ARN for a region without a replica', () => {
    const stack = testStack();
    expect(() => synth({
      encryption: TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'K'), REPLICA_KEYS),
      replicas: [{ region: 'eu-west-1' }],
    }, stack)).toThrow(/names key ARNs for ap-southeast-2, which are not replica regions/);
  });

  test('fails on replicas in a region-agnostic stack', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    expect(() => synth({ encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1' }] }, stack))
      .toThrow(/`replicas` needs a stack with an explicit region, but stack Agnostic is region-agnostic/);
  });

  test('fails on an LSI without a table sort key', () => {
    expect(() => new BlueprintTable(testStack(), 'T', {
      partitionKey: PK,
      localSecondaryIndexes: [{ indexName: 'byX', sortKey: { name: 'x', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    })).toThrow(/`localSecondaryIndexes` \(byX\) needs a table `sortKey`/);
  });

  test('fails on an index added later without named attributes', () => {
    const { table } = synth();
    expect(() => table.addGlobalSecondaryIndex({ indexName: 'late', partitionKey: { name: 'L', type: AttributeType.STRING } }))
      .toThrow(/addGlobalSecondaryIndex\(late\)` projects INCLUDE \(the default\) but names no attributes/);
  });

  test('fails on an index added later with a duplicate name', () => {
    const { table } = synth({ globalSecondaryIndexes: [gsi({ projection: IndexProjection.keysOnly() })] });
    expect(() => table.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'L', type: AttributeType.STRING }, projectionType: ProjectionType.KEYS_ONLY }))
      .toThrow(/'byStatus' is also the name of/);
  });

  test('fails on IndexProjection.include() without attributes', () => {
    expect(() => IndexProjection.include([])).toThrow(/`IndexProjection.include\(\)` received no attributes/);
  });

  test('fails on IndexProjection.include() with more than 100 attributes', () => {
    expect(() => IndexProjection.include(Array.from({ length: 101 }, (_, i) => `a${i}`))).toThrow(/received 101 attributes/);
  });

  test('skips tokens: a table name from a parameter is not validated at synth', () => {
    const stack = testStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    expect(() => synth({ tableName: name }, stack)).not.toThrow();
  });
});
