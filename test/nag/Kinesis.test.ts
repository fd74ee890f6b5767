import { AttributeType, CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { CfnStream, Stream, StreamEncryption } from 'aws-cdk-lib/aws-kinesis';
import { findings } from './util';
import { BlueprintTable } from '../../src';
import { testStack } from '../util';

const PK = { name: 'pk', type: AttributeType.STRING };

describe('KinesisTableStreamEncrypted (KDS1)', () => {
  test('Noncompliance 1: an unencrypted stream fed by a Table', () => {
    const stack = testStack();
    new Table(stack, 'T', { partitionKey: PK, kinesisStream: new Stream(stack, 'Changes', { encryption: StreamEncryption.UNENCRYPTED }) });
    expect(findings(stack, 'KDS1')).toEqual(['DynamoDBBlueprint-KDS1']);
  });
  test('Noncompliance 2: an L1 stream without StreamEncryption fed by a BlueprintTable', () => {
    const stack = testStack();
    const stream = new CfnStream(stack, 'Changes', { shardCount: 1 });
    new BlueprintTable(stack, 'T', { partitionKey: PK, kinesisStream: Stream.fromStreamArn(stack, 'Imported', stream.attrArn) });
    expect(findings(stack, 'KDS1')).toEqual(['DynamoDBBlueprint-KDS1']);
  });
  test('Compliance: encrypted streams, and an unencrypted stream no table writes to', () => {
    const stack = testStack();
    new Table(stack, 'T', { partitionKey: PK, kinesisStream: new Stream(stack, 'Managed', { encryption: StreamEncryption.MANAGED }) });
    new BlueprintTable(stack, 'B', { partitionKey: PK, kinesisStream: new Stream(stack, 'Kms', { encryption: StreamEncryption.KMS }) });
    new BlueprintTable(stack, 'C', { partitionKey: PK, kinesisStream: new Stream(stack, 'Default') });
    new Stream(stack, 'Unrelated', { encryption: StreamEncryption.UNENCRYPTED });
    new CfnTable(stack, 'L1', { keySchema: [{ attributeName: 'pk', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }] });
    expect(findings(stack, 'KDS1')).toEqual([]);
  });
});
