import { Duration } from 'aws-cdk-lib';

/** When an alarm fires: how many of the last periods must breach. */
export interface AlarmEvaluation {
  /**
   * How many recent periods the alarm looks at.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of those periods must breach; fewer than `evaluationPeriods` ignores a single blip.
   *
   * @default 2
   */
  readonly datapointsToAlarm?: number;
}

/** An alarm on throttled read or write events (the threshold field is named as in cdk-monitoring-constructs). */
export interface ThrottleAlarmThreshold extends AlarmEvaluation {
  /**
   * Alarm when more events than this are throttled in one period.
   *
   * @default 10
   */
  readonly maxThrottledEventsThreshold?: number;
}

/** An alarm on a count of errors (the threshold field is named as in cdk-monitoring-constructs). */
export interface ErrorAlarmThreshold extends AlarmEvaluation {
  /**
   * Alarm when more errors than this happen in one period.
   *
   * @default 0
   */
  readonly maxErrorCount?: number;
}

/** An alarm on consumed capacity as a percentage of what the table can use. */
export interface CapacityUtilizationThreshold extends AlarmEvaluation {
  /**
   * Alarm when consumption exceeds this percentage of the provisioned capacity, of the on-demand
   * maximum, or (on-demand without a maximum) of the account's per-table quota.
   *
   * @default 80
   */
  readonly maxUtilizationPercent?: number;
}

/** An alarm on replication latency to a replica region. */
export interface ReplicationLatencyThreshold extends AlarmEvaluation {
  /**
   * Alarm when the average replication latency in one period exceeds this.
   *
   * @default Duration.minutes(1)
   */
  readonly maxLatency?: Duration;
}
