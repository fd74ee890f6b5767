import { CfnDeletionPolicy, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BackupPlan, BackupResource } from 'aws-cdk-lib/aws-backup';
import {
  AttributeType, Billing, BillingMode, Capacity, CfnGlobalTable, CfnTable, ProjectionType, StreamViewType,
  Table, TableEncryption, TableEncryptionV2, TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { allFindings, findings, include, tableResource } from './util';
import { BlueprintTable, IndexProjection } from '../../src';
import { testStack } from '../util';

const PK = { name: 'pk', type: AttributeType.STRING };
const SK = { name: 'sk', type: AttributeType.STRING };

/** A `Table` with every protection on, so each test breaks exactly one thing. */
function protectedTable(stack: Stack, id: string, props: Partial<ConstructorParameters<typeof Table>[2]> = {}): Table {
  return new Table(stack, id, {
    partitionKey: PK,
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: new Key(stack, `${id}Key`, { enableKeyRotation: true }),
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });
}

/** A minimal `CfnGlobalTable` with the given replicas. */
function globalTable(stack: Stack, replicas: CfnGlobalTable.ReplicaSpecificationProperty[], props: Partial<CfnGlobalTable['_cfnProperties']> = {}): CfnGlobalTable {
  return new CfnGlobalTable(stack, 'Global', {
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
    billingMode: 'PAY_PER_REQUEST',
    replicas,
    ...props,
  });
}

describe('BlueprintTable defaults', () => {
  test('Compliance: a BlueprintTable with indexes, a stream and TTL has no finding of any DynamoDB rule', () => {
    const stack = testStack();
    new BlueprintTable(stack, 'Orders', {
      partitionKey: PK,
      sortKey: SK,
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING }, projection: IndexProjection.include(['total']) }],
      timeToLiveAttribute: 'expiresAt',
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    for (let i = 1; i <= 13; i++) {
      expect(findings(stack, `DDB${i}`)).toEqual([]);
    }
  });

  test('Compliance: a BlueprintTable with replicas and a key per region has no finding of any rule', () => {
    const stack = testStack();
    new BlueprintTable(stack, 'Global', {
      partitionKey: PK,
      replicas: [{ region: 'eu-west-1' }, { region: 'ap-south-1' }],
      encryption: TableEncryptionV2.customerManagedKey(new Key(stack, 'Key', { enableKeyRotation: true }), {
        'eu-west-1': 'arn:aws:kms:eu-west-1:123456789012:key/eu',
        'ap-south-1': 'arn:aws:kms:ap-south-1:123456789012:key/ap',
      }),
    });
    expect(allFindings(stack)).toEqual([]);
  });

  test('Compliance: a provisioned, auto scaled BlueprintTable has no capacity finding', () => {
    const stack = testStack();
    new BlueprintTable(stack, 'Orders', {
      partitionKey: PK,
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ maxCapacity: 100 }),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 50 }),
      }),
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    });
    expect(findings(stack, 'DDB6')).toEqual([]);
    expect(findings(stack, 'DDB7')).toEqual([]);
  });
});

describe('DynamoDBPointInTimeRecovery (DDB1)', () => {
  test('Noncompliance 1: a Table without point-in-time recovery', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } });
    expect(findings(stack, 'DDB1')).toEqual(['DynamoDBBlueprint-DDB1']);
  });
  test('Noncompliance 2: a TableV2 whose replica turns point-in-time recovery off is reported for that replica only', () => {
    const stack = testStack();
    new TableV2(stack, 'T', {
      partitionKey: PK,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      replicas: [{ region: 'eu-west-1', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } }],
    });
    expect(findings(stack, 'DDB1')).toEqual(['DynamoDBBlueprint-DDB1[Replica::eu-west-1]']);
  });
  test('Noncompliance 3: a CfnGlobalTable with no point-in-time recovery specification', () => {
    const stack = testStack();
    globalTable(stack, [{ region: 'us-east-1' }]);
    expect(findings(stack, 'DDB1')).toEqual(['DynamoDBBlueprint-DDB1[Replica::us-east-1]']);
  });
  test('Noncompliance 4: an included template table without point-in-time recovery', () => {
    const stack = testStack();
    include(stack, { Legacy: tableResource() });
    expect(findings(stack, 'DDB1')).toEqual(['DynamoDBBlueprint-DDB1']);
  });
  test('Compliance', () => {
    const stack = testStack();
    protectedTable(stack, 'T');
    new CfnTable(stack, 'L1', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    include(stack, { Legacy: tableResource({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 'true' } }) });
    globalTable(stack, [{ region: 'us-east-1', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }]);
    expect(findings(stack, 'DDB1')).toEqual([]);
  });
});

describe('DynamoDBRetainPolicy (DDB2)', () => {
  test('Noncompliance 1: a TableV2 with RemovalPolicy.DESTROY fails both policies', () => {
    const stack = testStack();
    new TableV2(stack, 'T', { partitionKey: PK, removalPolicy: RemovalPolicy.DESTROY });
    expect(findings(stack, 'DDB2')).toEqual(['DynamoDBBlueprint-DDB2[DeletionPolicy]', 'DynamoDBBlueprint-DDB2[UpdateReplacePolicy]']);
  });
  test('Noncompliance 2: a CfnTable keeps the CloudFormation default (Delete)', () => {
    const stack = testStack();
    new CfnTable(stack, 'L1', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }] });
    expect(findings(stack, 'DDB2')).toEqual(['DynamoDBBlueprint-DDB2[DeletionPolicy]', 'DynamoDBBlueprint-DDB2[UpdateReplacePolicy]']);
  });
  test('Noncompliance 3: only the UpdateReplacePolicy is Delete', () => {
    const stack = testStack();
    const table = protectedTable(stack, 'T');
    (table.node.defaultChild as CfnTable).cfnOptions.updateReplacePolicy = CfnDeletionPolicy.DELETE;
    expect(findings(stack, 'DDB2')).toEqual(['DynamoDBBlueprint-DDB2[UpdateReplacePolicy]']);
  });
  test('Noncompliance 4: an included template table without a DeletionPolicy', () => {
    const stack = testStack();
    include(stack, { Legacy: tableResource({}, { DeletionPolicy: undefined }) });
    expect(findings(stack, 'DDB2')).toEqual(['DynamoDBBlueprint-DDB2[DeletionPolicy]']);
  });
  test('Compliance', () => {
    const stack = testStack();
    protectedTable(stack, 'T');
    new TableV2(stack, 'V2', { partitionKey: PK });
    const l1 = globalTable(stack, [{ region: 'us-east-1' }]);
    l1.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
    l1.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
    expect(findings(stack, 'DDB2')).toEqual([]);
  });
});

describe('DynamoDBDeletionProtectionEnabled (DDB3)', () => {
  test('Noncompliance 1: a Table without deletion protection', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { deletionProtection: false });
    expect(findings(stack, 'DDB3')).toEqual(['DynamoDBBlueprint-DDB3']);
  });
  test('Noncompliance 2: a TableV2 protects the primary replica but not eu-west-1', () => {
    const stack = testStack();
    new TableV2(stack, 'T', { partitionKey: PK, deletionProtection: true, replicas: [{ region: 'eu-west-1', deletionProtection: false }] });
    expect(findings(stack, 'DDB3')).toEqual(['DynamoDBBlueprint-DDB3[Replica::eu-west-1]']);
  });
  test('Noncompliance 3: a CfnGlobalTable in a region-agnostic stack names the replica StackRegion', () => {
    const stack = new Stack();
    globalTable(stack, [{ region: Stack.of(stack).region }]);
    expect(findings(stack, 'DDB3')).toEqual(['DynamoDBBlueprint-DDB3[Replica::StackRegion]']);
  });
  test('Compliance', () => {
    const stack = testStack();
    protectedTable(stack, 'T');
    new BlueprintTable(stack, 'B', { partitionKey: PK });
    include(stack, { Legacy: tableResource({ DeletionProtectionEnabled: true }) });
    expect(findings(stack, 'DDB3')).toEqual([]);
  });
});

describe('DynamoDBCMKEncryption (DDB4)', () => {
  test('Noncompliance 1: a Table with the AWS owned key', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { encryption: TableEncryption.DEFAULT, encryptionKey: undefined });
    expect(findings(stack, 'DDB4')).toEqual(['DynamoDBBlueprint-DDB4']);
  });
  test('Noncompliance 2: a Table with the AWS managed key', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { encryption: TableEncryption.AWS_MANAGED, encryptionKey: undefined });
    expect(findings(stack, 'DDB4')).toEqual(['DynamoDBBlueprint-DDB4']);
  });
  test('Noncompliance 3: a TableV2 with the AWS managed key is reported for each replica', () => {
    const stack = testStack();
    new TableV2(stack, 'T', { partitionKey: PK, encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1' }] });
    expect(findings(stack, 'DDB4')).toEqual(['DynamoDBBlueprint-DDB4[Replica::eu-west-1]', 'DynamoDBBlueprint-DDB4[Replica::us-east-1]']);
  });
  test('Compliance', () => {
    const stack = testStack();
    protectedTable(stack, 'T');
    new BlueprintTable(stack, 'B', { partitionKey: PK });
    new TableV2(stack, 'V2', {
      partitionKey: PK,
      encryption: TableEncryptionV2.customerManagedKey(new Key(stack, 'V2Key'), { 'eu-west-1': 'arn:aws:kms:eu-west-1:123456789012:key/replica' }),
      replicas: [{ region: 'eu-west-1' }],
    });
    expect(findings(stack, 'DDB4')).toEqual([]);
  });
});

describe('DynamoDBBackupCoverage (DDB5)', () => {
  test('Noncompliance 1: a Table without point-in-time recovery or backup plan', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } });
    expect(findings(stack, 'DDB5')).toEqual(['DynamoDBBlueprint-DDB5']);
  });
  test('Noncompliance 2: a global table with point-in-time recovery in one region only, not in a plan', () => {
    const stack = testStack();
    new TableV2(stack, 'T', {
      partitionKey: PK,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      replicas: [{ region: 'eu-west-1', pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } }],
    });
    expect(findings(stack, 'DDB5')).toEqual(['DynamoDBBlueprint-DDB5']);
  });
  test('Noncompliance 3: a backup plan selecting another table', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false } });
    const other = protectedTable(stack, 'Other');
    BackupPlan.dailyWeeklyMonthly5YearRetention(stack, 'Plan').addSelection('Sel', { resources: [BackupResource.fromDynamoDbTable(other)] });
    expect(findings(stack, 'DDB5')).toEqual(['DynamoDBBlueprint-DDB5']);
  });
  test('Compliance: point-in-time recovery, or a backup plan selection', () => {
    const stack = testStack();
    protectedTable(stack, 'T');
    const planned = new TableV2(stack, 'V2', { partitionKey: PK });
    BackupPlan.dailyWeeklyMonthly5YearRetention(stack, 'Plan').addSelection('Sel', { resources: [BackupResource.fromDynamoDbTable(planned)] });
    expect(findings(stack, 'DDB5')).toEqual([]);
  });
});

describe('DynamoDBAutoScaling (DDB6)', () => {
  test('Noncompliance 1: a provisioned Table and its index with fixed capacity', () => {
    const stack = testStack();
    const table = protectedTable(stack, 'T', { billingMode: BillingMode.PROVISIONED, readCapacity: 5, writeCapacity: 5 });
    table.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING }, readCapacity: 5, writeCapacity: 5 });
    table.autoScaleReadCapacity({ minCapacity: 5, maxCapacity: 50 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    expect(findings(stack, 'DDB6')).toEqual([
      'DynamoDBBlueprint-DDB6[Index::byCustomer::Reads]',
      'DynamoDBBlueprint-DDB6[Index::byCustomer::Writes]',
      'DynamoDBBlueprint-DDB6[Table::Writes]',
    ]);
  });
  test('Noncompliance 2: a TableV2 with fixed read capacity is reported per replica', () => {
    const stack = testStack();
    new TableV2(stack, 'T', {
      partitionKey: PK,
      billing: Billing.provisioned({ readCapacity: Capacity.fixed(5), writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }) }),
      replicas: [{ region: 'eu-west-1' }],
    });
    expect(findings(stack, 'DDB6')).toEqual(['DynamoDBBlueprint-DDB6[Replica::eu-west-1::Reads]', 'DynamoDBBlueprint-DDB6[Replica::us-east-1::Reads]']);
  });
  test('Noncompliance 3: an included provisioned table without scalable targets', () => {
    const stack = testStack();
    include(stack, { Legacy: tableResource({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }) });
    expect(findings(stack, 'DDB6')).toEqual(['DynamoDBBlueprint-DDB6[Table::Reads]', 'DynamoDBBlueprint-DDB6[Table::Writes]']);
  });
  test('Compliance', () => {
    const stack = testStack();
    const table = protectedTable(stack, 'T', { billingMode: BillingMode.PROVISIONED });
    table.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING } });
    table.autoScaleReadCapacity({ minCapacity: 5, maxCapacity: 50 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    table.autoScaleWriteCapacity({ minCapacity: 5, maxCapacity: 50 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    table.autoScaleGlobalSecondaryIndexReadCapacity('byCustomer', { minCapacity: 5, maxCapacity: 50 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    table.autoScaleGlobalSecondaryIndexWriteCapacity('byCustomer', { minCapacity: 5, maxCapacity: 50 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    new TableV2(stack, 'V2', { partitionKey: PK, billing: Billing.provisioned({ readCapacity: Capacity.autoscaled({ maxCapacity: 10 }), writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }) }) });
    protectedTable(stack, 'OnDemand');
    expect(findings(stack, 'DDB6')).toEqual([]);
  });
});

describe('DynamoDBGSIWriteCapacity (DDB7)', () => {
  test('Noncompliance 1: a Table index with fewer fixed write units than the table', () => {
    const stack = testStack();
    const table = protectedTable(stack, 'T', { billingMode: BillingMode.PROVISIONED, readCapacity: 5, writeCapacity: 100 });
    table.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING }, readCapacity: 5, writeCapacity: 5 });
    expect(findings(stack, 'DDB7')).toEqual(['DynamoDBBlueprint-DDB7[Index::byCustomer]']);
  });
  test('Noncompliance 2: a TableV2 index whose auto scaling maximum is below the table\'s', () => {
    const stack = testStack();
    new TableV2(stack, 'T', {
      partitionKey: PK,
      billing: Billing.provisioned({
        readCapacity: Capacity.autoscaled({ maxCapacity: 10 }),
        writeCapacity: Capacity.autoscaled({ maxCapacity: 1000 }),
      }),
      globalSecondaryIndexes: [
        { indexName: 'small', partitionKey: { name: 'a', type: AttributeType.STRING }, writeCapacity: Capacity.autoscaled({ maxCapacity: 10 }) },
        { indexName: 'large', partitionKey: { name: 'b', type: AttributeType.STRING }, writeCapacity: Capacity.autoscaled({ maxCapacity: 1000 }) },
      ],
    });
    expect(findings(stack, 'DDB7')).toEqual(['DynamoDBBlueprint-DDB7[Index::small]']);
  });
  test('Noncompliance 3: a Table index whose scalable target maximum is below the table\'s', () => {
    const stack = testStack();
    const table = protectedTable(stack, 'T', { billingMode: BillingMode.PROVISIONED });
    table.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING } });
    table.autoScaleWriteCapacity({ minCapacity: 5, maxCapacity: 1000 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    table.autoScaleGlobalSecondaryIndexWriteCapacity('byCustomer', { minCapacity: 5, maxCapacity: 50 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    expect(findings(stack, 'DDB7')).toEqual(['DynamoDBBlueprint-DDB7[Index::byCustomer]']);
  });
  test('Compliance', () => {
    const stack = testStack();
    const table = protectedTable(stack, 'T', { billingMode: BillingMode.PROVISIONED, readCapacity: 5, writeCapacity: 10 });
    table.addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING }, readCapacity: 5, writeCapacity: 10 });
    protectedTable(stack, 'OnDemand').addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING } });
    expect(findings(stack, 'DDB7')).toEqual([]);
  });
});

describe('DynamoDBPartitionKeyCardinality (DDB8)', () => {
  test('Noncompliance 1: a Table partitioned by status', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { partitionKey: { name: 'status', type: AttributeType.STRING } });
    expect(findings(stack, 'DDB8')).toEqual(['DynamoDBBlueprint-DDB8[Table::status]']);
  });
  test('Noncompliance 2: BlueprintTable indexes partitioned by a date, a country code word and a flag', () => {
    const stack = testStack();
    new BlueprintTable(stack, 'T', {
      partitionKey: PK,
      blueprintGlobalSecondaryIndexes: [
        { indexName: 'byDay', partitionKey: { name: 'orderDate', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
        { indexName: 'byCountry', partitionKey: { name: 'shipping_country', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
        { indexName: 'byActive', partitionKey: { name: 'isActive', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
        { indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
      ],
    });
    expect(findings(stack, 'DDB8')).toEqual([
      'DynamoDBBlueprint-DDB8[Index::byActive]',
      'DynamoDBBlueprint-DDB8[Index::byCountry]',
      'DynamoDBBlueprint-DDB8[Index::byDay]',
    ]);
  });
  test('Noncompliance 3: a CfnGlobalTable partitioned by eventType', () => {
    const stack = testStack();
    globalTable(stack, [{ region: 'us-east-1' }], {
      attributeDefinitions: [{ attributeName: 'eventType', attributeType: 'S' }],
      keySchema: [{ attributeName: 'eventType', keyType: 'HASH' }],
    });
    expect(findings(stack, 'DDB8')).toEqual(['DynamoDBBlueprint-DDB8[Table::eventType]']);
  });
  test('Compliance: ids, generic overloaded keys and sharded keys', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { partitionKey: { name: 'customerId', type: AttributeType.STRING } })
      .addGlobalSecondaryIndex({ indexName: 'gsi1', partitionKey: { name: 'GSI1PK', type: AttributeType.STRING } });
    protectedTable(stack, 'U', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    protectedTable(stack, 'V', { partitionKey: { name: 'statusShard', type: AttributeType.STRING } });
    expect(findings(stack, 'DDB8')).toEqual([]);
  });
});

describe('DynamoDBGSIProjectionNotAll (DDB9)', () => {
  test('Noncompliance 1: a Table index with the ALL default of Table', () => {
    const stack = testStack();
    protectedTable(stack, 'T').addGlobalSecondaryIndex({ indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING } });
    expect(findings(stack, 'DDB9')).toEqual(['DynamoDBBlueprint-DDB9[Index::byCustomer]']);
  });
  test('Noncompliance 2: a BlueprintTable index with IndexProjection.all()', () => {
    const stack = testStack();
    new BlueprintTable(stack, 'T', {
      partitionKey: PK,
      blueprintGlobalSecondaryIndexes: [
        { indexName: 'everything', partitionKey: { name: 'a', type: AttributeType.STRING }, projection: IndexProjection.all() },
        { indexName: 'lean', partitionKey: { name: 'b', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() },
      ],
    });
    expect(findings(stack, 'DDB9')).toEqual(['DynamoDBBlueprint-DDB9[Index::everything]']);
  });
  test('Compliance', () => {
    const stack = testStack();
    protectedTable(stack, 'T').addGlobalSecondaryIndex({
      indexName: 'byCustomer', partitionKey: { name: 'customerId', type: AttributeType.STRING }, projectionType: ProjectionType.INCLUDE, nonKeyAttributes: ['total'],
    });
    expect(findings(stack, 'DDB9')).toEqual([]);
  });
});

describe('DynamoDBNoLSI (DDB10)', () => {
  test('Noncompliance 1: a Table with a local secondary index', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { sortKey: SK }).addLocalSecondaryIndex({ indexName: 'byDate', sortKey: { name: 'createdAt', type: AttributeType.STRING } });
    expect(findings(stack, 'DDB10')).toEqual(['DynamoDBBlueprint-DDB10[Index::byDate]']);
  });
  test('Noncompliance 2: a BlueprintTable with a local secondary index', () => {
    const stack = testStack();
    new BlueprintTable(stack, 'T', {
      partitionKey: PK,
      sortKey: SK,
      blueprintLocalSecondaryIndexes: [{ indexName: 'byDate', sortKey: { name: 'createdAt', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    });
    expect(findings(stack, 'DDB10')).toEqual(['DynamoDBBlueprint-DDB10[Index::byDate]']);
  });
  test('Compliance', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { sortKey: SK });
    expect(findings(stack, 'DDB10')).toEqual([]);
  });
});

describe('DynamoDBGSICount (DDB11)', () => {
  const addIndexes = (table: Table, count: number) => {
    for (let i = 0; i < count; i++) {
      table.addGlobalSecondaryIndex({ indexName: `gsi${i}`, partitionKey: { name: `GSI${i}PK`, type: AttributeType.STRING }, projectionType: ProjectionType.KEYS_ONLY });
    }
  };
  test('Noncompliance 1: a Table with 6 global secondary indexes', () => {
    const stack = testStack();
    addIndexes(protectedTable(stack, 'T'), 6);
    expect(findings(stack, 'DDB11')).toEqual(['DynamoDBBlueprint-DDB11']);
  });
  test('Compliance: 5 indexes', () => {
    const stack = testStack();
    addIndexes(protectedTable(stack, 'T'), 5);
    expect(findings(stack, 'DDB11')).toEqual([]);
  });
});

describe('DynamoDBReplicaStreamNewAndOldImages (DDB12)', () => {
  // `Table` refuses a customer-managed key with replicationRegions.
  const AWS_MANAGED = { encryption: TableEncryption.AWS_MANAGED, encryptionKey: undefined };
  test('Noncompliance 1: a CfnGlobalTable with two replicas and a KEYS_ONLY stream', () => {
    const stack = testStack();
    globalTable(stack, [{ region: 'us-east-1' }, { region: 'eu-west-1' }], { streamSpecification: { streamViewType: 'KEYS_ONLY' } });
    expect(findings(stack, 'DDB12')).toEqual(['DynamoDBBlueprint-DDB12']);
  });
  test('Noncompliance 2: a CfnGlobalTable with two replicas and no stream', () => {
    const stack = testStack();
    globalTable(stack, [{ region: 'us-east-1' }, { region: 'eu-west-1' }]);
    expect(findings(stack, 'DDB12')).toEqual(['DynamoDBBlueprint-DDB12']);
  });
  test('Compliance: TableV2 and Table replicas, and a single-region table without stream', () => {
    const stack = testStack();
    new TableV2(stack, 'V2', { partitionKey: PK, replicas: [{ region: 'eu-west-1' }] });
    protectedTable(stack, 'T', { ...AWS_MANAGED, replicationRegions: ['eu-west-1'], stream: StreamViewType.NEW_AND_OLD_IMAGES, replicationTimeout: Duration.hours(1) });
    globalTable(stack, [{ region: 'us-east-1' }]);
    expect(findings(stack, 'DDB12')).toEqual([]);
  });
  test('Noncompliance 3: a Table replicated with replicationRegions whose stream is overridden', () => {
    const stack = testStack();
    const table = protectedTable(stack, 'T', { ...AWS_MANAGED, replicationRegions: ['eu-west-1'], stream: StreamViewType.NEW_AND_OLD_IMAGES });
    (table.node.defaultChild as CfnTable).addPropertyOverride('StreamSpecification.StreamViewType', 'NEW_IMAGE');
    expect(findings(stack, 'DDB12')).toEqual(['DynamoDBBlueprint-DDB12']);
  });
});

describe('DynamoDBTTLAttributeNumber (DDB13)', () => {
  test('Noncompliance 1: a Table whose TTL attribute is an index key of type String', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { timeToLiveAttribute: 'expiresAt' })
      .addGlobalSecondaryIndex({ indexName: 'byExpiry', partitionKey: { name: 'expiresAt', type: AttributeType.STRING }, projectionType: ProjectionType.KEYS_ONLY });
    expect(findings(stack, 'DDB13')).toEqual(['DynamoDBBlueprint-DDB13']);
  });
  test('Noncompliance 2: an included table whose TTL attribute is its String sort key', () => {
    const stack = testStack();
    include(stack, {
      Legacy: tableResource({
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'ttl', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'ttl', KeyType: 'RANGE' }],
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      }),
    });
    expect(findings(stack, 'DDB13')).toEqual(['DynamoDBBlueprint-DDB13']);
  });
  test('Compliance: a non-key TTL attribute, and a Number index key', () => {
    const stack = testStack();
    protectedTable(stack, 'T', { timeToLiveAttribute: 'expiresAt' });
    protectedTable(stack, 'U', { timeToLiveAttribute: 'expiresAt' })
      .addGlobalSecondaryIndex({ indexName: 'byExpiry', partitionKey: { name: 'expiresAt', type: AttributeType.NUMBER }, projectionType: ProjectionType.KEYS_ONLY });
    expect(findings(stack, 'DDB13')).toEqual([]);
  });
});
