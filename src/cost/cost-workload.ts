import { TableClass } from 'aws-cdk-lib/aws-dynamodb';
import { PriceTable } from './price-table';

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
   * The table class: Standard, or Standard-Infrequent Access (cheaper storage, dearer reads and writes).
   * The estimate prices this class and compares it with the other one.
   *
   * @default TableClass.STANDARD
   */
  readonly tableClass?: TableClass;

  /**
   * The prices.
   *
   * @default PriceTable.builtIn()
   */
  readonly priceTable?: PriceTable;
}
