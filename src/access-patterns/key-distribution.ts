import { hostError } from '../private/host-language';

/**
 * The time bucket a time-based partition key holds: every write of the current bucket goes to one value.
 */
export enum TimeBucket {
  /** One value per hour (e.g. `2026-06-15T14`). */
  HOUR = 'HOUR',
  /** One value per day (e.g. `2026-06-15`). */
  DAY = 'DAY',
  /** One value per month (e.g. `2026-06`). */
  MONTH = 'MONTH',
}

/** Above this many values, the Zipf normalisation is summed exactly up to it and integrated beyond. */
const EXACT_ZIPF_TERMS = 1_000_000;
/** The most distinct values a distribution takes: more than any table holds keys for. */
const MAX_VALUES = 1e15;

/**
 * How the requests of an access pattern (or the writes of an item type) spread over the values of the
 * partition key they use. The hottest value's share is what decides whether one partition runs hot.
 *
 * @example
 * KeyDistribution.zipf(10_000, 1); // a few tenants make most of the traffic
 */
export abstract class KeyDistribution {
  /**
   * Every one of `values` partition-key values takes the same share: `1 / values`.
   *
   * @param values the number of distinct partition-key values the requests use
   */
  public static uniform(values: number): KeyDistribution {
    validateValues('KeyDistribution.uniform()', values);
    return KeyDistribution.of('UNIFORM', `uniform over ${count(values)} values`, values, undefined, undefined,
      (rank) => (rank <= values ? 1 / values : 0));
  }

  /**
   * The hottest value takes `share` of the requests; the rest spread evenly over the other `values - 1`.
   *
   * Note: without `values`, only the hottest value is known; the rest is taken to be spread thin.
   *
   * @param share the hottest value's share of the requests, above 0 and at most 1 (0.3 for 30%)
   * @param values the number of distinct partition-key values, if known
   */
  public static hottestShare(share: number, values?: number): KeyDistribution {
    const where = 'KeyDistribution.hottestShare()';
    if (typeof share !== 'number' || !Number.isFinite(share) || share <= 0 || share > 1) {
      throw hostError(`\`${where}\` \`share\` is ${share}: a share is a fraction above 0 and at most 1, for example 0.3 for 30% of the requests.`);
    }
    if (values !== undefined) {
      validateValues(where, values);
      if (share < 1 / values - 1e-12) {
        throw hostError(`\`${where}\` \`share\` is ${share} over ${count(values)} values, less than the even share 1/${count(values)} = ${Number((1 / values).toPrecision(3))}: `
          + 'the hottest value takes at least the even share. Raise the share, lower `values`, or use `KeyDistribution.uniform()`.');
      }
      if (values === 1 && share !== 1) {
        throw hostError(`\`${where}\` \`share\` is ${share} over 1 value: a single value takes every request. Use share 1, or give the number of values.`);
      }
    }
    const label = `hottest value takes ${percent(share)}${values === undefined ? '' : ` of ${count(values)} values`}`;
    return KeyDistribution.of('HOTTEST_SHARE', label, values, undefined, undefined, (rank) => {
      if (rank === 1) {
        return share;
      }
      return values === undefined || rank > values ? 0 : (1 - share) / (values - 1);
    });
  }

  /**
   * Zipf's law over `values` values: the value of rank k takes `k^-s / H(values, s)`, where
   * `H(values, s) = 1^-s + 2^-s + ... + values^-s`. With s = 1 the top value of 4 takes 1 / (1 + 1/2 + 1/3 + 1/4) = 48%.
   *
   * @param values the number of distinct partition-key values
   * @param exponent the exponent s, 0 (uniform) to 10; about 1 for popularity (users, products, tenants)
   */
  public static zipf(values: number, exponent: number): KeyDistribution {
    const where = 'KeyDistribution.zipf()';
    validateValues(where, values);
    if (typeof exponent !== 'number' || !Number.isFinite(exponent) || exponent < 0 || exponent > 10) {
      throw hostError(`\`${where}\` \`exponent\` is ${exponent}: the Zipf exponent s is a number from 0 (uniform) to 10; about 1 describes popularity (users, products, tenants).`);
    }
    const h = harmonic(values, exponent);
    return KeyDistribution.of('ZIPF', `Zipf over ${count(values)} values, s = ${exponent}`, values, exponent, undefined,
      (rank) => (rank <= values ? rank ** -exponent / h : 0));
  }

  /**
   * A time-based partition key: every request of the current hour, day or month goes to one value, however
   * many buckets the table holds. The current bucket takes 100%: a time bucket is always hot.
   *
   * @param bucket the bucket the key holds
   */
  public static timeBucket(bucket: TimeBucket): KeyDistribution {
    if (!Object.values(TimeBucket).includes(bucket)) {
      throw hostError(`\`KeyDistribution.timeBucket()\` \`bucket\` is ${JSON.stringify(bucket)}: it must be TimeBucket.HOUR, TimeBucket.DAY or TimeBucket.MONTH.`);
    }
    const unit = bucket.toLowerCase();
    return KeyDistribution.of('TIME_BUCKET', `time bucket: every request of the current ${unit} on one value`, undefined, undefined, bucket,
      (rank) => (rank === 1 ? 1 : 0));
  }

  private static of(
    kind: string,
    description: string,
    values: number | undefined,
    exponent: number | undefined,
    bucket: TimeBucket | undefined,
    share: (rank: number) => number,
  ): KeyDistribution {
    return new (class extends KeyDistribution {})(kind, description, values, exponent, bucket, share);
  }

  /** `UNIFORM`, `HOTTEST_SHARE`, `ZIPF` or `TIME_BUCKET`. */
  public readonly kind: string;

  /** The distribution in words, e.g. `Zipf over 1,000 values, s = 1`. */
  public readonly description: string;

  /**
   * The number of distinct values.
   *
   * @default - not known (a hottest share without a count) or unbounded (a time bucket)
   */
  public readonly values?: number;

  /**
   * The Zipf exponent.
   *
   * @default - not a Zipf distribution
   */
  public readonly exponent?: number;

  /**
   * The time bucket.
   *
   * @default - not a time bucket
   */
  public readonly bucket?: TimeBucket;

  /** The hottest value's share of the requests, above 0 and at most 1. */
  public readonly hottestValueShare: number;

  private readonly share: (rank: number) => number;

  private constructor(
    kind: string,
    description: string,
    values: number | undefined,
    exponent: number | undefined,
    bucket: TimeBucket | undefined,
    share: (rank: number) => number,
  ) {
    this.kind = kind;
    this.description = description;
    this.values = values;
    this.exponent = exponent;
    this.bucket = bucket;
    this.share = share;
    this.hottestValueShare = share(1);
  }

  /**
   * The share of the requests the value of a rank takes: rank 1 is the hottest.
   *
   * Note: 0 where the distribution does not know (the other values of a hottest share without a count, the
   * past buckets of a time bucket).
   *
   * @param rank the rank, from 1
   */
  public shareOfRank(rank: number): number {
    if (!Number.isInteger(rank) || rank < 1) {
      throw hostError(`\`rank\` is ${rank}: ranks are whole numbers from 1 (the hottest value).`);
    }
    return this.share(rank);
  }
}

function validateValues(where: string, values: number): void {
  if (typeof values !== 'number' || !Number.isInteger(values) || values < 1 || values > MAX_VALUES) {
    throw hostError(`\`${where}\` \`values\` is ${values}: the number of distinct partition-key values is a whole number from 1 to ${MAX_VALUES.toExponential()}.`);
  }
}

/** H(n, s) = sum of k^-s for k = 1..n: summed exactly up to a million terms, the tail integrated (midpoint rule). */
function harmonic(n: number, s: number): number {
  const exact = Math.min(n, EXACT_ZIPF_TERMS);
  let sum = 0;
  // Smallest terms first, for precision.
  for (let k = exact; k >= 1; k--) {
    sum += k ** -s;
  }
  if (n > exact) {
    const a = exact + 0.5;
    const b = n + 0.5;
    sum += s === 1 ? Math.log(b / a) : (b ** (1 - s) - a ** (1 - s)) / (1 - s);
  }
  return sum;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}
