import { BillingMode, TableClass } from 'aws-cdk-lib/aws-dynamodb';

/**
 * The monthly cost of a workload in one capacity mode.
 */
export interface ModeCost {
  /** The capacity mode. */
  readonly mode: BillingMode;
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
  readonly recommendedMode: BillingMode;
  /** Why, in a sentence or two. */
  readonly reason: string;
  /** The table class priced (the workload's `tableClass`). */
  readonly tableClass: TableClass;
  /**
   * Both table classes compared in the recommended capacity mode, with a recommendation.
   *
   * @default - none: the price table has no Standard-IA prices for the region
   */
  readonly tableClassAdvice?: TableClassAdvice;
  /**
   * Reserved capacity for the provisioned estimate's capacity, one entry per term the region sells
   * (empty for Standard-IA, which reserved capacity does not apply to, or without reserved prices).
   */
  readonly reservedCapacity: ReservedCapacityEstimate[];
  /** What reserved capacity applies to, or why the estimate has none. */
  readonly reservedCapacityNote: string;
  /** Where the reserved capacity prices come from, with their date. */
  readonly reservedCapacityPriceSource: string;
}

/**
 * Standard against Standard-Infrequent Access for one workload, in one capacity mode.
 */
export interface TableClassAdvice {
  /** The capacity mode both classes are priced in (the estimate's recommended mode). */
  readonly mode: BillingMode;
  /** The monthly cost on the Standard table class. */
  readonly standardMonthlyCost: number;
  /** The monthly cost on the Standard-IA table class. */
  readonly infrequentAccessMonthlyCost: number;
  /**
   * Storage's share of the Standard bill's storage, reads, writes and replication, in percent: what AWS's
   * guidance on table classes looks at.
   */
  readonly storageSharePercent: number;
  /**
   * The storage share above which Standard-IA costs less, in percent, at this workload's mix of reads and
   * writes. @default - Standard-IA never costs less at these prices
   */
  readonly breakEvenStorageSharePercent?: number;
  /**
   * Table and index storage, in GB per region, above which Standard-IA costs less at this traffic.
   * @default - Standard-IA never costs less at these prices
   */
  readonly breakEvenStorageGb?: number;
  /** The recommended table class. */
  readonly recommendedTableClass: TableClass;
  /** Why, in a sentence or two. */
  readonly reason: string;
}

/**
 * Reserved capacity for one term, bought in blocks of 100 units for the provisioned estimate's capacity.
 */
export interface ReservedCapacityEstimate {
  /** The term, in years (1 or 3). */
  readonly termYears: number;
  /** Blocks of 100 read capacity units reserved: the provisioned read capacity, rounded down to whole blocks. */
  readonly readBlocks: number;
  /** Blocks of 100 write capacity units reserved: the provisioned write capacity, rounded down to whole blocks. */
  readonly writeBlocks: number;
  /** The one-time payment for all blocks. */
  readonly upfrontCost: number;
  /** The hourly price of all blocks, every hour of the term. */
  readonly hourlyCost: number;
  /**
   * The provisioned estimate's monthly cost with this reservation: the upfront payment spread over the term,
   * the hourly price, and the capacity above the reserved blocks at provisioned prices.
   */
  readonly monthlyCost: number;
  /** What the reservation saves a month against the provisioned estimate. */
  readonly monthlySavings: number;
  /**
   * The share of the term's hours reserved read capacity must be in use for the reservation to cost less
   * than provisioning it at the hourly price, in percent.
   */
  readonly readBreakEvenUtilizationPercent: number;
  /** The same for write capacity, in percent. */
  readonly writeBreakEvenUtilizationPercent: number;
}
