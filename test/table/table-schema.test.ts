import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, CfnGlobalTable, ProjectionType, StreamViewType, Table, TableEncryptionV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlueprintTable, BlueprintTableProps, IndexProjection } from '../../src';
import { testStack } from '../util';

const PK = { name: 'PK', type: AttributeType.STRING };
const SK = { name: 'SK', type: AttributeType.NUMBER };

function table(props: Partial<BlueprintTableProps> = {}, stack: Stack = testStack()) {
  const t = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, ...props });
  return { stack, table: t, cfn: t.node.defaultChild as CfnGlobalTable };
}

describe('schema()', () => {
  test('the table\'s partition and sort key with their types, as Table.schema() gives them for a Table', () => {
    const stack = testStack();
    const blueprint = new BlueprintTable(stack, 'Blueprint', { partitionKey: PK, sortKey: SK });
    const v1 = new Table(stack, 'V1', { partitionKey: PK, sortKey: SK });
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    expect(blueprint.schema()).toEqual(v1.schema());
    expect(blueprint.schema()).toEqual({ partitionKey: { name: 'PK', type: AttributeType.STRING }, sortKey: { name: 'SK', type: AttributeType.NUMBER } });
  });

  test('no sort key on a table without one', () => {
    expect(table().table.schema()).toEqual({ partitionKey: PK, sortKey: undefined });
  });

  test('the keys of a global and of a local secondary index, however they were added', () => {
    const { table: t } = table({
      sortKey: SK,
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
      localSecondaryIndexes: [{ indexName: 'byDue', sortKey: { name: 'due', type: AttributeType.NUMBER }, projectionType: ProjectionType.KEYS_ONLY }],
    });
    t.addGlobalSecondaryIndex({
      indexName: 'byOwner',
      partitionKey: { name: 'owner', type: AttributeType.STRING },
      sortKey: { name: 'created', type: AttributeType.BINARY },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    expect(t.schema('byStatus')).toEqual({ partitionKey: { name: 'status', type: AttributeType.STRING }, sortKey: undefined });
    expect(t.schema('byOwner')).toEqual({ partitionKey: { name: 'owner', type: AttributeType.STRING }, sortKey: { name: 'created', type: AttributeType.BINARY } });
    expect(t.schema('byDue')).toEqual({ partitionKey: PK, sortKey: { name: 'due', type: AttributeType.NUMBER } });
  });

  test('fails on an index the table does not have, naming the indexes it has', () => {
    const { table: t } = table({ blueprintGlobalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }] });
    expect(() => t.schema('bystatus')).toThrow("BlueprintTable TestStack/Tasks: `schema('bystatus')`: the table has no index 'bystatus'; its indexes: byStatus.");
  });

  test('fails on an index with a multi-attribute key, which SchemaOptions cannot hold', () => {
    const { table: t } = table({
      blueprintGlobalSecondaryIndexes: [{
        indexName: 'byTenantRegion',
        partitionKeys: [{ name: 'tenant', type: AttributeType.STRING }, { name: 'region', type: AttributeType.STRING }],
        projection: IndexProjection.keysOnly(),
      }],
    });
    expect(() => t.schema('byTenantRegion')).toThrow(/the partition key is a multi-attribute key \(tenant, region\), which `SchemaOptions` cannot hold/);
  });

  test('follows an escape hatch through the L1\'s properties', () => {
    const { table: t, cfn } = table();
    cfn.keySchema = [{ attributeName: 'tenant', keyType: 'HASH' }, { attributeName: 'id', keyType: 'RANGE' }];
    cfn.attributeDefinitions = [{ attributeName: 'tenant', attributeType: 'S' }, { attributeName: 'id', attributeType: 'N' }];
    expect(t.schema()).toEqual({ partitionKey: { name: 'tenant', type: AttributeType.STRING }, sortKey: { name: 'id', type: AttributeType.NUMBER } });
  });
});

describe('streamViewType', () => {
  test('the view type given, none without a stream, NEW_AND_OLD_IMAGES for a table with replicas', () => {
    expect(table({ dynamoStream: StreamViewType.KEYS_ONLY }).table.streamViewType).toBe(StreamViewType.KEYS_ONLY);
    expect(table().table.streamViewType).toBeUndefined();
    const replicated = table({ encryption: TableEncryptionV2.awsManagedKey(), replicas: [{ region: 'eu-west-1' }] }).table;
    expect(replicated.streamViewType).toBe(StreamViewType.NEW_AND_OLD_IMAGES);
  });

  test('a replica added later turns the stream on, as TableV2 renders it', () => {
    const { table: t, stack } = table({ encryption: TableEncryptionV2.awsManagedKey() });
    expect(t.streamViewType).toBeUndefined();
    t.addReplica({ region: 'eu-west-1' });
    expect(t.streamViewType).toBe(StreamViewType.NEW_AND_OLD_IMAGES);
    expect(Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.StreamSpecification)
      .toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  test('follows an escape hatch through the L1\'s properties, and synthesizes it', () => {
    const { table: t, cfn, stack } = table({ dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    cfn.streamSpecification = { streamViewType: StreamViewType.NEW_IMAGE };
    expect(t.streamViewType).toBe(StreamViewType.NEW_IMAGE);
    expect(Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.StreamSpecification)
      .toEqual({ StreamViewType: 'NEW_IMAGE' });
  });

  test('fails when the view type is not known at synthesis, rather than answer a token', () => {
    const { table: t, cfn, stack } = table();
    cfn.streamSpecification = { streamViewType: new CfnParameter(stack, 'View').valueAsString };
    expect(() => t.streamViewType).toThrow('BlueprintTable TestStack/Tasks: `streamViewType` is not known at synthesis; it must be one of '
      + 'NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY: set `dynamoStream` to a `StreamViewType`.');
  });
});

describe('a raw override of keys or stream, which no construct can read, fails synthesis', () => {
  test('of the stream, saying what the template and the table say and how to set it instead', () => {
    const { cfn, stack } = table({ dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    cfn.addPropertyOverride('StreamSpecification.StreamViewType', 'KEYS_ONLY');
    expect(() => Template.fromStack(stack)).toThrow(
      '[TestStack/Tasks] The stream view type is overridden in the template ("KEYS_ONLY") and differs from the table\'s ("NEW_AND_OLD_IMAGES"): '
      + 'set it through the table\'s props (`partitionKey`, `sortKey`, `dynamoStream`, the index props), or assign the L1 property '
      + '(`cfn.keySchema`, `cfn.attributeDefinitions`, `cfn.streamSpecification`), which `schema()`, `streamViewType` and the stream consumer read.');
  });

  test('of the stream, removed', () => {
    const { cfn, stack } = table({ dynamoStream: StreamViewType.NEW_IMAGE });
    cfn.addPropertyDeletionOverride('StreamSpecification');
    expect(() => Template.fromStack(stack)).toThrow(/The stream view type is overridden in the template \(no stream\) and differs from the table's \("NEW_IMAGE"\)/);
  });

  test('of the table\'s keys and of an index\'s keys, every problem at once', () => {
    const { cfn, stack } = table({
      sortKey: SK,
      blueprintGlobalSecondaryIndexes: [{ indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING }, projection: IndexProjection.keysOnly() }],
    });
    cfn.addPropertyOverride('KeySchema.1.AttributeName', 'sk');
    cfn.addPropertyOverride('GlobalSecondaryIndexes.0.KeySchema.0.AttributeName', 'Status');
    let message = '';
    try {
      Template.fromStack(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/The key schema is overridden in the template \(PK HASH S, sk RANGE \?\) and differs from the table's \(PK HASH S, SK RANGE N\)/);
    expect(message).toMatch(/The key schema of index 'byStatus' is overridden in the template \(Status HASH \?\) and differs from the table's \(status HASH S\)/);
  });

  test('an override of anything else, or one that changes nothing, is left alone', () => {
    const { cfn, stack } = table({ dynamoStream: StreamViewType.NEW_IMAGE });
    cfn.addPropertyOverride('StreamSpecification.StreamViewType', 'NEW_IMAGE');
    cfn.addPropertyOverride('TimeToLiveSpecification', { AttributeName: 'expires', Enabled: true });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
