import { PriceTable, RegionPrices } from '../../src';

const EU: RegionPrices = {
  region: 'eu-west-1',
  onDemandWritePerMillion: 1,
  onDemandReadPerMillion: 0.2,
  onDemandReplicatedWritePerMillion: 1,
  provisionedWriteUnitHour: 0.001,
  provisionedReadUnitHour: 0.0002,
  provisionedReplicatedWriteUnitHour: 0.001,
  storageGbMonth: 0.3,
  pointInTimeRecoveryGbMonth: 0.24,
};

describe('PriceTable', () => {
  test('the built-in table is dated, sourced and has us-east-1', () => {
    const table = PriceTable.builtIn();
    expect(table.effectiveDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.source).toMatch(/^https:\/\/aws\.amazon\.com\/dynamodb\/pricing\//);
    expect(table.currency).toBe('USD');
    expect(table.regions).toContain('us-east-1');
    const prices = table.forRegion('us-east-1');
    // On demand, a write request unit costs five times a read request unit; provisioned, the same ratio.
    expect(prices.onDemandWritePerMillion / prices.onDemandReadPerMillion).toBeCloseTo(5);
    expect(prices.provisionedWriteUnitHour / prices.provisionedReadUnitHour).toBeCloseTo(5);
  });

  test('the built-in us-east-1 prices are the published ones the cost tests are worked from', () => {
    // https://aws.amazon.com/dynamodb/pricing/ (US East, N. Virginia; Standard table class), since 2024-11-01.
    expect(PriceTable.builtIn().forRegion('us-east-1')).toMatchObject({
      onDemandWritePerMillion: 0.625,
      onDemandReadPerMillion: 0.125,
      onDemandReplicatedWritePerMillion: 0.625,
      provisionedWriteUnitHour: 0.00065,
      provisionedReadUnitHour: 0.00013,
      provisionedReplicatedWriteUnitHour: 0.00065,
      storageGbMonth: 0.25,
      pointInTimeRecoveryGbMonth: 0.2,
      contributorInsightsRuleMonth: 0.5,
      contributorInsightsEventsPerMillion: 0.03,
      kmsKeyMonth: 1,
      kmsRequestsPerTenThousand: 0.03,
    });
  });

  test('withRegion adds a region without changing the original', () => {
    const base = PriceTable.builtIn();
    const extended = base.withRegion(EU, '2026-11-01');
    expect(extended.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(extended.effectiveDate).toBe('2026-11-01');
    expect(extended.forRegion('eu-west-1').storageGbMonth).toBe(0.3);
    expect(base.regions).toEqual(['us-east-1']);
  });

  test('withRegion replaces a region', () => {
    const replaced = PriceTable.builtIn().withRegion({ ...EU, region: 'us-east-1' });
    expect(replaced.regions).toEqual(['us-east-1']);
    expect(replaced.forRegion('us-east-1').onDemandWritePerMillion).toBe(1);
  });

  test('round-trips through JSON', () => {
    const table = PriceTable.custom({ effectiveDate: '2026-01-31', source: 'contract 42', currency: 'EUR', regions: [EU] });
    const copy = PriceTable.fromJson(JSON.parse(JSON.stringify(table.toJson())));
    expect(copy.currency).toBe('EUR');
    expect(copy.forRegion('eu-west-1')).toEqual(EU);
  });

  test('fails on a region it has no prices for', () => {
    expect(() => PriceTable.builtIn().forRegion('ap-south-1')).toThrow(/`region` is 'ap-south-1', which this price table .* has no prices for: it has us-east-1. Add the region's prices/);
  });

  test('fails on an undated table', () => {
    expect(() => PriceTable.custom({ effectiveDate: 'last week', source: 's', regions: [EU] })).toThrow(/`effectiveDate` is "last week": date the prices as YYYY-MM-DD/);
  });

  test('fails on a table without a source', () => {
    expect(() => PriceTable.custom({ effectiveDate: '2026-01-01', source: ' ', regions: [EU] })).toThrow(/`source` is empty/);
  });

  test('fails on a table without regions', () => {
    expect(() => PriceTable.custom({ effectiveDate: '2026-01-01', source: 's', regions: [] })).toThrow(/`regions` is empty/);
  });

  test('fails on a negative or missing price', () => {
    expect(() => PriceTable.custom({ effectiveDate: '2026-01-01', source: 's', regions: [{ ...EU, storageGbMonth: -1 }] }))
      .toThrow(/`regions\[0\].storageGbMonth` of eu-west-1 is -1: every price must be a number of at least 0/);
    const { onDemandReadPerMillion: _missing, ...incomplete } = EU;
    expect(() => PriceTable.fromJson({ effectiveDate: '2026-01-01', source: 's', regions: [incomplete] })).toThrow(/`regions\[0\].onDemandReadPerMillion` of eu-west-1 is undefined/);
  });

  test('fails on a region without a name', () => {
    expect(() => PriceTable.custom({ effectiveDate: '2026-01-01', source: 's', regions: [{ ...EU, region: '' }] })).toThrow(/`regions\[0\].region` is missing/);
  });

  test('fails on JSON that is not an object', () => {
    expect(() => PriceTable.fromJson(42)).toThrow(/The price table is 42/);
  });
});
