import {
  HeatForecast, HeatLevel, KeyDistribution, PartitionLimits, ReadConsistency, TableDefinition, TableDefinitions, TimeBucket,
} from '../../src';
import { writeTrafficErrors } from '../../src/access-patterns/traffic-checks';

const S = (name: string) => ({ AttributeName: name, AttributeType: 'S' });

/**
 * An orders table as CloudFormation declares it: PK/SK, a status index projecting three attributes, an ALL
 * index by city, a KEYS_ONLY index the writes below never carry, and optionally a local index.
 */
function ordersTable(withLocalIndex = false): TableDefinition {
  return TableDefinitions.fromResource('Orders', {
    Type: 'AWS::DynamoDB::GlobalTable',
    Properties: {
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      AttributeDefinitions: [S('PK'), S('SK'), S('GSI1PK'), S('city'), S('sku'), S('updatedAt')],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'GSI1PK', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'total'] } },
        { IndexName: 'byCity', KeySchema: [{ AttributeName: 'city', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'bySku', KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
      LocalSecondaryIndexes: withLocalIndex
        ? [{ IndexName: 'byUpdated', KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'updatedAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }]
        : undefined,
      Replicas: [{ Region: 'us-east-1' }],
    },
  });
}

describe('one key (forKey)', () => {
  test('uniform: 1,000 writes/s of 1 KB over 4 values = 250 WCU/s; 2,000 eventual reads/s of 4 KB = 500 x 0.5 = 250 RCU/s', () => {
    const h = HeatForecast.forKey({ writesPerSecond: 1000, readsPerSecond: 2000, itemSizeBytes: 4096, distribution: KeyDistribution.uniform(4) });
    // A 4 KB item is 4 write units: 250 writes/s x 4 = 1,000 WCU/s; with 1 KB items, 250 WCU/s.
    expect(h.hottest.readUnitsPerSecond).toBe(250);
    expect(h.hottest.writeUnitsPerSecond).toBe(1000);
    const small = HeatForecast.forKey({ writesPerSecond: 1000, itemSizeBytes: 1024, distribution: KeyDistribution.uniform(4) });
    expect(small.hottest.writeUnitsPerSecond).toBe(250);
    expect(small.shardsNeeded).toBe(1);
    expect(small.level).toBe(HeatLevel.OK);
    expect(small.findings).toEqual([]);
  });

  test('hottest share: 2,000 writes/s x 50% x 1 WCU = 1,000 WCU/s, at the hard limit (a warning, not an error); 1,000 / 800 -> 2 shards', () => {
    const h = HeatForecast.forKey({ writesPerSecond: 2000, itemSizeBytes: 1024, distribution: KeyDistribution.hottestShare(0.5, 3) });
    expect(h.hottest.writeUnitsPerSecond).toBe(1000);
    expect(h.writeUnitsLimit).toBe(800);
    expect(h.shardsNeeded).toBe(2);
    expect(h.level).toBe(HeatLevel.WARNING);
    // The other two values take (1 - 0.5) / 2 = 25% each: 500 WCU/s.
    expect(h.valueLoads.map((v) => v.writeUnitsPerSecond)).toEqual([1000, 500, 500]);
  });

  test('Zipf over 4 values, s = 1: 12/25 = 48% of 1,000 writes/s of a 2 KB item (2 WCU) = 960 WCU/s -> 2 shards', () => {
    const h = HeatForecast.forKey({ writesPerSecond: 1000, itemSizeBytes: 2048, distribution: KeyDistribution.zipf(4, 1) });
    expect(h.hottest.writeUnitsPerSecond).toBeCloseTo(960, 9);
    expect(h.shardsNeeded).toBe(2);
    // 12/25, 6/25, 4/25, 3/25 of 2,000 WCU/s.
    expect(h.valueLoads.map((v) => v.writeUnitsPerSecond)).toEqual([960, 480, 320, 240].map((x) => expect.closeTo(x, 9)));
  });

  test('a time bucket: 300 writes/s of 3 KB all on today = 900 WCU/s; at peak factor 2, 1,800 > 1,000 is an error, 1,800 / 800 = 2.25 -> 3 shards', () => {
    const day = KeyDistribution.timeBucket(TimeBucket.DAY);
    const average = HeatForecast.forKey({ writesPerSecond: 300, itemSizeBytes: 3 * 1024, distribution: day });
    expect(average.hottest.writeUnitsPerSecond).toBe(900);
    expect(average.level).toBe(HeatLevel.WARNING);
    const peak = HeatForecast.forKey({ writesPerSecond: 300, peakFactor: 2, itemSizeBytes: 3 * 1024, distribution: day });
    expect(peak.hottest.writeUnitsPerSecond).toBe(1800);
    expect(peak.level).toBe(HeatLevel.ERROR);
    expect(peak.shardsNeeded).toBe(3);
    expect(peak.findings[0]).toMatch(/takes 1,800 write units per second at peak, above the 1,000 one partition serves/);
  });

  test('the shard count at the boundary: 2,400 WCU/s / 800 = exactly 3 shards; 2,401 needs 4; at 50% utilization 2,400 / 500 = 4.8 -> 5', () => {
    const one = KeyDistribution.uniform(1);
    expect(HeatForecast.forKey({ writesPerSecond: 2400, itemSizeBytes: 1024, distribution: one }).shardsNeeded).toBe(3);
    expect(HeatForecast.forKey({ writesPerSecond: 2401, itemSizeBytes: 1024, distribution: one }).shardsNeeded).toBe(4);
    expect(HeatForecast.forKey({ writesPerSecond: 2400, itemSizeBytes: 1024, distribution: one, utilization: 0.5 }).shardsNeeded).toBe(5);
    // 800 WCU/s is at the limit, not above it.
    expect(HeatForecast.forKey({ writesPerSecond: 800, itemSizeBytes: 1024, distribution: one }).level).toBe(HeatLevel.OK);
    expect(HeatForecast.forKey({ writesPerSecond: 801, itemSizeBytes: 1024, distribution: one }).level).toBe(HeatLevel.WARNING);
  });

  test('reads over the limit: 10,000 strong reads/s of 4 KB over 2 values = 5,000 RCU/s > 2,400; sharding writes does not help, a cache does', () => {
    const h = HeatForecast.forKey({
      readsPerSecond: 10_000, itemSizeBytes: 4096, consistency: ReadConsistency.STRONG, distribution: KeyDistribution.uniform(2),
    });
    expect(h.hottest.readUnitsPerSecond).toBe(5000);
    expect(h.readsOverLimit).toBe(true);
    expect(h.shardsNeeded).toBe(1);
    expect(h.level).toBe(HeatLevel.ERROR);
    expect(h.findings.join(' ')).toMatch(/Write sharding does not spread reads of one item.*DAX/);
  });

  test('what sharding costs a Query of 50 x 200 B: 10,000 B is 3 x 4 KB x 0.5 = 1.5 RCU; over 10 shards, 10 queries of 5 x 200 B = 10 x 0.5 = 5 RCU', () => {
    // 7,500 writes/s on one value: 7,500 / 800 = 9.4 -> 10 shards.
    const h = HeatForecast.forKey({
      writesPerSecond: 7500, readsPerSecond: 1, itemsPerRead: 50, itemSizeBytes: 200, distribution: KeyDistribution.uniform(1),
    });
    expect(h.shardsNeeded).toBe(10);
    expect(h.readCosts).toEqual([{ pattern: 'reads', operation: 'Query', shards: 10, queriesPerCall: 10, readUnitsPerCall: 5, unshardedReadUnitsPerCall: 1.5 }]);
  });

  test.each([
    ['no reads or writes', { itemSizeBytes: 1024, distribution: KeyDistribution.uniform(2) }, /`readsPerSecond` and `writesPerSecond` are both 0/],
    ['a negative rate', { writesPerSecond: -1, itemSizeBytes: 1024, distribution: KeyDistribution.uniform(2) }, /`requestsPerSecond` is -1/],
    ['a peak factor below 1', { writesPerSecond: 1, peakFactor: 0.5, itemSizeBytes: 1024, distribution: KeyDistribution.uniform(2) }, /`peakFactor` is 0.5: it is the busiest second over the average, a number from 1/],
    ['a utilization above 1', { writesPerSecond: 1, itemSizeBytes: 1024, distribution: KeyDistribution.uniform(2), utilization: 1.2 }, /`utilization` is 1.2: it is the share of a partition's limits/],
    ['an item over 400 KB', { writesPerSecond: 1, itemSizeBytes: 500 * 1024, distribution: KeyDistribution.uniform(2) }, /DynamoDB items are at most 400 KB/],
    ['no distribution', { writesPerSecond: 1, itemSizeBytes: 1024 } as any, /`distribution` is undefined: use a KeyDistribution factory/],
  ])('fails on %s', (_why, props, message) => {
    expect(() => HeatForecast.forKey(props as any)).toThrow(message);
  });
});

describe('a table (forTable)', () => {
  test('GSI amplification: 1,500 writes/s of a 2.5 KB item (3 WCU) are a 300 B write (1 WCU) to byStatus and a 2.5 KB one (3 WCU) to the ALL index', () => {
    const f = HeatForecast.forTable(ordersTable(), [], [{
      name: 'placeOrder',
      traffic: { requestsPerSecond: 1500, distribution: KeyDistribution.uniform(1_000_000) },
      itemSizeBytes: 2560,
      indexes: [
        { indexName: 'byStatus', distribution: KeyDistribution.hottestShare(0.6, 5), entrySizeBytes: 300 },
        { indexName: 'byCity', distribution: KeyDistribution.hottestShare(0.6, 5) },
      ],
    }]);
    const [table, byStatus, byCity, bySku] = f.keys;
    expect(f.keys.map((k) => k.target)).toEqual(['(table)', 'byStatus', 'byCity', 'bySku']);
    // Table: 1,500 x 1/1,000,000 x 3 WCU.
    expect(table.hottest.writeUnitsPerSecond).toBeCloseTo(0.0045, 12);
    // byStatus: 1,500 x 60% x 1 WCU = 900 > 800: a warning, 900 / 800 -> 2 shards.
    expect(byStatus.hottest.writeUnitsPerSecond).toBeCloseTo(900, 9);
    expect([byStatus.level, byStatus.shardsNeeded]).toEqual([HeatLevel.WARNING, 2]);
    // byCity projects ALL, so its entry is the whole 2.5 KB item: 1,500 x 60% x 3 = 2,700 > 1,000: an error; 2,700 / 800 = 3.4 -> 4.
    expect(byCity.hottest.writeUnitsPerSecond).toBeCloseTo(2700, 9);
    expect([byCity.level, byCity.shardsNeeded]).toEqual([HeatLevel.ERROR, 4]);
    expect(byCity.findings[0]).toMatch(/city on global secondary index byCity takes 2,700 write units per second at peak.*write-shard city into 4 values/);
    // The item carries no sku: the sparse index is not written.
    expect(bySku.loads).toEqual([]);
    expect(bySku.hottest.writeUnitsPerSecond).toBe(0);
  });

  test('declared shards: 12,500 writes/s x 60% = 7,500 WCU/s on one status; 10 shards take 750 each (OK), 9 take 833 (> 800)', () => {
    const forecast = (shards: number) => HeatForecast.forTable(ordersTable(), [{
      name: 'ordersByStatus',
      index: 'byStatus',
      partitionKey: 'GSI1PK',
      partitionKeyShards: shards,
      typicalResultItems: 50,
      typicalItemSizeBytes: 200,
      traffic: { requestsPerSecond: 20, distribution: KeyDistribution.hottestShare(0.6, 5) },
    }], [{
      name: 'orderWrites',
      traffic: { requestsPerSecond: 2500, peakFactor: 5, distribution: KeyDistribution.uniform(1_000_000) },
      indexes: [{ indexName: 'byStatus', distribution: KeyDistribution.hottestShare(0.6, 5), entrySizeBytes: 200, partitionKeyShards: shards }],
    }]).keys[1];
    const ten = forecast(10);
    expect(ten.hottest.writeUnitsPerSecond).toBeCloseTo(7500, 9);
    expect(ten.hottestKey.writeUnitsPerSecond).toBeCloseTo(750, 9);
    expect([ten.partitionKeyShards, ten.shardsNeeded, ten.level]).toEqual([10, 10, HeatLevel.OK]);
    // Reads: 20/s x 60% = 12 queries/s; on each shard 5 x 200 B = 0.5 RCU: 6 RCU/s; unsharded 12 x 1.5 = 18.
    expect(ten.hottest.readUnitsPerSecond).toBeCloseTo(18, 9);
    expect(ten.hottestKey.readUnitsPerSecond).toBeCloseTo(6, 9);
    expect(ten.readCosts).toEqual([{ pattern: 'ordersByStatus', operation: 'Query', shards: 10, queriesPerCall: 10, readUnitsPerCall: 5, unshardedReadUnitsPerCall: 1.5 }]);
    const nine = forecast(9);
    expect(nine.hottestKey.writeUnitsPerSecond).toBeCloseTo(7500 / 9, 9);
    expect(nine.level).toBe(HeatLevel.WARNING);
    expect(nine.findings[0]).toMatch(/raise `partitionKeyShards` of GSI1PK from 9 to 10/);
  });

  test('LSI collection: 600 writes/s of 1 KB to one tenant are 600 WCU/s on the table and 600 more in the local index, on the same partition', () => {
    const oneTenant = KeyDistribution.hottestShare(1);
    const write = { name: 'saveItem', traffic: { requestsPerSecond: 600, distribution: oneTenant } };
    const withoutIndexEntry = HeatForecast.forTable(ordersTable(true), [], [write]).keys[0];
    expect(withoutIndexEntry.hottest.writeUnitsPerSecond).toBe(600);
    expect(withoutIndexEntry.level).toBe(HeatLevel.OK);
    const table = HeatForecast.forTable(ordersTable(true), [{
      name: 'recentlyUpdated', index: 'byUpdated', partitionKey: 'PK', traffic: { requestsPerSecond: 100, distribution: oneTenant },
    }], [{ ...write, indexes: [{ indexName: 'byUpdated' }] }]).keys[0];
    // KEYS_ONLY entries are taken as at most 1 KB: 1 WCU each. 600 + 600 = 1,200 > 1,000.
    expect(table.hottest.writeUnitsPerSecond).toBe(1200);
    expect(table.itemCollectionOnOnePartition).toBe(true);
    expect(table.level).toBe(HeatLevel.ERROR);
    expect(table.shardsNeeded).toBe(2);
    expect(table.loads.map((l) => [l.source, l.kind, l.via])).toEqual([['recentlyUpdated', 'READ', 'byUpdated'], ['saveItem', 'WRITE', '(table)'], ['saveItem', 'WRITE', 'byUpdated']]);
    // The LSI's reads land on the table's key too: 100 Queries/s of 10 x 1 KB = 3 x 4 KB x 0.5 = 1.5 RCU each.
    expect(table.hottest.readUnitsPerSecond).toBe(150);
    expect(table.findings[0]).toMatch(/local secondary index, so each item collection stays on one partition: neither adaptive capacity nor split for heat can spread it/);
  });

  test('the limits are the guideline: 3,000 RCU and 1,000 WCU per second, 80% by default', () => {
    const { READ_UNITS_PER_SECOND, WRITE_UNITS_PER_SECOND, DEFAULT_UTILIZATION } = PartitionLimits;
    expect([READ_UNITS_PER_SECOND, WRITE_UNITS_PER_SECOND, DEFAULT_UTILIZATION]).toEqual([3000, 1000, 0.8]);
    const f = HeatForecast.forTable(ordersTable(), [], [], { utilization: 0.5 });
    expect([f.keys[0].readUnitsLimit, f.keys[0].writeUnitsLimit]).toEqual([1500, 500]);
  });

  test('write traffic errors: an unknown index, a global index without a distribution, a local index with one', () => {
    const errors = writeTrafficErrors(ordersTable(true), [{
      name: 'w',
      traffic: { requestsPerSecond: 1, distribution: KeyDistribution.uniform(10) },
      indexes: [
        { indexName: 'byNothing', distribution: KeyDistribution.uniform(2) },
        { indexName: 'byStatus' },
        { indexName: 'byUpdated', distribution: KeyDistribution.uniform(2) },
      ],
    }]);
    expect(errors).toEqual([
      expect.stringMatching(/^Write traffic 'w', `indexes\[0\]`: `indexName` is 'byNothing', which is not an index of table Orders \(its indexes: byStatus, byCity, bySku, byUpdated\)/),
      expect.stringMatching(/`indexes\[1\]`: global secondary index byStatus has no `distribution`: say how the writes spread over its partition key GSI1PK/),
      expect.stringMatching(/`indexes\[2\]`: local secondary index byUpdated sets `distribution` or `partitionKeyShards`, but a local index shares the table's partition key PK/),
    ]);
    expect(() => HeatForecast.forTable(ordersTable(true), [], [{ name: 'w', traffic: { requestsPerSecond: 1, distribution: KeyDistribution.uniform(10) }, indexes: [{ indexName: 'byStatus' }] }]))
      .toThrow(/has no `distribution`/);
  });
});
