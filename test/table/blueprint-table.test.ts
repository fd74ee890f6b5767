import { Aspects, CfnParameter, IAspect, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  AttributeType, Billing, Capacity, ContributorInsightsMode, MultiRegionConsistency, ProjectionType, StreamViewType, TableClass,
  TableEncryptionV2, TablePropsV2, TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
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

  test('leaves the table class to DynamoDB (STANDARD), as TableV2 does', () => {
    const { template } = synth();
    expect(replica(template, TEST_ENV.region).TableClass).toBeUndefined();
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
    expect(table.createdEncryptionKey!.node.path).toBe('TestStack/Table/Key');
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
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
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
      blueprintGlobalSecondaryIndexes: [
        { indexName: 'keys', partitionKey: { name: 'A', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
        { indexName: 'all', partitionKey: { name: 'B', type: AttributeType.STRING }, projection: IndexProjection.all() },
        { indexName: 'typed', partitionKey: { name: 'C', type: AttributeType.STRING }, projectionType: ProjectionType.ALL },
      ],
      blueprintLocalSecondaryIndexes: [
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
      blueprintGlobalSecondaryIndexes: [{
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
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byA', partitionKey: { name: 'A', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    }, stack);
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    table.grantReadData(role);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as any;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.some((s: any) => [s.Action].flat().includes('dynamodb:GetItem'))).toBe(true);
    expect(statements.some((s: any) => [s.Action].flat().includes('kms:Decrypt'))).toBe(true);
  });
});

describe('in every stack', () => {
  test.each([
    ['region-agnostic (cdk init app)', {}],
    ['account-only', { env: { account: '123456789012' } }],
  ])('the default table synthesizes in a %s stack, with its customer-managed key', (_name, stackProps) => {
    const stack = new Stack(testApp(), 'S', stackProps);
    const { table, template } = synth({}, stack);
    const resource = globalTable(template);
    expect(resource.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    const keyId = stack.getLogicalId(table.createdEncryptionKey!.node.defaultChild as kms.CfnKey);
    expect(resource.Properties.Replicas).toEqual([expect.objectContaining({
      Region: { Ref: 'AWS::Region' },
      SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    })]);
  });

  test('a given customer-managed key works in a region-agnostic stack too (TableV2 refuses it there)', () => {
    const stack = new Stack(testApp(), 'S');
    const key = new kms.Key(stack, 'Mine');
    const { table, template } = synth({ encryption: TableEncryptionV2.customerManagedKey(key) }, stack);
    expect(table.createdEncryptionKey).toBeUndefined();
    expect(table.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(globalTable(template).Properties.Replicas[0].SSESpecification).toEqual({ KMSMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } });
    const plain = new Stack(testApp(), 'S');
    new TableV2(plain, 'Table', { partitionKey: PK, encryption: TableEncryptionV2.customerManagedKey(new kms.Key(plain, 'Mine')) });
    expect(() => Template.fromStack(plain)).toThrow(/Replica SSE specification cannot be rendered in a region agnostic stack/);
  });

  test('the region-specific template is the one TableV2 renders with the same key', () => {
    const { table, template } = synth();
    const key = table.createdEncryptionKey!;
    const v2Stack = testStack();
    new TableV2(v2Stack, 'Table', {
      partitionKey: PK,
      sortKey: SK,
      encryption: TableEncryptionV2.customerManagedKey(kms.Key.fromKeyArn(v2Stack, 'K', 'arn:aws:kms:us-east-1:123456789012:key/k')),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      deletionProtection: true,
      contributorInsightsSpecification: { enabled: true },
    });
    const ours = globalTable(template);
    const theirs = globalTable(Template.fromStack(v2Stack));
    // Same logical id for the table: a switching user keeps it.
    expect(Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))).toEqual(Object.keys(Template.fromStack(v2Stack).findResources('AWS::DynamoDB::GlobalTable')));
    const keyArn = { 'Fn::GetAtt': [testStack().getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
    theirs.Properties.Replicas[0].SSESpecification = { KMSMasterKeyId: keyArn };
    expect(ours).toEqual(theirs);
  });
});

describe('the created key is a child of the table', () => {
  test('a scope may hold another construct named <id>Key', () => {
    const stack = testStack();
    new kms.Key(stack, 'TableKey');
    expect(() => synth({}, stack).template).not.toThrow();
  });

  test('tags and aspects applied to the table reach the key', () => {
    const result = synth();
    const table = result.table;
    Tags.of(table).add('team', 'orders');
    const visited: string[] = [];
    Aspects.of(table).add(new class implements IAspect {
      visit(node: IConstruct) {
        visited.push(node.node.path);
      }
    }());
    const key = Object.values(result.template.findResources('AWS::KMS::Key'))[0] as any;
    expect(key.Properties.Tags).toEqual([{ Key: 'team', Value: 'orders' }]);
    expect(visited).toContain('TestStack/Table/Key/Resource');
  });
});

describe('every TableV2 prop passes through', () => {
  test('multi-region strong consistency with a witness, from a TablePropsV2-typed variable', () => {
    const props: TablePropsV2 = {
      partitionKey: PK,
      encryption: TableEncryptionV2.awsManagedKey(),
      multiRegionConsistency: MultiRegionConsistency.STRONG,
      witnessRegion: 'us-west-2',
      replicas: [{ region: 'us-east-2' }],
    };
    const { template } = synth(props);
    const resource = globalTable(template).Properties;
    expect(resource.MultiRegionConsistency).toBe('STRONG');
    expect(resource.GlobalTableWitnesses).toEqual([{ Region: 'us-west-2' }]);
  });

  test('multi-attribute GSI keys', () => {
    const { template } = synth({
      globalSecondaryIndexes: [{
        indexName: 'byTenantStatus',
        partitionKeys: [{ name: 'tenant', type: AttributeType.STRING }, { name: 'region', type: AttributeType.STRING }],
        sortKeys: [{ name: 'status', type: AttributeType.STRING }],
        projectionType: ProjectionType.KEYS_ONLY,
      }],
    });
    expect(globalTable(template).Properties.GlobalSecondaryIndexes[0].KeySchema).toEqual([
      { AttributeName: 'tenant', KeyType: 'HASH' }, { AttributeName: 'region', KeyType: 'HASH' }, { AttributeName: 'status', KeyType: 'RANGE' },
    ]);
  });
});

describe('per-replica and per-index settings win over the table defaults', () => {
  const replicas = (extra: object) => ({ encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1', ...extra }] });

  test('a replica\'s pointInTimeRecovery: false turns PITR off there only', () => {
    const { template } = synth(replicas({ pointInTimeRecovery: false }));
    expect(replica(template, 'eu-west-1').PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
    expect(replica(template, TEST_ENV.region).PointInTimeRecoverySpecification)
      .toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 });
  });

  test('a replica\'s pointInTimeRecovery: true keeps the table\'s recovery period', () => {
    const { template } = synth({
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 9 },
      ...replicas({ pointInTimeRecovery: true }),
    });
    expect(replica(template, 'eu-west-1').PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 9 });
  });

  test('a replica\'s and a replica index\'s contributorInsights shorthand render, in the props and in addReplica', () => {
    const { table, stack } = synth({
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byA', partitionKey: { name: 'A', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
      ...replicas({ contributorInsights: false, globalSecondaryIndexOptions: { byA: { contributorInsights: false } } }),
    });
    table.addReplica({ region: 'ap-southeast-2', contributorInsights: false, pointInTimeRecovery: false });
    const template = Template.fromStack(stack);
    for (const region of ['eu-west-1', 'ap-southeast-2']) {
      expect(replica(template, region).ContributorInsightsSpecification).toEqual({ Enabled: false });
    }
    expect(replica(template, 'eu-west-1').GlobalSecondaryIndexes).toEqual([{ IndexName: 'byA', ContributorInsightsSpecification: { Enabled: false } }]);
    expect(replica(template, 'ap-southeast-2').GlobalSecondaryIndexes).toEqual([{ IndexName: 'byA', ContributorInsightsSpecification: { Enabled: true } }]);
    expect(replica(template, 'ap-southeast-2').PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
    expect(replica(template, TEST_ENV.region).ContributorInsightsSpecification).toEqual({ Enabled: true });
  });
});

describe('indexes with a projection, from every jsii language', () => {
  test('addBlueprintGlobalSecondaryIndex and addBlueprintLocalSecondaryIndex take an IndexProjection', () => {
    const { table, stack } = synth();
    table.addBlueprintGlobalSecondaryIndex({ indexName: 'late', partitionKey: { name: 'L', type: AttributeType.STRING }, projection: IndexProjection.include(['x']) });
    table.addBlueprintLocalSecondaryIndex({ indexName: 'lateLocal', sortKey: { name: 'at', type: AttributeType.NUMBER }, projection: IndexProjection.keysOnly() });
    const props = globalTable(Template.fromStack(stack)).Properties;
    expect(props.GlobalSecondaryIndexes).toEqual([expect.objectContaining({ IndexName: 'late', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] } })]);
    expect(props.LocalSecondaryIndexes).toEqual([expect.objectContaining({ IndexName: 'lateLocal', Projection: { ProjectionType: 'KEYS_ONLY' } })]);
  });

  test('both index props together: TableV2-style ones first, then the blueprint ones', () => {
    const { template } = synth({
      globalSecondaryIndexes: [{ indexName: 'first', partitionKey: { name: 'A', type: AttributeType.STRING }, projectionType: ProjectionType.ALL }],
      blueprintGlobalSecondaryIndexes: [{ indexName: 'second', partitionKey: { name: 'B', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    });
    expect(globalTable(template).Properties.GlobalSecondaryIndexes.map((g: any) => g.IndexName)).toEqual(['first', 'second']);
  });
});

describe('validation', () => {
  const gsi = (extra: object = {}) => ({ indexName: 'byStatus', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING }, ...extra });
  const keysOnly = (extra: object = {}) => gsi({ projection: IndexProjection.keysOnly(), ...extra });
  const autoscaled10 = () => Billing.provisioned({
    readCapacity: Capacity.autoscaled({ maxCapacity: 10 }),
    writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }),
  });
  const onDemandReplicas = (...regions: object[]) => ({ encryption: TableEncryptionV2.awsManagedKey(), replicas: regions as any });

  test('runs at synth, not at construction, and names the construct path', () => {
    const result = synth({ tableName: 'ab' });
    expect(() => result.template).toThrow(/\[TestStack\/Table\] `tableName` is 'ab'/);
  });

  test('reports every problem at once', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Table', {
      partitionKey: PK,
      sortKey: SK,
      tableName: 'a b',
      timeToLiveAttribute: 'SK',
      globalSecondaryIndexes: [gsi()],
    });
    table.addReplica({ region: 'eu-west-1' });
    let message = '';
    try {
      Template.fromStack(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/\[TestStack\/Table\]/g)).toHaveLength(4);
    expect(message).toMatch(/`tableName` is 'a b'/);
    expect(message).toMatch(/`timeToLiveAttribute` is 'SK', a key of the table/);
    expect(message).toMatch(/`globalSecondaryIndexes\[0\]` \(byStatus\) projects INCLUDE \(the default\) but names no attributes/);
    expect(message).toMatch(/`encryption` is not set on a table with replicas in eu-west-1/);
  });

  test.each<[string, Partial<BlueprintTableProps>, RegExp]>([
    ['fails on fixed provisioned read capacity', {
      billing: Billing.provisioned({ readCapacity: Capacity.fixed(5), writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }) }),
    }, /`billing` sets `readCapacity` to `Capacity.fixed\(5\)`: fixed provisioned capacity throttles.*Capacity.autoscaled/],
    ['fails on fixed index read capacity', {
      billing: autoscaled10(),
      blueprintGlobalSecondaryIndexes: [keysOnly({ readCapacity: Capacity.fixed(5) })],
    }, /`blueprintGlobalSecondaryIndexes\[0\].readCapacity` is `Capacity.fixed\(\)`: fixed provisioned capacity throttles/],
    ['fails on fixed replica read capacity', {
      billing: autoscaled10(),
      ...onDemandReplicas({ region: 'eu-west-1', readCapacity: Capacity.fixed(3) }),
    }, /`replicas\[0\].readCapacity` is `Capacity.fixed\(\)`/],
    ['fails on fixed replica index read capacity', {
      billing: autoscaled10(),
      blueprintGlobalSecondaryIndexes: [keysOnly()],
      ...onDemandReplicas({ region: 'eu-west-1', globalSecondaryIndexOptions: { byStatus: { readCapacity: Capacity.fixed(3) } } }),
    }, /`replicas\[0\].globalSecondaryIndexOptions.byStatus.readCapacity` is `Capacity.fixed\(\)`/],
    ['fails on a fractional on-demand read maximum', { billing: Billing.onDemand({ maxReadRequestUnits: 2.5 }) }, /maxReadRequestUnits.*is 2.5: it must be a whole number of at least 1/],
    ['fails on a non-positive on-demand write maximum', { billing: Billing.onDemand({ maxWriteRequestUnits: 1.5 }) }, /maxWriteRequestUnits.*is 1.5: it must be a whole number/],
    ['fails on a non-positive index maximum', { blueprintGlobalSecondaryIndexes: [keysOnly({ maxReadRequestUnits: 0 })] }, /`blueprintGlobalSecondaryIndexes\[0\].maxReadRequestUnits` is 0/],
    ['fails on an index without named attributes (INCLUDE default)', { globalSecondaryIndexes: [gsi()] }, /`globalSecondaryIndexes\[0\]` \(byStatus\) projects INCLUDE \(the default\) but names no attributes/],
    ['fails on a blueprint index without a projection', { blueprintGlobalSecondaryIndexes: [gsi()] }, /`blueprintGlobalSecondaryIndexes\[0\]` \(byStatus\) projects INCLUDE \(the default\)/],
    ['fails on INCLUDE with an empty list', { globalSecondaryIndexes: [gsi({ projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [] })] }, /projects INCLUDE \(projectionType\) but names no attributes/],
    ['fails on both projection and projectionType', {
      blueprintGlobalSecondaryIndexes: [gsi({ projection: IndexProjection.all(), projectionType: ProjectionType.ALL })],
    }, /sets both `projection` and `projectionType`/],
    ['fails on a projection in a TableV2-typed index struct', {
      globalSecondaryIndexes: [gsi({ projection: IndexProjection.all() }) as any],
    }, /`globalSecondaryIndexes\[0\]` \(byStatus\) has a `projection`, which TableV2's index struct does not carry.*blueprintGlobalSecondaryIndexes/],
    ['fails on a duplicate projected attribute', { globalSecondaryIndexes: [gsi({ nonKeyAttributes: ['a', 'a'] })] }, /lists 'a' twice/],
    ['fails on an empty projected attribute name', { globalSecondaryIndexes: [gsi({ nonKeyAttributes: [''] })] }, /lists "" in `nonKeyAttributes`/],
    ['fails on a key attribute in the projection', { globalSecondaryIndexes: [gsi({ nonKeyAttributes: ['PK'] })] }, /lists the key attribute 'PK' in its projection/],
    ['fails on more than 100 projected attributes across indexes, counting an attribute per index', {
      globalSecondaryIndexes: [
        gsi({ nonKeyAttributes: Array.from({ length: 60 }, (_, i) => `a${i}`) }),
        // 60 + 41 = 101, though only 60 distinct names (TableV2 counts distinct names).
        { indexName: 'other', partitionKey: { name: 'X', type: AttributeType.STRING }, nonKeyAttributes: Array.from({ length: 41 }, (_, i) => `a${i}`) },
      ],
    }, /project 101 non-key attributes in all: DynamoDB allows at most 100/],
    ['fails on an LSI that sorts by the table sort key', {
      blueprintLocalSecondaryIndexes: [{ indexName: 'same', sortKey: SK, projection: IndexProjection.keysOnly() }],
    }, /`blueprintLocalSecondaryIndexes\[0\].sortKey` is 'SK', the table's own sort key/],
    ['fails on a TTL attribute that is a key', { timeToLiveAttribute: 'SK' }, /`timeToLiveAttribute` is 'SK', a key of the table/],
    ['fails on a TTL attribute that an index declares as a string', {
      timeToLiveAttribute: 'GSI1PK', blueprintGlobalSecondaryIndexes: [keysOnly()],
    }, /which an index declares as type S/],
    ['fails on an invalid table name', { tableName: 'orders table!' }, /`tableName` is 'orders table!': DynamoDB names must be 3 to 255 characters/],
    ['fails on a too-short table name', { tableName: 'ab' }, /`tableName` is 'ab'/],
    ['fails on an invalid index name', { blueprintGlobalSecondaryIndexes: [keysOnly({ indexName: 'by status' })] }, /`blueprintGlobalSecondaryIndexes\[0\].indexName` is 'by status'/],
    ['fails on a wrong key type', { partitionKey: { name: 'PK', type: 'BOOL' as AttributeType } }, /`partitionKey.type` of 'PK' is "BOOL"/],
    ['fails on a wrong multi-attribute key type', {
      globalSecondaryIndexes: [{ indexName: 'byAB', partitionKeys: [{ name: 'A', type: AttributeType.STRING }, { name: 'B', type: 'M' as AttributeType }], projectionType: ProjectionType.KEYS_ONLY }],
    }, /`globalSecondaryIndexes\[0\].partitionKeys\[1\].type` of 'B' is "M"/],
    ['fails on an empty key name', { partitionKey: { name: '', type: AttributeType.STRING } }, /`partitionKey.name` is "": a key attribute name must be 1 to 255/],
    ['fails on a sort key equal to the partition key', { sortKey: PK }, /`sortKey` and `partitionKey` are both 'PK'/],
    ['fails on both PITR props', { pointInTimeRecovery: true, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }, /`pointInTimeRecovery` and `pointInTimeRecoverySpecification` are both set/],
    ['fails on both contributor insights props', { contributorInsights: true, contributorInsightsSpecification: { enabled: true } }, /`contributorInsights` and `contributorInsightsSpecification` are both set/],
    ['fails on both PITR props on a replica', onDemandReplicas({ region: 'eu-west-1', pointInTimeRecovery: true, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }),
      /`replicas\[0\].pointInTimeRecovery` and `replicas\[0\].pointInTimeRecoverySpecification` are both set/],
    ['fails on both contributor insights props on a replica index', {
      blueprintGlobalSecondaryIndexes: [keysOnly()],
      ...onDemandReplicas({ region: 'eu-west-1', globalSecondaryIndexOptions: { byStatus: { contributorInsights: true, contributorInsightsSpecification: { enabled: true } } } }),
    }, /`replicas\[0\].globalSecondaryIndexOptions.byStatus.contributorInsights` and .* are both set/],
    ['fails on a replica recovery period out of range', onDemandReplicas({ region: 'eu-west-1', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 36 } }),
      /`replicas\[0\].pointInTimeRecoverySpecification.recoveryPeriodInDays` is 36: it must be a whole number of days from 1 to 35/],
    ['fails on a replica recovery period with PITR off', onDemandReplicas({ region: 'eu-west-1', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false, recoveryPeriodInDays: 7 } }),
      /recoveryPeriodInDays` is 7 while `pointInTimeRecoveryEnabled` is false/],
    ['fails on a bad warm throughput', { warmThroughput: { readUnitsPerSecond: -1 } }, /`warmThroughput.readUnitsPerSecond` is -1/],
    ['fails on a bad index warm throughput', { blueprintGlobalSecondaryIndexes: [keysOnly({ warmThroughput: { writeUnitsPerSecond: 0 } })] }, /`blueprintGlobalSecondaryIndexes\[0\].warmThroughput.writeUnitsPerSecond` is 0/],
    ['fails on replicas without an encryption choice', { replicas: [{ region: 'eu-west-1' }] }, /`encryption` is not set on a table with replicas in eu-west-1: a KMS key lives in one region.*awsManagedKey\(\)` explicitly/],
    ['fails on a malformed replica region', onDemandReplicas({ region: 'europe' }), /`replicas\[0\].region` is 'europe', which is not an AWS region name/],
    ['fails on a replica stream that is not NEW_AND_OLD_IMAGES', {
      ...onDemandReplicas({ region: 'eu-west-1' }), dynamoStream: StreamViewType.KEYS_ONLY,
    }, /`dynamoStream` is KEYS_ONLY, but a table with `replicas` replicates through a NEW_AND_OLD_IMAGES stream/],
  ])('%s', (_name, props, error) => {
    const result = synth(props);
    expect(() => result.template).toThrow(error);
  });

  test('fails on a key ARN for a region without a replica', () => {
    const stack = testStack();
    const result = synth({
      encryption: TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'K'), REPLICA_KEYS),
      replicas: [{ region: 'eu-west-1' }],
    }, stack);
    expect(() => result.template).toThrow(/names key ARNs for ap-southeast-2, which are not replica regions/);
  });

  test('fails on a replica added later without an encryption choice', () => {
    const result = synth();
    result.table.addReplica({ region: 'eu-west-1' });
    expect(() => result.template).toThrow(/`encryption` is not set on a table with replicas in eu-west-1/);
  });

  test('fails on an index added later without named attributes, through either method', () => {
    const result = synth();
    result.table.addGlobalSecondaryIndex({ indexName: 'late', partitionKey: { name: 'L', type: AttributeType.STRING } });
    result.table.addBlueprintGlobalSecondaryIndex({ indexName: 'later', partitionKey: { name: 'M', type: AttributeType.STRING } });
    expect(() => result.template).toThrow(/`addGlobalSecondaryIndex\(late\)` \(late\) projects INCLUDE \(the default\)[\s\S]*`addBlueprintGlobalSecondaryIndex\(later\)` \(later\) projects INCLUDE/);
  });

  describe('checks TableV2 makes itself are left to it (at construction, with the construct path)', () => {
    test.each<[string, Partial<BlueprintTableProps>, RegExp]>([
      ['fails on fixed write capacity', {
        billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ maxCapacity: 10 }), writeCapacity: Capacity.fixed(5) }),
      }, /You cannot configure 'writeCapacity' with FIXED capacity mode/],
      ['fails on index capacity on an on-demand table', {
        blueprintGlobalSecondaryIndexes: [keysOnly({ readCapacity: Capacity.autoscaled({ maxCapacity: 10 }) })],
      }, /You cannot configure 'readCapacity' or 'writeCapacity' on a global secondary index when the billing mode is PAY_PER_REQUEST/],
      ['fails on duplicate index names', {
        blueprintGlobalSecondaryIndexes: [keysOnly()],
        blueprintLocalSecondaryIndexes: [{ indexName: 'byStatus', sortKey: { name: 'createdAt', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
      }, /Duplicate secondary index name, byStatus, is not allowed/],
      ['fails on more than 20 GSIs', {
        blueprintGlobalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({ indexName: `gsi${i}`, partitionKey: { name: `k${i}`, type: AttributeType.STRING }, projection: IndexProjection.keysOnly() })),
      }, /You may not provide more than 20 global secondary indexes/],
      ['fails on more than 5 LSIs', {
        blueprintLocalSecondaryIndexes: Array.from({ length: 6 }, (_, i) => ({ indexName: `lsi${i}`, sortKey: { name: `s${i}`, type: AttributeType.STRING }, projection: IndexProjection.keysOnly() })),
      }, /You may not provide more than 5 local secondary indexes/],
      ['fails on one attribute with two types', {
        blueprintGlobalSecondaryIndexes: [{ indexName: 'byA', partitionKey: { name: 'PK', type: AttributeType.NUMBER }, projection: IndexProjection.keysOnly() }],
      }, /Unable to specify PK as N because it was already defined as S/],
      ['fails on nonKeyAttributes with ALL', { globalSecondaryIndexes: [gsi({ projectionType: ProjectionType.ALL, nonKeyAttributes: ['a'] })] }, /Non-key attributes should not be specified when not using INCLUDE/],
      ['fails on a recovery period out of range', { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 36 } }, /`recoveryPeriodInDays` must be a value between `1` and `35`/],
      ['fails on a replica in the stack region', onDemandReplicas({ region: 'us-east-1' }), /You cannot add a replica table in the same region as the primary table/],
      ['fails on a duplicate replica', onDemandReplicas({ region: 'eu-west-1' }, { region: 'eu-west-1' }), /Duplicate replica table region, eu-west-1, is not allowed/],
      ['fails on replica read capacity on an on-demand table', onDemandReplicas({ region: 'eu-west-1', readCapacity: Capacity.autoscaled({ maxCapacity: 10 }) }),
        /You cannot provide 'readCapacity' on a replica table when the billing mode is PAY_PER_REQUEST/],
    ])('%s', (_name, props, error) => {
      expect(() => synth(props)).toThrow(error);
    });

    test('fails on a customer-managed key without a key for each replica region, with our words, before TableV2 renders it', () => {
      const stack = testStack();
      const build = () => synth({
        encryption: TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'K'), { 'eu-west-1': REPLICA_KEYS['eu-west-1'] }),
        replicas: [{ region: 'eu-west-1' }, { region: 'ap-southeast-2' }, { region: 'ap-northeast-1' }],
      }, stack);
      expect(build).toThrow('[TestStack/Table] `encryption` is a customer-managed key with no key ARN for the replica region(s) ap-southeast-2, ap-northeast-1: '
        + 'a KMS key lives in one region, so each replica needs the ARN of a key in its own region. '
        + "Pass `TableEncryptionV2.customerManagedKey(key, { 'ap-southeast-2': '<key ARN in ap-southeast-2>', 'ap-northeast-1': '<key ARN in ap-northeast-1>' })` "
        + '(the stack region us-east-1 uses `key` itself), or remove those replicas.');
    });

    test('addReplica() refuses a replica region without a key ARN for the customer-managed key', () => {
      const stack = testStack();
      const { table } = synth({ encryption: TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'K'), { 'eu-west-1': REPLICA_KEYS['eu-west-1'] }) }, stack);
      expect(() => table.addReplica({ region: 'ap-southeast-2' }))
        .toThrow('[TestStack/Table] `encryption` is a customer-managed key with no key ARN for the replica region(s) ap-southeast-2');
    });

    test('names props in the calling language: Python (JSII_AGENT as the jsii runtime sets it)', () => {
      const previous = process.env.JSII_AGENT;
      process.env.JSII_AGENT = 'Python/3.11.4';
      try {
        const result = synth({ timeToLiveAttribute: 'PK', blueprintGlobalSecondaryIndexes: [{ indexName: 'byA', partitionKey: { name: 'a', type: AttributeType.STRING } } as any] });
        expect(() => result.template).toThrow("`time_to_live_attribute` is 'PK', a key of the table");
        expect(() => result.template).toThrow('`blueprint_global_secondary_indexes[0]` (byA) projects INCLUDE (the default) but names no attributes: '
          + 'set `projection=IndexProjection.include([...])` (or `non_key_attributes`) with exactly the attributes your queries on this index return, '
          + 'or choose `IndexProjection.keys_only()` or `IndexProjection.all()` explicitly.');
      } finally {
        if (previous === undefined) {
          delete process.env.JSII_AGENT;
        } else {
          process.env.JSII_AGENT = previous;
        }
      }
    });

    test('fails on replicas in a region-agnostic stack', () => {
      const stack = new Stack(testApp(), 'Agnostic');
      expect(() => synth(onDemandReplicas({ region: 'eu-west-1' }), stack)).toThrow(/Replica tables are not supported in a region agnostic stack/);
    });

    test('fails on an LSI without a table sort key', () => {
      expect(() => new BlueprintTable(testStack(), 'T', {
        partitionKey: PK,
        blueprintLocalSecondaryIndexes: [{ indexName: 'byX', sortKey: { name: 'x', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
      })).toThrow(/The table must have a sort key in order to add a local secondary index/);
    });
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
    expect(() => synth({ tableName: name }, stack).template).not.toThrow();
  });
});

