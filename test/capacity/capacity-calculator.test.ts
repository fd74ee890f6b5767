import { REFERENCE_CASES } from './reference-cases';
import { CapacityCalculator, CapacityOperation, OperationCapacityProps, ReadConsistency } from '../../src';

const KB = 1024;
const calculate = (props: OperationCapacityProps) => CapacityCalculator.forOperation(props);

describe('the reference answers', () => {
  test.each(REFERENCE_CASES.map((c) => [c.source, c] as const))('%s', (_source, c) => {
    const result = CapacityCalculator.forOperation(c.props);
    expect(result.readCapacityUnits).toBe(c.readCapacityUnits);
    expect(result.writeCapacityUnits).toBe(c.writeCapacityUnits);
  });
});

describe('reads', () => {
  test('a Query sums the sizes of all items, then rounds up to 4 KB once', () => {
    // Ten 1 KB items: 10 KB rounds up to 12 KB, 3 blocks, eventual = 1.5. Item by item it would be 10 x 0.5 = 5.
    const query = CapacityCalculator.forOperation({ operation: CapacityOperation.QUERY, itemSizeBytes: KB, items: 10 });
    expect(query.readCapacityUnits).toBe(1.5);
    expect(query.totalSizeBytes).toBe(10 * KB);
  });

  test('a Scan is rounded like a Query', () => {
    // 100 items of 100 bytes = 10,000 bytes, rounded up to 3 blocks of 4,096 bytes: 3 RCU strongly consistent.
    expect(calculate({ operation: CapacityOperation.SCAN, itemSizeBytes: 100, items: 100, consistency: ReadConsistency.STRONG }).readCapacityUnits)
      .toBe(3);
  });

  test('BatchGetItem rounds every item up to 4 KB on its own', () => {
    const batch = CapacityCalculator.forOperation({ operation: CapacityOperation.BATCH_GET_ITEM, itemSizeBytes: KB, items: 10 });
    expect(batch.readCapacityUnits).toBe(5);
  });

  test('items of different sizes are listed one by one', () => {
    const sizes = [KB, 5 * KB, 9 * KB];
    const batch = calculate({ operation: CapacityOperation.BATCH_GET_ITEM, itemSizesBytes: sizes, consistency: ReadConsistency.STRONG });
    expect(batch.readCapacityUnits).toBe(1 + 2 + 3);
    expect(batch.items).toBe(3);
  });

  test('an empty result or a missing item still costs the minimum read', () => {
    expect(CapacityCalculator.forOperation({ operation: CapacityOperation.GET_ITEM, itemSizeBytes: 0 }).readCapacityUnits).toBe(0.5);
    expect(calculate({ operation: CapacityOperation.QUERY, itemSizeBytes: 0, consistency: ReadConsistency.STRONG }).readCapacityUnits)
      .toBe(1);
  });

  test('a 4 KB boundary: 4,096 bytes is one block, 4,097 is two', () => {
    expect(CapacityCalculator.readUnits(4096, ReadConsistency.STRONG)).toBe(1);
    expect(CapacityCalculator.readUnits(4097, ReadConsistency.STRONG)).toBe(2);
  });

  test('a Query reading a GSI is eventually consistent by default', () => {
    const gsi = CapacityCalculator.forOperation({ operation: CapacityOperation.QUERY, itemSizeBytes: 4 * KB, readsGlobalSecondaryIndex: true });
    expect(gsi.consistency).toBe(ReadConsistency.EVENTUAL);
    expect(gsi.readCapacityUnits).toBe(0.5);
  });
});

describe('writes', () => {
  test('an update costs the larger of the item before and after', () => {
    const grow = CapacityCalculator.forOperation({ operation: CapacityOperation.UPDATE_ITEM, itemSizeBytes: 3 * KB, previousItemSizeBytes: KB });
    const shrink = CapacityCalculator.forOperation({ operation: CapacityOperation.UPDATE_ITEM, itemSizeBytes: KB, previousItemSizeBytes: 3 * KB });
    expect(grow.writeCapacityUnits).toBe(3);
    expect(shrink.writeCapacityUnits).toBe(3);
  });

  test('a delete costs the size of the deleted item, at least 1 WCU', () => {
    expect(CapacityCalculator.forOperation({ operation: CapacityOperation.DELETE_ITEM, itemSizeBytes: 2 * KB + 1 }).writeCapacityUnits).toBe(3);
    expect(CapacityCalculator.forOperation({ operation: CapacityOperation.DELETE_ITEM, itemSizeBytes: 0 }).writeCapacityUnits).toBe(1);
  });

  test('a 1 KB boundary: 1,024 bytes is one unit, 1,025 is two', () => {
    expect(CapacityCalculator.writeUnits(1024, false)).toBe(1);
    expect(CapacityCalculator.writeUnits(1025, false)).toBe(2);
    expect(CapacityCalculator.writeUnits(1025, true)).toBe(4);
  });

  test('TransactWriteItems doubles every item', () => {
    expect(CapacityCalculator.forOperation({ operation: CapacityOperation.TRANSACT_WRITE_ITEMS, itemSizesBytes: [KB, 2 * KB] }).writeCapacityUnits)
      .toBe(6);
  });

  test('a 400 KB item is allowed', () => {
    expect(CapacityCalculator.forOperation({ operation: CapacityOperation.PUT_ITEM, itemSizeBytes: 400 * KB }).writeCapacityUnits).toBe(400);
  });
});

describe('errors', () => {
  const calc = (props: any) => () => CapacityCalculator.forOperation(props);

  test('fails on a negative item size', () => {
    expect(calc({ operation: CapacityOperation.PUT_ITEM, itemSizeBytes: -1 }))
      .toThrow(/`itemSizeBytes` is -1: an item size is a number of bytes of at least 0/);
  });

  test('fails on an item over 400 KB', () => {
    expect(calc({ operation: CapacityOperation.GET_ITEM, itemSizeBytes: 400 * KB + 1 }))
      .toThrow(/`itemSizeBytes` is 409601 bytes .*at most 400 KB \(409600 bytes\).*S3/);
  });

  test('fails on an unknown operation', () => {
    expect(calc({ operation: 'ReadItem', itemSizeBytes: 1 })).toThrow(/`operation` is "ReadItem": it must be one of GetItem, Query, Scan/);
  });

  test('fails on a strongly consistent read of a GSI', () => {
    expect(calc({ operation: CapacityOperation.QUERY, itemSizeBytes: 1, consistency: ReadConsistency.STRONG, readsGlobalSecondaryIndex: true }))
      .toThrow(/`consistency` is STRONG on a global secondary index: DynamoDB rejects strongly consistent reads on a GSI/);
  });

  test('fails on a GSI read by GetItem', () => {
    expect(calc({ operation: CapacityOperation.GET_ITEM, itemSizeBytes: 1, readsGlobalSecondaryIndex: true }))
      .toThrow(/`readsGlobalSecondaryIndex` is set for GetItem: only Query and Scan/);
  });

  test('fails on a consistency for a write', () => {
    expect(calc({ operation: CapacityOperation.PUT_ITEM, itemSizeBytes: 1, consistency: ReadConsistency.STRONG }))
      .toThrow(/`consistency` is STRONG for PutItem, a write/);
  });

  test('fails on an eventual TransactGetItems', () => {
    expect(calc({ operation: CapacityOperation.TRANSACT_GET_ITEMS, itemSizeBytes: 1, consistency: ReadConsistency.EVENTUAL }))
      .toThrow(/`consistency` is EVENTUAL for TransactGetItems/);
  });

  test('fails on a transactional GetItem', () => {
    expect(calc({ operation: CapacityOperation.GET_ITEM, itemSizeBytes: 1, consistency: ReadConsistency.TRANSACTIONAL }))
      .toThrow(/`consistency` is TRANSACTIONAL for GetItem: only TransactGetItems/);
  });

  test('fails on an unknown consistency', () => {
    expect(calc({ operation: CapacityOperation.GET_ITEM, itemSizeBytes: 1, consistency: 'SOMETIMES' }))
      .toThrow(/`consistency` is "SOMETIMES": it must be EVENTUAL or STRONG/);
  });

  test('fails on several items for a single-item operation', () => {
    expect(calc({ operation: CapacityOperation.PUT_ITEM, itemSizeBytes: 1, items: 2 }))
      .toThrow(/`items` is 2 for PutItem.*use BatchWriteItem or TransactWriteItems/);
  });

  test('fails on batches and transactions over their limits', () => {
    expect(calc({ operation: CapacityOperation.BATCH_WRITE_ITEM, itemSizeBytes: 1, items: 26 }))
      .toThrow(/`items` is 26 for BatchWriteItem: one call takes at most 25 items. Split the work into 2 calls/);
    expect(calc({ operation: CapacityOperation.BATCH_GET_ITEM, itemSizeBytes: 1, items: 101 })).toThrow(/at most 100 items/);
    expect(calc({ operation: CapacityOperation.TRANSACT_WRITE_ITEMS, itemSizeBytes: 1, items: 101 })).toThrow(/at most 100 items/);
  });

  test('fails on a non-positive or fractional item count', () => {
    expect(calc({ operation: CapacityOperation.QUERY, itemSizeBytes: 1, items: 0 })).toThrow(/`items` is 0: it must be a whole number of at least 1/);
    expect(calc({ operation: CapacityOperation.QUERY, itemSizeBytes: 1, items: 1.5 })).toThrow(/`items` is 1.5/);
  });

  test('fails without an item size', () => {
    expect(calc({ operation: CapacityOperation.GET_ITEM })).toThrow(/`itemSizeBytes` is required/);
  });

  test('fails on both itemSizesBytes and itemSizeBytes, or an empty list', () => {
    expect(calc({ operation: CapacityOperation.BATCH_GET_ITEM, itemSizeBytes: 1, itemSizesBytes: [1] }))
      .toThrow(/`itemSizesBytes` is set together with `itemSizeBytes` or `items`/);
    expect(calc({ operation: CapacityOperation.BATCH_GET_ITEM, itemSizesBytes: [] })).toThrow(/`itemSizesBytes` is empty/);
    expect(calc({ operation: CapacityOperation.BATCH_GET_ITEM, itemSizesBytes: [1, -2] })).toThrow(/`itemSizesBytes\[1\]` is -2/);
  });

  test('fails on a previous size for anything but an update', () => {
    expect(calc({ operation: CapacityOperation.PUT_ITEM, itemSizeBytes: 1, previousItemSizeBytes: 2 }))
      .toThrow(/`previousItemSizeBytes` is set for PutItem: only UpdateItem/);
  });

  test('fails on a previous size over 400 KB', () => {
    expect(calc({ operation: CapacityOperation.UPDATE_ITEM, itemSizeBytes: 1, previousItemSizeBytes: 500 * KB }))
      .toThrow(/`previousItemSizeBytes` is 512000 bytes/);
  });
});
