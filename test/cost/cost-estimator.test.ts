import { CapacityMode, CostEstimator, CostWorkloadProps, HOURS_PER_MONTH, PriceTable } from '../../src';

const PRICES = PriceTable.builtIn().forRegion('us-east-1');
const SECONDS = HOURS_PER_MONTH * 3600;
const KB = 1024;

/** A workload with nothing but what the test sets: no storage, no PITR. */
const bare = (props: Partial<CostWorkloadProps>): CostWorkloadProps => ({
  readsPerSecond: 0, writesPerSecond: 0, itemSizeBytes: KB, pointInTimeRecovery: false, ...props,
});

describe('on-demand', () => {
  test('writes are priced per million write request units', () => {
    const e = CostEstimator.estimate(bare({ writesPerSecond: 10 }));
    expect(e.onDemand.writeCost).toBeCloseTo(10 * SECONDS * PRICES.onDemandWritePerMillion / 1e6, 2);
    expect(e.onDemand.readCost).toBe(0);
  });

  test('reads follow the consistency mix: eventual half, strong full', () => {
    const eventual = CostEstimator.estimate(bare({ readsPerSecond: 100, itemSizeBytes: 4 * KB }));
    const strong = CostEstimator.estimate(bare({ readsPerSecond: 100, itemSizeBytes: 4 * KB, stronglyConsistentReadShare: 1 }));
    expect(eventual.readUnitsPerSecond).toBe(50);
    expect(strong.readUnitsPerSecond).toBe(100);
    expect(strong.onDemand.readCost).toBeCloseTo(2 * eventual.onDemand.readCost, 1);
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
    expect(e.provisioned.writeCost).toBeCloseTo(100 * HOURS_PER_MONTH * PRICES.provisionedWriteUnitHour, 2);
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
    expect(e.storageGb).toBeCloseTo(1_000_000 * (1000 + 500) / 1024 ** 3, 3);
  });

  test('point-in-time recovery is priced per GB and on by default', () => {
    const withPitr = CostEstimator.estimate({ readsPerSecond: 0, writesPerSecond: 0, itemSizeBytes: KB, storageGb: 100 });
    expect(withPitr.onDemand.pointInTimeRecoveryCost).toBeCloseTo(100 * PRICES.pointInTimeRecoveryGbMonth, 2);
    expect(withPitr.onDemand.storageCost).toBeCloseTo(100 * PRICES.storageGbMonth, 2);
  });

  test('each replica region stores a copy and receives every write', () => {
    const single = CostEstimator.estimate(bare({ writesPerSecond: 10, storageGb: 10 }));
    const global = CostEstimator.estimate(bare({ writesPerSecond: 10, storageGb: 10, replicaRegions: 2 }));
    expect(global.onDemand.storageCost).toBeCloseTo(3 * single.onDemand.storageCost, 2);
    expect(global.onDemand.replicationCost).toBeCloseTo(2 * 10 * SECONDS * PRICES.onDemandReplicatedWritePerMillion / 1e6, 1);
    expect(global.provisioned.replicationCost).toBeGreaterThan(0);
  });
});

describe('break-even and recommendation', () => {
  test('the break-even utilization is the provisioned unit-hour over an hour of on-demand units', () => {
    const e = CostEstimator.estimate(bare({ writesPerSecond: 1 }));
    expect(e.breakEvenUtilizationPercent).toBeCloseTo(100 * PRICES.provisionedWriteUnitHour / (3600 * PRICES.onDemandWritePerMillion / 1e6), 2);
  });

  test('at the break-even traffic both modes cost the same', () => {
    const shape = bare({ readsPerSecond: 50, writesPerSecond: 10, minimumCapacityUnits: 25 });
    const e = CostEstimator.estimate(shape);
    const at = CostEstimator.estimate({ ...shape, readsPerSecond: e.breakEvenReadsPerSecond!, writesPerSecond: e.breakEvenWritesPerSecond! });
    expect(at.onDemandMonthlyCost).toBeCloseTo(at.provisionedMonthlyCost, 0);
    expect(e.breakEvenWritesPerSecond! / e.breakEvenReadsPerSecond!).toBeCloseTo(10 / 50);
  });

  test('steady traffic well above break-even: provisioned', () => {
    const e = CostEstimator.estimate(bare({ readsPerSecond: 1000, writesPerSecond: 200 }));
    expect(e.recommendedMode).toBe(CapacityMode.PROVISIONED);
    expect(e.provisionedMonthlyCost).toBeLessThan(0.85 * e.onDemandMonthlyCost);
    expect(e.reason)
      .toMatch(/^Steady traffic well above the break-even point: provisioned with auto scaling at 70% costs USD [\d.]+ a month against USD [\d.]+ on demand, \d+% less/);
  });

  test('unpredictable traffic: on-demand, whatever the price', () => {
    const e = CostEstimator.estimate(bare({ readsPerSecond: 1000, writesPerSecond: 200, predictableTraffic: false }));
    expect(e.recommendedMode).toBe(CapacityMode.ON_DEMAND);
    expect(e.provisionedMonthlyCost).toBeLessThan(e.onDemandMonthlyCost);
    expect(e.reason).toMatch(/^The traffic is not predictable: auto scaling reacts in minutes/);
  });

  test('traffic below the auto scaling minimums: on-demand costs less', () => {
    const e = CostEstimator.estimate(bare({ readsPerSecond: 0.01, writesPerSecond: 0.01 }));
    expect(e.onDemandMonthlyCost).toBeLessThan(e.provisionedMonthlyCost);
    expect(e.recommendedMode).toBe(CapacityMode.ON_DEMAND);
    expect(e.reason).toMatch(/^On-demand costs less/);
  });

  test('a small saving is not worth provisioning', () => {
    const shape = bare({ readsPerSecond: 50, writesPerSecond: 10, minimumCapacityUnits: 25 });
    const e = CostEstimator.estimate(shape);
    const near = CostEstimator.estimate({
      ...shape, readsPerSecond: e.breakEvenReadsPerSecond! * 1.1, writesPerSecond: e.breakEvenWritesPerSecond! * 1.1,
    });
    expect(near.provisionedMonthlyCost).toBeLessThan(near.onDemandMonthlyCost);
    expect(near.recommendedMode).toBe(CapacityMode.ON_DEMAND);
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
    expect(e.onDemand.writeCost).toBeCloseTo(SECONDS * 2 / 1e6, 2);
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
