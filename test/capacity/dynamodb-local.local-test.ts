import {
  BatchGetItemCommand, BatchWriteItemCommand, ConsumedCapacity, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand,
  QueryCommand, ScanCommand, TransactGetItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlueprintTable, CapacityCalculator, CapacityOperation, IndexProjection, IndexWriteAmplification, ItemSize, ItemWriteKind,
  OperationCapacityProps, ReadConsistency,
} from '../../src';
import { createTablesFromTemplate, DynamoDBLocal, LocalTable, localClientConfig, startDynamoDBLocal } from '../../tools/dynamodb-local';
import { testStack } from '../util';

// The calculator against a real implementation: DynamoDB Local, asked for ReturnConsumedCapacity.
//
// Not compared, on purpose:
// - TransactWriteItems: DynamoDB Local under-reports it (two 3 KB puts in one transaction report 6 units
//   where DynamoDB bills 12, twice every item), so it cannot check the calculator.
// - A Query or Scan that matches nothing: DynamoDB Local reports 0, the calculator charges DynamoDB's
//   minimum of one read unit per request.

const KB = 1024;
let local: DynamoDBLocal;
let client: DynamoDBClient;
let table: LocalTable;

/** An item of exactly `bytes` bytes by DynamoDB's rule, padded with a string attribute. */
function itemOf(pk: string, sk: string, bytes: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const item: Record<string, unknown> = { PK: pk, SK: sk, ...extra, padding: '' };
  item.padding = 'x'.repeat(bytes - ItemSize.ofItem(item));
  expect(ItemSize.ofItem(item)).toBe(bytes);
  return item;
}

/** The calculator's answer for one call. */
const calc = (props: OperationCapacityProps) => CapacityCalculator.forOperation(props);
const units = (c: ConsumedCapacity | ConsumedCapacity[] | undefined) => (Array.isArray(c) ? c[0] : c)?.CapacityUnits;
const key = (pk: string, sk: string) => marshall({ PK: pk, SK: sk });
const put = (item: Record<string, unknown>) => client.send(new PutItemCommand({
  TableName: table.tableName, Item: marshall(item), ReturnConsumedCapacity: 'INDEXES',
}));

beforeAll(async () => {
  local = await startDynamoDBLocal();
  client = new DynamoDBClient(localClientConfig(local.endpoint));
  const stack = testStack();
  new BlueprintTable(stack, 'Tasks', {
    partitionKey: { name: 'PK', type: AttributeType.STRING },
    sortKey: { name: 'SK', type: AttributeType.STRING },
    blueprintGlobalSecondaryIndexes: [{
      indexName: 'byStatus', partitionKey: { name: 'status', type: AttributeType.STRING }, projection: IndexProjection.include(['title']),
    }],
  });
  [table] = await createTablesFromTemplate(client, Template.fromStack(stack).toJSON());
  for (let i = 0; i < 10; i++) {
    await put(itemOf('Q4', `${i}`, 4 * KB));
    await put(itemOf('Q1', `${i}`, KB));
  }
  await put(itemOf('G', '10KB', 10 * KB));
});

afterAll(async () => {
  client?.destroy();
  await local?.stop();
});

describe('writes', () => {
  test.each([[3 * KB], [3 * KB + 1], [KB], [100]])('PutItem of %d bytes', async (bytes) => {
    const result = await put(itemOf('P', `${bytes}`, bytes));
    expect(units(result.ConsumedCapacity)).toBe(calc({ operation: CapacityOperation.PUT_ITEM, itemSizeBytes: bytes }).writeCapacityUnits);
  });

  test('item size: numbers, lists, maps, sets, booleans and nulls count as DynamoDB counts them (1,024 bytes is 1 unit, 1,025 is 2)', async () => {
    const extra = {
      n: 12345.678,
      d: 0.1234,
      e: 1.23e-7,
      zero: 0,
      neg: -42,
      l: ['a', 1, true],
      m: { k: 'v', z: null, deep: { x: [1, 2] } },
      ss: new Set(['a', 'bc']),
      ns: new Set([1, 22]),
    };
    for (const bytes of [KB, KB + 1]) {
      const result = await put(itemOf('S', `${bytes}`, bytes, extra));
      expect(units(result.ConsumedCapacity)).toBe(CapacityCalculator.writeUnits(bytes, false));
    }
  });

  test('UpdateItem costs the larger of the item before and after', async () => {
    await put(itemOf('U', '1', 3 * KB));
    const result = await client.send(new UpdateItemCommand({
      TableName: table.tableName,
      Key: key('U', '1'),
      UpdateExpression: 'SET #p = :p',
      ExpressionAttributeNames: { '#p': 'padding' },
      ExpressionAttributeValues: marshall({ ':p': 'x' }),
      ReturnConsumedCapacity: 'TOTAL',
    }));
    const after = ItemSize.ofItem({ PK: 'U', SK: '1', padding: 'x' });
    expect(units(result.ConsumedCapacity))
      .toBe(calc({ operation: CapacityOperation.UPDATE_ITEM, itemSizeBytes: after, previousItemSizeBytes: 3 * KB }).writeCapacityUnits);
  });

  test('DeleteItem costs the deleted item, and at least one unit', async () => {
    await put(itemOf('D', '1', 2 * KB + 10));
    const deleted = await client.send(new DeleteItemCommand({ TableName: table.tableName, Key: key('D', '1'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(units(deleted.ConsumedCapacity)).toBe(calc({ operation: CapacityOperation.DELETE_ITEM, itemSizeBytes: 2 * KB + 10 }).writeCapacityUnits);
    const missing = await client.send(new DeleteItemCommand({ TableName: table.tableName, Key: key('D', 'none'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(units(missing.ConsumedCapacity)).toBe(calc({ operation: CapacityOperation.DELETE_ITEM, itemSizeBytes: 0 }).writeCapacityUnits);
  });

  test('BatchWriteItem costs the sum of its writes', async () => {
    const sizes = [3 * KB, KB + 1, 100];
    const result = await client.send(new BatchWriteItemCommand({
      RequestItems: { [table.tableName]: sizes.map((s, i) => ({ PutRequest: { Item: marshall(itemOf('BW', `${i}`, s)) } })) },
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(units(result.ConsumedCapacity)).toBe(calc({ operation: CapacityOperation.BATCH_WRITE_ITEM, itemSizesBytes: sizes }).writeCapacityUnits);
  });
});

describe('index write amplification', () => {
  const perIndex = (result: { ConsumedCapacity?: ConsumedCapacity }) => ({
    table: result.ConsumedCapacity?.Table?.CapacityUnits,
    byStatus: result.ConsumedCapacity?.GlobalSecondaryIndexes?.byStatus?.CapacityUnits ?? 0,
  });
  const expected = (props: Parameters<typeof IndexWriteAmplification.forTable>[1]) => {
    const costs = IndexWriteAmplification.forTable(table.definition, props).costs;
    return { table: costs[0].writeCapacityUnits, byStatus: costs.find((c) => c.indexName === 'byStatus')!.writeCapacityUnits };
  };
  const task = itemOf('I', '1', 3 * KB, { status: 'OPEN', title: 'Write the report' });

  test('a put writes the table and the index entry', async () => {
    expect(perIndex(await put(task))).toEqual(expected({ kind: ItemWriteKind.INSERT, item: task }));
  });

  test('an item without the index key is not written to the sparse index', async () => {
    const untracked = itemOf('I', '2', 2 * KB);
    expect(perIndex(await put(untracked))).toEqual(expected({ kind: ItemWriteKind.INSERT, item: untracked }));
  });

  test('an update of a projected attribute is one index write', async () => {
    const result = await client.send(new UpdateItemCommand({
      TableName: table.tableName,
      Key: key('I', '1'),
      UpdateExpression: 'SET #t = :t',
      ExpressionAttributeNames: { '#t': 'title' },
      ExpressionAttributeValues: marshall({ ':t': 'Write the final report' }),
      ReturnConsumedCapacity: 'INDEXES',
    }));
    const after = { ...task, title: 'Write the final report' };
    expect(perIndex(result)).toEqual(expected({ kind: ItemWriteKind.UPDATE, item: after, changedAttributes: ['title'] }));
  });

  test('an update of the index key is a delete plus a put in the index', async () => {
    const result = await client.send(new UpdateItemCommand({
      TableName: table.tableName,
      Key: key('I', '1'),
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: marshall({ ':s': 'DONE' }),
      ReturnConsumedCapacity: 'INDEXES',
    }));
    const after = { ...task, title: 'Write the final report', status: 'DONE' };
    expect(perIndex(result)).toEqual(expected({ kind: ItemWriteKind.UPDATE, item: after, changedAttributes: ['status'] }));
    expect(perIndex(result).byStatus).toBe(2);
  });

  test('a delete removes the index entry', async () => {
    const result = await client.send(new DeleteItemCommand({ TableName: table.tableName, Key: key('I', '1'), ReturnConsumedCapacity: 'INDEXES' }));
    const deleted = { ...task, title: 'Write the final report', status: 'DONE' };
    expect(perIndex(result)).toEqual(expected({ kind: ItemWriteKind.DELETE, item: deleted }));
  });
});

describe('reads', () => {
  test.each([[ReadConsistency.STRONG], [ReadConsistency.EVENTUAL]])('GetItem of 10 KB, %s', async (consistency) => {
    const result = await client.send(new GetItemCommand({
      TableName: table.tableName, Key: key('G', '10KB'), ConsistentRead: consistency === ReadConsistency.STRONG, ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(units(result.ConsumedCapacity))
      .toBe(calc({ operation: CapacityOperation.GET_ITEM, itemSizeBytes: 10 * KB, consistency }).readCapacityUnits);
  });

  test('GetItem of a missing item costs the minimum read', async () => {
    const result = await client.send(new GetItemCommand({ TableName: table.tableName, Key: key('G', 'none'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(units(result.ConsumedCapacity)).toBe(calc({ operation: CapacityOperation.GET_ITEM, itemSizeBytes: 0 }).readCapacityUnits);
  });

  test.each([
    ['Q4', 4 * KB, ReadConsistency.EVENTUAL],
    ['Q4', 4 * KB, ReadConsistency.STRONG],
    ['Q1', KB, ReadConsistency.EVENTUAL],
  ])('Query of ten items of partition %s (%d bytes each), %s: summed, then rounded', async (pk, bytes, consistency) => {
    const result = await client.send(new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: marshall({ ':pk': pk }),
      ConsistentRead: consistency === ReadConsistency.STRONG,
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(result.Count).toBe(10);
    expect(units(result.ConsumedCapacity))
      .toBe(calc({ operation: CapacityOperation.QUERY, itemSizeBytes: bytes, items: 10, consistency }).readCapacityUnits);
  });

  test('Scan sums every item it reads', async () => {
    const result = await client.send(new ScanCommand({ TableName: table.tableName, ReturnConsumedCapacity: 'TOTAL' }));
    const sizes = result.Items!.map((i) => ItemSize.ofAttributeValues(i));
    expect(result.LastEvaluatedKey).toBeUndefined();
    expect(units(result.ConsumedCapacity)).toBe(calc({ operation: CapacityOperation.SCAN, itemSizesBytes: sizes }).readCapacityUnits);
  });

  test.each([[ReadConsistency.EVENTUAL], [ReadConsistency.STRONG]])('BatchGetItem rounds every item on its own, %s', async (consistency) => {
    const result = await client.send(new BatchGetItemCommand({
      RequestItems: {
        [table.tableName]: { Keys: Array.from({ length: 10 }, (_, i) => key('Q1', `${i}`)), ConsistentRead: consistency === ReadConsistency.STRONG },
      },
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(units(result.ConsumedCapacity))
      .toBe(calc({ operation: CapacityOperation.BATCH_GET_ITEM, itemSizeBytes: KB, items: 10, consistency }).readCapacityUnits);
  });

  test.each([['Q4', 4 * KB], ['Q1', KB]])('TransactGetItems of ten items of partition %s is twice a strong read each', async (pk, bytes) => {
    const result = await client.send(new TransactGetItemsCommand({
      TransactItems: Array.from({ length: 10 }, (_, i) => ({ Get: { TableName: table.tableName, Key: key(pk, `${i}`) } })),
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(units(result.ConsumedCapacity))
      .toBe(calc({ operation: CapacityOperation.TRANSACT_GET_ITEMS, itemSizeBytes: bytes, items: 10 }).readCapacityUnits);
  });
});
