import { KeyDistribution } from './key-distribution';

/**
 * The requests a partition key receives: an average rate, how far peaks rise above it, and how the
 * requests spread over the key's values.
 */
export interface KeyTrafficProps {
  /**
   * The average number of requests per second (calls of the access pattern, or item writes).
   */
  readonly requestsPerSecond: number;

  /**
   * How many times the average the busiest second carries (a launch, a campaign, the daily peak).
   * The forecast compares the peak, `requestsPerSecond x peakFactor`, with the partition limits.
   *
   * @default 1
   */
  readonly peakFactor?: number;

  /**
   * How the requests spread over the partition key's values.
   */
  readonly distribution: KeyDistribution;
}
