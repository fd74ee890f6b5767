import { BillingMode, TableClass } from 'aws-cdk-lib/aws-dynamodb';
import { CostEstimate, ModeCost } from './cost-estimate';
import { CostWorkloadProps } from './cost-workload';
import { capacityTargets, cents, classPrices, extras, onDemandCost, provisionedCost, round, Scaling, storageGb, throughputCost } from './line-items';
import { PriceTable, TableClassPrices } from './price-table';
import { reserveCapacity } from './reserved-capacity';
import { adviseTableClass } from './table-class-advice';
import { validateItemSize } from '../capacity/item-size-validation';
import { hostError } from '../private/host-language';
import { HOURS_PER_MONTH, STORAGE_OVERHEAD_BYTES_PER_ITEM } from '../private/limits';

/**
 * Monthly DynamoDB cost of a workload, on-demand against provisioned with auto scaling.
 *
 * The provisioned estimate assumes auto scaling keeps capacity at consumed / target utilization, never
 * below the minimum: true for traffic that changes over tens of minutes or more, optimistic for spikes.
 */
export class CostEstimator {
  /** Hours in the average month (8,760 / 12), the unit of provisioned capacity prices. */
  public static readonly HOURS_PER_MONTH: number = HOURS_PER_MONTH;

  /** Bytes of overhead DynamoDB stores with every item and index entry, billed as storage. */
  public static readonly STORAGE_OVERHEAD_BYTES_PER_ITEM: number = STORAGE_OVERHEAD_BYTES_PER_ITEM;

  /**
   * Estimates the monthly cost of a workload.
   *
   * @param props the workload
   */
  public static estimate(props: CostWorkloadProps): CostEstimate {
    const table = props.priceTable ?? PriceTable.builtIn();
    const region = props.region ?? 'us-east-1';
    const prices = table.forRegion(region);
    const w = CostEstimator.validate(props);
    const tableClass = props.tableClass ?? TableClass.STANDARD;
    const p = classPrices(prices, tableClass);
    const scaling = { target: w.target, minimum: w.minimum };

    const targets = capacityTargets(props, 1);
    const gb = storageGb(props);
    const shared = extras(props, prices);
    // Contributor insights and KMS cost the same in both modes: they add to each total, not to the choice.
    const withExtras = (mode: ModeCost): ModeCost => ({ ...mode, ...shared.costs, monthlyCost: cents(mode.monthlyCost + shared.total) });
    const onDemand = withExtras(onDemandCost(props, targets, gb, p));
    const provisioned = withExtras(provisionedCost(props, targets, gb, p, scaling));
    const source = (s: { effectiveDate: string; source: string }) => `dated ${s.effectiveDate}, ${s.source}`;

    const breakEvenUtilization = 100 * p.provisionedWriteUnitHour / (p.onDemandWritePerMillion / 1e6 * 3600);
    const scale = CostEstimator.breakEvenScale(props, gb, p, scaling);
    const saving = onDemand.monthlyCost - provisioned.monthlyCost;
    const savingPercent = onDemand.monthlyCost > 0 ? 100 * saving / onDemand.monthlyCost : 0;
    const money = (n: number) => `${table.currency} ${n.toFixed(2)}`;
    const versus = `provisioned with auto scaling at ${w.target}% costs ${money(provisioned.monthlyCost)} a month against ${money(onDemand.monthlyCost)} on demand`;
    const breakEven = scale === undefined
      ? 'provisioned never costs less at these prices'
      : `the modes break even at about ${round(scale * props.writesPerSecond)} writes/s and ${round(scale * props.readsPerSecond)} reads/s`;

    let recommendedMode: BillingMode;
    let reason: string;
    if (!w.predictable) {
      recommendedMode = BillingMode.PAY_PER_REQUEST;
      reason = `The traffic is not predictable: auto scaling reacts in minutes and throttles a sudden spike, while on-demand serves up to twice the previous peak at once. For reference, ${versus}.`;
    } else if (savingPercent >= w.minimumSavings) {
      recommendedMode = BillingMode.PROVISIONED;
      reason = `Steady traffic well above the break-even point: ${versus}, ${savingPercent.toFixed(0)}% less (${breakEven}). `
        + `Provisioned stays cheaper while its average utilization is above ${breakEvenUtilization.toFixed(0)}%; keep auto scaling's minimum low enough for the quiet hours.`;
    } else if (saving > 0) {
      recommendedMode = BillingMode.PAY_PER_REQUEST;
      reason = `Provisioned would save only ${savingPercent.toFixed(0)}% (below ${w.minimumSavings}%): ${versus}; on-demand needs no capacity planning and never throttles from under-provisioning (${breakEven}).`;
    } else {
      recommendedMode = BillingMode.PAY_PER_REQUEST;
      reason = `On-demand costs less: ${versus}, because the auto scaling minimums cost more than this traffic (${breakEven}).`;
    }
    const reserved = reserveCapacity(provisioned, prices, tableClass);

    return {
      region,
      currency: table.currency,
      priceDate: table.effectiveDate,
      priceSource: table.source,
      readUnitsPerSecond: round(targets.reduce((s, t) => s + t.readUnits, 0)),
      writeUnitsPerSecond: round(targets.reduce((s, t) => s + t.writeUnits, 0)),
      storageGb: round(gb),
      contributorInsightsRules: shared.rules,
      contributorInsightsMillionEventsPerMonth: Number((shared.events / 1e6).toFixed(2)),
      contributorInsightsPriceSource: source(table.contributorInsightsSource),
      customerManagedKeys: shared.keys,
      kmsRequestsPerMonth: shared.requests,
      encryptionKeyPriceSource: source(table.kmsSource),
      onDemand,
      provisioned,
      breakEvenUtilizationPercent: round(breakEvenUtilization),
      breakEvenReadsPerSecond: scale === undefined ? undefined : round(scale * props.readsPerSecond),
      breakEvenWritesPerSecond: scale === undefined ? undefined : round(scale * props.writesPerSecond),
      recommendedMode,
      reason,
      tableClass,
      tableClassAdvice: adviseTableClass(props, targets, gb, prices, recommendedMode, scaling, shared.total, money),
      reservedCapacity: reserved.estimates,
      reservedCapacityNote: reserved.note,
      reservedCapacityPriceSource: source(table.reservedCapacitySource),
    };
  }

  private static validate(props: CostWorkloadProps) {
    const nonNegative = (prop: string, value: number | undefined) => {
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        throw hostError(`\`${prop}\` is ${value}: it must be a number of at least 0.`);
      }
    };
    const share = (prop: string, value: number | undefined) => {
      if (value !== undefined && (typeof value !== 'number' || !(value >= 0 && value <= 1))) {
        throw hostError(`\`${prop}\` is ${value}: a share is a number from 0 to 1 (0.25 for a quarter).`);
      }
    };
    nonNegative('readsPerSecond', props.readsPerSecond);
    nonNegative('writesPerSecond', props.writesPerSecond);
    if (props.readsPerSecond === undefined || props.writesPerSecond === undefined) {
      throw hostError('`readsPerSecond` and `writesPerSecond` are required: give the average rates of the month (0 for none).');
    }
    validateItemSize('itemSizeBytes', props.itemSizeBytes);
    if (props.itemsPerRead !== undefined && (!Number.isInteger(props.itemsPerRead) || props.itemsPerRead < 1)) {
      throw hostError(`\`itemsPerRead\` is ${props.itemsPerRead}: it must be a whole number of at least 1.`);
    }
    share('stronglyConsistentReadShare', props.stronglyConsistentReadShare);
    share('transactionalWriteShare', props.transactionalWriteShare);
    nonNegative('storageGb', props.storageGb);
    nonNegative('itemCount', props.itemCount);
    if (props.storageGb !== undefined && props.itemCount !== undefined) {
      throw hostError('`storageGb` and `itemCount` are both set: give one, the table size in GB or its number of items.');
    }
    if (props.replicaRegions !== undefined && (!Number.isInteger(props.replicaRegions) || props.replicaRegions < 0)) {
      throw hostError(`\`replicaRegions\` is ${props.replicaRegions}: it must be a whole number of at least 0 (the regions besides the table's own).`);
    }
    const target = props.targetUtilizationPercent ?? 70;
    if (typeof target !== 'number' || !(target >= 20 && target <= 90)) {
      throw hostError(`\`targetUtilizationPercent\` is ${target}: DynamoDB auto scaling accepts a target from 20 to 90 percent.`);
    }
    const minimum = props.minimumCapacityUnits ?? 1;
    if (!Number.isInteger(minimum) || minimum < 1) {
      throw hostError(`\`minimumCapacityUnits\` is ${minimum}: provisioned capacity is a whole number of at least 1 unit.`);
    }
    const minimumSavings = props.minimumSavingsPercent ?? 15;
    if (typeof minimumSavings !== 'number' || !(minimumSavings >= 0 && minimumSavings < 100)) {
      throw hostError(`\`minimumSavingsPercent\` is ${minimumSavings}: it must be a percentage from 0 to 99.`);
    }
    for (const [prop, value] of [['customerManagedKeys', props.customerManagedKeys], ['encryptionKeyCallers', props.encryptionKeyCallers]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw hostError(`\`${prop}\` is ${value}: it must be a whole number of at least 0.`);
      }
    }
    const names = new Set<string>();
    let readShares = 0;
    (props.indexes ?? []).forEach((index, i) => {
      if (typeof index.indexName !== 'string' || index.indexName.length === 0) {
        throw hostError(`\`indexes[${i}].indexName\` is ${JSON.stringify(index.indexName)}: name the index.`);
      }
      if (names.has(index.indexName)) {
        throw hostError(`\`indexes\` lists '${index.indexName}' twice: list each index once.`);
      }
      names.add(index.indexName);
      validateItemSize(`indexes[${i}].entrySizeBytes`, index.entrySizeBytes);
      nonNegative(`indexes[${i}].writesPerItemWrite`, index.writesPerItemWrite);
      if ((index.writesPerItemWrite ?? 1) > 2) {
        throw hostError(`\`indexes[${i}].writesPerItemWrite\` is ${index.writesPerItemWrite}: one item write makes at most 2 index writes (a delete and a put when the index key changes).`);
      }
      share(`indexes[${i}].readShare`, index.readShare);
      if (index.itemsPerRead !== undefined && (!Number.isInteger(index.itemsPerRead) || index.itemsPerRead < 1)) {
        throw hostError(`\`indexes[${i}].itemsPerRead\` is ${index.itemsPerRead}: it must be a whole number of at least 1.`);
      }
      readShares += index.readShare ?? 0;
    });
    if (readShares > 1 + 1e-9) {
      throw hostError(`The indexes' \`readShare\`s add up to ${round(readShares)}: the shares of reads served by indexes cannot exceed 1.`);
    }
    const classes = Object.values(TableClass) as string[];
    if (props.tableClass !== undefined && !classes.includes(props.tableClass)) {
      throw hostError(`\`tableClass\` is ${JSON.stringify(props.tableClass)}: use one of ${classes.join(', ')}.`);
    }
    return { target, minimum, minimumSavings, predictable: props.predictableTraffic ?? true };
  }

  /**
   * The factor by which the workload's traffic must be scaled for both modes to cost the same. Storage
   * costs the same in both and cancels out; provisioned starts at its minimums and grows more slowly.
   */
  private static breakEvenScale(props: CostWorkloadProps, gb: number, p: TableClassPrices, scaling: Scaling): number | undefined {
    if (props.readsPerSecond + props.writesPerSecond === 0) {
      return undefined;
    }
    const difference = (scale: number) => {
      const targets = capacityTargets(props, scale);
      return throughputCost(onDemandCost(props, targets, gb, p)) - throughputCost(provisionedCost(props, targets, gb, p, scaling));
    };
    let high = 1;
    while (difference(high) <= 0) {
      high *= 2;
      if (high > 1e9) {
        return undefined;
      }
    }
    let low = 0;
    for (let i = 0; i < 60; i++) {
      const mid = (low + high) / 2;
      if (difference(mid) > 0) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return high;
  }

  private constructor() {}
}
