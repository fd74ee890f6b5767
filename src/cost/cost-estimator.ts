import { PriceTable, RegionPrices } from './price-table';
import { CapacityCalculator, ReadConsistency } from '../capacity/capacity-calculator';
import { ItemSize } from '../capacity/item-size';

/** Hours in the average month (8,760 / 12), the unit of provisioned capacity prices. */
export const HOURS_PER_MONTH = 730;
/** Bytes of overhead DynamoDB stores with every item and index entry, billed as storage. */
export const STORAGE_OVERHEAD_BYTES_PER_ITEM = 100;

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * A DynamoDB capacity (billing) mode.
 */
export enum CapacityMode {
  /** On-demand: pay per request. */
  ON_DEMAND = 'ON_DEMAND',
  /** Provisioned capacity with auto scaling: pay per provisioned unit-hour. */
  PROVISIONED = 'PROVISIONED',
}

/**
 * A secondary index in a cost workload.
 */
export interface IndexWorkload {
  /** The index name, for the report. */
  readonly indexName: string;

  /** The size in bytes of one index entry (table and index keys plus projected attributes). */
  readonly entrySizeBytes: number;

  /**
   * Index writes per item write: 1 when every write puts or updates the entry, less for a sparse index or
   * updates that leave its attributes alone, 2 when most updates change the index key.
   *
   * @default 1
   */
  readonly writesPerItemWrite?: number;

  /**
   * The share of the workload's reads that query this index (0 to 1), each returning `itemsPerRead`
   * entries of `entrySizeBytes`.
   *
   * @default 0
   */
  readonly readShare?: number;

  /**
   * Entries one read of this index returns (summed, then rounded to 4 KB).
   *
   * @default - the workload's `itemsPerRead`
   */
  readonly itemsPerRead?: number;

  /**
   * Whether the index is a local secondary index, which has no capacity of its own.
   *
   * @default false
   */
  readonly local?: boolean;

  /**
   * Whether the index has a sort key: contributor insights keeps 4 rules for an index with one, 2 without.
   *
   * @default true
   */
  readonly hasSortKey?: boolean;
}

/**
 * The workload of one table, averaged over a month.
 */
export interface CostWorkloadProps {
  /** Average reads per second (each a `GetItem`, or a `Query` of `itemsPerRead` items). */
  readonly readsPerSecond: number;

  /** Average item writes per second. */
  readonly writesPerSecond: number;

  /** The size in bytes of one item. */
  readonly itemSizeBytes: number;

  /**
   * Items returned by one read: 1 for `GetItem`, more for a `Query` (their sizes are summed, then rounded to 4 KB).
   *
   * @default 1
   */
  readonly itemsPerRead?: number;

  /**
   * The share of reads that are strongly consistent (0 to 1); the rest are eventually consistent.
   *
   * @default 0
   */
  readonly stronglyConsistentReadShare?: number;

  /**
   * The share of writes made in `TransactWriteItems` (0 to 1), which cost twice as much.
   *
   * @default 0
   */
  readonly transactionalWriteShare?: number;

  /**
   * The table's data in GB (items only; index storage is derived from each index's entry size).
   *
   * @default - derived from `itemCount`
   */
  readonly storageGb?: number;

  /**
   * The number of items in the table, when `storageGb` is not given.
   *
   * @default 0
   */
  readonly itemCount?: number;

  /**
   * The table's secondary indexes.
   *
   * @default - no indexes
   */
  readonly indexes?: IndexWorkload[];

  /**
   * Whether point-in-time recovery is on (the BlueprintTable default).
   *
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;

  /**
   * Replica regions besides the table's own (a global table). Each stores a copy and receives every write.
   *
   * @default 0
   */
  readonly replicaRegions?: number;

  /**
   * The region whose prices apply (replicas are priced with the same prices).
   *
   * @default 'us-east-1'
   */
  readonly region?: string;

  /**
   * The auto scaling target utilization of provisioned capacity, in percent.
   *
   * @default 70
   */
  readonly targetUtilizationPercent?: number;

  /**
   * The auto scaling minimum of every provisioned read and write target (table and each global index).
   *
   * @default 1
   */
  readonly minimumCapacityUnits?: number;

  /**
   * Whether the traffic is predictable: steady, or changing over hours (a daily cycle) rather than in
   * sudden spikes. Auto scaling reacts in minutes; on-demand absorbs up to twice the previous peak at once.
   *
   * @default true
   */
  readonly predictableTraffic?: boolean;

  /**
   * The smallest saving, in percent of the on-demand cost, for which provisioned capacity is recommended:
   * below it, capacity planning and the risk of throttling are not worth the money.
   *
   * @default 15
   */
  readonly minimumSavingsPercent?: number;

  /**
   * Whether CloudWatch Contributor Insights is on for the table and every global secondary index, in every
   * region (the BlueprintTable default, in its accessed-and-throttled-keys mode).
   *
   * @default true
   */
  readonly contributorInsights?: boolean;

  /**
   * Whether the table has a sort key: contributor insights keeps 4 rules for a table with one, 2 without.
   *
   * @default true
   */
  readonly hasSortKey?: boolean;

  /**
   * The customer managed KMS keys that encrypt the table: BlueprintTable creates one; a table with replicas
   * needs one in each region. 0 for an AWS owned key.
   *
   * @default - 1 plus one per replica region
   */
  readonly customerManagedKeys?: number;

  /**
   * The principals (IAM roles) that call the table all month. DynamoDB asks KMS for the table key once
   * every 5 minutes per caller with traffic: 12 requests an hour, per caller and key.
   *
   * @default 1
   */
  readonly encryptionKeyCallers?: number;

  /**
   * The prices.
   *
   * @default PriceTable.builtIn()
   */
  readonly priceTable?: PriceTable;
}

/**
 * The monthly cost of a workload in one capacity mode.
 */
export interface ModeCost {
  /** The capacity mode. */
  readonly mode: CapacityMode;
  /** Reads in the table and its indexes. */
  readonly readCost: number;
  /** Writes in the table and its indexes, in the table's own region. */
  readonly writeCost: number;
  /** Replicated writes, replica index writes and replica read capacity. */
  readonly replicationCost: number;
  /** Storage of the table and its indexes, in every region. */
  readonly storageCost: number;
  /** Point-in-time recovery, in every region. */
  readonly pointInTimeRecoveryCost: number;
  /** CloudWatch Contributor Insights rules and events, in every region (the same in both modes). */
  readonly contributorInsightsCost: number;
  /** The customer managed KMS keys: key-months and requests (the same in both modes). */
  readonly encryptionKeyCost: number;
  /** The total per month. */
  readonly monthlyCost: number;
  /** Provisioned read capacity units, table and global indexes together (average). @default - on-demand */
  readonly readCapacityUnits?: number;
  /** Provisioned write capacity units, table and global indexes together (average). @default - on-demand */
  readonly writeCapacityUnits?: number;
}

/**
 * A monthly cost estimate in both capacity modes, with a recommendation.
 */
export interface CostEstimate {
  /** The region whose prices were used. */
  readonly region: string;
  /** The currency of every amount. */
  readonly currency: string;
  /** The date of the prices. */
  readonly priceDate: string;
  /** Where the prices come from. */
  readonly priceSource: string;
  /** Read units consumed per second, on average (table and indexes). */
  readonly readUnitsPerSecond: number;
  /** Write units consumed per second, on average (table and indexes, own region). */
  readonly writeUnitsPerSecond: number;
  /** Table and index storage in one region, in GB. */
  readonly storageGb: number;
  /** Contributor insights rules, table and global indexes, in every region (0 when off). */
  readonly contributorInsightsRules: number;
  /** Contributor insights events per month (one per read request and item write, in every region), in millions. */
  readonly contributorInsightsMillionEventsPerMonth: number;
  /** Where the contributor insights prices come from, with their date. */
  readonly contributorInsightsPriceSource: string;
  /** Customer managed KMS keys priced. */
  readonly customerManagedKeys: number;
  /** KMS requests per month. */
  readonly kmsRequestsPerMonth: number;
  /** Where the KMS prices come from, with their date. */
  readonly encryptionKeyPriceSource: string;
  /** The on-demand cost. */
  readonly onDemand: ModeCost;
  /** The provisioned cost, with auto scaling at the target utilization. */
  readonly provisioned: ModeCost;
  /** The on-demand cost per month. */
  readonly onDemandMonthlyCost: number;
  /** The provisioned cost per month. */
  readonly provisionedMonthlyCost: number;
  /**
   * The average utilization of provisioned capacity above which provisioned costs less than on-demand,
   * in percent (writes; reads break even at the same point when both prices scale alike).
   */
  readonly breakEvenUtilizationPercent: number;
  /**
   * Reads per second at which both modes cost the same, with reads and writes in this workload's ratio.
   * Below it, on-demand costs less. @default - provisioned never costs less
   */
  readonly breakEvenReadsPerSecond?: number;
  /** Writes per second at which both modes cost the same. @default - provisioned never costs less */
  readonly breakEvenWritesPerSecond?: number;
  /** The recommended capacity mode. */
  readonly recommendedMode: CapacityMode;
  /** Why, in a sentence or two. */
  readonly reason: string;
}

/** Read and write units per second at one place with its own capacity (the table, or one global index). */
interface CapacityTarget {
  readonly name: string;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Global indexes are written in every replica region too. */
  readonly replicatedAsIndex: boolean;
}

/**
 * Monthly DynamoDB cost of a workload, on-demand against provisioned with auto scaling.
 *
 * The provisioned estimate assumes auto scaling keeps capacity at consumed / target utilization, never
 * below the minimum: true for traffic that changes over tens of minutes or more, optimistic for spikes.
 */
export class CostEstimator {
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

    const targets = CostEstimator.targets(props, 1);
    const storageGb = CostEstimator.storageGb(props);
    const extras = CostEstimator.extras(props, prices);
    // Contributor insights and KMS cost the same in both modes: they add to each total, not to the choice.
    const withExtras = (mode: ModeCost): ModeCost => ({ ...mode, ...extras.costs, monthlyCost: cents(mode.monthlyCost + extras.total) });
    const onDemand = withExtras(CostEstimator.onDemandCost(props, targets, storageGb, prices));
    const provisioned = withExtras(CostEstimator.provisionedCost(props, targets, storageGb, prices, w.target, w.minimum));
    const source = (s: { effectiveDate: string; source: string }) => `dated ${s.effectiveDate}, ${s.source}`;

    const breakEvenUtilization = 100 * prices.provisionedWriteUnitHour / (prices.onDemandWritePerMillion / 1e6 * 3600);
    const scale = CostEstimator.breakEvenScale(props, storageGb, prices, w.target, w.minimum);
    const saving = onDemand.monthlyCost - provisioned.monthlyCost;
    const savingPercent = onDemand.monthlyCost > 0 ? 100 * saving / onDemand.monthlyCost : 0;
    const money = (n: number) => `${table.currency} ${n.toFixed(2)}`;
    const versus = `provisioned with auto scaling at ${w.target}% costs ${money(provisioned.monthlyCost)} a month against ${money(onDemand.monthlyCost)} on demand`;
    const breakEven = scale === undefined
      ? 'provisioned never costs less at these prices'
      : `the modes break even at about ${round(scale * props.writesPerSecond)} writes/s and ${round(scale * props.readsPerSecond)} reads/s`;

    let recommendedMode: CapacityMode;
    let reason: string;
    if (!w.predictable) {
      recommendedMode = CapacityMode.ON_DEMAND;
      reason = `The traffic is not predictable: auto scaling reacts in minutes and throttles a sudden spike, while on-demand serves up to twice the previous peak at once. For reference, ${versus}.`;
    } else if (savingPercent >= w.minimumSavings) {
      recommendedMode = CapacityMode.PROVISIONED;
      reason = `Steady traffic well above the break-even point: ${versus}, ${savingPercent.toFixed(0)}% less (${breakEven}). `
        + `Provisioned stays cheaper while its average utilization is above ${breakEvenUtilization.toFixed(0)}%; keep auto scaling's minimum low enough for the quiet hours.`;
    } else if (saving > 0) {
      recommendedMode = CapacityMode.ON_DEMAND;
      reason = `Provisioned would save only ${savingPercent.toFixed(0)}% (below ${w.minimumSavings}%): ${versus}; on-demand needs no capacity planning and never throttles from under-provisioning (${breakEven}).`;
    } else {
      recommendedMode = CapacityMode.ON_DEMAND;
      reason = `On-demand costs less: ${versus}, because the auto scaling minimums cost more than this traffic (${breakEven}).`;
    }

    return {
      region,
      currency: table.currency,
      priceDate: table.effectiveDate,
      priceSource: table.source,
      readUnitsPerSecond: round(targets.reduce((s, t) => s + t.readUnits, 0)),
      writeUnitsPerSecond: round(targets.reduce((s, t) => s + t.writeUnits, 0)),
      storageGb: round(storageGb),
      contributorInsightsRules: extras.rules,
      contributorInsightsMillionEventsPerMonth: Number((extras.events / 1e6).toFixed(2)),
      contributorInsightsPriceSource: source(table.contributorInsightsSource),
      customerManagedKeys: extras.keys,
      kmsRequestsPerMonth: extras.requests,
      encryptionKeyPriceSource: source(table.kmsSource),
      onDemand,
      provisioned,
      onDemandMonthlyCost: onDemand.monthlyCost,
      provisionedMonthlyCost: provisioned.monthlyCost,
      breakEvenUtilizationPercent: round(breakEvenUtilization),
      breakEvenReadsPerSecond: scale === undefined ? undefined : round(scale * props.readsPerSecond),
      breakEvenWritesPerSecond: scale === undefined ? undefined : round(scale * props.writesPerSecond),
      recommendedMode,
      reason,
    };
  }

  private static validate(props: CostWorkloadProps) {
    const nonNegative = (prop: string, value: number | undefined) => {
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        throw new Error(`\`${prop}\` is ${value}: it must be a number of at least 0.`);
      }
    };
    const share = (prop: string, value: number | undefined) => {
      if (value !== undefined && (typeof value !== 'number' || !(value >= 0 && value <= 1))) {
        throw new Error(`\`${prop}\` is ${value}: a share is a number from 0 to 1 (0.25 for a quarter).`);
      }
    };
    nonNegative('readsPerSecond', props.readsPerSecond);
    nonNegative('writesPerSecond', props.writesPerSecond);
    if (props.readsPerSecond === undefined || props.writesPerSecond === undefined) {
      throw new Error('`readsPerSecond` and `writesPerSecond` are required: give the average rates of the month (0 for none).');
    }
    ItemSize.validate('itemSizeBytes', props.itemSizeBytes);
    if (props.itemsPerRead !== undefined && (!Number.isInteger(props.itemsPerRead) || props.itemsPerRead < 1)) {
      throw new Error(`\`itemsPerRead\` is ${props.itemsPerRead}: it must be a whole number of at least 1.`);
    }
    share('stronglyConsistentReadShare', props.stronglyConsistentReadShare);
    share('transactionalWriteShare', props.transactionalWriteShare);
    nonNegative('storageGb', props.storageGb);
    nonNegative('itemCount', props.itemCount);
    if (props.storageGb !== undefined && props.itemCount !== undefined) {
      throw new Error('`storageGb` and `itemCount` are both set: give one, the table size in GB or its number of items.');
    }
    if (props.replicaRegions !== undefined && (!Number.isInteger(props.replicaRegions) || props.replicaRegions < 0)) {
      throw new Error(`\`replicaRegions\` is ${props.replicaRegions}: it must be a whole number of at least 0 (the regions besides the table's own).`);
    }
    const target = props.targetUtilizationPercent ?? 70;
    if (typeof target !== 'number' || !(target >= 20 && target <= 90)) {
      throw new Error(`\`targetUtilizationPercent\` is ${target}: DynamoDB auto scaling accepts a target from 20 to 90 percent.`);
    }
    const minimum = props.minimumCapacityUnits ?? 1;
    if (!Number.isInteger(minimum) || minimum < 1) {
      throw new Error(`\`minimumCapacityUnits\` is ${minimum}: provisioned capacity is a whole number of at least 1 unit.`);
    }
    const minimumSavings = props.minimumSavingsPercent ?? 15;
    if (typeof minimumSavings !== 'number' || !(minimumSavings >= 0 && minimumSavings < 100)) {
      throw new Error(`\`minimumSavingsPercent\` is ${minimumSavings}: it must be a percentage from 0 to 99.`);
    }
    for (const [prop, value] of [['customerManagedKeys', props.customerManagedKeys], ['encryptionKeyCallers', props.encryptionKeyCallers]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw new Error(`\`${prop}\` is ${value}: it must be a whole number of at least 0.`);
      }
    }
    const names = new Set<string>();
    let readShares = 0;
    (props.indexes ?? []).forEach((index, i) => {
      if (typeof index.indexName !== 'string' || index.indexName.length === 0) {
        throw new Error(`\`indexes[${i}].indexName\` is ${JSON.stringify(index.indexName)}: name the index.`);
      }
      if (names.has(index.indexName)) {
        throw new Error(`\`indexes\` lists '${index.indexName}' twice: list each index once.`);
      }
      names.add(index.indexName);
      ItemSize.validate(`indexes[${i}].entrySizeBytes`, index.entrySizeBytes);
      nonNegative(`indexes[${i}].writesPerItemWrite`, index.writesPerItemWrite);
      if ((index.writesPerItemWrite ?? 1) > 2) {
        throw new Error(`\`indexes[${i}].writesPerItemWrite\` is ${index.writesPerItemWrite}: one item write makes at most 2 index writes (a delete and a put when the index key changes).`);
      }
      share(`indexes[${i}].readShare`, index.readShare);
      if (index.itemsPerRead !== undefined && (!Number.isInteger(index.itemsPerRead) || index.itemsPerRead < 1)) {
        throw new Error(`\`indexes[${i}].itemsPerRead\` is ${index.itemsPerRead}: it must be a whole number of at least 1.`);
      }
      readShares += index.readShare ?? 0;
    });
    if (readShares > 1 + 1e-9) {
      throw new Error(`The indexes' \`readShare\`s add up to ${round(readShares)}: the shares of reads served by indexes cannot exceed 1.`);
    }
    return { target, minimum, minimumSavings, predictable: props.predictableTraffic ?? true };
  }

  /** Consumed units per second at the table and each global index, for the workload scaled by `scale`. */
  private static targets(props: CostWorkloadProps, scale: number): CapacityTarget[] {
    const itemsPerRead = props.itemsPerRead ?? 1;
    const strong = props.stronglyConsistentReadShare ?? 0;
    const transactional = props.transactionalWriteShare ?? 0;
    const readUnitsPerRead = (size: number, items: number) => (1 - strong) * CapacityCalculator.readUnits(size * items, ReadConsistency.EVENTUAL)
      + strong * CapacityCalculator.readUnits(size * items, ReadConsistency.STRONG);
    const reads = props.readsPerSecond * scale;
    const writes = props.writesPerSecond * scale;
    const indexes = props.indexes ?? [];
    const indexReadShare = indexes.reduce((s, i) => s + (i.readShare ?? 0), 0);

    let tableReads = reads * (1 - indexReadShare) * readUnitsPerRead(props.itemSizeBytes, itemsPerRead);
    let tableWrites = writes * ((1 - transactional) * CapacityCalculator.writeUnits(props.itemSizeBytes, false)
      + transactional * CapacityCalculator.writeUnits(props.itemSizeBytes, true));
    const globals: CapacityTarget[] = [];
    for (const index of indexes) {
      // A global index serves eventually consistent reads only; a local one follows the workload's mix.
      const entries = index.itemsPerRead ?? itemsPerRead;
      const indexReads = reads * (index.readShare ?? 0) * (index.local
        ? readUnitsPerRead(index.entrySizeBytes, entries)
        : CapacityCalculator.readUnits(index.entrySizeBytes * entries, ReadConsistency.EVENTUAL));
      const indexWrites = writes * (index.writesPerItemWrite ?? 1) * CapacityCalculator.writeUnits(index.entrySizeBytes, false);
      if (index.local) {
        tableReads += indexReads;
        tableWrites += indexWrites;
      } else {
        globals.push({ name: index.indexName, readUnits: indexReads, writeUnits: indexWrites, replicatedAsIndex: true });
      }
    }
    return [{ name: '(table)', readUnits: tableReads, writeUnits: tableWrites, replicatedAsIndex: false }, ...globals];
  }

  private static storageGb(props: CostWorkloadProps): number {
    const gbPerByte = 1 / 1024 ** 3;
    const itemBytes = props.itemSizeBytes + STORAGE_OVERHEAD_BYTES_PER_ITEM;
    const items = props.storageGb !== undefined ? props.storageGb / (itemBytes * gbPerByte) : (props.itemCount ?? 0);
    const tableGb = props.storageGb ?? items * itemBytes * gbPerByte;
    const indexGb = (props.indexes ?? [])
      .reduce((sum, i) => sum + items * (i.entrySizeBytes + STORAGE_OVERHEAD_BYTES_PER_ITEM) * gbPerByte, 0);
    return tableGb + indexGb;
  }

  private static onDemandCost(props: CostWorkloadProps, targets: CapacityTarget[], storageGb: number, p: RegionPrices): ModeCost {
    const replicas = props.replicaRegions ?? 0;
    const perMonth = (unitsPerSecond: number, perMillion: number) => unitsPerSecond * SECONDS_PER_MONTH * perMillion / 1e6;
    const readCost = perMonth(total(targets, (t) => t.readUnits), p.onDemandReadPerMillion);
    const writeCost = perMonth(total(targets, (t) => t.writeUnits), p.onDemandWritePerMillion);
    const replicationCost = replicas * (
      perMonth(total(targets, (t) => (t.replicatedAsIndex ? 0 : t.writeUnits)), p.onDemandReplicatedWritePerMillion)
      + perMonth(total(targets, (t) => (t.replicatedAsIndex ? t.writeUnits : 0)), p.onDemandWritePerMillion));
    return CostEstimator.modeCost(CapacityMode.ON_DEMAND, props, storageGb, p, readCost, writeCost, replicationCost);
  }

  private static provisionedCost(
    props: CostWorkloadProps, targets: CapacityTarget[], storageGb: number, p: RegionPrices, target: number, minimum: number,
  ): ModeCost {
    const replicas = props.replicaRegions ?? 0;
    const provisioned = (units: number) => Math.max(minimum, units / (target / 100));
    const rcu = total(targets, (t) => provisioned(t.readUnits));
    const wcu = total(targets, (t) => provisioned(t.writeUnits));
    const readCost = rcu * HOURS_PER_MONTH * p.provisionedReadUnitHour;
    const writeCost = wcu * HOURS_PER_MONTH * p.provisionedWriteUnitHour;
    // Each replica: replicated table writes, its own global index writes, and read capacity at the minimum.
    const replicationCost = replicas * HOURS_PER_MONTH * (
      total(targets, (t) => (t.replicatedAsIndex ? 0 : provisioned(t.writeUnits))) * p.provisionedReplicatedWriteUnitHour
      + total(targets, (t) => (t.replicatedAsIndex ? provisioned(t.writeUnits) : 0)) * p.provisionedWriteUnitHour
      + targets.length * minimum * p.provisionedReadUnitHour);
    const cost = CostEstimator.modeCost(CapacityMode.PROVISIONED, props, storageGb, p, readCost, writeCost, replicationCost);
    return { ...cost, readCapacityUnits: round(rcu), writeCapacityUnits: round(wcu) };
  }

  private static modeCost(
    mode: CapacityMode, props: CostWorkloadProps, storageGb: number, p: RegionPrices, readCost: number, writeCost: number, replicationCost: number,
  ): ModeCost {
    const regions = 1 + (props.replicaRegions ?? 0);
    const storageCost = storageGb * regions * p.storageGbMonth;
    const pointInTimeRecoveryCost = (props.pointInTimeRecovery ?? true) ? storageGb * regions * p.pointInTimeRecoveryGbMonth : 0;
    return {
      mode,
      readCost: cents(readCost),
      writeCost: cents(writeCost),
      replicationCost: cents(replicationCost),
      storageCost: cents(storageCost),
      pointInTimeRecoveryCost: cents(pointInTimeRecoveryCost),
      contributorInsightsCost: 0,
      encryptionKeyCost: 0,
      monthlyCost: cents(readCost + writeCost + replicationCost + storageCost + pointInTimeRecoveryCost),
    };
  }

  /**
   * Contributor insights and KMS: the same in both modes. Contributor insights keeps 2 rules (most accessed
   * and most throttled partition keys) per table and global index, 4 with a sort key, in every region, and
   * counts an event per request there (a Query is one event); replicas receive every table and global index write.
   */
  private static extras(props: CostWorkloadProps, p: RegionPrices) {
    const replicas = props.replicaRegions ?? 0;
    const regions = 1 + replicas;
    const indexes = props.indexes ?? [];
    let rules = 0;
    let eventsPerSecond = 0;
    if (props.contributorInsights ?? true) {
      const globals = indexes.filter((i) => !i.local);
      rules = regions * ((props.hasSortKey ?? true ? 4 : 2) + globals.reduce((n, i) => n + (i.hasSortKey ?? true ? 4 : 2), 0));
      const globalReadShare = globals.reduce((sum, i) => sum + (i.readShare ?? 0), 0);
      // An event is a request (a GetItem, a Query, an item write): reads of the table and its local indexes
      // are the table's events; a global index counts its own reads and writes.
      const tableReads = props.readsPerSecond * (1 - globalReadShare);
      const globalReads = props.readsPerSecond * globalReadShare;
      const writes = props.writesPerSecond * (1 + globals.reduce((sum, i) => sum + (i.writesPerItemWrite ?? 1), 0));
      eventsPerSecond = tableReads + globalReads + regions * writes;
    }
    const keys = props.customerManagedKeys ?? regions;
    const callers = props.encryptionKeyCallers ?? 1;
    const requests = keys * callers * 12 * HOURS_PER_MONTH;
    const events = eventsPerSecond * SECONDS_PER_MONTH;
    const price = (field: keyof RegionPrices, what: string): number => {
      const value = p[field] as number | undefined;
      if (value === undefined) {
        throw new Error(`The price table has no \`${field}\` for ${p.region}, needed for ${what}: add it to the region's prices, or leave ${what} out.`);
      }
      return value;
    };
    const contributorInsightsCost = rules === 0 ? 0
      : rules * price('contributorInsightsRuleMonth', 'contributor insights (`contributorInsights: false`, --no-contributor-insights)')
        + events / 1e6 * price('contributorInsightsEventsPerMillion', 'contributor insights (`contributorInsights: false`, --no-contributor-insights)');
    const encryptionKeyCost = keys === 0 ? 0
      : keys * price('kmsKeyMonth', 'customer managed keys (`customerManagedKeys: 0`, --customer-managed-keys 0)')
        + requests / 1e4 * price('kmsRequestsPerTenThousand', 'customer managed keys (`customerManagedKeys: 0`, --customer-managed-keys 0)');
    return {
      rules,
      events,
      keys,
      requests,
      total: contributorInsightsCost + encryptionKeyCost,
      costs: { contributorInsightsCost: cents(contributorInsightsCost), encryptionKeyCost: cents(encryptionKeyCost) },
    };
  }

  /**
   * The factor by which the workload's traffic must be scaled for both modes to cost the same. Storage
   * costs the same in both and cancels out; provisioned starts at its minimums and grows more slowly.
   */
  private static breakEvenScale(props: CostWorkloadProps, storageGb: number, p: RegionPrices, target: number, minimum: number): number | undefined {
    if (props.readsPerSecond + props.writesPerSecond === 0) {
      return undefined;
    }
    const difference = (scale: number) => {
      const targets = CostEstimator.targets(props, scale);
      const od = CostEstimator.onDemandCost(props, targets, storageGb, p);
      const pr = CostEstimator.provisionedCost(props, targets, storageGb, p, target, minimum);
      const raw = (c: ModeCost) => c.readCost + c.writeCost + c.replicationCost;
      return raw(od) - raw(pr);
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

function total<T>(values: T[], f: (value: T) => number): number {
  return values.reduce((s, v) => s + f(v), 0);
}

function round(n: number): number {
  return Number(n.toFixed(n >= 100 ? 1 : 3));
}

function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
