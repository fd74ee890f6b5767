import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, TableEncryptionV2, TableV2, TableV2MultiAccountReplica } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BlueprintMultiAccountReplica, BlueprintMultiAccountReplicaProps, BlueprintTable } from '../../src';
import { testApp } from '../util';

const SOURCE_ENV = { account: '111111111111', region: 'us-east-1' };
const REPLICA_ENV = { account: '222222222222', region: 'eu-west-1' };
const SOURCE_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/orders';

/** A source BlueprintTable in account A and a replica of it in account B, in one app. */
function pair(props: Partial<BlueprintMultiAccountReplicaProps> = {}, app: App = testApp()) {
  const sourceStack = new Stack(app, 'Source', { env: SOURCE_ENV });
  const replicaStack = new Stack(app, 'Replica', { env: REPLICA_ENV });
  const source = new BlueprintTable(sourceStack, 'Orders', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
  const replica = new BlueprintMultiAccountReplica(replicaStack, 'Replica', { replicaSourceTable: source, ...props });
  return {
    source,
    replica,
    get template() { return Template.fromStack(replicaStack); },
    get sourceTemplate() { return Template.fromStack(sourceStack); },
  };
}

/** A replica of a source table imported by ARN (its own app holds the source). */
function imported(props: Partial<BlueprintMultiAccountReplicaProps> = {}, env: { account?: string; region?: string } | undefined = REPLICA_ENV) {
  const stack = new Stack(testApp(), 'Replica', { env });
  const source = TableV2.fromTableArn(stack, 'Source', SOURCE_ARN);
  const replica = new BlueprintMultiAccountReplica(stack, 'Replica', { replicaSourceTable: source, ...props });
  return { stack, replica, get template() { return Template.fromStack(stack); } };
}

function onlyReplica(template: Template): any {
  const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
  expect(tables).toHaveLength(1);
  expect(tables[0].Properties.Replicas).toHaveLength(1);
  return tables[0];
}

describe('defaults: the replica from its source alone', () => {
  test('renders PITR 35 days, deletion protection, contributor insights, its own key, RETAIN', () => {
    const { template, replica } = pair();
    const table = onlyReplica(template);
    expect(replica).toBeInstanceOf(TableV2MultiAccountReplica);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.GlobalTableSourceArn).toBeDefined();
    expect(table.Properties.KeySchema).toBeUndefined();
    const keyId = template.getResourceId('AWS::KMS::Key');
    expect(table.Properties.Replicas[0]).toMatchObject({
      Region: 'eu-west-1',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
      ContributorInsightsSpecification: { Enabled: true },
      SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
  });

  test('the key is the replica account\'s, rotated, retained, with the library key policy and the replication statement', () => {
    const { template, replica } = pair();
    expect(replica.createdEncryptionKey).toBe(replica.encryptionKey);
    expect(replica.createdEncryptionKey!.node.path).toBe('Replica/Replica/Key');
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: [
            Match.objectLike({ Sid: 'AccountAdministersKeyAndDelegatesUseToIam', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] } } }),
            Match.objectLike({ Sid: 'DenyGrantsNotForAwsResources', Effect: 'Deny', Action: 'kms:CreateGrant' }),
            Match.objectLike({ Sid: 'DynamoDBDescribesKey', Principal: { Service: 'dynamodb.amazonaws.com' } }),
            Match.objectLike({
              Sid: 'DynamoDBReplicationUsesKey',
              Principal: { Service: 'replication.dynamodb.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
            }),
          ],
        },
      },
    });
  });

  test('the source table\'s resource policy lets the replica account associate it (written by TableV2)', () => {
    const { sourceTemplate } = pair();
    const statements = onlyReplica(sourceTemplate).Properties.Replicas[0].ResourcePolicy.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      // The account comes from the replica's ARN, a cross-account reference resolved at deploy time.
      expect.objectContaining({ Action: 'dynamodb:AssociateTableReplica', Effect: 'Allow' }),
    ]));
  });

  test('a grant to a role of the replica account includes the created key', () => {
    const result = pair();
    const role = new iam.Role(Stack.of(result.replica), 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    result.replica.grants.readData(role);
    const template = result.template;
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [template.getResourceId('AWS::KMS::Key'), 'Arn'] } })]) },
    });
  });

  test('a region-agnostic stack gets the key too (TableV2MultiAccountReplica cannot render one there)', () => {
    const { template } = imported({}, undefined);
    expect(onlyReplica(template).Properties.Replicas[0].SSESpecification.KMSMasterKeyId).toEqual({ 'Fn::GetAtt': [template.getResourceId('AWS::KMS::Key'), 'Arn'] });
  });
});

describe('overrides', () => {
  test('each protection can be turned off explicitly', () => {
    const { template } = imported({
      deletionProtection: false,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      contributorInsightsSpecification: { enabled: false },
      encryption: TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const table = onlyReplica(template);
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.Replicas[0]).toMatchObject({
      DeletionProtectionEnabled: false,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      ContributorInsightsSpecification: { Enabled: false },
    });
    expect(table.Properties.Replicas[0].SSESpecification).toBeUndefined();
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('the shorthands, which TableV2MultiAccountReplica ignores, are honoured', () => {
    const { template } = imported({ pointInTimeRecovery: false, contributorInsights: false });
    expect(onlyReplica(template).Properties.Replicas[0]).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      ContributorInsightsSpecification: { Enabled: false },
    });
    const plain = new Stack(testApp(), 'Plain', { env: REPLICA_ENV });
    new TableV2MultiAccountReplica(plain, 'Replica', { replicaSourceTable: TableV2.fromTableArn(plain, 'Source', SOURCE_ARN), pointInTimeRecovery: true });
    expect(onlyReplica(Template.fromStack(plain)).Properties.Replicas[0].PointInTimeRecoverySpecification).toBeUndefined();
  });

  test('a given customer-managed key is used and no key is created', () => {
    const { stack, replica } = imported();
    const key = new kms.Key(stack, 'MyKey');
    const other = new BlueprintMultiAccountReplica(stack, 'Other', { replicaSourceTable: TableV2.fromTableArn(stack, 'Source2', SOURCE_ARN), encryption: TableEncryptionV2.customerManagedKey(key) });
    expect(other.encryptionKey).toBe(key);
    expect(other.createdEncryptionKey).toBeUndefined();
    expect(replica.createdEncryptionKey).toBeDefined();
    const tables = Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable');
    const otherTable = Object.entries(tables).find(([id]) => id.startsWith('Other'))![1] as any;
    expect(otherTable.Properties.Replicas[0].SSESpecification.KMSMasterKeyId).toEqual({ 'Fn::GetAtt': [Stack.of(key).getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
  });

  test('a period of 7 days is kept', () => {
    const { template } = imported({ pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 7 } });
    expect(onlyReplica(template).Properties.Replicas[0].PointInTimeRecoverySpecification)
      .toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 });
  });
});

describe('validation: every problem at once, with the construct path', () => {
  test('fails on a table name other than the source\'s, both spellings, and a recovery period out of range', () => {
    const result = imported({
      tableName: 'payments',
      pointInTimeRecovery: true,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 40 },
      contributorInsights: true,
      contributorInsightsSpecification: { enabled: true },
    });
    let message = '';
    try {
      void result.template;
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[Replica\/Replica\] `tableName` is 'payments', but a replica has its source table's name, 'orders'.*set it to 'orders'/);
    expect(message).toMatch(/\[Replica\/Replica\] `pointInTimeRecovery` and `pointInTimeRecoverySpecification` are both set/);
    expect(message).toMatch(/\[Replica\/Replica\] `contributorInsights` and `contributorInsightsSpecification` are both set/);
    expect(message).toMatch(/\[Replica\/Replica\] `pointInTimeRecoverySpecification.recoveryPeriodInDays` is 40: it must be a whole number of days from 1 to 35/);
  });

  test('fails on an invalid table name', () => {
    expect(() => imported({ tableName: 'ab' }).template).toThrow(/\[Replica\/Replica\] `tableName` is 'ab': DynamoDB names must be 3 to 255 characters/);
  });

  test('the source\'s own name passes', () => {
    expect(() => imported({ tableName: 'orders' }).template).not.toThrow();
  });
});
