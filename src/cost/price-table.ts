import { hostError } from '../private/host-language';

/**
 * DynamoDB list prices of one region, in the price table's currency: the Standard table class's reads,
 * writes, storage and point-in-time recovery (the fields of `TableClassPrices`), and the rest.
 */
export interface RegionPrices extends TableClassPrices {
  /** The region, for example `us-east-1`. */
  readonly region: string;
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
  /**
   * The Standard-Infrequent Access table class: its throughput, storage and point-in-time recovery prices
   * (the fields above are the Standard class's).
   *
   * @default - none: an estimate for Standard-IA fails, naming this field, and no table class is recommended
   */
  readonly standardInfrequentAccess?: TableClassPrices;
  /**
   * Reserved capacity: the 1- and 3-year prices of blocks of 100 provisioned capacity units.
   *
   * @default - none: the estimate has no reserved capacity figures
   */
  readonly reservedCapacity?: ReservedCapacityPrices;
}

/**
 * The prices of one table class in one region, for the items that differ between the classes.
 *
 * Note: global secondary indexes are priced at their table's class; contributor insights, KMS and AWS
 * Backup prices do not depend on the table class.
 */
export interface TableClassPrices {
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
  /** Storage: the price of one GB for one month. */
  readonly storageGbMonth: number;
  /** Point-in-time recovery (continuous backups): the price of one GB for one month. */
  readonly pointInTimeRecoveryGbMonth: number;
}

/**
 * Reserved capacity for one term: a one-time upfront payment and an hourly price, per block of 100
 * provisioned capacity units.
 */
export interface ReservedTermPrices {
  /** The upfront payment for 100 write capacity units. */
  readonly writeUpfrontPer100Units: number;
  /** The hourly price of 100 reserved write capacity units, every hour of the term. */
  readonly writeHourlyPer100Units: number;
  /** The upfront payment for 100 read capacity units. */
  readonly readUpfrontPer100Units: number;
  /** The hourly price of 100 reserved read capacity units, every hour of the term. */
  readonly readHourlyPer100Units: number;
}

/**
 * Reserved capacity prices of one region.
 *
 * Note: reserved capacity applies to provisioned read and write capacity units of the Standard table class
 * (tables and their indexes) in the region where it is bought; not to on-demand, Standard-IA or replicated
 * write capacity units.
 */
export interface ReservedCapacityPrices {
  /**
   * A 1-year term.
   *
   * @default - not sold in this region
   */
  readonly oneYear?: ReservedTermPrices;
  /**
   * A 3-year term (sold in fewer regions than the 1-year term).
   *
   * @default - not sold in this region
   */
  readonly threeYear?: ReservedTermPrices;
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
  /**
   * Where the reserved capacity prices come from, when not from `source`.
   *
   * @default - `effectiveDate` and `source`
   */
  readonly reservedCapacitySource?: PriceSource;
}

/**
 * The prices this library ships with: the public list prices of both table classes and of reserved capacity.
 *
 * Note: the only place prices are written down. Free tier, data transfer, on-demand backups and AWS Backup
 * are not included.
 */
const BUILT_IN: PriceTableProps = {
  // On-demand throughput was halved and global tables' replicated writes were brought to the price
  // of single-region writes on 2024-11-01; these are the us-east-1 prices since then.
  effectiveDate: '2024-11-01',
  source: 'https://aws.amazon.com/dynamodb/pricing/ (US East, N. Virginia; Standard and Standard-IA table classes)',
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
    // Standard-IA: storage 60% below Standard, reads and writes 25% above it; PITR is priced per GB as for Standard.
    standardInfrequentAccess: {
      onDemandWritePerMillion: 0.78125,
      onDemandReadPerMillion: 0.15625,
      onDemandReplicatedWritePerMillion: 0.78125,
      provisionedWriteUnitHour: 0.00081,
      provisionedReadUnitHour: 0.00016,
      provisionedReplicatedWriteUnitHour: 0.00081,
      storageGbMonth: 0.10,
      pointInTimeRecoveryGbMonth: 0.20,
    },
    // Partial upfront, per 100 units: about 54% (1 year) and 77% (3 years) below the provisioned hourly prices.
    reservedCapacity: {
      oneYear: { writeUpfrontPer100Units: 150, writeHourlyPer100Units: 0.0128, readUpfrontPer100Units: 30, readHourlyPer100Units: 0.0025 },
      threeYear: { writeUpfrontPer100Units: 180, writeHourlyPer100Units: 0.0081, readUpfrontPer100Units: 36, readHourlyPer100Units: 0.0016 },
    },
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
  // Reserved capacity, partial upfront, US East (N. Virginia). What it applies to (single-region provisioned
  // RCUs and WCUs of tables and their indexes, Standard table class only, not replicated WCUs; 1-year terms in
  // every region, 3-year terms in some): the reserved capacity page of the DynamoDB developer guide.
  reservedCapacitySource: {
    effectiveDate: '2026-12-07',
    source: 'https://aws.amazon.com/dynamodb/pricing/provisioned/ (Reserved capacity, US East, N. Virginia); terms: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/reserved-capacity.html',
  },
};

const OPTIONAL_PRICE_FIELDS: Array<keyof RegionPrices> = [
  'contributorInsightsRuleMonth', 'contributorInsightsEventsPerMillion', 'kmsKeyMonth', 'kmsRequestsPerTenThousand',
];
const CLASS_PRICE_FIELDS: Array<keyof TableClassPrices> = [
  'onDemandWritePerMillion', 'onDemandReadPerMillion', 'onDemandReplicatedWritePerMillion',
  'provisionedWriteUnitHour', 'provisionedReadUnitHour', 'provisionedReplicatedWriteUnitHour',
  'storageGbMonth', 'pointInTimeRecoveryGbMonth',
];
const RESERVED_TERM_FIELDS: Array<keyof ReservedTermPrices> = [
  'writeUpfrontPer100Units', 'writeHourlyPer100Units', 'readUpfrontPer100Units', 'readHourlyPer100Units',
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
      throw hostError(`The price table is ${JSON.stringify(json)}: it must be an object with \`effectiveDate\`, \`source\` and \`regions\`.`);
    }
    return new PriceTable(json as PriceTableProps);
  }

  private static validateRegion(prop: string, r: RegionPrices): void {
    if (r === null || typeof r !== 'object' || typeof r.region !== 'string' || r.region.length === 0) {
      throw hostError(`\`${prop}.region\` is missing: name the region the prices are for, for example 'eu-west-1'.`);
    }
    const price = (field: string, value: unknown) => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw hostError(`\`${prop}.${field}\` of ${r.region} is ${JSON.stringify(value)}: every price must be a number of at least 0.`);
      }
    };
    for (const field of [...CLASS_PRICE_FIELDS, ...OPTIONAL_PRICE_FIELDS]) {
      const value = r[field] as unknown;
      if (value === undefined && OPTIONAL_PRICE_FIELDS.includes(field)) {
        continue;
      }
      price(field, value);
    }
    const nested = (field: string, value: unknown, fields: string[]) => {
      if (value === undefined) {
        return;
      }
      if (value === null || typeof value !== 'object') {
        throw hostError(`\`${prop}.${field}\` of ${r.region} is ${JSON.stringify(value)}: give an object with ${fields.join(', ')}, or leave it out.`);
      }
      fields.forEach((f) => price(`${field}.${f}`, (value as Record<string, unknown>)[f]));
    };
    nested('standardInfrequentAccess', r.standardInfrequentAccess, CLASS_PRICE_FIELDS);
    nested('reservedCapacity', r.reservedCapacity, []);
    nested('reservedCapacity.oneYear', r.reservedCapacity?.oneYear, RESERVED_TERM_FIELDS);
    nested('reservedCapacity.threeYear', r.reservedCapacity?.threeYear, RESERVED_TERM_FIELDS);
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
  /** Where the reserved capacity prices come from. */
  public readonly reservedCapacitySource: PriceSource;

  private readonly prices: RegionPrices[];

  private constructor(props: PriceTableProps) {
    if (typeof props.effectiveDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(props.effectiveDate)) {
      throw hostError(`\`effectiveDate\` is ${JSON.stringify(props.effectiveDate)}: date the prices as YYYY-MM-DD, the day they were read from their source.`);
    }
    if (typeof props.source !== 'string' || props.source.trim().length === 0) {
      throw hostError('`source` is empty: say where the prices come from (a URL or a contract reference), so an estimate can be checked.');
    }
    if (!Array.isArray(props.regions) || props.regions.length === 0) {
      throw hostError('`regions` is empty: give the prices of at least one region.');
    }
    props.regions.forEach((r, i) => PriceTable.validateRegion(`regions[${i}]`, r));
    const sources = [
      ['contributorInsightsSource', props.contributorInsightsSource],
      ['kmsSource', props.kmsSource],
      ['reservedCapacitySource', props.reservedCapacitySource],
    ] as const;
    for (const [prop, given] of sources) {
      if (given !== undefined && (typeof given?.source !== 'string' || given.source.trim() === '' || !/^\d{4}-\d{2}-\d{2}$/.test(String(given.effectiveDate)))) {
        throw hostError(`\`${prop}\` is ${JSON.stringify(given)}: give \`{ effectiveDate: 'YYYY-MM-DD', source: '<URL or contract reference>' }\`, or leave it out to use the table's own date and source.`);
      }
    }
    this.effectiveDate = props.effectiveDate;
    this.source = props.source;
    this.currency = props.currency ?? 'USD';
    this.prices = props.regions.map(copyRegion);
    this.regions = this.prices.map((r) => r.region);
    const own = { effectiveDate: props.effectiveDate, source: props.source };
    this.contributorInsightsSource = { ...(props.contributorInsightsSource ?? own) };
    this.kmsSource = { ...(props.kmsSource ?? own) };
    this.reservedCapacitySource = { ...(props.reservedCapacitySource ?? own) };
  }

  /**
   * The prices of one region.
   *
   * @param region the region, for example `us-east-1`
   */
  public forRegion(region: string): RegionPrices {
    const prices = this.prices.find((r) => r.region === region);
    if (prices === undefined) {
      throw hostError(`\`region\` is '${region}', which this price table (${this.effectiveDate}, ${this.source}) has no prices for: it has ${this.regions.join(', ')}. Add the region's prices with \`PriceTable.withRegion()\` or a prices file (--prices).`);
    }
    return copyRegion(prices);
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
      reservedCapacitySource: this.reservedCapacitySource,
    });
  }

  /** The table as JSON, in the shape `fromJson()` reads. */
  public toJson(): any {
    return {
      effectiveDate: this.effectiveDate,
      source: this.source,
      currency: this.currency,
      regions: this.prices.map(copyRegion),
      contributorInsightsSource: { ...this.contributorInsightsSource },
      kmsSource: { ...this.kmsSource },
      reservedCapacitySource: { ...this.reservedCapacitySource },
    };
  }
}

/** A deep copy: a caller's change to what it was given never reaches the table. */
function copyRegion(r: RegionPrices): RegionPrices {
  const reserved = r.reservedCapacity;
  return {
    ...r,
    standardInfrequentAccess: r.standardInfrequentAccess && { ...r.standardInfrequentAccess },
    reservedCapacity: reserved && {
      oneYear: reserved.oneYear && { ...reserved.oneYear },
      threeYear: reserved.threeYear && { ...reserved.threeYear },
    },
  };
}
