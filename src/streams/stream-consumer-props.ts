import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ITable, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IdempotencyTable } from './idempotency-table';
import { ParkedRecordsTable } from './parked-records-table';
import { StreamFilter } from './stream-filter';

/**
 * Alarm thresholds of a `TableStreamConsumer`.
 */
export interface StreamConsumerAlarmThresholds {
  /**
   * Alarm when the age of the newest record the function received (the maximum `IteratorAge` over
   * one minute) reaches this: the consumer is falling behind the table's writes.
   *
   * @default Duration.minutes(5)
   */
  readonly iteratorAge?: Duration;

  /**
   * Alarm when the dead-letter queue holds this many messages: records were given up on.
   *
   * @default 1
   */
  readonly deadLetterMessages?: number;

  /**
   * Alarm when the function fails this many invocations within five minutes.
   *
   * Note: records reported in a partial batch response are not function errors.
   *
   * @default 1
   */
  readonly errors?: number;

  /**
   * Alarm when the function is throttled this many times within five minutes.
   *
   * @default 1
   */
  readonly throttles?: number;

  /**
   * Alarm when the handler parks this many records within five minutes (the sum of the `ParkedRecords`
   * metric): a record failed its bounded attempts and waits, with the later records of its item key, for a redrive.
   *
   * @default 1
   */
  readonly parkedRecords?: number;
}

/**
 * Properties of a `TableStreamConsumer`.
 */
export interface TableStreamConsumerProps {
  /**
   * The table whose stream is consumed: a `BlueprintTable`, or any table with a stream.
   *
   * Note: for an imported table, give `tableStreamArn` in `Table.fromTableAttributes()`.
   */
  readonly table: ITable;

  /**
   * The function that processes the records: a `Function` (for example a `NodejsFunction`), an alias or
   * version of one, or an imported function. It must return a partial batch response
   * (`{ batchItemFailures }`), as Powertools' `processPartialResponse` does.
   *
   * Note: the consumer sets the handler's environment variables (the idempotency and parked-records table
   * names) on the function it can reach: the function itself, the function of an alias or version
   * (`fn.currentVersion`, which republishes when the environment changes). An imported function, or a
   * version published by hand, cannot get them: set them where the function is defined, from
   * `idempotencyTable.tableName` and `parkedRecordsTable.tableName`, and pass `setHandlerEnvironment: false`.
   * An imported function needs its role (`Function.fromFunctionAttributes({ functionArn, role })`) for the grants.
   */
  readonly handler: lambda.IFunction;

  /**
   * Whether the consumer sets the handler's environment variables (`IDEMPOTENCY_TABLE_NAME`,
   * `PARKED_RECORDS_TABLE_NAME`). Turn it off only for a handler whose environment is set elsewhere.
   *
   * @default true
   */
  readonly setHandlerEnvironment?: boolean;

  /**
   * The images the handler reads: the table's stream must carry at least these.
   *
   * `NEW_AND_OLD_IMAGES` lets the handler tell what changed (for example a status change from any other update).
   *
   * @default StreamViewType.NEW_AND_OLD_IMAGES
   */
  readonly requiredStreamViewType?: StreamViewType;

  /**
   * Where the consumer starts in the stream.
   *
   * @default StartingPosition.TRIM_HORIZON (the oldest record still in the stream: nothing written before the deployment is skipped)
   */
  readonly startingPosition?: lambda.StartingPosition;

  /**
   * The most records per invocation.
   *
   * @default 100
   */
  readonly batchSize?: number;

  /**
   * How long Lambda gathers records before it invokes the function, to fill larger batches.
   *
   * @default - no wait (Duration.seconds(0))
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Whether a failed batch is split in two and each half retried, until the failing record is alone.
   *
   * @default true
   */
  readonly bisectBatchOnError?: boolean;

  /**
   * How many times a failing batch is retried before its records go to the dead-letter queue.
   *
   * Note: a failing record blocks the records after it in its shard until it is given up on, so retries
   * must be bounded (Lambda's default is to retry until the record leaves the stream, 24 hours later).
   * Ten retries bisect a batch of 100 down to the failing record (7 splits) and still retry it alone.
   *
   * @default 10
   */
  readonly retryAttempts?: number;

  /**
   * Records older than this are sent to the dead-letter queue without being processed.
   *
   * Note: the dead-letter queue receives the shard and sequence numbers of the records, not the records,
   * and the stream keeps records 24 hours: one hour leaves 23 hours to read them back and replay them.
   * Between 1 minute and 24 hours.
   *
   * @default Duration.hours(1)
   */
  readonly maxRecordAge?: Duration;

  /**
   * How many batches of each shard are processed at the same time (1 to 10). Records of one item key
   * always stay in order.
   *
   * @default 1
   */
  readonly parallelizationFactor?: number;

  /**
   * Event filters: only records matching one of them invoke the function (at most 5).
   *
   * @default - every record
   */
  readonly filters?: StreamFilter[];

  /**
   * Where the mapping sends the description of records it gives up on.
   *
   * @default - an SQS queue encrypted with a customer-managed KMS key, TLS only, keeping messages 14 days
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Whether the handler gets an idempotency table (read and write access, and its name in an environment variable).
   *
   * @default true
   */
  readonly idempotency?: boolean;

  /**
   * The idempotency table, to share one between consumers.
   *
   * @default - a new `IdempotencyTable` for this consumer, when `idempotency` is on
   */
  readonly idempotencyTable?: IdempotencyTable;

  /**
   * The environment variable that carries the idempotency table name to the handler.
   *
   * @default 'IDEMPOTENCY_TABLE_NAME'
   */
  readonly idempotencyTableEnvironmentVariable?: string;

  /**
   * Whether the handler gets a parked-records table (its name in `PARKED_RECORDS_TABLE_NAME`, item access)
   * and an alarm on the `ParkedRecords` metric it emits.
   *
   * @default true
   */
  readonly parkRecords?: boolean;

  /**
   * The parked-records table, to share one between consumers.
   *
   * @default - a new `ParkedRecordsTable` for this consumer, when `parkRecords` is on
   */
  readonly parkedRecordsTable?: ParkedRecordsTable;

  /**
   * The consumer's stable identity, which names its records' markers in the idempotency table and its items
   * in the parked-records table (set on the handler as `STREAM_CONSUMER_ID`). Renaming or replacing the
   * function keeps it, so records already applied are not applied again.
   *
   * Note: changing it (or, when it is not set, moving or renaming this construct) makes the records still
   * in the stream look new: they are applied again. Consumers sharing an idempotency or parked-records table
   * must have different identities. Letters, digits, `-`, `_`, `.` and `/`; at most 200 characters.
   *
   * @default - this construct's path in the app (for example `TaskTracker/OpenTaskCounter`)
   */
  readonly consumerId?: string;

  /**
   * Alarm thresholds.
   *
   * @default - see each threshold
   */
  readonly alarmThresholds?: StreamConsumerAlarmThresholds;

  /**
   * An SNS topic notified when an alarm fires.
   *
   * @default - no topic; see `alarmActions`
   */
  readonly alarmTopic?: ITopic;

  /**
   * Actions run when an alarm fires, in addition to `alarmTopic`.
   *
   * Note: an alarm without any action pages nobody, and the NIST 800-53 pack reports it.
   *
   * @default - none
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}
