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
