import { BillingMode, TableClass } from 'aws-cdk-lib/aws-dynamodb';
import { ModeCost } from './cost-estimate';
import { CostWorkloadProps } from './cost-workload';
import { RegionPrices, TableClassPrices } from './price-table';
import { CapacityCalculator, ReadConsistency } from '../capacity/capacity-calculator';
import { hostError } from '../private/host-language';
import { HOURS_PER_MONTH, STORAGE_OVERHEAD_BYTES_PER_ITEM } from '../private/limits';

// The line items of an estimate: units per second at each place with its own capacity, storage, and what
// each costs in one capacity mode and table class.

export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Read and write units per second at one place with its own capacity (the table, or one global index). */
export interface CapacityTarget {
  readonly name: string;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Global indexes are written in every replica region too. */
  readonly replicatedAsIndex: boolean;
}

/** Auto scaling's target utilization and minimum, as validated. */
export interface Scaling {
  readonly target: number;
  readonly minimum: number;
}

/**
 * The prices of one table class in a region: Standard from the region's own fields, Standard-IA from
 * `standardInfrequentAccess`, or an error naming the missing field.
 */
export function classPrices(p: RegionPrices, tableClass: TableClass): TableClassPrices {
  if (tableClass === TableClass.STANDARD) {
    return {
      onDemandWritePerMillion: p.onDemandWritePerMillion,
      onDemandReadPerMillion: p.onDemandReadPerMillion,
      onDemandReplicatedWritePerMillion: p.onDemandReplicatedWritePerMillion,
      provisionedWriteUnitHour: p.provisionedWriteUnitHour,
      provisionedReadUnitHour: p.provisionedReadUnitHour,
      provisionedReplicatedWriteUnitHour: p.provisionedReplicatedWriteUnitHour,
      storageGbMonth: p.storageGbMonth,
      pointInTimeRecoveryGbMonth: p.pointInTimeRecoveryGbMonth,
    };
  }
  if (p.standardInfrequentAccess === undefined) {
    throw hostError(`The price table has no \`standardInfrequentAccess\` prices for ${p.region}, needed for \`tableClass\` ${tableClass}: add them to the region's prices, or price the Standard class.`);
  }
  return { ...p.standardInfrequentAccess };
}

/** Consumed units per second at the table and each global index, for the workload scaled by `scale`. */
export function capacityTargets(props: CostWorkloadProps, scale: number): CapacityTarget[] {
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

/** Table and index storage in one region, in GB. */
export function storageGb(props: CostWorkloadProps): number {
  const gbPerByte = 1 / 1024 ** 3;
  const itemBytes = props.itemSizeBytes + STORAGE_OVERHEAD_BYTES_PER_ITEM;
  const items = props.storageGb !== undefined ? props.storageGb / (itemBytes * gbPerByte) : (props.itemCount ?? 0);
  const tableGb = props.storageGb ?? items * itemBytes * gbPerByte;
  const indexGb = (props.indexes ?? [])
    .reduce((sum, i) => sum + items * (i.entrySizeBytes + STORAGE_OVERHEAD_BYTES_PER_ITEM) * gbPerByte, 0);
  return tableGb + indexGb;
}

export function onDemandCost(props: CostWorkloadProps, targets: CapacityTarget[], gb: number, p: TableClassPrices): ModeCost {
  const replicas = props.replicaRegions ?? 0;
  const perMonth = (unitsPerSecond: number, perMillion: number) => unitsPerSecond * SECONDS_PER_MONTH * perMillion / 1e6;
  const readCost = perMonth(total(targets, (t) => t.readUnits), p.onDemandReadPerMillion);
  const writeCost = perMonth(total(targets, (t) => t.writeUnits), p.onDemandWritePerMillion);
  const replicationCost = replicas * (
    perMonth(total(targets, (t) => (t.replicatedAsIndex ? 0 : t.writeUnits)), p.onDemandReplicatedWritePerMillion)
    + perMonth(total(targets, (t) => (t.replicatedAsIndex ? t.writeUnits : 0)), p.onDemandWritePerMillion));
  return modeCost(BillingMode.PAY_PER_REQUEST, props, gb, p, readCost, writeCost, replicationCost);
}

export function provisionedCost(props: CostWorkloadProps, targets: CapacityTarget[], gb: number, p: TableClassPrices, scaling: Scaling): ModeCost {
  const replicas = props.replicaRegions ?? 0;
  const provisioned = (units: number) => Math.max(scaling.minimum, units / (scaling.target / 100));
  const rcu = total(targets, (t) => provisioned(t.readUnits));
  const wcu = total(targets, (t) => provisioned(t.writeUnits));
  const readCost = rcu * HOURS_PER_MONTH * p.provisionedReadUnitHour;
  const writeCost = wcu * HOURS_PER_MONTH * p.provisionedWriteUnitHour;
  // Each replica: replicated table writes, its own global index writes, and read capacity at the minimum.
  const replicationCost = replicas * HOURS_PER_MONTH * (
    total(targets, (t) => (t.replicatedAsIndex ? 0 : provisioned(t.writeUnits))) * p.provisionedReplicatedWriteUnitHour
    + total(targets, (t) => (t.replicatedAsIndex ? provisioned(t.writeUnits) : 0)) * p.provisionedWriteUnitHour
    + targets.length * scaling.minimum * p.provisionedReadUnitHour);
  const cost = modeCost(BillingMode.PROVISIONED, props, gb, p, readCost, writeCost, replicationCost);
  return { ...cost, readCapacityUnits: round(rcu), writeCapacityUnits: round(wcu) };
}

function modeCost(
  mode: BillingMode, props: CostWorkloadProps, gb: number, p: TableClassPrices, readCost: number, writeCost: number, replicationCost: number,
): ModeCost {
  const regions = 1 + (props.replicaRegions ?? 0);
  const storageCost = gb * regions * p.storageGbMonth;
  const pointInTimeRecoveryCost = (props.pointInTimeRecovery ?? true) ? gb * regions * p.pointInTimeRecoveryGbMonth : 0;
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

/** Reads, writes and replication: what the capacity mode and the traffic decide. */
export function throughputCost(c: ModeCost): number {
  return c.readCost + c.writeCost + c.replicationCost;
}

/**
 * Contributor insights and KMS: the same in both modes and both table classes. Contributor insights keeps 2
 * rules (most accessed and most throttled partition keys) per table and global index, 4 with a sort key, in
 * every region, and counts an event per request there (a Query is one event); replicas receive every table
 * and global index write.
 */
export function extras(props: CostWorkloadProps, p: RegionPrices) {
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
      throw hostError(`The price table has no \`${field}\` for ${p.region}, needed for ${what}: add it to the region's prices, or leave ${what} out.`);
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

export function total<T>(values: T[], f: (value: T) => number): number {
  return values.reduce((s, v) => s + f(v), 0);
}

export function round(n: number): number {
  return Number(n.toFixed(n >= 100 ? 1 : 3));
}

export function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
