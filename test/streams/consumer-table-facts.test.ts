import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, CfnGlobalTable, StreamViewType, Table, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlueprintTable, StreamFilter, TableStreamConsumer } from '../../src';
import * as tableShapeModule from '../../src/model/table-shape';
import { noFailureStreamHandler, testStack } from '../util';

/**
 * The consumer asks a BlueprintTable for its keys and stream (`schema()`, `streamViewType`), and reads
 * other tables (TableV2, Table, L1s, imported ones) through the model, which renders their resource.
 */
const PK = { name: 'PK', type: AttributeType.STRING };
const SK = { name: 'SK', type: AttributeType.STRING };

const fn = noFailureStreamHandler;

describe('a BlueprintTable is asked, and its escape hatches through the L1\'s properties are seen', () => {
  test('a stream narrowed on the L1 fails a consumer that needs old images', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    (table.node.defaultChild as CfnGlobalTable).streamSpecification = { streamViewType: StreamViewType.NEW_IMAGE };
    expect(() => new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack) }))
      .toThrow(/`table` TestStack\/Tasks has a NEW_IMAGE stream, but the consumer needs NEW_AND_OLD_IMAGES/);
  });

  test('a stream turned on through the L1 is accepted, and is the one deployed', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK });
    (table.node.defaultChild as CfnGlobalTable).streamSpecification = { streamViewType: StreamViewType.NEW_AND_OLD_IMAGES };
    new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack) });
    expect(Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.StreamSpecification)
      .toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  test('filters are checked against a key schema set on the L1', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, sortKey: SK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const cfn = table.node.defaultChild as CfnGlobalTable;
    cfn.keySchema = [{ attributeName: 'tenant', keyType: 'HASH' }, { attributeName: 'SK', keyType: 'RANGE' }];
    cfn.attributeDefinitions = [{ attributeName: 'tenant', attributeType: 'S' }, { attributeName: 'SK', attributeType: 'S' }];
    const consumer = (keyAttribute: string) => () => new TableStreamConsumer(stack, `Consumer${keyAttribute}`, {
      table,
      handler: fn(stack, `Handler${keyAttribute}`),
      filters: [StreamFilter.of({ keyAttribute, keyPrefix: 'T#' })],
    });
    expect(consumer('tenant')).not.toThrow();
    expect(consumer('PK')).toThrow(/key attribute 'PK', which is not a key of the table TestStack\/Tasks \(its keys: tenant, SK\)/);
  });

  test('redrive keys are typed from the table\'s schema()', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: { name: 'id', type: AttributeType.NUMBER }, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack) });
    expect(() => consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: 'TASK#1' }] }))
      .toThrow(/`keys\[0\].partitionKeyValue` is 'TASK#1', but id is a Number key/);
  });
});

describe('which tables are read through the model', () => {
  let spy: jest.SpyInstance;
  beforeEach(() => {
    spy = jest.spyOn(tableShapeModule, 'tableShape');
  });
  afterEach(() => spy.mockRestore());

  const filters = [StreamFilter.of({ keyAttribute: 'PK', keyPrefix: 'T#' })];

  test('never a BlueprintTable: keys, stream and redrive keys come from the construct', () => {
    const stack = testStack();
    const table = new BlueprintTable(stack, 'Tasks', { partitionKey: PK, sortKey: SK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES });
    const consumer = new TableStreamConsumer(stack, 'Consumer', { table, handler: fn(stack), filters });
    consumer.redriveAfterDeployment({ keys: [{ partitionKeyValue: 'T#1', sortKeyValue: 'A' }] });
    expect(spy).not.toHaveBeenCalled();
  });

  test.each([
    ['a TableV2', (stack: Stack) => new TableV2(stack, 'Tasks', { partitionKey: PK, dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES })],
    ['a Table', (stack: Stack) => new Table(stack, 'Tasks', { partitionKey: PK, stream: StreamViewType.NEW_AND_OLD_IMAGES })],
    ['an imported table', (stack: Stack) => Table.fromTableAttributes(stack, 'Tasks', {
      tableName: 'tasks', tableStreamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/tasks/stream/2026-01-01T00:00:00.000',
    })],
  ])('%s, which cannot be asked', (_, make) => {
    const stack = testStack();
    new TableStreamConsumer(stack, 'Consumer', { table: make(stack), handler: fn(stack), filters });
    expect(spy).toHaveBeenCalled();
  });
});
