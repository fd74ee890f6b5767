import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { StreamMode } from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { BlueprintTable, KinesisChangeStream } from '../../src';
import { testStack } from '../util';

const keyArn = (stack: Stack, key: kms.IKey) => ({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] });

describe('KinesisChangeStream', () => {
  test('defaults: on-demand, 7 days, a rotating customer-managed key, retained; the table streams to it', () => {
    const stack = testStack();
    const changes = new KinesisChangeStream(stack, 'Changes');
    const table = new BlueprintTable(stack, 'Orders', { partitionKey: { name: 'PK', type: AttributeType.STRING }, kinesisStream: changes.stream });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Kinesis::Stream', {
      DeletionPolicy: 'Retain',
      Properties: {
        RetentionPeriodHours: 168,
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        StreamEncryption: { EncryptionType: 'KMS', KeyId: keyArn(stack, changes.encryptionKey) },
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'Encrypts the Kinesis data stream TestStack/Changes' });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ KinesisStreamSpecification: { StreamArn: { 'Fn::GetAtt': [stack.getLogicalId(changes.stream.node.defaultChild as any), 'Arn'] } } })],
    });
    expect(table.tableName).toBeDefined();
  });

  test('overrides: provisioned shards, a year of retention, a given key and name', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Mine', { enableKeyRotation: true });
    new KinesisChangeStream(stack, 'Changes', {
      streamName: 'order-changes', streamMode: StreamMode.PROVISIONED, shardCount: 4, retention: Duration.days(365), encryptionKey: key,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'order-changes',
      ShardCount: 4,
      RetentionPeriodHours: 8760,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: keyArn(stack, key) },
    });
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('grantRead lets a consumer read records and decrypt them', () => {
    const stack = testStack();
    const changes = new KinesisChangeStream(stack, 'Changes');
    changes.grantRead(new Role(stack, 'Consumer', { assumedBy: new AccountRootPrincipal() }));
    const statements = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(statements).toContain('kinesis:GetRecords');
    expect(statements).toContain('kms:Decrypt');
  });

  describe('fails', () => {
    test('fails with a retention under 24 hours, over a year, or not whole hours', () => {
      expect(() => new KinesisChangeStream(testStack(), 'S', { retention: Duration.hours(12) })).toThrow(/`retention` is 12 hours: a Kinesis data stream keeps records for 24 to 8760 whole hours/);
      expect(() => new KinesisChangeStream(testStack(), 'S', { retention: Duration.days(366) })).toThrow(/`retention` is 366 days/);
      expect(() => new KinesisChangeStream(testStack(), 'S', { retention: Duration.minutes(1470) })).toThrow(/`retention`/);
    });
    test('fails with a shard count on an on-demand stream, or a bad shard count', () => {
      expect(() => new KinesisChangeStream(testStack(), 'S', { shardCount: 2 })).toThrow(/`shardCount` is 2 with StreamMode.ON_DEMAND/);
      expect(() => new KinesisChangeStream(testStack(), 'S', { streamMode: StreamMode.PROVISIONED, shardCount: 0 })).toThrow(/`shardCount` is 0/);
    });
  });
});
