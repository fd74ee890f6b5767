import { Duration } from 'aws-cdk-lib';
import { IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { hostError } from '../private/host-language';

/** Properties of a `TableMetricFactory`. */
export interface TableMetricFactoryProps {
  /** The table, defined in this app or imported. */
  readonly table: ITable;

  /**
   * The period of every metric.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

/** Which capacity a utilization metric divides by. */
export abstract class CapacityLimit {
  /** The table's provisioned capacity (`ProvisionedRead/WriteCapacityUnits`). */
  public static provisioned(): CapacityLimit {
    return new MetricLimit('Provisioned');
  }

  /**
   * The on-demand maximum set on the table, in request units per second.
   *
   * @param maxReadRequestUnits the table's `maxReadRequestUnits`
   * @param maxWriteRequestUnits the table's `maxWriteRequestUnits`
   */
  public static onDemandMaximum(maxReadRequestUnits: number, maxWriteRequestUnits: number): CapacityLimit {
    for (const [name, value] of [['maxReadRequestUnits', maxReadRequestUnits], ['maxWriteRequestUnits', maxWriteRequestUnits]] as const) {
      if (!Number.isFinite(value) || value <= 0) {
        throw hostError(`\`${name}\` is ${value}: the on-demand maximum must be a positive number of request units per second.`);
      }
    }
    return new FixedLimit(maxReadRequestUnits, maxWriteRequestUnits);
  }

  /** The account's per-table quota (`AccountMaxTableLevelReads/Writes`), for on-demand tables without a maximum. */
  public static accountTableQuota(): CapacityLimit {
    return new MetricLimit('AccountMaxTableLevel');
  }

  /** @internal */
  public abstract _render(factory: TableMetricFactory, kind: 'Read' | 'Write'): { expression: string; metrics: Record<string, IMetric> };
}

class MetricLimit extends CapacityLimit {
  constructor(private readonly source: 'Provisioned' | 'AccountMaxTableLevel') {
    super();
  }
  public _render(factory: TableMetricFactory, kind: 'Read' | 'Write') {
    const limit = this.source === 'Provisioned'
      ? factory.metric(`Provisioned${kind}CapacityUnits`, 'Average')
      : factory.accountMetric(`AccountMaxTableLevel${kind}s`, 'Maximum');
    return { expression: `limit${kind}`, metrics: { [`limit${kind}`]: limit } };
  }
}

class FixedLimit extends CapacityLimit {
  constructor(private readonly read: number, private readonly write: number) {
    super();
  }
  public _render(_factory: TableMetricFactory, kind: 'Read' | 'Write') {
    return { expression: String(kind === 'Read' ? this.read : this.write), metrics: {} };
  }
}

/**
 * CloudWatch metrics of one DynamoDB table, named as cdk-monitoring-constructs names them where it has them.
 * Every metric comes from the table's own `metric*` methods, so it works for any `ITable` and for
 * tables in other stacks.
 */
export class TableMetricFactory {
  /**
   * The operations whose system errors are summed: the ten data-plane calls applications make most.
   * A CloudWatch alarm on metric math may read at most 10 metrics.
   */
  public static readonly SYSTEM_ERROR_OPERATIONS: string[] = [
    'GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
  ];

  /** The period of every metric. */
  public readonly period: Duration;
  private readonly table: ITable;

  constructor(props: TableMetricFactoryProps) {
    this.table = props.table;
    this.period = props.period ?? Duration.minutes(5);
    const seconds = this.period.toSeconds();
    if (seconds < 60 || seconds % 60 !== 0) {
      throw hostError(`\`period\` is ${seconds} seconds: DynamoDB publishes metrics every minute, so use a whole number of minutes.`);
    }
  }

  /** A metric of the table, optionally of one of its global secondary indexes. */
  public metric(metricName: string, statistic: string, indexName?: string): Metric {
    return this.table.metric(metricName, {
      statistic,
      period: this.period,
      dimensionsMap: indexName === undefined
        ? { TableName: this.table.tableName }
        : { TableName: this.table.tableName, GlobalSecondaryIndexName: indexName },
    });
  }

  /** A metric of the account and region, such as `AccountMaxTableLevelReads` (no dimensions). */
  public accountMetric(metricName: string, statistic: string): Metric {
    return this.table.metric(metricName, { statistic, period: this.period, dimensionsMap: {} });
  }

  /** Read requests throttled in each period (`ReadThrottleEvents`, Sum). */
  public metricReadThrottledEventsCount(indexName?: string): Metric {
    return this.metric('ReadThrottleEvents', 'Sum', indexName);
  }

  /** Write requests throttled in each period (`WriteThrottleEvents`, Sum). */
  public metricWriteThrottledEventsCount(indexName?: string): Metric {
    return this.metric('WriteThrottleEvents', 'Sum', indexName);
  }

  /**
   * HTTP 500 errors of the table, summed over `SYSTEM_ERROR_OPERATIONS`.
   *
   * Unlike `ITable.metricSystemErrorsForOperations()`, each operation counts as 0 when it has no data
   * point: DynamoDB publishes `SystemErrors` only when an error happens, and a sum over missing
   * values is missing, so an alarm on the plain sum would only fire when every operation fails at once.
   */
  public metricSystemErrorsCount(): IMetric {
    const metrics: Record<string, IMetric> = {};
    TableMetricFactory.SYSTEM_ERROR_OPERATIONS.forEach((operation, i) => {
      metrics[`e${i}`] = this.table.metric('SystemErrors', {
        statistic: 'Sum',
        period: this.period,
        dimensionsMap: { TableName: this.table.tableName, Operation: operation },
      });
    });
    return new MathExpression({
      expression: Object.keys(metrics).map((k) => `FILL(${k}, 0)`).join(' + '),
      usingMetrics: metrics,
      label: 'System errors',
      period: this.period,
    });
  }

  /**
   * HTTP 400 errors of every table in the account and region (`UserErrors` has no table dimension):
   * failed validation, missing permissions, bad requests.
   */
  public metricUserErrorsCount(): Metric {
    return this.table.metricUserErrors({ statistic: 'Sum', period: this.period });
  }

  /** Conditional writes whose condition was false (`ConditionalCheckFailedRequests`, Sum). */
  public metricConditionalCheckFailedCount(): Metric {
    return this.table.metricConditionalCheckFailedRequests({ statistic: 'Sum', period: this.period });
  }

  /** Read capacity units consumed per second, averaged over the period. */
  public metricConsumedReadCapacityUnitsPerSecond(indexName?: string): IMetric {
    return this.perSecond('ConsumedReadCapacityUnits', 'Consumed read units per second', indexName);
  }

  /** Write capacity units consumed per second, averaged over the period. */
  public metricConsumedWriteCapacityUnitsPerSecond(indexName?: string): IMetric {
    return this.perSecond('ConsumedWriteCapacityUnits', 'Consumed write units per second', indexName);
  }

  /** Consumed read capacity as a percentage of `limit`. */
  public metricReadCapacityUtilizationPercent(limit: CapacityLimit): IMetric {
    return this.utilization('Read', limit);
  }

  /** Consumed write capacity as a percentage of `limit`. */
  public metricWriteCapacityUtilizationPercent(limit: CapacityLimit): IMetric {
    return this.utilization('Write', limit);
  }

  /** Average time for a change to reach the replica in `receivingRegion` (`ReplicationLatency`, Average). */
  public metricReplicationLatency(receivingRegion: string): Metric {
    return this.table.metric('ReplicationLatency', {
      statistic: 'Average',
      period: this.period,
      dimensionsMap: { TableName: this.table.tableName, ReceivingRegion: receivingRegion },
    });
  }

  /** Average latency of successful calls of one operation (`SuccessfulRequestLatency`, Average). */
  public metricSuccessfulRequestLatency(operation: string): Metric {
    return this.table.metricSuccessfulRequestLatency({
      statistic: 'Average',
      period: this.period,
      dimensionsMap: { TableName: this.table.tableName, Operation: operation },
    });
  }

  private perSecond(metricName: string, label: string, indexName?: string): IMetric {
    const id = metricName.charAt(0).toLowerCase() + metricName.slice(1);
    return new MathExpression({
      expression: `${id} / ${this.period.toSeconds()}`,
      usingMetrics: { [id]: this.metric(metricName, 'Sum', indexName) },
      label,
      period: this.period,
    });
  }

  private utilization(kind: 'Read' | 'Write', limit: CapacityLimit): IMetric {
    const rendered = limit._render(this, kind);
    return new MathExpression({
      expression: `100 * (consumed${kind} / ${this.period.toSeconds()}) / ${rendered.expression}`,
      usingMetrics: { [`consumed${kind}`]: this.metric(`Consumed${kind}CapacityUnits`, 'Sum'), ...rendered.metrics },
      label: `${kind} capacity utilization (%)`,
      period: this.period,
    });
  }
}
