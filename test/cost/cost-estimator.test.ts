import { BillingMode } from 'aws-cdk-lib/aws-dynamodb';
import { CostEstimator, CostWorkloadProps, PriceTable } from '../../src';

/*
 * Expected costs are worked by hand from the us-east-1 prices (price-table.test.ts pins them): on demand
 * USD 0.625 per million write and replicated write request units, USD 0.125 per million read request units;
 * provisioned USD 0.00065 per WCU-hour; storage USD 0.25 and point-in-time recovery USD 0.20 per GB-month.
 * A month is 730 hours = 2,628,000 seconds. Costs are rounded to the cent.
 */
const PRICES = PriceTable.builtIn().forRegion('us-east-1');
const KB = 1024;

/** A workload with nothing but what the test sets: no storage, no PITR, no contributor insights, no KMS key. */
const bare = (props: Partial<CostWorkloadProps>): CostWorkloadProps => ({
  readsPerSecond: 0, writesPerSecond: 0, itemSizeBytes: KB, pointInTimeRecovery: false, contributorInsights: false, customerManagedKeys: 0, ...props,
});

describe('on-demand', () => {
  test('writes are priced per million write request units', () => {
    const e = CostEstimator.estimate(bare({ writesPerSecond: 10 }));
    // 10 writes/s of 1 KB = 10 WRU/s x 2,628,000 s = 26.28 million WRU x USD 0.625 = USD 16.425.
    expect(e.onDemand.writeCost).toBe(16.43);
    expect(e.onDemand.readCost).toBe(0);
  });

  test('reads follow the consistency mix: eventual half, strong full', () => {
    const eventual = CostEstimator.estimate(bare({ readsPerSecond: 100, itemSizeBytes: 4 * KB }));
    const strong = CostEstimator.estimate(bare({ readsPerSecond: 100, itemSizeBytes: 4 * KB, stronglyConsistentReadShare: 1 }));
    expect(eventual.readUnitsPerSecond).toBe(50);
    expect(strong.readUnitsPerSecond).toBe(100);
    // Eventual: 100 reads/s of 4 KB x 0.5 = 50 RRU/s x 2,628,000 s = 131.4 million RRU x USD 0.125 = USD 16.425.
    expect(eventual.onDemand.readCost).toBe(16.43);
    // Strong: 100 RRU/s, 262.8 million RRU x USD 0.125 = USD 32.85.
    expect(strong.onDemand.readCost).toBe(32.85);
  });

  test('a Query of several items sums them before rounding', () => {
    expect(CostEstimator.estimate(bare({ readsPerSecond: 1, itemSizeBytes: KB, itemsPerRead: 10 })).readUnitsPerSecond).toBe(1.5);
  });

  test('an index read returns its own number of entries, eventually consistent', () => {
    // 30% of 10 reads/s on the index: 20 entries of 300 B = 6,000 B, 2 blocks, eventual: 1 unit each.
    const e = CostEstimator.estimate(bare({
      readsPerSecond: 10,
      itemSizeBytes: KB,
      stronglyConsistentReadShare: 1,
      indexes: [{ indexName: 'g', entrySizeBytes: 300, readShare: 0.3, itemsPerRead: 20 }],
    }));
    expect(e.readUnitsPerSecond).toBeCloseTo(7 * 1 + 3 * 1);
  });

  test('transactional writes cost twice as much', () => {
    expect(CostEstimator.estimate(bare({ writesPerSecond: 10, transactionalWriteShare: 0.5 })).writeUnitsPerSecond).toBe(15);
  });

  test('every global index write is a write of its entry', () => {
    const e = CostEstimator.estimate(bare({
      writesPerSecond: 10, itemSizeBytes: 3 * KB, indexes: [{ indexName: 'g', entrySizeBytes: 1500, writesPerItemWrite: 2 }],
    }));
    expect(e.writeUnitsPerSecond).toBe(10 * 3 + 10 * 2 * 2);
  });
});

describe('provisioned with auto scaling', () => {
  test('keeps capacity at consumed / target utilization', () => {
    const e = CostEstimator.estimate(bare({ writesPerSecond: 70, targetUtilizationPercent: 70 }));
    expect(e.provisioned.writeCapacityUnits).toBe(100);
    // 70 WCU consumed / 70% = 100 WCU x 730 h x USD 0.00065 = USD 47.45.
    expect(e.provisioned.writeCost).toBe(47.45);
  });

  test('never goes below the minimum, for the table and each global index', () => {
    const e = CostEstimator.estimate(bare({ minimumCapacityUnits: 5, indexes: [{ indexName: 'g', entrySizeBytes: 100 }] }));
    expect(e.provisioned.readCapacityUnits).toBe(10);
    expect(e.provisioned.writeCapacityUnits).toBe(10);
  });

  test('a local index is paid from the table capacity', () => {
    const e = CostEstimator.estimate(bare({ writesPerSecond: 7, indexes: [{ indexName: 'l', entrySizeBytes: 100, local: true }] }));
    expect(e.provisioned.writeCapacityUnits).toBe(20);
    expect(e.provisioned.readCapacityUnits).toBe(1);
  });
});

describe('storage, point-in-time recovery and replicas', () => {
  test('index storage follows the entry size, with 100 bytes of overhead per item', () => {
    const e = CostEstimator.estimate(bare({ itemCount: 1_000_000, itemSizeBytes: 900, indexes: [{ indexName: 'g', entrySizeBytes: 400 }] }));
    // Per item (900 + 100) bytes in the table and (400 + 100) in the index = 1,500 bytes;
    // 1,000,000 items = 1,500,000,000 bytes / 1,073,741,824 = 1.397 GB.
    expect(e.storageGb).toBe(1.397);
  });

  test('point-in-time recovery is priced per GB and on by default', () => {
    const withPitr = CostEstimator.estimate({ readsPerSecond: 0, writesPerSecond: 0, itemSizeBytes: KB, storageGb: 100 });
    // 100 GB x USD 0.20 = USD 20.00 for recovery, 100 GB x USD 0.25 = USD 25.00 for storage.
    expect(withPitr.onDemand.pointInTimeRecoveryCost).toBe(20);
    expect(withPitr.onDemand.storageCost).toBe(25);
  });

  test('each replica region stores a copy and receives every write', () => {
    const single = CostEstimator.estimate(bare({ writesPerSecond: 10, storageGb: 10 }));
    const global = CostEstimator.estimate(bare({ writesPerSecond: 10, storageGb: 10, replicaRegions: 2 }));
    // 10 GB x USD 0.25 = USD 2.50 in one region; three regions store USD 7.50.
    expect(single.onDemand.storageCost).toBe(2.5);
    expect(global.onDemand.storageCost).toBe(7.5);
    // 10 writes/s x 2 replicas = 20 rWRU/s x 2,628,000 s = 52.56 million x USD 0.625 = USD 32.85.
    expect(global.onDemand.replicationCost).toBe(32.85);
    expect(global.provisioned.replicationCost).toBeGreaterThan(0);
  });
});

describe('break-even and recommendation', () => {
  test('the break-even utilization is the provisioned unit-hour over an hour of on-demand units', () => {
    const e = CostEstimator.estimate(bare({ writesPerSecond: 1 }));
    // A WCU-hour costs USD 0.00065; an hour of 1 WRU/s on demand, 3,600 x USD 0.625 / 1,000,000 = USD 0.00225.
    // 0.00065 / 0.00225 = 28.89%.
    expect(e.breakEvenUtilizationPercent).toBeCloseTo(28.889, 3);
  });

  test('at the break-even traffic both modes cost the same', () => {
    const shape = bare({ readsPerSecond: 50, writesPerSecond: 10, minimumCapacityUnits: 25 });
    const e = CostEstimator.estimate(shape);
    const at = CostEstimator.estimate({ ...shape, readsPerSecond: e.breakEvenReadsPerSecond!, writesPerSecond: e.breakEvenWritesPerSecond! });
    expect(at.onDemand.monthlyCost).toBeCloseTo(at.provisioned.monthlyCost, 0);
    expect(e.breakEvenWritesPerSecond! / e.breakEvenReadsPerSecond!).toBeCloseTo(10 / 50);
  });

  test('steady traffic well above break-even: provisioned', () => {
    const e = CostEstimator.estimate(bare({ readsPerSecond: 1000, writesPerSecond: 200 }));
    expect(e.recommendedMode).toBe(BillingMode.PROVISIONED);
    expect(e.provisioned.monthlyCost).toBeLessThan(0.85 * e.onDemand.monthlyCost);
    expect(e.reason)
      .toMatch(/^Steady traffic well above the break-even point: provisioned with auto scaling at 70% costs USD [\d.]+ a month against USD [\d.]+ on demand, \d+% less/);
  });

  test('unpredictable traffic: on-demand, whatever the price', () => {
    const e = CostEstimator.estimate(bare({ readsPerSecond: 1000, writesPerSecond: 200, predictableTraffic: false }));
    expect(e.recommendedMode).toBe(BillingMode.PAY_PER_REQUEST);
    expect(e.provisioned.monthlyCost).toBeLessThan(e.onDemand.monthlyCost);
    expect(e.reason).toMatch(/^The traffic is not predictable: auto scaling reacts in minutes/);
  });

  test('traffic below the auto scaling minimums: on-demand costs less', () => {
    const e = CostEstimator.estimate(bare({ readsPerSecond: 0.01, writesPerSecond: 0.01 }));
    expect(e.onDemand.monthlyCost).toBeLessThan(e.provisioned.monthlyCost);
    expect(e.recommendedMode).toBe(BillingMode.PAY_PER_REQUEST);
    expect(e.reason).toMatch(/^On-demand costs less/);
  });

  test('a small saving is not worth provisioning', () => {
    const shape = bare({ readsPerSecond: 50, writesPerSecond: 10, minimumCapacityUnits: 25 });
    const e = CostEstimator.estimate(shape);
    const near = CostEstimator.estimate({
      ...shape, readsPerSecond: e.breakEvenReadsPerSecond! * 1.1, writesPerSecond: e.breakEvenWritesPerSecond! * 1.1,
    });
    expect(near.provisioned.monthlyCost).toBeLessThan(near.onDemand.monthlyCost);
    expect(near.recommendedMode).toBe(BillingMode.PAY_PER_REQUEST);
    expect(near.reason).toMatch(/^Provisioned would save only \d+% \(below 15%\)/);
  });

  test('a custom price table is used and named', () => {
    const table = PriceTable.custom({
      effectiveDate: '2026-11-01',
      source: 'negotiated',
      currency: 'EUR',
      regions: [{ ...PRICES, region: 'eu-central-1', onDemandWritePerMillion: 2 }],
    });
    const e = CostEstimator.estimate(bare({ writesPerSecond: 1, region: 'eu-central-1', priceTable: table }));
    expect(e).toMatchObject({ region: 'eu-central-1', currency: 'EUR', priceDate: '2026-11-01', priceSource: 'negotiated' });
    // 1 write/s x 2,628,000 s = 2.628 million WRU x EUR 2 = EUR 5.256.
    expect(e.onDemand.writeCost).toBe(5.26);
  });
});

describe('errors', () => {
  const estimate = (props: Partial<CostWorkloadProps>) => () => CostEstimator.estimate(bare(props));

  test('fails on negative rates', () => {
    expect(estimate({ readsPerSecond: -1 })).toThrow(/`readsPerSecond` is -1: it must be a number of at least 0/);
  });

  test('fails without the read and write rates', () => {
    expect(() => CostEstimator.estimate({ itemSizeBytes: KB } as CostWorkloadProps)).toThrow(/`readsPerSecond` and `writesPerSecond` are required/);
  });

  test('fails on an item over 400 KB', () => {
    expect(estimate({ itemSizeBytes: 401 * KB })).toThrow(/`itemSizeBytes` is 410624 bytes/);
  });

  test('fails on a share outside 0..1', () => {
    expect(estimate({ stronglyConsistentReadShare: 1.5 })).toThrow(/`stronglyConsistentReadShare` is 1.5: a share is a number from 0 to 1/);
  });

  test('fails on both storageGb and itemCount', () => {
    expect(estimate({ storageGb: 1, itemCount: 1 })).toThrow(/`storageGb` and `itemCount` are both set/);
  });

  test('fails on a target utilization outside 20..90', () => {
    expect(estimate({ targetUtilizationPercent: 95 }))
      .toThrow(/`targetUtilizationPercent` is 95: DynamoDB auto scaling accepts a target from 20 to 90 percent/);
  });

  test('fails on a fractional minimum', () => {
    expect(estimate({ minimumCapacityUnits: 0.5 })).toThrow(/`minimumCapacityUnits` is 0.5/);
  });

  test('fails on a fractional replica count', () => {
    expect(estimate({ replicaRegions: 1.5 })).toThrow(/`replicaRegions` is 1.5/);
  });

  test('fails on duplicate indexes and impossible index writes or read shares', () => {
    expect(estimate({ indexes: [{ indexName: 'g', entrySizeBytes: 1 }, { indexName: 'g', entrySizeBytes: 1 }] }))
      .toThrow(/`indexes` lists 'g' twice/);
    expect(estimate({ indexes: [{ indexName: 'g', entrySizeBytes: 1, writesPerItemWrite: 3 }] }))
      .toThrow(/`indexes\[0\].writesPerItemWrite` is 3: one item write makes at most 2 index writes/);
    expect(estimate({ indexes: [{ indexName: 'a', entrySizeBytes: 1, readShare: 0.6 }, { indexName: 'b', entrySizeBytes: 1, readShare: 0.6 }] }))
      .toThrow(/`readShare`s add up to 1.2/);
    expect(estimate({ indexes: [{ indexName: '', entrySizeBytes: 1 }] })).toThrow(/`indexes\[0\].indexName` is ""/);
    expect(estimate({ indexes: [{ indexName: 'g', entrySizeBytes: 1, itemsPerRead: 0 }] })).toThrow(/`indexes\[0\].itemsPerRead` is 0/);
  });

  test('fails on a minimum saving outside 0..99', () => {
    expect(estimate({ minimumSavingsPercent: 100 })).toThrow(/`minimumSavingsPercent` is 100/);
  });

  test('fails on a fractional itemsPerRead', () => {
    expect(estimate({ itemsPerRead: 0 })).toThrow(/`itemsPerRead` is 0/);
  });
});

describe('contributor insights and KMS keys, as the BlueprintTable defaults create them', () => {
  // 100 reads/s (20% on byStatus), 10 writes/s of 1 KB items, one GSI without a sort key; a table with one.
  const workload: CostWorkloadProps = {
    readsPerSecond: 100,
    writesPerSecond: 10,
    itemSizeBytes: KB,
    pointInTimeRecovery: false,
    indexes: [{ indexName: 'byStatus', entrySizeBytes: 300, readShare: 0.2, hasSortKey: false }],
  };

  test('on by default: each its own line, the same in both modes, in the total', () => {
    const e = CostEstimator.estimate(workload);
    // Rules: the table (sort key) 4, byStatus 2 = 6 rules x USD 0.50 = 3.00.
    // Events, one per request: table 80 reads + 10 writes, byStatus 20 reads + 10 writes = 120 a second
    //   x 2,628,000 s = 315.36 million x USD 0.03 = 9.4608. Together 12.4608.
    expect(e.contributorInsightsRules).toBe(6);
    expect(e.contributorInsightsMillionEventsPerMonth).toBe(315.36);
    expect(e.onDemand.contributorInsightsCost).toBe(12.46);
    expect(e.provisioned.contributorInsightsCost).toBe(12.46);
    // One key: USD 1.00 a month; one caller: 12 requests an hour x 730 h = 8,760 x USD 0.03 / 10,000 = 0.02628.
    expect(e.customerManagedKeys).toBe(1);
    expect(e.kmsRequestsPerMonth).toBe(8760);
    expect(e.onDemand.encryptionKeyCost).toBe(1.03);
    const without = CostEstimator.estimate({ ...workload, contributorInsights: false, customerManagedKeys: 0 });
    expect(without.onDemand.contributorInsightsCost).toBe(0);
    expect(without.onDemand.encryptionKeyCost).toBe(0);
    // 12.4608 + 1.02628 = 13.48708 more in each mode (to the cent, after each total is rounded).
    expect(e.onDemand.monthlyCost - without.onDemand.monthlyCost).toBeCloseTo(13.49, 1);
    expect(e.provisioned.monthlyCost - without.provisioned.monthlyCost).toBeCloseTo(13.49, 1);
    expect(e.contributorInsightsPriceSource).toBe('dated 2026-12-01, https://aws.amazon.com/cloudwatch/pricing/ (Contributor Insights for DynamoDB, US East, N. Virginia); rules per table and GSI: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/contributorinsights_HowItWorks.html');
    expect(e.encryptionKeyPriceSource).toMatch(/^dated 2026-12-01, https:\/\/aws.amazon.com\/kms\/pricing\//);
  });

  test('with two replica regions: rules in every region, replicated writes, a key per region', () => {
    const e = CostEstimator.estimate({ ...workload, replicaRegions: 2, encryptionKeyCallers: 4 });
    // Rules: 6 in each of 3 regions = 18 x 0.50 = 9.00. Events: 120 a second at home, plus each replica's
    // 10 table and 10 byStatus writes = 20 x 2 = 40: 160 x 2,628,000 = 420.48 million x 0.03 = 12.6144.
    expect(e.contributorInsightsRules).toBe(18);
    expect(e.contributorInsightsMillionEventsPerMonth).toBe(420.48);
    expect(e.onDemand.contributorInsightsCost).toBe(21.61);
    // Keys: 3 x 1.00; requests: 3 keys x 4 callers x 8,760 = 105,120 x 0.03 / 10,000 = 0.31536.
    expect(e.customerManagedKeys).toBe(3);
    expect(e.kmsRequestsPerMonth).toBe(105120);
    expect(e.onDemand.encryptionKeyCost).toBe(3.32);
  });

  test('a table without a sort key and its local index: 2 rules, LSI Queries are the table\'s events, one per request', () => {
    const e = CostEstimator.estimate({
      readsPerSecond: 10,
      writesPerSecond: 0,
      itemSizeBytes: KB,
      itemsPerRead: 20,
      hasSortKey: false,
      pointInTimeRecovery: false,
      customerManagedKeys: 0,
      indexes: [{ indexName: 'byTime', entrySizeBytes: 200, readShare: 0.5, local: true }],
    });
    // 2 rules x 0.50 = 1.00; 10 Queries a second (of 20 items each, one event per request)
    //   x 2,628,000 = 26.28 million x 0.03 = 0.7884: 1.7884.
    expect(e.contributorInsightsRules).toBe(2);
    expect(e.contributorInsightsMillionEventsPerMonth).toBe(26.28);
    expect(e.onDemand.contributorInsightsCost).toBe(1.79);
  });

  test('a price table without contributor insights or KMS prices fails, naming the field and the way out', () => {
    const { contributorInsightsRuleMonth, kmsKeyMonth, ...rest } = PRICES;
    const table = PriceTable.custom({ effectiveDate: '2026-11-01', source: 'negotiated', regions: [{ ...rest, region: 'eu-central-1' }] });
    expect(contributorInsightsRuleMonth).toBe(0.5);
    expect(kmsKeyMonth).toBe(1);
    expect(() => CostEstimator.estimate({ ...workload, region: 'eu-central-1', priceTable: table }))
      .toThrow('The price table has no `contributorInsightsRuleMonth` for eu-central-1, needed for contributor insights (`contributorInsights: false`, --no-contributor-insights)');
    expect(() => CostEstimator.estimate({ ...workload, contributorInsights: false, region: 'eu-central-1', priceTable: table }))
      .toThrow('The price table has no `kmsKeyMonth` for eu-central-1');
    const e = CostEstimator.estimate({ ...workload, contributorInsights: false, customerManagedKeys: 0, region: 'eu-central-1', priceTable: table });
    expect(e.contributorInsightsPriceSource).toBe('dated 2026-11-01, negotiated');
  });

  test('fails on a negative or fractional key count', () => {
    expect(() => CostEstimator.estimate({ ...workload, customerManagedKeys: -1 })).toThrow('`customerManagedKeys` is -1: it must be a whole number of at least 0.');
    expect(() => CostEstimator.estimate({ ...workload, encryptionKeyCallers: 1.5 })).toThrow('`encryptionKeyCallers` is 1.5: it must be a whole number of at least 0.');
  });
});
