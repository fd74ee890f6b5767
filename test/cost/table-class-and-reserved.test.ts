import { BillingMode, TableClass } from 'aws-cdk-lib/aws-dynamodb';
import { CostEstimator, CostWorkloadProps, PriceTable } from '../../src';

/*
 * Worked by hand from the us-east-1 list prices of both table classes:
 *   Standard:    on demand USD 0.625 / 0.125 per million write / read request units; provisioned USD 0.00065 per
 *                WCU-hour, 0.00013 per RCU-hour; storage USD 0.25 and PITR USD 0.20 per GB-month.
 *   Standard-IA: on demand USD 0.78125 / 0.15625; provisioned USD 0.00081 / 0.00016; storage USD 0.10, PITR USD 0.20.
 *   Reserved, per 100 units: 1 year USD 150 + 0.0128/h (WCU), USD 30 + 0.0025/h (RCU);
 *                            3 years USD 180 + 0.0081/h (WCU), USD 36 + 0.0016/h (RCU).
 * A month is 730 hours = 2,628,000 seconds.
 */
const KB = 1024;
const bare = (props: Partial<CostWorkloadProps>): CostWorkloadProps => ({
  readsPerSecond: 0, writesPerSecond: 0, itemSizeBytes: KB, pointInTimeRecovery: false, contributorInsights: false, customerManagedKeys: 0, ...props,
});

describe('a large, rarely read table: 10 reads/s, 5 writes/s of 1 KB, 10,000 GB, PITR on', () => {
  const workload = bare({ readsPerSecond: 10, writesPerSecond: 5, storageGb: 10_000, pointInTimeRecovery: true, predictableTraffic: false });

  test('Standard: USD 2,500 of storage and USD 2,000 of PITR against under USD 10 of throughput', () => {
    const e = CostEstimator.estimate(workload);
    expect(e.tableClass).toBe(TableClass.STANDARD);
    // Reads: 10/s x 0.5 RRU (eventual, 1 KB) x 2,628,000 s = 13.14 million x USD 0.125 = USD 1.6425.
    expect(e.onDemand.readCost).toBe(1.64);
    // Writes: 5/s x 1 WRU x 2,628,000 s = 13.14 million x USD 0.625 = USD 8.2125.
    expect(e.onDemand.writeCost).toBe(8.21);
    expect(e.onDemand.storageCost).toBe(2500);
    expect(e.onDemand.pointInTimeRecoveryCost).toBe(2000);
  });

  test('Standard-IA is recommended: USD 1,497.54 a month less', () => {
    const advice = CostEstimator.estimate(workload).tableClassAdvice!;
    expect(advice.mode).toBe(BillingMode.PAY_PER_REQUEST);
    // Standard: 1.6425 + 8.2125 + 2,500 + 2,000 = 4,509.855.
    expect(advice.standardMonthlyCost).toBeCloseTo(4509.85, 1);
    // Standard-IA: 13.14 x 0.15625 = 2.053 + 13.14 x 0.78125 = 10.266 + 10,000 x 0.10 + 2,000 = 3,012.32.
    expect(advice.infrequentAccessMonthlyCost).toBeCloseTo(3012.32, 1);
    expect(advice.recommendedTableClass).toBe(TableClass.STANDARD_INFREQUENT_ACCESS);
    // Storage share: 2,500 / (2,500 + 9.855) = 99.6%.
    expect(advice.storageSharePercent).toBeCloseTo(99.6, 1);
    expect(advice.reason).toMatch(/^Standard-IA: storage is 100% of the Standard bill/);
  });

  test('the break-even: about 16.4 GB at this traffic, a storage share of 29.4%', () => {
    const advice = CostEstimator.estimate(workload).tableClassAdvice!;
    // Standard-IA's reads and writes cost 25% more: 0.25 x 9.855 = USD 2.464 a month. Each GB saves
    // 0.25 - 0.10 = USD 0.15 (PITR costs the same): 2.464 / 0.15 = 16.4 GB, whose Standard storage is
    // 16.4 x 0.25 = USD 4.11, a share of 4.11 / (4.11 + 9.855) = 29.4% (in general 0.25 / (0.25 + 0.6)).
    expect(advice.breakEvenStorageGb).toBeCloseTo(16.4, 0);
    expect(advice.breakEvenStorageSharePercent).toBeCloseTo(29.4, 0);
  });

  test('priced as Standard-IA, the estimate is the Standard-IA bill and has no reserved capacity', () => {
    const e = CostEstimator.estimate({ ...workload, tableClass: TableClass.STANDARD_INFREQUENT_ACCESS });
    expect(e.tableClass).toBe(TableClass.STANDARD_INFREQUENT_ACCESS);
    expect(e.onDemand.storageCost).toBe(1000);
    expect(e.onDemand.writeCost).toBe(10.27);
    expect(e.onDemand.readCost).toBe(2.05);
    expect(e.reservedCapacity).toEqual([]);
    expect(e.reservedCapacityNote).toMatch(/^None: the estimate is for STANDARD_INFREQUENT_ACCESS\. Reserved capacity covers .* Standard table class/);
  });
});

describe('a small, busy table: 800 reads/s, 400 writes/s of 1 KB, a million items', () => {
  const workload = bare({ readsPerSecond: 800, writesPerSecond: 400, itemCount: 1_000_000 });

  test('Standard is recommended, and Standard-IA would pay only above about 528 GB', () => {
    const e = CostEstimator.estimate(workload);
    expect(e.recommendedMode).toBe(BillingMode.PROVISIONED);
    const advice = e.tableClassAdvice!;
    expect(advice.mode).toBe(BillingMode.PROVISIONED);
    expect(advice.recommendedTableClass).toBe(TableClass.STANDARD);
    // 400 RCU and 400 WCU consumed, provisioned at 70%: 571.43 each.
    // Standard: 571.43 x 730 x (0.00013 + 0.00065) = USD 325.37; Standard-IA: 571.43 x 730 x (0.00016 + 0.00081) = USD 404.63.
    // Storage: 1,000,000 x (1,024 + 100) B = 1.0468 GB: USD 0.26 on Standard, USD 0.10 on Standard-IA.
    expect(advice.standardMonthlyCost).toBeCloseTo(325.37 + 0.26, 1);
    expect(advice.infrequentAccessMonthlyCost).toBeCloseTo(404.63 + 0.10, 1);
    // The premium, 404.63 - 325.37 = USD 79.26, is saved back at 0.15 a GB: 528 GB.
    expect(advice.breakEvenStorageGb).toBeCloseTo(528.4, 0);
    expect(advice.reason).toMatch(/^Standard: storage is 0% of the Standard bill's storage and throughput, below the \d+% at which Standard-IA would pay \(about 528\.\d GB/);
  });

  test('reserved capacity: 5 blocks of each, USD 153.86 a month less on 1 year, USD 219.30 on 3 years', () => {
    const e = CostEstimator.estimate(workload);
    expect(e.provisioned.readCapacityUnits).toBeCloseTo(571.4, 1);
    const [oneYear, threeYears] = e.reservedCapacity;
    // 1 year: 5 x 150 + 5 x 30 = USD 900 upfront; 5 x 0.0128 + 5 x 0.0025 = USD 0.0765 an hour.
    expect(oneYear).toMatchObject({ termYears: 1, readBlocks: 5, writeBlocks: 5, upfrontCost: 900, hourlyCost: 0.0765 });
    // A month: 900 / 12 + 0.0765 x 730 = 75 + 55.845 = 130.845, plus 71.43 unreserved units of each at
    // 730 x 0.00078 = 40.67: USD 171.52 against 325.37, USD 153.86 less.
    expect(oneYear.monthlySavings).toBeCloseTo(153.86, 1);
    expect(oneYear.monthlyCost).toBeCloseTo(e.provisioned.monthlyCost - 153.86, 1);
    // 3 years: 5 x 180 + 5 x 36 = USD 1,080; 5 x 0.0081 + 5 x 0.0016 = USD 0.0485 an hour.
    // A month: 1,080 / 36 + 0.0485 x 730 = 30 + 35.405 = 65.405 + 40.67 = 106.08: USD 219.30 less.
    expect(threeYears).toMatchObject({ termYears: 3, readBlocks: 5, writeBlocks: 5, upfrontCost: 1080, hourlyCost: 0.0485 });
    expect(threeYears.monthlySavings).toBeCloseTo(219.30, 1);
  });

  test('a block pays when used over 46% (1 year) or 23% (3 years) of its term', () => {
    const [oneYear, threeYears] = CostEstimator.estimate(workload).reservedCapacity;
    // Writes, 1 year: (150 / 8,760 + 0.0128) / (100 x 0.00065) = 0.029923 / 0.065 = 46.0%.
    expect(oneYear.writeBreakEvenUtilizationPercent).toBeCloseTo(46.04, 1);
    // Reads, 1 year: (30 / 8,760 + 0.0025) / 0.013 = 45.6%.
    expect(oneYear.readBreakEvenUtilizationPercent).toBeCloseTo(45.57, 1);
    // Writes, 3 years: (180 / 26,280 + 0.0081) / 0.065 = 23.0%; reads: (36 / 26,280 + 0.0016) / 0.013 = 22.8%.
    expect(threeYears.writeBreakEvenUtilizationPercent).toBeCloseTo(23.0, 1);
    expect(threeYears.readBreakEvenUtilizationPercent).toBeCloseTo(22.85, 1);
  });
});

describe('reserved capacity edge cases', () => {
  test('below 100 units there is nothing to reserve, and the note says so', () => {
    const e = CostEstimator.estimate(bare({ readsPerSecond: 10, writesPerSecond: 5 }));
    expect(e.reservedCapacity.every((r) => r.readBlocks === 0 && r.writeBlocks === 0 && r.monthlySavings === 0)).toBe(true);
    expect(e.reservedCapacityNote).toMatch(/^Nothing to reserve: the provisioned capacity \(7\.143 RCU, 7\.143 WCU\) is below one block of 100 units/);
  });

  test('replicated writes are never reserved: the saving is the same with replicas', () => {
    const single = CostEstimator.estimate(bare({ readsPerSecond: 800, writesPerSecond: 400 }));
    const global = CostEstimator.estimate(bare({ readsPerSecond: 800, writesPerSecond: 400, replicaRegions: 2 }));
    expect(global.reservedCapacity[0].monthlySavings).toBe(single.reservedCapacity[0].monthlySavings);
  });

  test('a price table without reserved or Standard-IA prices gives neither, and says so', () => {
    const standardOnly = PriceTable.custom({
      effectiveDate: '2026-12-07',
      source: 'a contract',
      regions: [{ ...PriceTable.builtIn().forRegion('us-east-1'), region: 'eu-west-9', standardInfrequentAccess: undefined, reservedCapacity: undefined }],
    });
    const e = CostEstimator.estimate(bare({ readsPerSecond: 800, writesPerSecond: 400, region: 'eu-west-9', priceTable: standardOnly }));
    expect(e.tableClassAdvice).toBeUndefined();
    expect(e.reservedCapacity).toEqual([]);
    expect(e.reservedCapacityNote).toMatch(/^None: the price table has no reserved capacity prices for eu-west-9/);
    expect(() => CostEstimator.estimate(bare({ region: 'eu-west-9', priceTable: standardOnly, tableClass: TableClass.STANDARD_INFREQUENT_ACCESS })))
      .toThrow('The price table has no `standardInfrequentAccess` prices for eu-west-9, needed for `tableClass` STANDARD_INFREQUENT_ACCESS');
  });

  test('fails on a table class that does not exist', () => {
    expect(() => CostEstimator.estimate(bare({ tableClass: 'GLACIER' as TableClass })))
      .toThrow('`tableClass` is "GLACIER": use one of STANDARD, STANDARD_INFREQUENT_ACCESS.');
  });

  test('fails on a negative Standard-IA or reserved price, naming the field', () => {
    const us = PriceTable.builtIn().forRegion('us-east-1');
    expect(() => PriceTable.custom({ effectiveDate: '2026-12-07', source: 's', regions: [{ ...us, standardInfrequentAccess: { ...us.standardInfrequentAccess!, storageGbMonth: -1 } }] }))
      .toThrow('`regions[0].standardInfrequentAccess.storageGbMonth` of us-east-1 is -1');
    expect(() => PriceTable.custom({
      effectiveDate: '2026-12-07', source: 's', regions: [{ ...us, reservedCapacity: { oneYear: { ...us.reservedCapacity!.oneYear!, writeHourlyPer100Units: Number.NaN } } }],
    })).toThrow('`regions[0].reservedCapacity.oneYear.writeHourlyPer100Units` of us-east-1 is null');
  });
});
