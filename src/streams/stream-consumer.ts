import { createHash } from 'crypto';
import { Duration, Lazy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, ITable, StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { IdempotencyTable } from './idempotency-table';
import { ParkedRecordsTable } from './parked-records-table';
import { ParkedItemKey, RedriveAfterDeploymentOptions } from './redrive';
import { StreamFilter } from './stream-filter';
import { tableShape } from '../model/table-shape';
import { createLibraryKey, EncryptedResource } from '../private/kms-key';
import { BlueprintTable } from '../table/blueprint-table';

/** The longest a DynamoDB stream keeps a record. */
const STREAM_RETENTION = Duration.hours(24);
/** Lambda's limit on event filters per event source mapping. */
const MAX_FILTERS = 5;

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

/**
 * Connects a table's DynamoDB stream to a Lambda function, with what makes a consumer safe by default:
 * an event source mapping that starts at the oldest record, reports partial batch failures, bisects failing
 * batches and gives up after bounded retries; a dead-letter queue so that nothing given up on is lost; an
 * idempotency table for Powertools; and alarms on iterator age, dead letters, errors and throttles.
 *
 * @example
 * new TableStreamConsumer(this, 'OpenTaskCounter', { table: tasks, handler: counterFunction });
 */
export class TableStreamConsumer extends Construct {
  /** The environment variable the handler reads the idempotency table name from, unless `idempotencyTableEnvironmentVariable` says otherwise. */
  public static readonly IDEMPOTENCY_TABLE_ENVIRONMENT_VARIABLE = 'IDEMPOTENCY_TABLE_NAME';

  /** The environment variable the handler reads the parked-records table name from. */
  public static readonly PARKED_RECORDS_TABLE_ENVIRONMENT_VARIABLE = 'PARKED_RECORDS_TABLE_NAME';

  /** The environment variable the handler reads the consumer's stable identity from. */
  public static readonly CONSUMER_ID_ENVIRONMENT_VARIABLE = 'STREAM_CONSUMER_ID';

  /** The CloudWatch namespace of the metrics the runtime helpers emit. */
  public static readonly METRIC_NAMESPACE = 'CdkDynamoDBBlueprints';

  /** The metric (Count) the runtime helpers emit for each parked record, with dimension `FunctionName`. */
  public static readonly PARKED_RECORDS_METRIC_NAME = 'ParkedRecords';

  /** The dead-letter queue of records the mapping gave up on. */
  public readonly deadLetterQueue: sqs.IQueue;

  /** The idempotency table, unless `idempotency` is off. */
  public readonly idempotencyTable?: IdempotencyTable;

  /** The parked-records table, unless `parkRecords` is off. */
  public readonly parkedRecordsTable?: ParkedRecordsTable;

  /** The consumer's stable identity (`consumerId`), which names its markers and parked records. */
  public readonly consumerId: string;

  /** The event source mapping's id. */
  public readonly eventSourceMappingId: string;

  /** The event source mapping's ARN. */
  public readonly eventSourceMappingArn: string;

  /** Alarms when the consumer falls behind. */
  public readonly iteratorAgeAlarm: cloudwatch.Alarm;

  /** Alarms when records were sent to the dead-letter queue. */
  public readonly deadLetterQueueAlarm: cloudwatch.Alarm;

  /** Alarms when the function fails invocations. */
  public readonly errorsAlarm: cloudwatch.Alarm;

  /** Alarms when the function is throttled. */
  public readonly throttlesAlarm: cloudwatch.Alarm;

  /** Alarms when the handler parks records, unless `parkRecords` is off. */
  public readonly parkedRecordsAlarm?: cloudwatch.Alarm;

  /** The five alarms (four without parking), for dashboards or more actions. */
  public readonly alarms: cloudwatch.Alarm[];

  private readonly handler: lambda.IFunction;
  private readonly table: ITable;
  private redriveResource?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: TableStreamConsumerProps) {
    super(scope, id);
    validateProps(props);
    this.handler = props.handler;
    this.table = props.table;
    validateStream(props.table, props.requiredStreamViewType ?? StreamViewType.NEW_AND_OLD_IMAGES);
    validateFilterKeys(props.table, props.filters ?? []);
    const environmentTarget = environmentTargetOf(props.handler, props.setHandlerEnvironment ?? true);

    this.deadLetterQueue = props.deadLetterQueue ?? this.createDeadLetterQueue();

    const source = new DynamoEventSource(props.table, {
      startingPosition: props.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? 100,
      maxBatchingWindow: props.maxBatchingWindow,
      bisectBatchOnError: props.bisectBatchOnError ?? true,
      retryAttempts: props.retryAttempts ?? 10,
      maxRecordAge: props.maxRecordAge ?? Duration.hours(1),
      parallelizationFactor: props.parallelizationFactor ?? 1,
      reportBatchItemFailures: true,
      filters: props.filters?.map((f) => f._render()),
      onFailure: new LeastPrivilegeSqsDestination(this.deadLetterQueue),
    });
    props.handler.addEventSource(source);
    this.eventSourceMappingId = source.eventSourceMappingId;
    this.eventSourceMappingArn = source.eventSourceMappingArn;

    if (props.idempotency ?? true) {
      this.idempotencyTable = props.idempotencyTable ?? new IdempotencyTable(this, 'IdempotencyTable');
      this.idempotencyTable.grantIdempotency(props.handler);
      const variable = props.idempotencyTableEnvironmentVariable ?? TableStreamConsumer.IDEMPOTENCY_TABLE_ENVIRONMENT_VARIABLE;
      environmentTarget?.addEnvironment(variable, this.idempotencyTable.tableName);
    }
    if (props.parkRecords ?? true) {
      this.parkedRecordsTable = props.parkedRecordsTable ?? new ParkedRecordsTable(this, 'ParkedRecordsTable');
      this.parkedRecordsTable.grantParking(props.handler);
      environmentTarget?.addEnvironment(TableStreamConsumer.PARKED_RECORDS_TABLE_ENVIRONMENT_VARIABLE, this.parkedRecordsTable.tableName);
    }
    // The default must pass the runtime's check: a construct id may hold characters the keys do not take.
    this.consumerId = props.consumerId ?? this.node.path.replace(/[^A-Za-z0-9_./-]/g, '_');
    if (this.idempotencyTable || this.parkedRecordsTable) {
      environmentTarget?.addEnvironment(TableStreamConsumer.CONSUMER_ID_ENVIRONMENT_VARIABLE, this.consumerId);
      for (const shared of [this.idempotencyTable, this.parkedRecordsTable]) {
        if (shared) {
          claimConsumerId(shared, this);
        }
      }
    }
    this.node.addValidation({ validate: () => this.validateConsumerId(props.consumerId) });

    const thresholds = props.alarmThresholds ?? {};
    const actions = [...(props.alarmTopic ? [new SnsAction(props.alarmTopic)] : []), ...(props.alarmActions ?? [])];
    this.alarms = [];
    // Every consumer alarm fires on the first breach and stays quiet while the metric is absent.
    const alarm = (alarmId: string, metric: cloudwatch.Metric, alarmDescription: string, threshold: number) => {
      const created = metric.createAlarm(this, alarmId, {
        alarmDescription,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(...actions);
      this.alarms.push(created);
      return created;
    };
    const handlerPath = props.handler.node.path;
    this.iteratorAgeAlarm = alarm('IteratorAgeAlarm',
      props.handler.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
      `The stream consumer ${handlerPath} is falling behind the table's writes.`,
      (thresholds.iteratorAge ?? Duration.minutes(5)).toMilliseconds());
    this.deadLetterQueueAlarm = alarm('DeadLetterQueueAlarm',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }),
      `Stream records that ${handlerPath} could not process are waiting in the dead-letter queue.`,
      thresholds.deadLetterMessages ?? 1);
    this.errorsAlarm = alarm('ErrorsAlarm',
      props.handler.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      `The stream consumer ${handlerPath} failed invocations.`,
      thresholds.errors ?? 1);
    this.throttlesAlarm = alarm('ThrottlesAlarm',
      props.handler.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
      `The stream consumer ${handlerPath} was throttled.`,
      thresholds.throttles ?? 1);
    if (this.parkedRecordsTable) {
      this.parkedRecordsAlarm = alarm('ParkedRecordsAlarm',
        new cloudwatch.Metric({
          namespace: TableStreamConsumer.METRIC_NAMESPACE,
          metricName: TableStreamConsumer.PARKED_RECORDS_METRIC_NAME,
          // The runtime names the function as Lambda does (AWS_LAMBDA_FUNCTION_NAME): never an alias or version.
          dimensionsMap: { FunctionName: functionNameOf(props.handler) },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
        `The stream consumer ${handlerPath} parked records it could not apply: redrive them once the cause is fixed.`,
        thresholds.parkedRecords ?? 1);
    }
  }

  /**
   * Permits `grantee` (an operator's or a pipeline's role) to start a redrive: to invoke the consumer's
   * function (the alias or version it was given) with the event `{"redriveParkedRecords": {...}}`, as
   * `aws lambda invoke` does. The redrive runs inside the function, with the function's role, so nothing
   * else is needed.
   *
   * Note: to look at the parked records first, grant `parkedRecordsTable.grantReadData(grantee)`. The
   * `redrive` command of the CLI runs the handler in its own process instead: its credentials need what the
   * function's role has.
   *
   * @param grantee who starts redrives
   */
  public grantRedrive(grantee: iam.IGrantable): iam.Grant {
    this.requireParking('grantRedrive()');
    return this.handler.grantInvoke(grantee);
  }

  /**
   * Replays the parked records once the deployment has updated the consumer's function, and again whenever
   * a later deployment changes the function's code or configuration (or `keys`): deploy the fix of what
   * made the records fail, and the records are applied, in stream order per item key, each exactly once.
   *
   * A custom resource (`AwsCustomResource`, type `Custom::RedriveParkedRecords`) that depends on the
   * function invokes it asynchronously (`InvocationType: Event`) with `{"redriveParkedRecords": {...}}`.
   * The deployment neither waits for the redrive nor fails with it: a record that fails again stays parked
   * with the later records of its key, and the function logs it; the fix stays deployed. The function
   * must answer the redrive event (`createTransactionalStreamHandler` does).
   *
   * Note: for an imported function, whose code is unknown, the redrive runs when the custom resource is
   * created and when `keys` change.
   *
   * @param options which item keys to replay
   */
  public redriveAfterDeployment(options: RedriveAfterDeploymentOptions = {}): cr.AwsCustomResource {
    this.requireParking('redriveAfterDeployment()');
    if (this.redriveResource !== undefined) {
      throw new Error(`TableStreamConsumer ${this.node.path}: \`redriveAfterDeployment()\` is already called; one redrive runs per deployment: `
        + 'call it once, with every item key in `keys` (or none, for every parked key).');
    }
    const keys = options.keys === undefined ? undefined : renderRedriveKeys(this.node.path, this.table, options.keys);
    const fn = functionOf(this.handler);
    // A fingerprint of the function's code and configuration: a new one updates the custom resource,
    // which invokes the function again once the new code is deployed.
    const payload = Lazy.string({
      produce: () => JSON.stringify({
        redriveParkedRecords: keys === undefined ? {} : { keys },
        ...(fn ? { deployment: deploymentFingerprint(fn) } : {}),
      }),
    });
    const invoke: cr.AwsSdkCall = {
      service: 'Lambda',
      action: 'Invoke',
      // Asynchronous: the deployment does not wait up to 15 minutes for a redrive, and a redrive that
      // fails does not fail the custom resource, so it never rolls back the fix.
      parameters: { FunctionName: this.handler.functionArn, InvocationType: 'Event', Payload: payload },
      physicalResourceId: cr.PhysicalResourceId.of(`${this.node.path}/RedriveAfterDeployment`),
      // An asynchronous invocation answers with its status code only; nothing else goes back to CloudFormation.
      outputPaths: ['StatusCode'],
    };
    this.redriveResource = new cr.AwsCustomResource(this, 'RedriveAfterDeployment', {
      resourceType: 'Custom::RedriveParkedRecords',
      onCreate: invoke,
      onUpdate: invoke,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.handler.functionArn],
      })]),
      // Lambda's Invoke is in every SDK the Node.js runtime carries: nothing to download at deployment.
      installLatestAwsSdk: false,
    });
    this.redriveResource.node.addDependency(this.handler);
    if (fn !== undefined && fn !== this.handler) {
      this.redriveResource.node.addDependency(fn);
    }
    return this.redriveResource;
  }

  /** Every problem of the consumer identity: its form, and another consumer of a shared table using it too. */
  private validateConsumerId(given: string | undefined): string[] {
    const problems: string[] = [];
    const where = `TableStreamConsumer ${this.node.path}: \`consumerId\``;
    if (given !== undefined && !Token.isUnresolved(given) && !/^[A-Za-z0-9_./-]{1,200}$/.test(given)) {
      problems.push(`${where} is '${given}'; it must be 1 to 200 letters, digits, '-', '_', '.' or '/' (no '#': it separates the parts of the keys): choose for example 'OpenTaskCounter'.`);
    }
    for (const shared of [this.idempotencyTable, this.parkedRecordsTable]) {
      const others = shared ? (CONSUMERS_OF.get(shared) ?? []).filter((c) => c !== this && c.consumerId === this.consumerId) : [];
      if (shared && others.length > 0) {
        problems.push(`${where} is '${this.consumerId}', and so is the identity of ${others.map((c) => c.node.path).join(', ')}, which shares the table ${shared.node.path}: `
          + 'each would read, redrive and skip the other\'s records. Give each consumer its own `consumerId`.');
      }
    }
    return problems;
  }

  private requireParking(method: string): void {
    if (this.parkedRecordsTable === undefined) {
      throw new Error(`TableStreamConsumer ${this.node.path}: \`${method}\` needs parked records, but \`parkRecords\` is false: `
        + 'turn `parkRecords` on (the handler must be a createTransactionalStreamHandler), or remove the call.');
    }
  }

  private createDeadLetterQueue(): sqs.Queue {
    const key = createLibraryKey(this, 'DeadLetterQueueKey', {
      description: `Encrypts the dead-letter queue of the stream consumer ${this.node.path}`,
      encrypts: EncryptedResource.SQS_QUEUE,
    });
    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // Declared a dead-letter queue (CT.SQS.PR.1). Its source is an event source mapping, not a queue,
      // so no source queue can be named: any queue of the account may redrive into it.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue itself: the on-failure destination of the DynamoDB stream event source mapping, which the rule does not recognise.',
    });
    return queue;
  }
}

/** The consumers of each idempotency or parked-records table, to refuse two with one identity. */
const CONSUMERS_OF = new WeakMap<Construct, TableStreamConsumer[]>();

function claimConsumerId(table: Construct, consumer: TableStreamConsumer): void {
  CONSUMERS_OF.set(table, [...(CONSUMERS_OF.get(table) ?? []), consumer]);
}

/**
 * The on-failure destination, granting only what sending to an SQS queue takes: `SqsDlq` grants the
 * queue key's `kms:ReEncrypt*` and `kms:GenerateDataKey*` wildcards as well.
 */
class LeastPrivilegeSqsDestination implements lambda.IEventSourceDlq {
  constructor(private readonly queue: sqs.IQueue) {}

  public bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    this.queue.grant(targetHandler, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
    this.queue.encryptionMasterKey?.grant(targetHandler, 'kms:GenerateDataKey', 'kms:Decrypt');
    return { destination: this.queue.queueArn };
  }
}

function validateProps(props: TableStreamConsumerProps): void {
  integerInRange('batchSize', props.batchSize, 1, 10_000, 'Lambda takes 1 to 10,000 records per batch from a DynamoDB stream');
  integerInRange('retryAttempts', props.retryAttempts, 0, 10_000, 'retries must be bounded so that one failing record cannot block its shard for 24 hours');
  integerInRange('parallelizationFactor', props.parallelizationFactor, 1, 10, 'Lambda processes 1 to 10 batches per shard at a time');
  if (props.maxBatchingWindow !== undefined && !Token.isUnresolved(props.maxBatchingWindow.toSeconds())
    && props.maxBatchingWindow.toSeconds() > 300) {
    throw new Error(`\`maxBatchingWindow\` is ${props.maxBatchingWindow.toHumanString()}; Lambda allows at most 5 minutes: choose a shorter window.`);
  }
  if (props.maxRecordAge !== undefined && !Token.isUnresolved(props.maxRecordAge.toSeconds())) {
    const seconds = props.maxRecordAge.toSeconds();
    if (seconds < 60 || seconds > STREAM_RETENTION.toSeconds()) {
      throw new Error(`\`maxRecordAge\` is ${props.maxRecordAge.toHumanString()}; it must be between 1 minute and 24 hours (a DynamoDB stream keeps records 24 hours): choose for example Duration.hours(1).`);
    }
  }
  if ((props.filters ?? []).length > MAX_FILTERS) {
    throw new Error(`\`filters\` has ${props.filters!.length} filters; an event source mapping takes at most ${MAX_FILTERS}: merge conditions into fewer filters with StreamFilter.of().`);
  }
  if (props.idempotency === false && props.idempotencyTable !== undefined) {
    throw new Error('`idempotencyTable` is set but `idempotency` is false: remove `idempotencyTable`, or turn `idempotency` on.');
  }
  if (props.parkRecords === false && props.parkedRecordsTable !== undefined) {
    throw new Error('`parkedRecordsTable` is set but `parkRecords` is false: remove `parkedRecordsTable`, or turn `parkRecords` on.');
  }
  if (props.handler.role === undefined) {
    throw new Error(`\`handler\` ${props.handler.node.path} has no role, so the stream, the queue and the tables cannot be granted to it: `
      + 'import it with `Function.fromFunctionAttributes(scope, id, { functionArn, role })`.');
  }
  const env = props.idempotencyTableEnvironmentVariable;
  if (env !== undefined && !/^[a-zA-Z]\w*$/.test(env)) {
    throw new Error(`\`idempotencyTableEnvironmentVariable\` is '${env}'; an environment variable name starts with a letter and has only letters, digits and underscores: choose for example 'IDEMPOTENCY_TABLE_NAME'.`);
  }
  const t = props.alarmThresholds ?? {};
  const counts = [['deadLetterMessages', t.deadLetterMessages], ['errors', t.errors], ['throttles', t.throttles], ['parkedRecords', t.parkedRecords]] as const;
  for (const [name, value] of counts) {
    if (value !== undefined && !Token.isUnresolved(value) && !(Number.isInteger(value) && value >= 1)) {
      throw new Error(`\`alarmThresholds.${name}\` is ${value}; it must be a whole number of at least 1.`);
    }
  }
  if (t.iteratorAge !== undefined && !Token.isUnresolved(t.iteratorAge.toMilliseconds()) && t.iteratorAge.toMilliseconds() <= 0) {
    throw new Error(`\`alarmThresholds.iteratorAge\` is ${t.iteratorAge.toHumanString()}; it must be longer than zero, for example Duration.minutes(5).`);
  }
}

function integerInRange(prop: string, value: number | undefined, min: number, max: number, why: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`\`${prop}\` is ${value}; it must be a whole number from ${min} to ${max} (${why}).`);
  }
}

/** Which images each stream view type carries. */
const IMAGES: Record<string, string[]> = {
  [StreamViewType.KEYS_ONLY]: [],
  [StreamViewType.NEW_IMAGE]: ['NewImage'],
  [StreamViewType.OLD_IMAGE]: ['OldImage'],
  [StreamViewType.NEW_AND_OLD_IMAGES]: ['NewImage', 'OldImage'],
};

function validateStream(table: ITable, required: StreamViewType): void {
  const path = table.node.path;
  const defined = table instanceof BlueprintTable || tableShape(table).resource !== undefined;
  if (!defined) {
    // An imported table: only the presence of a stream ARN can be checked at synthesis.
    if (!table.tableStreamArn) {
      throw new Error(`\`table\` ${path} has no stream: give \`tableStreamArn\` when importing it, and make sure its stream carries ${required}.`);
    }
    return;
  }
  // TableV2 always exposes a stream ARN attribute, so the stream specification itself is checked.
  const viewType = streamViewTypeOf(table);
  if (viewType === undefined) {
    throw new Error(`\`table\` ${path} has no stream: set \`dynamoStream: StreamViewType.${required}\` on the table.`);
  }
  const missing = IMAGES[required].filter((image) => !IMAGES[viewType].includes(image));
  if (missing.length > 0) {
    throw new Error(`\`table\` ${path} has a ${viewType} stream, but the consumer needs ${required} (\`requiredStreamViewType\`): records would have no ${missing.join(' and ')}. Set \`dynamoStream: StreamViewType.${required}\` on the table, or lower \`requiredStreamViewType\` if the handler does not read them.`);
  }
}

/** The stream view type of a table defined in this app, or undefined when it has no stream. */
function streamViewTypeOf(table: ITable): string | undefined {
  if (table instanceof BlueprintTable) {
    return table.streamViewType;
  }
  return tableShape(table).streamViewType;
}

/** The function whose environment the consumer can set: the handler, or the function behind an alias or its current version. */
function environmentTargetOf(handler: lambda.IFunction, setEnvironment: boolean): lambda.Function | undefined {
  if (!setEnvironment) {
    return undefined;
  }
  const version = handler instanceof lambda.Alias ? handler.version : handler instanceof lambda.Version ? handler : undefined;
  const fn = version ? version.lambda : handler;
  const path = handler.node.path;
  const fix = 'set IDEMPOTENCY_TABLE_NAME and PARKED_RECORDS_TABLE_NAME where the function is defined (from the consumer\'s '
    + '`idempotencyTable.tableName` and `parkedRecordsTable.tableName`) and pass `setHandlerEnvironment: false`';
  if (!(fn instanceof lambda.Function)) {
    throw new Error(`\`handler\` ${path} is an imported function: the consumer cannot set its environment variables. To use it, ${fix}.`);
  }
  // `currentVersion` is published again whenever the function's configuration changes; any other version
  // keeps the environment it was published with and would never see the variables.
  if (version && !(version.node.scope === fn && version.node.id === 'CurrentVersion')) {
    throw new Error(`\`handler\` ${path} runs version ${version.node.path}, which was published by hand and would not get the consumer's `
      + `environment variables: point it at \`${fn.node.id}.currentVersion\` (republished when the environment changes), or ${fix}.`);
  }
  return fn;
}

/** The function defined in the app behind a handler (itself, or the function of an alias or version); undefined when imported. */
function functionOf(handler: lambda.IFunction): lambda.Function | undefined {
  const fn = handler instanceof lambda.Alias ? handler.version.lambda : handler instanceof lambda.Version ? handler.lambda : handler;
  return fn instanceof lambda.Function ? fn : undefined;
}

/** A digest of what a function runs: its code, handler, runtime, environment, layers and architectures, as CloudFormation receives them. */
function deploymentFingerprint(fn: lambda.Function): string {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const deployed = Stack.of(fn).resolve({
    code: cfn.code,
    handler: cfn.handler,
    runtime: cfn.runtime,
    environment: cfn.environment,
    layers: cfn.layers,
    architectures: cfn.architectures,
    imageConfig: cfn.imageConfig,
  });
  return createHash('sha256').update(JSON.stringify(deployed)).digest('hex');
}

/** The DynamoDB type letter of each key attribute type. */
const TYPE_LETTER: Record<string, string> = { [AttributeType.STRING]: 'S', [AttributeType.NUMBER]: 'N', [AttributeType.BINARY]: 'B' };

/**
 * The keys of a redrive event, as stream records carry them (`{"PK": {"S": "TASK#1"}}`), from the table's
 * key attributes; every problem of `keys` in one error.
 */
function renderRedriveKeys(path: string, table: ITable, keys: ParkedItemKey[]): Record<string, Record<string, string>>[] {
  const where = `TableStreamConsumer ${path}: \`redriveAfterDeployment()\``;
  if (keys.length === 0) {
    throw new Error(`${where}: \`keys\` is empty: omit \`keys\` to replay every parked key, or list the item keys to replay.`);
  }
  const [partitionKey, sortKey] = tableShape(table).keyAttributes;
  if (partitionKey === undefined) {
    throw new Error(`${where}: \`keys\` are given, but the key attributes of the imported table ${table.node.path} are unknown at synthesis: `
      + 'omit `keys` to replay every parked key, or replay chosen keys with the `redrive` command of the CLI (`--key`).');
  }
  const tableKeys = [partitionKey, sortKey].filter((k) => k !== undefined).map((k) => `${k.name} (${k.type})`).join(', ');
  const problems: string[] = [];
  const rendered = keys.map((key, i) => {
    const item: Record<string, Record<string, string>> = {};
    const check = (prop: string, value: string | undefined, attribute: typeof partitionKey | undefined) => {
      const at = `\`keys[${i}].${prop}\``;
      if (attribute === undefined) {
        if (value !== undefined) {
          problems.push(`${at} is '${value}', but the table ${table.node.path} has no sort key (its keys: ${tableKeys}): remove it.`);
        }
        return;
      }
      if (value === undefined) {
        problems.push(`${at} is missing; the table ${table.node.path} has the sort key ${attribute.name}: give its value.`);
        return;
      }
      if (Token.isUnresolved(value)) {
        problems.push(`${at} is a token (${value}); the redrive event is written at synthesis: give the value itself.`);
        return;
      }
      const type = TYPE_LETTER[attribute.type ?? AttributeType.STRING];
      if (value === '') {
        problems.push(`${at} is empty; DynamoDB key values are never empty: give the value of ${attribute.name}.`);
      } else if (type === 'N' && !/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
        problems.push(`${at} is '${value}', but ${attribute.name} is a Number key: give a number such as '42' or '1.5'.`);
      } else if (type === 'B' && !/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)) {
        problems.push(`${at} is '${value}', but ${attribute.name} is a Binary key: give its bytes in base64, as stream records carry them.`);
      }
      item[attribute.name] = { [type]: value };
    };
    check('partitionKeyValue', key.partitionKeyValue, partitionKey);
    check('sortKeyValue', key.sortKeyValue, sortKey);
    return item;
  });
  if (problems.length > 0) {
    throw new Error(`${where}: ${problems.join(' ')}`);
  }
  return rendered;
}

/** The function name Lambda gives the runtime (`AWS_LAMBDA_FUNCTION_NAME`): the function's, for an alias or version too. */
function functionNameOf(handler: lambda.IFunction): string {
  if (handler instanceof lambda.Alias) {
    return handler.version.lambda.functionName;
  }
  if (handler instanceof lambda.Version) {
    return handler.lambda.functionName;
  }
  return handler.functionName;
}

/**
 * A filter on a key attribute the table does not have matches no record, and the consumer then never runs:
 * check each filter's key conditions against the table's partition and sort key, case included.
 */
function validateFilterKeys(table: ITable, filters: StreamFilter[]): void {
  const keyNames = tableShape(table).keyNames;
  if (keyNames.length === 0) {
    // An imported table: its keys are not known at synthesis.
    return;
  }
  filters.forEach((filter, index) => {
    for (const attribute of filter._keyAttributes()) {
      if (keyNames.includes(attribute)) {
        continue;
      }
      const sameButCase = keyNames.find((k) => k.toLowerCase() === attribute.toLowerCase());
      const fix = sameButCase !== undefined
        ? `attribute names are case-sensitive: write '${sameButCase}'`
        : `condition on one of ${keyNames.map((k) => `'${k}'`).join(', ')}, or on \`dynamodb.NewImage\` with \`StreamFilter.fromPattern()\` for a non-key attribute`;
      throw new Error(`\`filters[${index}]\` (${filter._render().pattern}) has a condition on key attribute '${attribute}', which is not a key of the table `
        + `${table.node.path} (its keys: ${keyNames.join(', ')}): no record would match and the consumer would never run. Fix: ${fix}.`);
    }
  });
}
