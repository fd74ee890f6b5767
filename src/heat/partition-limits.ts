/**
 * The throughput one partition serves, as the lesson gives it: a guideline of 3,000 read units and
 * 1,000 write units per second.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */
export class PartitionLimits {
  /** Read units per second one partition serves. */
  public static readonly READ_UNITS_PER_SECOND = 3000;
  /** Write units per second one partition serves. */
  public static readonly WRITE_UNITS_PER_SECOND = 1000;
  /**
   * The share of a partition's limits a key value may use before the forecast warns: 0.8 leaves a fifth for
   * the error in a forecast peak and for bursts shorter than a second.
   */
  public static readonly DEFAULT_UTILIZATION = 0.8;

  private constructor() {}
}

/**
 * How the forecast reads a key's load against the partition limits.
 */
export enum HeatLevel {
  /** At or under `utilization` x the limits. */
  OK = 'OK',
  /** Above `utilization` x the limits, at or under the limits: a synth warning. */
  WARNING = 'WARNING',
  /** Above a partition's limits: requests to the value throttle whatever the table's capacity. A synth error. */
  ERROR = 'ERROR',
}
