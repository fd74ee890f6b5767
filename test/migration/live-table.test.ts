import { adoptLiveTable } from '../../src/migration/live-table';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-22bb-33cc-44dd-555555eeeeee';

describe('opinions that change the live table on the first deployment after the import', () => {
  const table = {
    TableName: 'orders',
    TableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  };

  test('an AWS owned key, PITR for 7 days, no contributor insights, no deletion protection: four opinions, each kept as the live value until after the import', () => {
    const adoption = adoptLiveTable({
      describeTable: { Table: table },
      continuousBackups: { ContinuousBackupsDescription: { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 7 } } },
      timeToLive: { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } },
      contributorInsights: { TableName: 'orders', ContributorInsightsStatus: 'DISABLED' },
    });
    expect(adoption.opinions.map((o) => `${o.setting}: ${o.blueprint}`)).toEqual([
      'point-in-time recovery: on, 35 days',
      'contributor insights: on',
      'deletion protection: on',
      'encryption key: a new customer-managed KMS key with rotation',
    ]);
    const p = adoption.template.Resources[adoption.logicalId].Properties;
    expect(p.Replicas[0]).toMatchObject({
      Region: 'eu-west-1',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
      ContributorInsightsSpecification: { Enabled: false },
      DeletionProtectionEnabled: false,
    });
    expect(p.SSESpecification).toEqual({ SSEEnabled: false });
    expect(adoption.typescript).toContain('deletionProtection: false, // live value: remove after the import for deletion protection on');
    expect(adoption.typescript).toContain('encryption: TableEncryptionV2.dynamoOwnedKey(), // live value');
  });

  test('a table already as BlueprintTable wants it has no opinion to apply', () => {
    const adoption = adoptLiveTable({
      describeTable: { Table: { ...table, DeletionProtectionEnabled: true, SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY_ARN } } },
      continuousBackups: { ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 } } },
      contributorInsights: { ContributorInsightsStatus: 'ENABLED' },
    });
    expect(adoption.opinions).toEqual([]);
    expect(adoption.typescript).not.toContain('// live value');
  });

  test('fails on something that is not a describe-table output', () => {
    expect(() => adoptLiveTable({ describeTable: { TableNames: ['orders'] } })).toThrow('`describeTable` is not the output of `aws dynamodb describe-table --table-name <name>`');
  });
});

describe('what a described table has beyond its keys and indexes', () => {
  const REPLICA_KEY = 'arn:aws:kms:ap-south-1:123456789012:key/9999aaaa-22bb-33cc-44dd-555555eeeeee';
  const gsi = (name: string, extra: object) => ({
    IndexName: name,
    KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
    Projection: { ProjectionType: 'KEYS_ONLY' },
    ...extra,
  });
  const base = {
    TableName: 'orders',
    TableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'customer', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    DeletionProtectionEnabled: true,
    SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY_ARN },
  };

  test('replicas in other regions, each with its KMS key, are carried; a replica\'s own table class is listed as not carried', () => {
    const adoption = adoptLiveTable({
      describeTable: {
        Table: {
          ...base,
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
          Replicas: [
            { RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' },
            { RegionName: 'ap-south-1', ReplicaStatus: 'ACTIVE', KMSMasterKeyId: REPLICA_KEY, ReplicaTableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' } },
          ],
        },
      },
    });
    const p = adoption.template.Resources[adoption.logicalId].Properties;
    expect(p.Replicas.map((r: any) => [r.Region, r.SSESpecification?.KMSMasterKeyId])).toEqual([['ap-south-1', REPLICA_KEY], ['eu-west-1', KEY_ARN]]);
    expect(adoption.typescript).toContain('    replicas: [{ region: "ap-south-1" }],');
    expect(adoption.typescript).toContain(`, "${KEY_ARN}"), { "ap-south-1": "${REPLICA_KEY}" }),`);
    expect(adoption.python).toContain('        replicas=[dynamodb.ReplicaTableProps(region="ap-south-1")],');
    expect(adoption.python).toContain(`, "${KEY_ARN}"), {"ap-south-1": "${REPLICA_KEY}"}),`);
    expect(adoption.table.notCarried).toEqual([expect.stringMatching(/^the replica in ap-south-1 overrides table class STANDARD_INFREQUENT_ACCESS: the code gives it the table's/)]);
  });

  test('a provisioned index keeps its own units, and the capacity\'s auto scaling is listed as not described', () => {
    const adoption = adoptLiveTable({
      describeTable: {
        Table: {
          ...base,
          BillingModeSummary: { BillingMode: 'PROVISIONED' },
          ProvisionedThroughput: { ReadCapacityUnits: 20, WriteCapacityUnits: 10 },
          GlobalSecondaryIndexes: [gsi('byCustomer', { ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 } })],
        },
      },
    });
    const p = adoption.template.Resources[adoption.logicalId].Properties;
    const index = p.GlobalSecondaryIndexes[0];
    expect(index.WriteProvisionedThroughputSettings.WriteCapacityAutoScalingSettings).toMatchObject({ MinCapacity: 3, MaxCapacity: 3 });
    const replicaIndex = p.Replicas[0].GlobalSecondaryIndexes[0];
    expect(replicaIndex.ReadProvisionedThroughputSettings.ReadCapacityAutoScalingSettings).toMatchObject({ MinCapacity: 7, MaxCapacity: 7 });
    expect(adoption.typescript).toContain('projection: IndexProjection.keysOnly(), readCapacity: Capacity.autoscaled({ minCapacity: 7, maxCapacity: 7 }), '
      + 'writeCapacity: Capacity.autoscaled({ minCapacity: 3, maxCapacity: 3 }) },');
    expect(adoption.python).toContain('read_capacity=dynamodb.Capacity.autoscaled(min_capacity=7, max_capacity=7), write_capacity=dynamodb.Capacity.autoscaled(min_capacity=3, max_capacity=3)),');
    expect(adoption.table.unknown).toEqual(expect.arrayContaining([expect.stringMatching(/^auto scaling of the provisioned capacity/), expect.stringMatching(/^tags/)]));
  });

  test('on-demand maximum request units of the table and an index are carried', () => {
    const adoption = adoptLiveTable({
      describeTable: {
        Table: {
          ...base,
          BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
          OnDemandThroughput: { MaxReadRequestUnits: 500, MaxWriteRequestUnits: -1 },
          GlobalSecondaryIndexes: [gsi('byCustomer', { OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 } })],
        },
      },
    });
    const p = adoption.template.Resources[adoption.logicalId].Properties;
    expect(p.WriteOnDemandThroughputSettings).toBeUndefined();
    expect(p.Replicas[0].ReadOnDemandThroughputSettings).toEqual({ MaxReadRequestUnits: 500 });
    expect(p.GlobalSecondaryIndexes[0].WriteOnDemandThroughputSettings).toEqual({ MaxWriteRequestUnits: 50 });
    expect(adoption.typescript).toContain('    billing: Billing.onDemand({ maxReadRequestUnits: 500 }),');
    expect(adoption.typescript).toContain('projection: IndexProjection.keysOnly(), maxReadRequestUnits: 100, maxWriteRequestUnits: 50 },');
    expect(adoption.python).toContain('        billing=dynamodb.Billing.on_demand(max_read_request_units=500),');
    expect(adoption.table.unknown).not.toEqual(expect.arrayContaining([expect.stringMatching(/^auto scaling/)]));
  });
});
