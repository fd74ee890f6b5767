/**
 * DynamoDB list prices of one region, in the price table's currency.
 */
export interface RegionPrices {
  /** The region, for example `us-east-1`. */
  readonly region: string;
  /** On-demand: the price of one million write request units. */
  readonly onDemandWritePerMillion: number;
  /** On-demand: the price of one million read request units. */
  readonly onDemandReadPerMillion: number;
  /** On-demand global tables: the price of one million replicated write request units. */
  readonly onDemandReplicatedWritePerMillion: number;
  /** Provisioned: the price of one write capacity unit for one hour. */
  readonly provisionedWriteUnitHour: number;
  /** Provisioned: the price of one read capacity unit for one hour. */
  readonly provisionedReadUnitHour: number;
  /** Provisioned global tables: the price of one replicated write capacity unit for one hour. */
  readonly provisionedReplicatedWriteUnitHour: number;
  /** Standard table class storage: the price of one GB for one month. */
  readonly storageGbMonth: number;
  /** Point-in-time recovery (continuous backups): the price of one GB for one month. */
  readonly pointInTimeRecoveryGbMonth: number;
  /**
   * CloudWatch Contributor Insights for DynamoDB: the price of one rule for one month.
   *
   * @default - none: an estimate with contributor insights on fails, naming this field
   */
  readonly contributorInsightsRuleMonth?: number;
  /**
   * CloudWatch Contributor Insights for DynamoDB: the price of one million DynamoDB events.
   *
   * @default - none: an estimate with contributor insights on fails, naming this field
   */
  readonly contributorInsightsEventsPerMillion?: number;
  /**
   * AWS KMS: the price of one customer managed key for one month.
   *
   * @default - none: an estimate with customer managed keys fails, naming this field
   */
  readonly kmsKeyMonth?: number;
  /**
   * AWS KMS: the price of 10,000 requests (symmetric keys).
   *
   * @default - none: an estimate with customer managed keys fails, naming this field
   */
  readonly kmsRequestsPerTenThousand?: number;
}

/**
 * Where a group of prices comes from, and when it was read.
 */
export interface PriceSource {
  /** The date the prices were taken from their source (ISO 8601, `YYYY-MM-DD`). */
  readonly effectiveDate: string;
  /** Where the prices come from: a URL or a contract reference. */
  readonly source: string;
}

/**
 * A dated price table: where the prices come from and when they were read.
 */
export interface PriceTableProps {
  /** The date the prices were taken from their source (ISO 8601, `YYYY-MM-DD`). */
  readonly effectiveDate: string;
  /** Where the prices come from: a URL or a contract reference. */
  readonly source: string;
  /**
   * The currency of every price.
   *
   * @default 'USD'
   */
  readonly currency?: string;
  /** Prices per region. */
  readonly regions: RegionPrices[];
  /**
   * Where the contributor insights prices come from, when not from `source`.
   *
   * @default - `effectiveDate` and `source`
   */
  readonly contributorInsightsSource?: PriceSource;
  /**
   * Where the KMS prices come from, when not from `source`.
   *
   * @default - `effectiveDate` and `source`
   */
  readonly kmsSource?: PriceSource;
}

/**
 * The prices this library ships with: the public list prices of the Standard table class.
 *
 * Note: the only place prices are written down. Free tier, reserved capacity, data transfer and
 * Standard-IA are not included.
 */
const BUILT_IN: PriceTableProps = {
  // On-demand throughput was halved and global tables' replicated writes were brought to the price
  // of single-region writes on 2024-11-01; these are the us-east-1 prices since then.
  effectiveDate: '2024-11-01',
  source: 'https://aws.amazon.com/dynamodb/pricing/ (US East, N. Virginia; Standard table class)',
  currency: 'USD',
  regions: [{
    region: 'us-east-1',
    onDemandWritePerMillion: 0.625,
    onDemandReadPerMillion: 0.125,
    onDemandReplicatedWritePerMillion: 0.625,
    provisionedWriteUnitHour: 0.00065,
    provisionedReadUnitHour: 0.00013,
    provisionedReplicatedWriteUnitHour: 0.00065,
    storageGbMonth: 0.25,
    pointInTimeRecoveryGbMonth: 0.20,
    contributorInsightsRuleMonth: 0.50,
    contributorInsightsEventsPerMillion: 0.03,
    kmsKeyMonth: 1.00,
    kmsRequestsPerTenThousand: 0.03,
  }],
  // Contributor insights for DynamoDB: per rule-month and per million events, us-east-1. Which rules a
  // table or GSI gets (2, or 4 with a sort key) is in the DynamoDB developer guide.
  contributorInsightsSource: {
    effectiveDate: '2026-12-01',
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Contributor Insights for DynamoDB, US East, N. Virginia); rules per table and GSI: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/contributorinsights_HowItWorks.html',
  },
  // KMS: per customer managed key-month and per 10,000 symmetric requests, us-east-1. DynamoDB refreshes
  // the table key once every 5 minutes per caller with traffic (encryption at rest: how it works).
  kmsSource: {
    effectiveDate: '2026-12-01',
    source: 'https://aws.amazon.com/kms/pricing/ (US East, N. Virginia; the free tier of 20,000 requests a month is left out); key refreshes: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html',
  },
};

const PRICE_FIELDS: Array<keyof RegionPrices> = [
  'onDemandWritePerMillion', 'onDemandReadPerMillion', 'onDemandReplicatedWritePerMillion',
  'provisionedWriteUnitHour', 'provisionedReadUnitHour', 'provisionedReplicatedWriteUnitHour',
  'storageGbMonth', 'pointInTimeRecoveryGbMonth',
];
const OPTIONAL_PRICE_FIELDS: Array<keyof RegionPrices> = [
  'contributorInsightsRuleMonth', 'contributorInsightsEventsPerMillion', 'kmsKeyMonth', 'kmsRequestsPerTenThousand',
];

/**
 * DynamoDB prices per region, with the date and source they were taken from.
 *
 * Use `PriceTable.builtIn()` for the public list prices this release knows, or `PriceTable.custom()`
 * (or `withRegion()`) for another region, a newer price list or negotiated prices.
 */
export class PriceTable {
  /**
   * The list prices shipped with this release (see `effectiveDate` and `source`).
   */
  public static builtIn(): PriceTable {
    return new PriceTable(BUILT_IN);
  }

  /**
   * A price table of your own.
   *
   * @param props the prices, their date and their source
   */
  public static custom(props: PriceTableProps): PriceTable {
    return new PriceTable(props);
  }

  /**
   * A price table from parsed JSON of the same shape as `PriceTableProps` (what `toJson()` returns).
   *
   * @param json the parsed JSON
   */
  public static fromJson(json: any): PriceTable {
    if (json === null || typeof json !== 'object') {
      throw new Error(`The price table is ${JSON.stringify(json)}: it must be an object with effectiveDate, source and regions.`);
    }
    return new PriceTable(json as PriceTableProps);
  }

  private static validateRegion(prop: string, r: RegionPrices): void {
    if (r === null || typeof r !== 'object' || typeof r.region !== 'string' || r.region.length === 0) {
      throw new Error(`\`${prop}.region\` is missing: name the region the prices are for, for example 'eu-west-1'.`);
    }
    for (const field of [...PRICE_FIELDS, ...OPTIONAL_PRICE_FIELDS]) {
      const value = r[field] as unknown;
      if (value === undefined && OPTIONAL_PRICE_FIELDS.includes(field)) {
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new Error(`\`${prop}.${field}\` of ${r.region} is ${JSON.stringify(value)}: every price must be a number of at least 0.`);
      }
    }
  }
  /** The date the prices were taken from their source. */
  public readonly effectiveDate: string;
  /** Where the prices come from. */
  public readonly source: string;
  /** The currency of every price. */
  public readonly currency: string;
  /** The regions the table has prices for. */
  public readonly regions: string[];
  /** Where the contributor insights prices come from. */
  public readonly contributorInsightsSource: PriceSource;
  /** Where the KMS prices come from. */
  public readonly kmsSource: PriceSource;

  private readonly prices: RegionPrices[];

  private constructor(props: PriceTableProps) {
    if (typeof props.effectiveDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(props.effectiveDate)) {
      throw new Error(`\`effectiveDate\` is ${JSON.stringify(props.effectiveDate)}: date the prices as YYYY-MM-DD, the day they were read from their source.`);
    }
    if (typeof props.source !== 'string' || props.source.trim().length === 0) {
      throw new Error('`source` is empty: say where the prices come from (a URL or a contract reference), so an estimate can be checked.');
    }
    if (!Array.isArray(props.regions) || props.regions.length === 0) {
      throw new Error('`regions` is empty: give the prices of at least one region.');
    }
    props.regions.forEach((r, i) => PriceTable.validateRegion(`regions[${i}]`, r));
    for (const [prop, given] of [['contributorInsightsSource', props.contributorInsightsSource], ['kmsSource', props.kmsSource]] as const) {
      if (given !== undefined && (typeof given?.source !== 'string' || given.source.trim() === '' || !/^\d{4}-\d{2}-\d{2}$/.test(String(given.effectiveDate)))) {
        throw new Error(`\`${prop}\` is ${JSON.stringify(given)}: give { effectiveDate: 'YYYY-MM-DD', source: '<URL or contract reference>' }, or leave it out to use the table's own date and source.`);
      }
    }
    this.effectiveDate = props.effectiveDate;
    this.source = props.source;
    this.currency = props.currency ?? 'USD';
    this.prices = props.regions.map((r) => ({ ...r }));
    this.regions = this.prices.map((r) => r.region);
    const own = { effectiveDate: props.effectiveDate, source: props.source };
    this.contributorInsightsSource = { ...(props.contributorInsightsSource ?? own) };
    this.kmsSource = { ...(props.kmsSource ?? own) };
  }

  /**
   * The prices of one region.
   *
   * @param region the region, for example `us-east-1`
   */
  public forRegion(region: string): RegionPrices {
    const prices = this.prices.find((r) => r.region === region);
    if (prices === undefined) {
      throw new Error(`\`region\` is '${region}', which this price table (${this.effectiveDate}, ${this.source}) has no prices for: it has ${this.regions.join(', ')}. Add the region's prices with PriceTable.withRegion() or a prices file (--prices).`);
    }
    return { ...prices };
  }

  /**
   * A copy of this table with the prices of one region added or replaced.
   *
   * @param prices the region's prices
   * @param effectiveDate the date of the new prices; this table's date when omitted
   */
  public withRegion(prices: RegionPrices, effectiveDate?: string): PriceTable {
    return new PriceTable({
      effectiveDate: effectiveDate ?? this.effectiveDate,
      source: this.source,
      currency: this.currency,
      regions: [...this.prices.filter((r) => r.region !== prices.region), prices],
      contributorInsightsSource: this.contributorInsightsSource,
      kmsSource: this.kmsSource,
    });
  }

  /** The table as JSON, in the shape `fromJson()` reads. */
  public toJson(): any {
    return {
      effectiveDate: this.effectiveDate,
      source: this.source,
      currency: this.currency,
      regions: this.prices.map((r) => ({ ...r })),
      contributorInsightsSource: { ...this.contributorInsightsSource },
      kmsSource: { ...this.kmsSource },
    };
  }
}
